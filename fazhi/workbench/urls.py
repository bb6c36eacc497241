from django.urls import path

from fazhi.workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("matters/new/", views.MatterCreateView.as_view(), name="matter-create"),
    path("matters/<int:pk>/", views.MatterDetailView.as_view(), name="matter-detail"),
    path("matters/<int:pk>/act/<slug:action>/", views.MatterActView.as_view(), name="matter-act"),
    path(
        "matters/<int:pk>/attachments/",
        views.AttachmentUploadView.as_view(),
        name="matter-attach",
    ),
    path(
        "attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment-download",
    ),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notifications-read-all",
    ),
]
