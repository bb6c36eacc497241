"""Workbench imports (run by fazhi worker) and export downloads, mounted at /workbench/io/ (namespace ``procedures``)."""

from django.urls import path

from fazhi.procedures import views_io

app_name = "procedures"

urlpatterns = [
    path("", views_io.IoIndexView.as_view(), name="io"),
    path("import/", views_io.ImportView.as_view(), name="import"),
    path(
        "<slug:procedure>/template.<str:fmt>",
        views_io.TemplateDownloadView.as_view(),
        name="template",
    ),
    path("<slug:procedure>/export/", views_io.ExportDownloadView.as_view(), name="export"),
    path("<slug:procedure>/export/job/", views_io.ExportJobView.as_view(), name="export-job"),
]
