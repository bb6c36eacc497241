"""The pages of report part (一) (included by fazhi/urls.py through core.domains)."""

from django.urls import path

from fazhi.services import views

app_name = "services"

urlpatterns = [
    path("workbench/services/", views.HomeView.as_view(), name="home"),
    path(
        "workbench/services/matters/<int:pk>/unit/",
        views.ConfirmUnitView.as_view(),
        name="confirm-unit",
    ),
    path("workbench/services/suggestions/", views.SuggestionsView.as_view(), name="suggestions"),
    path("workbench/services/duties/", views.DutyListsView.as_view(), name="duty-lists"),
]
