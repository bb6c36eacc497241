"""The indicator rollup: one row per step of every matter, carrying the matter's state and
latest rating from that step's date until the next step's date.

"State as of a cut-off" (spec/indicators.md) is then a single-table filter
(``on <= as_of < until_on``) instead of a search for each matter's last step before the cut-off.
Rows are written by the receiver of ``fazhi.procedures.signals.step_recorded`` (same
transaction as the step) and rebuilt from Step rows after a bulk import (``matters_imported``)
or by ``fazhi indicators rebuild``; ``fazhi indicators verify`` checks them against the base
tables. The base tables remain the truth.

``StateTally`` aggregates the rollup once more, for the dashboard and the report: per cohort
(year received), procedure, unit, state and rating, the net change of the number of matters on
a day and in a month (a period adds one on its first day and takes one away on its
``until_on``), and the matters received on a day and in a month. A count as of a cut-off is then the sum of
the monthly rows before the cut-off's month and the daily rows of that month up to it — a few
thousand rows whatever the number of matters. Maintained with the rollup, in the same
transaction; ``fazhi indicators verify`` checks it against MatterPeriod.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import OrgUnit
from fazhi.procedures.models import Matter


class MatterPeriod(models.Model):
    """A matter's state and latest rating from one of its steps until the next one."""

    matter = models.ForeignKey(
        Matter,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # served by the unique (matter, seq) index
        verbose_name=_("事项"),
        help_text=_("所属事项。"),
    )
    seq = models.PositiveIntegerField(_("步骤序号"), help_text=_("开始本时段的步骤序号。"))
    procedure = models.CharField(
        _("程序"), max_length=40, help_text=_("事项的程序代码（冗余，便于分组统计）。")
    )
    org = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # an org index would lure the planner away from the cohort index
        verbose_name=_("承办机构"),
        help_text=_("事项当前的承办机构（转办后随事项更新）。"),
    )
    received_on = models.DateField(_("收到日期"), help_text=_("事项的收到日期（年度归属）。"))
    on = models.DateField(_("起始日期"), help_text=_("开始本时段的步骤的生效日期。"))
    until_on = models.DateField(
        _("截止日期"),
        null=True,
        blank=True,
        help_text=_("下一步骤的生效日期（不含）；最新时段为空。"),
    )
    state = models.CharField(_("状态"), max_length=40, help_text=_("本时段内事项的状态。"))
    satisfaction = models.CharField(
        _("满意度"), max_length=30, blank=True, help_text=_("本时段内事项最近一次的评价。")
    )

    class Meta:
        verbose_name = _("指标时段")
        verbose_name_plural = _("指标时段")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["matter", "seq"], name="matterperiod_unique_seq"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # the cohort scan: covering (counts and drill-down never read the table)
            models.Index(
                fields=[
                    "received_on",
                    "procedure",
                    "org",
                    "on",
                    "until_on",
                    "state",
                    "satisfaction",
                    "matter",
                ],
                name="matterperiod_cohort_v2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}#{self.seq} {self.state} {self.on}–{self.until_on or ''}"


class StateTally(models.Model):
    """Net change of the number of a cohort's matters in a state, on a day or in a month."""

    class Grain(models.TextChoices):
        DAY = "d", _("状态（日）")
        MONTH = "m", _("状态（月）")
        RECEIVED_DAY = "rd", _("收到（日）")
        RECEIVED_MONTH = "rm", _("收到（月）")

    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("事项收到的年度（统计口径）。"))
    grain = models.CharField(
        _("粒度"),
        max_length=2,
        choices=Grain.choices,
        help_text=_("状态：当日或当月（日期为月初）的净变化；收到：当日或当月收到的件数。"),
    )
    procedure = models.CharField(_("程序"), max_length=40)
    on = models.DateField(_("日期"), help_text=_("变化发生的日期；按月的为当月1日。"))
    org = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # served by the unique index (the planner reads it by year and grain)
        verbose_name=_("承办机构"),
    )
    state = models.CharField(_("状态"), max_length=40, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=30, blank=True)
    n = models.IntegerField(_("净变化"), default=0)

    class Meta:
        verbose_name = _("指标计数")
        verbose_name_plural = _("指标计数")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["year", "grain", "procedure", "on", "org", "state", "satisfaction"],
                name="statetally_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.grain} {self.procedure} {self.on} {self.state} {self.n:+d}"
