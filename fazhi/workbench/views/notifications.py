"""My reminders (提醒): warning, overdue and assignment notices, and marking them read."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import ListView

from fazhi.core import clock
from fazhi.core.views import StaffRequiredMixin
from fazhi.procedures.models import Notification


def inbox(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first (a user only ever sees their own)."""
    return Notification.objects.filter(recipient=user).select_related("matter", "matter__org")


class NotificationListView(StaffRequiredMixin, ListView[Notification]):
    template_name = "workbench/notifications.html"
    paginate_by = 50
    context_object_name = "notifications"

    def get_queryset(self) -> QuerySet[Notification]:
        qs = inbox(self.request.user)
        if self.request.GET.get("unread"):
            qs = qs.filter(read_at__isnull=True)
        return qs.order_by("read_at", "-created_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["unread_only"] = bool(self.request.GET.get("unread"))
        return ctx


class NotificationReadView(StaffRequiredMixin, View):
    """Mark one notification read (POST); htmx gets the updated row."""

    http_method_names = ["post"]  # noqa: RUF012 Django's own attribute, a plain list

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        note = get_object_or_404(inbox(request.user), pk=pk)
        if note.read_at is None:
            note.read_at = clock.now()
            note.save(update_fields=["read_at"])
        if getattr(request, "htmx", False):
            response = render(request, "workbench/_notification_row.html", {"n": note})
            response["HX-Trigger"] = "notificationsChanged"
            return response
        return redirect("workbench:notifications")


class NotificationReadAllView(StaffRequiredMixin, View):
    http_method_names = ["post"]  # noqa: RUF012 Django's own attribute, a plain list

    def post(self, request: HttpRequest) -> HttpResponse:
        inbox(request.user).filter(read_at__isnull=True).update(read_at=clock.now())
        return redirect("workbench:notifications")
