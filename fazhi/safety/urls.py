"""The safety domain's pages (included by fazhi/urls.py through core.domains)."""

from django.urls import path

from fazhi.safety import views

app_name = "safety"

urlpatterns = [
    path("anquan/jiancha/", views.public_inspections, name="public"),
    path("workbench/safety/", views.HomeView.as_view(), name="home"),
    path(
        "workbench/safety/inspections/<int:pk>/",
        views.InspectionView.as_view(),
        name="inspection",
    ),
]
