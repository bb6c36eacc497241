"""Clock: one run of a time limit on a matter (DESIGN.md, "Clocks").

A matter may run several limits at once (a reconsideration's copy to the respondent, the
respondent's reply and the decision); each run is a row, written by ``act()`` and by the
bulk import from the same pure function (``procedures.clocks.clocks_of``). A clock answered
records the step that answered it, the date and whether it was in time, so every timely rate
is a count (spec/indicators.md, "Timely rates").
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fazhi.procedures.models.matter import Matter


class ClockQuerySet(models.QuerySet["Clock"]):
    def running(self) -> ClockQuerySet:
        """Clocks not answered yet (paused ones included)."""
        return self.filter(answered_on__isnull=True)

    def of_limit(self, *codes: str) -> ClockQuerySet:
        return self.filter(limit__in=codes)


class Clock(models.Model):
    """One run of a time limit on a matter (计时)."""

    matter = models.ForeignKey(
        Matter,
        db_index=False,  # clock_unique_seq (matter, seq) serves every look-up by matter
        on_delete=models.CASCADE,
        related_name="clocks",
        verbose_name=_("事项"),
        help_text=_("所属事项。"),
    )
    seq = models.PositiveSmallIntegerField(
        _("序号"), help_text=_("事项内的计时序号，按起算先后从1开始。")
    )
    limit = models.CharField(
        _("期限规则"), max_length=60, help_text=_("期限规则代码，如 reconsideration.decide。")
    )
    label = models.CharField(_("名称"), max_length=100, help_text=_("该期限在程序中的名称。"))
    minimum = models.BooleanField(
        _("最短期间"),
        default=False,
        help_text=_("最短期间（不早于到期日结束，如征求意见期），而非最迟期限。"),
    )
    started_on = models.DateField(_("起算日"), help_text=_("起算的步骤日期（当日不计入）。"))
    started_at = models.DateTimeField(
        _("起算时刻"), null=True, blank=True, help_text=_("按小时计算的期限的起算时刻。")
    )
    due_on = models.DateField(
        _("到期日"), null=True, blank=True, help_text=_("到期日；中止且未恢复时为空。")
    )
    due_at = models.DateTimeField(
        _("到期时刻"), null=True, blank=True, help_text=_("按小时计算的期限的到期时刻。")
    )
    basis = models.CharField(
        _("期限依据"), max_length=300, blank=True, help_text=_("期限的长度、单位和法律依据。")
    )
    provisional = models.BooleanField(
        _("暂估"), default=False, help_text=_("到期日涉及尚未导入放假安排的年份，为暂估值。")
    )
    paused = models.BooleanField(_("中止中"), default=False, help_text=_("计时已中止、尚未恢复。"))
    answered_on = models.DateField(
        _("应答日期"), null=True, blank=True, help_text=_("结束该计时的步骤日期；未结束为空。")
    )
    answered_at = models.DateTimeField(
        _("应答时刻"), null=True, blank=True, help_text=_("结束该计时的步骤时刻（已知时）。")
    )
    answered_action = models.CharField(
        _("应答操作"), max_length=40, blank=True, help_text=_("结束该计时的操作代码。")
    )
    in_time = models.BooleanField(
        _("按时"), null=True, blank=True, help_text=_("是否在期限内结束；未结束为空。")
    )

    objects = ClockQuerySet.as_manager()

    # A clock's values (all but its matter and id), in one order: the import's staged rows,
    # the sweep's comparison of stored and recomputed clocks and the API's fields read it.
    VALUES: ClassVar[tuple[str, ...]] = (
        "seq",
        "limit",
        "label",
        "minimum",
        "started_on",
        "started_at",
        "due_on",
        "due_at",
        "basis",
        "provisional",
        "paused",
        "answered_on",
        "answered_at",
        "answered_action",
        "in_time",
    )

    class Meta:
        verbose_name = _("计时")
        verbose_name_plural = _("计时")
        ordering: ClassVar[list[str]] = ["matter", "seq"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["matter", "seq"], name="clock_unique_seq"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # timely rates: the clocks of a limit (indicators' clock family)
            models.Index(fields=["limit", "started_on"], name="clock_limit_started"),
            # open clocks by due date (the workbench, reminders by clock)
            models.Index(
                fields=["due_on"], name="clock_open_due", condition=Q(answered_on__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}#{self.seq} {self.limit}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None
