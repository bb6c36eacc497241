"""The indicator tally: counts of matters by state, kept so that no figure scans the matters.

``StateTally`` holds, per cohort (year received), procedure, unit, state and rating, the net
change of the number of matters on a day and in a month — a matter's step opens a period in
its new state (one more in that state on the step's date) and closes the previous one (one
fewer in the previous state) — and the matters received on a day and in a month. "How many
were in state S as of a cut-off" (spec/indicators.md) is then the sum of the monthly rows
before the cut-off's month and the daily rows of that month up to it: a few thousand rows,
whatever the number of matters. Every matter counts for the unit that handles it now: a
transfer moves its whole history.

Rows are changed by the receivers of ``fazhi.procedures.signals`` in the transaction that
writes the steps (``fazhi.indicators.rollup``), rebuilt from the Matter and Step tables by
``fazhi indicators rebuild`` and checked against them by ``fazhi indicators verify``. The base
tables remain the truth; drill-down lists read them directly.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import OrgUnit


class StateTally(models.Model):
    """Net change of the number of a cohort's matters in a state, on a day or in a month."""

    class Grain(models.TextChoices):
        DAY = "day", _("状态（日）")
        MONTH = "month", _("状态（月）")
        RECEIVED_DAY = "received_day", _("收到（日）")
        RECEIVED_MONTH = "received_month", _("收到（月）")

    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("事项收到的年度（统计口径）。"))
    grain = models.CharField(
        _("粒度"),
        max_length=16,
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


class SourceTally(models.Model):
    """Net change of a conditional source's value (spec/indicators.md's conditions on details,
    steps, clocks …: ``registry.Matters``, ``Steps``, ``Timely``) for a cohort year and unit,
    on a day or in a month — like ``StateTally`` for the states.

    A matter's part in a source is a step function of the cut-off: it changes only on its
    steps' dates and its clocks' dates (start, answer, the day after the due date). So each
    source keeps the net changes, and the value as of a cut-off is the sum of the monthly rows
    before its month and the daily rows of that month up to it. ``n`` is a count, or for a sum
    of an amount (``Matters.total``) the amount in cents. ``source`` is the digest of the
    source's declaration (``fazhi.indicators.sources.keys``): a changed declaration is a new
    source, read from the base tables until ``fazhi indicators rebuild`` builds it
    (``SourceBuild``).
    """

    class Grain(models.TextChoices):
        DAY = "day", _("日")
        MONTH = "month", _("月")

    source = models.CharField(_("来源"), max_length=16)
    year = models.PositiveSmallIntegerField(_("年度"))
    grain = models.CharField(_("粒度"), max_length=8, choices=Grain.choices)
    on = models.DateField(_("日期"))
    org = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # served by the unique index
        verbose_name=_("承办机构"),
    )
    n = models.BigIntegerField(_("净变化"), default=0)

    class Meta:
        verbose_name = _("条件指标计数")
        verbose_name_plural = _("条件指标计数")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["year", "grain", "source", "on", "org"], name="sourcetally_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.grain} {self.source} {self.on} {self.n:+d}"


class SourceBuild(models.Model):
    """A conditional source whose ``SourceTally`` rows were built from the base tables: the
    engine reads its value from the tally from then on (the write path keeps it)."""

    source = models.CharField(_("来源"), max_length=16, primary_key=True)
    description = models.TextField(_("声明"))
    built_at = models.DateTimeField(_("建立时间"))

    class Meta:
        verbose_name = _("已建立的条件指标计数")
        verbose_name_plural = _("已建立的条件指标计数")

    def __str__(self) -> str:
        return self.source
