"""The heads of Party and government organs in office (党政主要负责人), a register: each entry
is one person's term in one post (valid from taking office to leaving it)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core.registers import RegisterEntry, register_register

ORGAN_KINDS = (
    ("party", "党委（党组、党工委）"),
    ("government", "政府"),
    ("department", "政府工作部门"),
)


class Head(RegisterEntry):
    """A principal head of a Party or government organ, for the term in office."""

    name = models.CharField(_("姓名"), max_length=40, help_text=_("负责人姓名。"))
    post = models.CharField(_("职务"), max_length=100, help_text=_("如区委书记、区长、局长。"))
    organ = models.CharField(
        _("所在机关"), max_length=200, help_text=_("任职的党政机关全称（党的机关可不在机构树中）。")
    )
    organ_kind = models.CharField(
        _("机关类别"), max_length=20, choices=ORGAN_KINDS, help_text=_("党委、政府或政府工作部门。")
    )

    class Meta(RegisterEntry.Meta):
        verbose_name = _("党政主要负责人")
        verbose_name_plural = _("党政主要负责人")

    def __str__(self) -> str:
        return f"{self.organ}{self.post} {self.name}"


register_register(Head, fields=("name", "post", "organ", "organ_kind"))
