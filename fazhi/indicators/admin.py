"""Admin for activities (the engine's Activity model, counted by the indicators): read and
correct reference data; new activities are recorded through the workbench or the import."""

from django.contrib import admin

from fazhi.core.admin import AuditedAdminMixin
from fazhi.indicators.models import MatterPeriod
from fazhi.procedures.models import Activity


@admin.register(Activity)
class ActivityAdmin(AuditedAdminMixin, admin.ModelAdmin[Activity]):
    list_display = ("on", "kind", "title", "org", "reference", "created_by")
    list_filter = ("kind",)
    search_fields = ("title", "reference", "org__name")
    date_hierarchy = "on"
    autocomplete_fields = ("org",)
    readonly_fields = ("created_by", "created_at")
    list_select_related = ("org", "created_by")


@admin.register(MatterPeriod)
class MatterPeriodAdmin(admin.ModelAdmin[MatterPeriod]):
    """Read-only view of the rollup (maintained from the steps; rebuild with the command)."""

    list_display = ("matter", "seq", "procedure", "state", "satisfaction", "on", "until_on")
    list_filter = ("procedure",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
