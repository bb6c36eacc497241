"""Records of the disputes domain beside its matters.

``RoutedPetition``: a petition the petition office assigned or forwarded (交办/转送) to a
handling organ. The office keeps reading it (``petitions/sight.py`` registers the reading
scope with the engine); the handling organ holds and acts on it.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import OrgUnit
from fazhi.procedures.models import Matter, Step


class RoutedPetition(models.Model):
    """The unit that routed a petition (its ``route`` step's unit) and keeps sight of it."""

    matter = models.ForeignKey(
        Matter,
        db_index=False,  # routed_petition_unique (matter, org) serves it
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("信访事项"),
        help_text=_("被转送或交办的信访事项。"),
    )
    org = models.ForeignKey(
        OrgUnit,
        db_index=False,  # routed_petition_org (org, matter) serves the reading scope
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("转送、交办单位"),
        help_text=_("办理转送、交办的信访工作机构；此后仍可查阅该事项，但不能办理。"),
    )
    routed_on = models.DateField(_("转送、交办日期"), help_text=_("route 步骤的生效日期。"))
    step = models.ForeignKey(
        Step,
        db_index=False,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("步骤"),
        help_text=_("转送或交办的步骤（route）。"),
    )

    class Meta:
        verbose_name = _("转送交办的信访事项")
        verbose_name_plural = _("转送交办的信访事项")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["matter", "org"], name="routed_petition_unique"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["org", "matter"], name="routed_petition_org"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} 转送交办自 {self.org_id}"
