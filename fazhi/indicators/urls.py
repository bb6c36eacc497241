"""Indicator dashboard, drill-down and the activity register (mounted at /workbench/indicators/)."""

from django.urls import path

from fazhi.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity-create"),
    path("<str:code>/", views.DrillDownView.as_view(), name="drill"),
]
