"""Admin: the submitters' notice subscriptions and the notices sent (read only: an operator
sees what went out, what failed and why; only the submitter's tracking page changes them)."""

from django.contrib import admin
from django.http import HttpRequest

from fazhi.portal.models import Notice, Subscription


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(_ReadOnly, admin.ModelAdmin[Notice]):
    list_display = ("matter", "created_at", "status", "attempts", "error", "sent_at")
    list_filter = ("status",)
    search_fields = ("matter__reference",)
    raw_id_fields = ("matter", "step", "subscription")


@admin.register(Subscription)
class SubscriptionAdmin(_ReadOnly, admin.ModelAdmin[Subscription]):
    list_display = ("matter", "channel", "active", "created_at")
    list_filter = ("channel", "active")
    search_fields = ("matter__reference",)
    raw_id_fields = ("matter",)
