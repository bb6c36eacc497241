"""The safety domain's register: the enterprises a department supervises directly (直管企业).

A department's directly supervised enterprises must each be inspected in the year and the
inspection's result made public (直管企业检查率、公示率): ``fazhi.safety.direct`` computes both
from this register and the year's inspection rounds that name an enterprise.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core.pii import credit_code_error
from fazhi.core.registers import RegisterEntry, register_register


def _credit_code(value: str) -> None:
    from django.core.exceptions import ValidationError

    problem = credit_code_error(value)
    if problem:
        raise ValidationError(problem)


class DirectEnterprise(RegisterEntry):
    """A production unit under a department's direct safety supervision (直管企业)."""

    name = models.CharField(_("企业名称"), max_length=200, help_text=_("企业的登记名称。"))
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        validators=[_credit_code],
        help_text=_("18位统一社会信用代码；检查记录以此对应企业。"),
    )
    sector = models.CharField(
        _("行业"), max_length=60, blank=True, help_text=_("所属行业，如危险化学品、建筑施工。")
    )

    class Meta(RegisterEntry.Meta):
        verbose_name = _("直管企业")
        verbose_name_plural = _("直管企业")

    def __str__(self) -> str:
        return f"{self.name}（{self.credit_code}）"


register_register(DirectEnterprise, fields=("name", "credit_code", "sector"))
