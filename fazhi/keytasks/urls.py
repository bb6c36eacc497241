"""The key tasks' pages (included by fazhi/urls.py through core.domains)."""

from django.urls import path

from fazhi.keytasks import views

app_name = "keytasks"

urlpatterns = [
    path("workbench/keytasks/", views.BoardView.as_view(), name="board"),
    path("workbench/keytasks/import/", views.ImportView.as_view(), name="import"),
    path("workbench/keytasks/template.xlsx", views.TemplateView.as_view(), name="template"),
]
