"""Calendar overrides: the years after the shipped file, and local rest days.

Rows here override the shipped State Council arrangements day by day (``Calendar.default()``).
A year counts as published ("covered") once it has a ``CalendarYear`` row, normally created by
``fazhi calendar import`` from the notice file.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.workdays.calendar import DayKind


class CalendarYear(models.Model):
    """A year whose holiday arrangements are loaded in the database (a published notice)."""

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True, help_text=_("放假安排所针对的年份，如 2027。")
    )
    notice = models.CharField(
        _("通知名称"),
        max_length=200,
        help_text=_("国务院办公厅通知的标题，如“国务院办公厅关于2027年部分节假日安排的通知”。"),
    )
    number = models.CharField(
        _("文号"), max_length=100, blank=True, help_text=_("通知文号，如“国办发明电〔2026〕1号”。")
    )
    published_on = models.DateField(
        _("发布日期"), null=True, blank=True, help_text=_("通知的成文或发布日期。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, help_text=_("导入时间。"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, help_text=_("最近修改时间。"))

    class Meta:
        ordering = ("year",)
        verbose_name = _("已发布年度")
        verbose_name_plural = _("已发布年度")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(year__gte=1990, year__lte=2079), name="workdays_year_in_range"
            ),
        )

    def __str__(self) -> str:
        return f"{self.year}年：{self.notice}"


class CalendarDay(models.Model):
    """One day that differs from an ordinary week, overriding the shipped calendar."""

    class Kind(models.TextChoices):
        HOLIDAY = DayKind.HOLIDAY.value, _("法定节假日")
        REST = DayKind.REST.value, _("调休放假")
        WORKDAY = DayKind.WORKDAY.value, _("调休上班")
        LOCAL_REST_DAY = DayKind.LOCAL_REST_DAY.value, _("地方休息日")

    on = models.DateField(
        _("日期"), unique=True, help_text=_("该日期的安排覆盖随软件发布的国务院放假安排。")
    )
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=Kind.choices,
        help_text=_(
            "法定节假日、调休放假（工作日放假）、调休上班（周六或周日上班）、"
            "地方休息日（民族节日、地方决定）。"
        ),
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("节日或事由，如“国庆节”。"))
    source = models.CharField(
        _("依据"),
        max_length=300,
        help_text=_("该安排所依据的通知或决定（标题及文号）。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, help_text=_("录入时间。"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, help_text=_("最近修改时间。"))

    class Meta:
        ordering = ("on",)
        verbose_name = _("日历调整")
        verbose_name_plural = _("日历调整")

    def __str__(self) -> str:
        return f"{self.on.isoformat()} {self.get_kind_display()} {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == self.Kind.WORKDAY
