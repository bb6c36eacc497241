"""Reminders in the workbench: a matter crossed into warning or overdue, or was assigned."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core import clock
from fazhi.procedures.models.matter import Matter


class NotificationKind(models.TextChoices):
    WARNING = "warning", _("临期")
    OVERDUE = "overdue", _("逾期")
    ASSIGNED = "assigned", _("交办")
    INSTRUCTED = "instructed", _("批示")
    ASSISTING = "assisting", _("会办")  # the unit was added as an assisting unit
    OPINION = "opinion", _("会办意见")  # an assisting unit gave its opinion (to the lead)


class Notification(models.Model):
    """A reminder in the workbench: a matter of the user's unit crossed into warning or overdue."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="fazhi_notifications",
        verbose_name=_("接收人"),
        help_text=_("接收提醒的工作人员。"),
    )
    matter = models.ForeignKey(
        Matter,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("事项"),
        help_text=_("相关事项。"),
    )
    kind = models.CharField(
        _("类别"), max_length=20, choices=NotificationKind.choices, help_text=_("提醒类别。")
    )
    due_on = models.DateField(_("到期日"), null=True, blank=True, help_text=_("提醒时的到期日。"))
    created_at = models.DateTimeField(_("时间"), default=clock.now, help_text=_("提醒时间。"))
    read_at = models.DateTimeField(
        _("已读时间"), null=True, blank=True, help_text=_("阅读时间；未读为空。")
    )

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["recipient", "matter", "kind", "due_on"], name="notification_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.matter}"
