"""Where new public submissions go (admin-edited reference data)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import OrgUnit


class IntakeRoute(models.Model):
    """Which org unit receives new public submissions of a procedure (portal, Open311, API)."""

    procedure = models.CharField(
        _("程序"),
        max_length=40,
        unique=True,
        help_text=_("接受公众提交的程序代码，如 help_request。"),
    )
    org = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("受理机构"),
        help_text=_("公众提交后首先承办的机构，由其受理、转办或交办。"),
    )

    class Meta:
        verbose_name = _("受理分派")
        verbose_name_plural = _("受理分派")

    def __str__(self) -> str:
        return f"{self.procedure} → {self.org}"
