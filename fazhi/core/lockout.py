"""Login lockout: django-axes counts failed sign-ins per account and per client address.

Both the staff login (/accounts/login/) and the admin's (/admin/login/) authenticate through
Django's ``authenticate``; the first backend (axes) refuses a locked account or address before
the password is checked, so the right password does not get through either. The counts are
rows in the database (``axes.AccessAttempt``), shared by every app server. Settings:
``FAZHI_LOGIN_FAILURE_LIMIT`` failures lock for ``FAZHI_LOGIN_LOCKOUT_MINUTES`` (settings.py).

What this module adds: the Chinese lockout page and the audit event of a lockout (failed and
successful sign-ins are audited in ``core.signals``).
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from fazhi.core import audit


def lockout_minutes() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    return max(1, int(cooloff.total_seconds() // 60)) if cooloff else 0


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The answer to a sign-in while locked out: 429, in Chinese, saying for how long."""
    minutes = lockout_minutes()
    response = HttpResponse(
        render_to_string(
            "registration/locked_out.html",
            {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
            request=request,
        ),
        status=429,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


@receiver(user_locked_out)
def audit_lockout(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    """One audit event when an account or address gets locked (about the account if it exists)."""
    user = get_user_model().objects.filter(username=username or "").first()
    subject: Any = user or audit.Subject("auth.user", "", username or "")
    audit.record(
        "auth.locked_out",
        subject,
        label="未登录",
        request=request,
        data={"username": username or "", "minutes": lockout_minutes()},
    )
