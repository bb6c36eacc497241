"""Admin for activities (the engine's Activity model, counted by the indicators): read and
correct reference data; new activities are recorded through the workbench or the import."""

from django.contrib import admin

from fazhi.core.admin import AuditedAdminMixin
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
