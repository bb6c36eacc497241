"""Admin for calendar overrides. Every change sends ``calendar_changed`` on commit and is
audited, so deadlines that depend on the changed years are recomputed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from fazhi.core import audit
from fazhi.workdays.models import CalendarDay, CalendarYear
from fazhi.workdays.signals import send_calendar_changed_on_commit


class _NotifyingAdmin(admin.ModelAdmin):  # type: ignore[type-arg, unused-ignore]
    """Audits each change and announces the affected years once the transaction commits."""

    @staticmethod
    def _years(obj: Any) -> set[int]:
        if isinstance(obj, CalendarDay):
            return {obj.on.year}
        return {int(obj.year)}

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg, unused-ignore]
        years = self._years(obj)
        if change and obj.pk:
            years |= self._years(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        audit.record(
            "workdays.admin_change" if change else "workdays.admin_add",
            obj,
            actor=request.user,
            data={"changed": form.changed_data},
            request=request,
        )
        send_calendar_changed_on_commit(years)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        years = self._years(obj)
        audit.record("workdays.admin_delete", obj, actor=request.user, request=request)
        super().delete_model(request, obj)
        send_calendar_changed_on_commit(years)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        years: set[int] = set()
        for obj in queryset:
            years |= self._years(obj)
            audit.record("workdays.admin_delete", obj, actor=request.user, request=request)
        super().delete_queryset(request, queryset)
        send_calendar_changed_on_commit(years)


@admin.register(CalendarYear)
class CalendarYearAdmin(_NotifyingAdmin):
    list_display = ("year", "notice", "number", "published_on", "updated_at")
    search_fields = ("notice", "number")
    ordering = ("-year",)


@admin.register(CalendarDay)
class CalendarDayAdmin(_NotifyingAdmin):
    list_display = ("on", "kind", "name", "source", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "source")
    date_hierarchy = "on"
    ordering = ("-on",)
