"""The issued annual reports on the public site (mounted at /reports/)."""

from django.urls import path

from fazhi.reports import views

app_name = "reports_public"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/pdf", views.public_pdf, name="pdf"),
]
