"""The rulemaking pages (included by fazhi/urls.py through core.domains)."""

from django.urls import path

from fazhi.rulemaking import views

app_name = "rulemaking"

urlpatterns = [
    path("guifanxing/", views.document_register, name="register"),
    path("juece/", views.decisions, name="decisions"),
    path("juece/<str:reference>/", views.decision, name="decision"),
    path("juece/<str:reference>/yijian/", views.comment, name="comment"),
    path("workbench/rulemaking/", views.HomeView.as_view(), name="home"),
    path("workbench/rulemaking/documents/", views.DocumentListView.as_view(), name="documents"),
    path(
        "workbench/rulemaking/matters/<int:pk>/versions/",
        views.VersionsView.as_view(),
        name="versions",
    ),
    path(
        "workbench/rulemaking/decisions/<int:pk>/comments/",
        views.CommentsView.as_view(),
        name="comments",
    ),
    path("workbench/rulemaking/cleanup/", views.CampaignListView.as_view(), name="campaigns"),
    path("workbench/rulemaking/cleanup/<int:pk>/", views.CampaignView.as_view(), name="campaign"),
]
