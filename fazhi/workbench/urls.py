from django.urls import path

from fazhi.workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
