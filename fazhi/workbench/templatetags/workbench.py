"""Template tags of the workbench: the unread-reminder count shown in the navigation."""

from __future__ import annotations

from typing import Any

from django import template

from fazhi.procedures.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    """How many of the user's reminders are unread (one indexed COUNT)."""
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
