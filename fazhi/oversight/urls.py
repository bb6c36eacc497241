"""The oversight domain's own staff pages: supervision activities with their files
(included by fazhi/urls.py through core.domains; the hotline's and the suggestions' pages are
their subpackages' urls.py)."""

from django.urls import path

from fazhi.oversight import views

app_name = "oversight"

urlpatterns = [
    path("workbench/supervision/", views.SupervisionListView.as_view(), name="supervision"),
    path(
        "workbench/supervision/new/",
        views.SupervisionCreateView.as_view(),
        name="supervision-create",
    ),
    path(
        "workbench/supervision/<int:pk>/",
        views.SupervisionDetailView.as_view(),
        name="supervision-detail",
    ),
    path(
        "workbench/supervision/files/<int:pk>/",
        views.SupervisionFileView.as_view(),
        name="supervision-file",
    ),
]
