"""Links between matters (MatterLink) and shared handling (MatterAssistant, 主办/会办).

A link is made by a step (an action whose declaration carries a ``Link``, or the ``register``
step of a procedure that links from a details key) or by an import that names the other
matter by its reference. The source is the matter whose step made the link; its link names the
target: a repeat petition (source) ``repeat_of`` the earlier one (target), a petition
``diverted_to`` the reconsideration it opened, a hazard ``generated_from`` its inspection, a
matter ``merged_into`` the one that absorbed it.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.procedures.models.matter import Matter, Step


class LinkKind(models.TextChoices):
    DIVERTED_TO = "diverted_to", _("导入法定途径")
    REPEAT_OF = "repeat_of", _("重复")
    GENERATED_FROM = "generated_from", _("由其发现")
    MERGED_INTO = "merged_into", _("并入")
    REVIEWED_BY = "reviewed_by", _("经法制审核")


# How each kind reads from either side: (on the source's page, on the target's page).
LINK_WORDING: dict[str, tuple[str, str]] = {
    LinkKind.DIVERTED_TO: ("导入至", "由此导入"),
    LinkKind.REPEAT_OF: ("重复反映，原事项", "重复反映本事项"),
    LinkKind.GENERATED_FROM: ("发现于", "由本事项发现"),
    LinkKind.MERGED_INTO: ("并入", "并入本事项"),
    LinkKind.REVIEWED_BY: ("法制审核", "审核的决定"),
}


class MatterLink(models.Model):
    """One matter's link to another (源事项 → 关联事项)."""

    source = models.ForeignKey(
        Matter,
        db_index=False,  # link_unique (source, target, kind) serves it
        on_delete=models.CASCADE,
        related_name="links_out",
        verbose_name=_("源事项"),
        help_text=_("其步骤建立了该关联的事项（如重复信访件、被导入的信访件）。"),
    )
    target = models.ForeignKey(
        Matter,
        db_index=False,  # link_target (target, kind, created_on) serves it
        on_delete=models.CASCADE,
        related_name="links_in",
        verbose_name=_("关联事项"),
        help_text=_("源事项所指向的事项（原信访件、导入后的新事项、发现隐患的检查）。"),
    )
    kind = models.CharField(
        _("关联类型"),
        max_length=20,
        choices=LinkKind.choices,
        help_text=_("diverted_to 导入、repeat_of 重复、generated_from 由…发现、merged_into 并入。"),
    )
    created_on = models.DateField(
        _("关联日期"), help_text=_("建立关联的步骤的生效日期（指标按截止日计算关联）。")
    )
    step = models.ForeignKey(
        Step,
        db_index=False,  # read through the link, never looked up by step
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("步骤"),
        help_text=_("建立关联的源事项步骤。"),
    )
    created_at = models.DateTimeField(
        _("记录时间"), default=clock.now, help_text=_("关联录入系统的时间。")
    )

    class Meta:
        verbose_name = _("事项关联")
        verbose_name_plural = _("事项关联")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="link_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="link_not_to_itself"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # "no repeat petition names it by as_of": links into a matter by kind and date
            models.Index(fields=["target", "kind", "created_on"], name="link_target"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"

    @property
    def kind_label(self) -> str:
        return str(LinkKind(self.kind).label)


class MatterAssistant(models.Model):
    """An assisting unit (会办/协办单位) of a matter; the matter's own ``org`` is the lead (主办).

    Assisting units read the matter and record their opinion (``opinion``); acting stays with
    the lead unit unless an action says otherwise (``Action.assisting``).
    """

    matter = models.ForeignKey(
        Matter,
        db_index=False,  # assistant_unique (matter, org) serves it
        on_delete=models.CASCADE,
        related_name="assistants",
        verbose_name=_("事项"),
        help_text=_("会办的事项。"),
    )
    org = models.ForeignKey(
        OrgUnit,
        db_index=False,  # assistant_org (org, matter) serves the reading scope
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("会办单位"),
        help_text=_("协助主办单位办理、提出会办意见的单位。"),
    )
    added_on = models.DateField(_("增加日期"), help_text=_("增加会办单位的步骤的生效日期。"))
    step = models.ForeignKey(
        Step,
        db_index=False,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("步骤"),
        help_text=_("增加会办单位的步骤（add_assistant）。"),
    )

    class Meta:
        verbose_name = _("会办单位")
        verbose_name_plural = _("会办单位")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["matter", "org"], name="assistant_unique"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["org", "matter"], name="assistant_org"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} 会办 {self.org_id}"
