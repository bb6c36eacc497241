"""The sample domain's models (test only): a register of service items with a legal and a
committed time limit, declared as one model and one call (fazhi.core.registers)."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.core.registers import RegisterEntry, register_register


class SampleServiceItem(RegisterEntry):
    """A service item (政务服务事项) with its legal and committed time limits, in working days."""

    class Category(models.TextChoices):
        PERMIT = "permit", "行政许可"
        PUBLIC = "public", "公共服务"

    name = models.CharField("事项名称", max_length=100, help_text="政务服务事项的名称。")
    category = models.CharField(
        "事项类型", max_length=20, choices=Category.choices, help_text="事项的类型。"
    )
    legal_days = models.PositiveIntegerField("法定时限（工作日）", help_text="法律规定的办理时限。")
    committed_days = models.PositiveIntegerField(
        "承诺时限（工作日）", help_text="本单位承诺的办理时限，不超过法定时限。"
    )
    online = models.BooleanField("可网办", default=False, help_text="是否可以全程网上办理。")

    class Meta(RegisterEntry.Meta):
        verbose_name = "示例政务服务事项"
        verbose_name_plural = "示例政务服务事项"
        ordering: ClassVar[list[str]] = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.committed_days is not None
            and self.legal_days is not None
            and self.committed_days > self.legal_days
        ):
            raise ValidationError({"committed_days": "承诺时限不能超过法定时限。"})


register_register(
    SampleServiceItem,
    fields=("name", "category", "legal_days", "committed_days", "online"),
    nav="示例",
)
