"""Admin for the engine's reference data: intake routes. Matters change only through act()."""

from django.contrib import admin

from fazhi.core.admin import AuditedAdminMixin
from fazhi.procedures.models import IntakeRoute


@admin.register(IntakeRoute)
class IntakeRouteAdmin(AuditedAdminMixin, admin.ModelAdmin[IntakeRoute]):
    list_display = ("procedure", "org")
    autocomplete_fields = ("org",)
