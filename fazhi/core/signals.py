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


# Django names the default permissions "Can add <model>" in English, whatever the language.
PERMISSION_VERBS = {"add": "新增", "change": "修改", "delete": "删除", "view": "查看"}


def name_permissions_in_chinese(
    sender: Any, app_config: Any = None, using: str = "default", **kwargs: Any
) -> None:
    """After migrate: the default permissions of ``app_config`` named in Chinese
    (“可以新增 事项”), so the admin's permission lists read in Chinese. Only the English
    defaults Django wrote are renamed; a permission an app declared with its own name stays."""
    from django.contrib.auth.models import Permission

    if app_config is None or not getattr(app_config, "models_module", None):
        return
    for model in app_config.get_models():
        opts = model._meta
        for verb, word in PERMISSION_VERBS.items():
            if verb not in opts.default_permissions:
                continue
            Permission.objects.using(using).filter(
                content_type__app_label=opts.app_label,
                content_type__model=opts.model_name,
                codename=f"{verb}_{opts.model_name}",
                name=f"Can {verb} {opts.verbose_name_raw}"[:255],
            ).update(name=f"可以{word}{opts.verbose_name}"[:255])
