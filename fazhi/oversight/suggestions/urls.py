"""The suggestions' staff pages (included by fazhi/urls.py through core.domains' url_modules)."""

from django.urls import path

from fazhi.oversight.suggestions import views

app_name = "oversight-suggestions"

urlpatterns = [
    path("workbench/suggestions/", views.SuggestionListView.as_view(), name="list"),
    path("workbench/suggestions/statistics/", views.StatisticsView.as_view(), name="statistics"),
]
