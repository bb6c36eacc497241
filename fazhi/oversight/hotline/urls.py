"""The hotline's staff page (included by fazhi/urls.py through core.domains' url_modules)."""

from django.urls import path

from fazhi.oversight.hotline import views

app_name = "oversight-hotline"

urlpatterns = [
    path("workbench/hotline/", views.HomeView.as_view(), name="home"),
]
