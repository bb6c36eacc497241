"""The staff workbench: my queue, the matter page with its actions, registration, reminders."""

from fazhi.workbench.views.matters import (
    AttachmentDownloadView,
    AttachmentUploadView,
    MatterActView,
    MatterCreateView,
    MatterDetailView,
)
from fazhi.workbench.views.notifications import (
    NotificationListView,
    NotificationReadAllView,
    NotificationReadView,
)
from fazhi.workbench.views.queue import HomeView

__all__ = [
    "AttachmentDownloadView",
    "AttachmentUploadView",
    "HomeView",
    "MatterActView",
    "MatterCreateView",
    "MatterDetailView",
    "NotificationListView",
    "NotificationReadAllView",
    "NotificationReadView",
]
