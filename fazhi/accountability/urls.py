"""The heads' duties page (included by fazhi/urls.py through core.domains)."""

from django.urls import path

from fazhi.accountability import views

app_name = "accountability"

urlpatterns = [
    path("workbench/accountability/", views.HomeView.as_view(), name="home"),
]
