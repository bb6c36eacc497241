"""Activities: counted events that are not cases (trainings, inspection rounds …)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.scope import AnyUser, scope_queryset


class ActivityQuerySet(models.QuerySet["Activity"]):
    def for_user(self, user: AnyUser | None) -> ActivityQuerySet:
        """Activities the user may see: the whole platform or the user's org subtree."""
        return scope_queryset(self, user)

    def in_year(self, year: int) -> ActivityQuerySet:
        """Activities held in ``year`` (indicators count them by their own date)."""
        return self.filter(on__gte=dt.date(year, 1, 1), on__lte=dt.date(year, 12, 31))

    def of(self, *kinds: str) -> ActivityQuerySet:
        return self.filter(kind__in=kinds)


class Activity(models.Model):
    """A counted event that is not a case: a training, an inspection round, a screening round.

    ``figures`` holds the numbers its kind declares (attendees, person-times, units inspected,
    hazards found, …), validated against the declaration (fazhi.procedures.activities).
    """

    kind = models.CharField(
        _("类别"), max_length=40, help_text=_("活动类别代码，如 safety_training。")
    )
    on = models.DateField(_("日期"), help_text=_("活动日期（多日活动为开始日期）。"))
    org = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("组织机构"),
        help_text=_("组织开展的机构。"),
    )
    title = models.CharField(_("名称"), max_length=300, help_text=_("活动名称。"))
    figures = models.JSONField(
        _("数据"), default=dict, blank=True, help_text=_("该类别声明的统计数字。")
    )
    note = models.TextField(_("说明"), blank=True, help_text=_("补充说明。"))
    reference = models.CharField(
        _("编号"),
        max_length=64,
        blank=True,
        help_text=_("外部编号（导入时用于去重）；同一类别内唯一，可为空。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记人"),
        help_text=_("登记的工作人员。"),
    )
    created_at = models.DateTimeField(_("登记时间"), default=clock.now, help_text=_("登记时间。"))

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["kind", "on"], name="activity_kind_on"),
            models.Index(fields=["org", "kind", "on"], name="activity_org_kind_on"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["kind", "reference"],
                name="activity_unique_reference",
                condition=~Q(reference=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.title}"
