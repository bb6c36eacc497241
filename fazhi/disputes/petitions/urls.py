"""Staff pages of petitions (included at the root by core.domains.domain_urlpatterns)."""

from django.urls import path

from fazhi.disputes.petitions import views

app_name = "petitions"

urlpatterns = [
    path("workbench/petitions/<int:pk>/repeats/", views.RepeatsView.as_view(), name="repeats"),
    path("workbench/petitions/routed/", views.RoutedListView.as_view(), name="routed"),
]
