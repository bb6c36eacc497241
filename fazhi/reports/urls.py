"""Drafting the annual report (mounted at /workbench/reports/)."""

from django.urls import path

from fazhi.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/draft.html", views.DraftHtmlView.as_view(), name="draft-html"),
    path("<int:pk>/<str:key>/", views.SectionView.as_view(), name="section"),
    path("<int:pk>/<str:key>/preview/", views.SectionPreviewView.as_view(), name="preview"),
    path("<int:pk>/<str:key>/diff/", views.DiffView.as_view(), name="diff"),
]
