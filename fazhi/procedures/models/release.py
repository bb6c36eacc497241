"""PublicRelease: staff's decision whether a matter may be read by the public (#19 defect 1).

Nothing a citizen submits is public by itself: it is public when the submitter agreed
(``details.consent_publish``, asked on every public form) and staff released it here, after a
preview of the masked texts. A release covers the steps recorded up to ``through_seq``: a
reply written later is not public until staff release again. Publication is a field of its
own, apart from the state and the outcome (STYLE.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core import clock
from fazhi.procedures.models.matter import Matter


class ReleaseDecision(models.TextChoices):
    RELEASED = "released", _("公开")
    WITHHELD = "withheld", _("不公开")


class PublicRelease(models.Model):
    """The latest release decision of one matter (each decision is also an audit event)."""

    matter = models.OneToOneField(
        Matter,
        on_delete=models.CASCADE,
        related_name="public_release",
        verbose_name=_("事项"),
        help_text=_("审核公开的事项。"),
    )
    decision = models.CharField(
        _("决定"),
        max_length=20,
        choices=ReleaseDecision.choices,
        help_text=_("公开或不公开。"),
    )
    through_seq = models.PositiveIntegerField(
        _("覆盖至步骤"),
        default=1,
        help_text=_("公开覆盖的最后一个步骤序号；此后的答复须再次审核才公开。"),
    )
    hidden_words = models.JSONField(
        _("另需隐去的文字"),
        default=list,
        blank=True,
        help_text=_("审核时决定另行隐去的文字（如病情、第三人姓名），公开时替换为**。"),
    )
    reason = models.CharField(
        _("理由"), max_length=500, blank=True, help_text=_("不公开的理由或审核说明。")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
        help_text=_("作出决定的工作人员。"),
    )
    decided_at = models.DateTimeField(_("审核时间"), default=clock.now, help_text=_("决定时间。"))

    class Meta:
        verbose_name = _("公开审核")
        verbose_name_plural = _("公开审核")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.decision}@{self.through_seq}"

    @property
    def is_released(self) -> bool:
        return self.decision == ReleaseDecision.RELEASED
