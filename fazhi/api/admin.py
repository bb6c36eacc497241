"""Admin for the systems that submit through Open311: create one, see its key once, revoke.

Staff API tokens are issued in the admin's own “令牌” page (DRF authtoken) or with
``fazhi api token USERNAME``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from fazhi.api.models import ApiClient, ServiceRequest
from fazhi.core import audit
from fazhi.core.admin import AuditedAdminMixin


def _show_key(request: HttpRequest, client: ApiClient, raw: str) -> None:
    messages.warning(
        request,
        f"“{client.name}”的 api_key 为：{raw}  ——只显示这一次，请立即交给对方系统妥善保存。",
    )


@admin.register(ApiClient)
class ApiClientAdmin(AuditedAdminMixin, admin.ModelAdmin[ApiClient]):
    list_display = ("name", "org", "key_prefix", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name",)
    fields = ("name", "org", "active", "key_prefix", "created_at")
    readonly_fields = ("key_prefix", "created_at")
    autocomplete_fields = ("org",)
    actions = ("issue_new_key",)

    def save_model(
        self, request: HttpRequest, obj: Model, form: ModelForm[Any], change: bool
    ) -> None:
        assert isinstance(obj, ApiClient)  # noqa: S101 this admin edits ApiClient only  # nosec B101
        raw = None if change else obj.set_new_key()
        super().save_model(request, obj, form, change)
        if raw is not None:
            _show_key(request, obj, raw)

    @admin.action(description="重新生成所选接入系统的 api_key（旧密钥立即失效）")
    def issue_new_key(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset:
            raw = client.set_new_key()
            client.save(update_fields=["key_hash", "key_prefix"])
            audit.record("api.client_key", client, actor=request.user, request=request)
            _show_key(request, client, raw)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin[ServiceRequest]):
    """Read-only: Open311 submissions change only through the engine."""

    list_display = ("matter", "client", "created_at")
    list_filter = ("client",)
    search_fields = ("matter__reference",)
    raw_id_fields = ("matter",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
