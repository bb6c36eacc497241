from django.urls import path

from fazhi.workbench import views
from fazhi.workbench.views import registers
from fazhi.workbench.views.release import MatterReleaseView

# one URL set for every register: <app label>/<model name> (fazhi.core.registers)
REGISTER = "registers/<slug:app>/<slug:model>/"

app_name = "workbench"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("matters/new/", views.MatterCreateView.as_view(), name="matter-create"),
    path("matters/<int:pk>/", views.MatterDetailView.as_view(), name="matter-detail"),
    path("matters/<int:pk>/act/<slug:action>/", views.MatterActView.as_view(), name="matter-act"),
    path("matters/<int:pk>/release/", MatterReleaseView.as_view(), name="matter-release"),
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
    path("registers/", registers.RegisterIndexView.as_view(), name="register-index"),
    path(REGISTER, registers.RegisterListView.as_view(), name="register-list"),
    path(REGISTER + "new/", registers.RegisterFormView.as_view(), name="register-create"),
    path(REGISTER + "export.xlsx", registers.RegisterExportView.as_view(), name="register-export"),
    path(REGISTER + "import/", registers.RegisterImportView.as_view(), name="register-import"),
    path(REGISTER + "<int:pk>/", registers.RegisterDetailView.as_view(), name="register-detail"),
    path(REGISTER + "<int:pk>/edit/", registers.RegisterFormView.as_view(), name="register-edit"),
    path(
        REGISTER + "<int:pk>/delete/",
        registers.RegisterDeleteView.as_view(),
        name="register-delete",
    ),
]
