"""Cross-cutting hooks: sign-ins are audited; the database cache table exists after migrate."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.management import call_command
from django.dispatch import receiver
from django.http import HttpRequest

from fazhi.core import audit


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record("auth.login", user, actor=user, request=request)


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=credentials.get("username", "")).first()
    if user is not None:
        audit.record("auth.login_failed", user, label="未登录", request=request)


def create_cache_table(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """The database cache (used when REDIS_URL is not set) needs its table after migrate."""
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", database=using, verbosity=0)
