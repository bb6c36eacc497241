"""The enforcement domain's pages (included by fazhi/urls.py through core.domains)."""

from django.urls import path

from fazhi.enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("zhifa/gongshi/", views.disclosure, name="disclosure"),
    path("zhifa/zhengjian/", views.certificate, name="certificate"),
    path("workbench/enforcement/", views.HomeView.as_view(), name="home"),
    path("workbench/enforcement/leniency/", views.LeniencyView.as_view(), name="leniency"),
    path(
        "workbench/enforcement/decisions/<int:matter>/leniency/",
        views.LeniencyView.as_view(),
        name="leniency-matter",
    ),
    path(
        "workbench/enforcement/decisions/<int:pk>/three-documents.docx",
        views.ThreeDocumentsView.as_view(),
        name="three-documents",
    ),
    path("zhifa/nianbao/", views.published_statistics, name="statistics-public"),
    path("zhifa/nianbao/<int:pk>/", views.published_statistics, name="statistics-report"),
    path("workbench/enforcement/statistics/", views.StatisticsView.as_view(), name="statistics"),
    path(
        "workbench/enforcement/decisions/<int:pk>/case-file/",
        views.CaseFileView.as_view(),
        name="case-file",
    ),
    path("workbench/enforcement/unfiled/", views.UnfiledView.as_view(), name="unfiled"),
    path("workbench/enforcement/expiring/", views.ExpiringView.as_view(), name="expiring"),
    path("workbench/enforcement/reviews/", views.ReviewListView.as_view(), name="reviews"),
    path(
        "workbench/enforcement/reviews/<int:pk>/",
        views.ReviewDetailView.as_view(),
        name="review-detail",
    ),
]
