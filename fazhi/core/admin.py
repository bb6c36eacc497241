"""Django admin for reference data. Every admin change is recorded in the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from fazhi.core import audit
from fazhi.core.models import AuditEvent, OrgUnit, StaffProfile
from fazhi.core.registers import RegisterEntry, all_registers, delete_entry, register_of, save_entry


class AuditedAdminMixin:
    """Record every admin add, change and delete in the audit log."""

    def save_model(
        self, request: HttpRequest, obj: Model, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        changed = {name: form.cleaned_data.get(name) for name in form.changed_data}
        audit.record(
            "admin.change" if change else "admin.add",
            obj,
            actor=request.user,
            data=changed,
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit.record("admin.delete", obj, actor=request.user, request=request)
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            audit.record("admin.delete", obj, actor=request.user, request=request)
        super().delete_queryset(request, queryset)  # type: ignore[misc]


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdminMixin, admin.ModelAdmin[OrgUnit]):
    list_display = ("name", "short_name", "kind", "division_code", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "division_code")
    ordering = ("path",)
    autocomplete_fields = ("parent",)


class StaffProfileInline(admin.StackedInline[StaffProfile, Any]):
    model = StaffProfile
    can_delete = False
    autocomplete_fields = ("org",)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class FazhiUserAdmin(AuditedAdminMixin, UserAdmin):
    inlines = (StaffProfileInline,)
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit log is append-only."""

    list_display = ("at", "actor_label", "action", "object_type", "object_repr", "org")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_label", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


class RegisterEntryAdmin(admin.ModelAdmin[RegisterEntry]):
    """Admin of any register: changes go through ``registers.save_entry`` / ``delete_entry``
    (the same checks and audit events as the workbench), never the form's own save."""

    date_hierarchy = "valid_from"
    list_filter = ("valid_from", "valid_to")
    list_select_related = ("org",)
    autocomplete_fields = ("org",)

    def get_list_display(self, request: HttpRequest) -> Any:
        return [*register_of(self.model).fields[:4], "org", "valid_from", "valid_to"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return list(register_of(self.model).columns)

    def save_model(
        self, request: HttpRequest, obj: RegisterEntry, form: ModelForm[Any], change: bool
    ) -> None:
        columns = register_of(self.model).columns
        data = {n: form.cleaned_data[n] for n in columns if n in form.cleaned_data}
        saved = save_entry(
            type(obj), data, by=request.user, instance=obj if change else None, request=request
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: RegisterEntry) -> None:
        delete_entry(obj, by=request.user, request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            delete_entry(obj, by=request.user, request=request)


def register_registers(site: admin.AdminSite = admin.site) -> None:
    """Put every declared register in the admin (declared in models.py: all known by now)."""
    for register in all_registers():
        if not site.is_registered(register.model):
            site.register(register.model, RegisterEntryAdmin)


register_registers()
