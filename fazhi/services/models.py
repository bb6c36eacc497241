"""The registers of report part (一) (fazhi.core.registers): service items with their legal and
committed time limits, business-environment supervisors and their terms, the public
commitments, the service-hour arrangements, and the duty lists of townships and streets.

Each is one model and one ``register_register`` call; validity from/to is the item's, the
appointment's or the list version's period, so "as of the cut-off" is one indexed query. The
organ that handles a service item is the entry's ``org``. The record of a unit suggestion made
for an incoming matter (``UnitSuggestion``) is not a register: it belongs to the matter.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from fazhi.core.models import OrgKind, OrgUnit
from fazhi.core.registers import RegisterEntry, register_register

NAV = "政务服务"


class ServiceItem(RegisterEntry):
    """A government service item (政务服务事项) of an organ: its legal and committed limits."""

    class Category(models.TextChoices):
        PERMIT = "permit", "行政许可"
        CONFIRMATION = "confirmation", "行政确认"
        PAYMENT = "payment", "行政给付"
        PUBLIC = "public", "公共服务"
        OTHER = "other", "其他行政权力"

    code = models.CharField(
        "事项编码", max_length=40, blank=True, help_text="政务服务事项目录中的编码，可不填。"
    )
    name = models.CharField("事项名称", max_length=200, help_text="政务服务事项的名称。")
    category = models.CharField(
        "事项类型",
        max_length=20,
        choices=Category.choices,
        default=Category.PERMIT,
        help_text="行政许可、行政确认、行政给付、公共服务等。",
    )
    legal_days = models.PositiveIntegerField(
        "法定办结时限（工作日）", help_text="法律、法规规定的办结时限，至少1个工作日。"
    )
    committed_days = models.PositiveIntegerField(
        "承诺办结时限（工作日）",
        help_text="本机关向社会承诺的办结时限，不超过法定时限；即办件填0。",
    )
    legal_basis = models.CharField(
        "设定依据", max_length=500, blank=True, help_text="规定法定时限的法律、法规条款。"
    )

    class Meta(RegisterEntry.Meta):
        verbose_name = "政务服务事项"
        verbose_name_plural = "政务服务事项（法定与承诺时限）"
        ordering: ClassVar[list[str]] = ["org__path", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def compression(self) -> str:
        """How much of the legal limit the commitment saves, as the list shows it."""
        if not self.legal_days:
            return "—"
        saved = (self.legal_days - self.committed_days) * 100 / self.legal_days
        return f"{saved:.0f}%" if saved == int(saved) else f"{saved:.2f}%"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.legal_days is not None and self.legal_days < 1:
            errors["legal_days"] = "法定办结时限至少为1个工作日。"
        if (
            self.committed_days is not None
            and self.legal_days is not None
            and self.committed_days > self.legal_days
        ):
            errors["committed_days"] = "承诺时限不能超过法定时限。"
        if errors:
            raise ValidationError(errors)


class BusinessSupervisor(RegisterEntry):
    """A business-environment supervisor (营商环境监督员): the appointment's term is the entry's
    validity (聘期); a reappointment is a new entry."""

    name = models.CharField("姓名", max_length=40, help_text="监督员姓名。")
    workplace = models.CharField(
        "工作单位", max_length=200, blank=True, help_text="监督员所在单位或行业，如某商会。"
    )
    certificate_number = models.CharField(
        "聘书编号", max_length=40, blank=True, help_text="聘书或监督员证编号。"
    )

    class Meta(RegisterEntry.Meta):
        verbose_name = "营商环境监督员"
        verbose_name_plural = "营商环境监督员（聘期）"
        ordering: ClassVar[list[str]] = ["org__path", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class PublicCommitment(RegisterEntry):
    """A public commitment made on the business environment (公开承诺), by aspect."""

    class Aspect(models.TextChoices):
        POLICIES = "policies", "落实惠企政策"
        STREAMLINING = "streamlining", "深化简政放权"
        SERVICES = "services", "优化政务服务"
        ENFORCEMENT = "enforcement", "彰显执法温度"
        FILING = "filing", "深化执法备案改革"
        OTHER = "other", "其他"

    aspect = models.CharField(
        "承诺方面", max_length=20, choices=Aspect.choices, help_text="承诺所属的方面。"
    )
    content = models.TextField("承诺内容", max_length=2000, help_text="向社会公开承诺的内容。")
    published_on = models.DateField(
        "公开日期", null=True, blank=True, help_text="承诺向社会公开的日期。"
    )

    class Meta(RegisterEntry.Meta):
        verbose_name = verbose_name_plural = "营商环境公开承诺"
        ordering: ClassVar[list[str]] = ["org__path", "aspect", "pk"]

    def __str__(self) -> str:
        return f"{self.get_aspect_display()}：{self.content[:30]}"


class ServiceHours(RegisterEntry):
    """A service-hour arrangement of a hall or window (延时、错峰、午间不间断服务)."""

    class Arrangement(models.TextChoices):
        EXTENDED = "extended", "延时服务"
        OFF_PEAK = "off_peak", "错峰服务"
        NO_LUNCH_BREAK = "no_lunch_break", "午间不间断服务"
        WEEKEND = "weekend", "周末服务"

    arrangement = models.CharField(
        "服务方式", max_length=20, choices=Arrangement.choices, help_text="服务时间安排的方式。"
    )
    place = models.CharField(
        "服务场所或窗口", max_length=200, help_text="如：区政务服务中心综合窗口。"
    )
    hours = models.CharField("服务时间", max_length=200, help_text="如：工作日 17:00—19:00。")

    class Meta(RegisterEntry.Meta):
        verbose_name = verbose_name_plural = "服务时间安排"
        ordering: ClassVar[list[str]] = ["org__path", "arrangement", "pk"]

    def __str__(self) -> str:
        return f"{self.place}{self.get_arrangement_display()}（{self.hours}）"


class DutyListKind(models.TextChoices):
    BASIC = "basic", "基本履职事项"
    COOPERATIVE = "cooperative", "配合履职事项"
    TAKEN_BACK = "taken_back", "上级部门收回事项"


DUTY_UNIT_KINDS = frozenset({OrgKind.TOWNSHIP, OrgKind.STREET})


class DutyItem(RegisterEntry):
    """One item of a township's or street's duty lists (乡街履职事项清单).

    The entry's ``org`` is the township or street whose list it is; ``version`` names the list
    version it belongs to (e.g. "2024年版"), whose period is the entries' validity: a new
    version is published by ending the old entries and adding the new ones
    (``fazhi.services.duties.publish_version``), and one township's versions never overlap.
    ``responsible`` is the unit that answers for the matter: for a basic duty the township
    itself (or one of its internal bodies); for a cooperative duty the department that leads it,
    the township cooperating; for a duty taken back, the higher department that took it back.
    """

    kind = models.CharField(
        "清单类别",
        max_length=20,
        choices=DutyListKind.choices,
        help_text="基本履职事项清单、配合履职事项清单或上级部门收回事项清单。",
    )
    name = models.CharField("事项名称", max_length=200, help_text="清单中的履职事项名称。")
    content = models.TextField(
        "事项内容", max_length=4000, blank=True, help_text="履职的具体内容和情形。"
    )
    keywords = models.CharField(
        "关键词",
        max_length=500,
        blank=True,
        help_text="群众常用的说法，用顿号或空格分隔（如：楼道杂物、占道经营），用于推荐承办单位。",
    )
    responsible = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="责任单位",
        help_text="基本履职事项可不填（即本乡街）；配合履职事项填牵头部门；收回事项填收回的上级部门。",
    )
    version = models.CharField(
        "清单版本", max_length=40, help_text="事项所属的清单版本，如“2024年版”。"
    )
    legal_basis = models.CharField(
        "依据", max_length=500, blank=True, help_text="履职事项的法律法规或文件依据。"
    )

    @classmethod
    def entries(cls) -> Any:
        """``objects``, typed for this model (the base's manager is typed for RegisterEntry)."""
        return cls.objects

    class Meta(RegisterEntry.Meta):
        verbose_name = "乡街履职事项"
        verbose_name_plural = "乡街履职事项清单"
        ordering: ClassVar[list[str]] = ["org__path", "kind", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def responsible_unit(self) -> OrgUnit:
        """The unit that answers for a matter of this duty (the township for a basic one)."""
        return self.responsible or self.org

    def clean(self) -> None:
        errors: dict[str, str] = {}
        org = self.org if self.org_id is not None else None
        if org is not None and org.kind not in DUTY_UNIT_KINDS:
            errors["org"] = "履职事项清单只能登记在乡（镇）或街道名下。"
        responsible = self.responsible if self.responsible_id is not None else None
        inside = (
            responsible is not None and org is not None and responsible.path.startswith(org.path)
        )
        if self.kind in (DutyListKind.COOPERATIVE, DutyListKind.TAKEN_BACK):
            if responsible is None:
                errors["responsible"] = "配合履职事项和上级部门收回事项须填写责任部门。"
            elif inside:
                errors["responsible"] = "责任部门应为本乡街以外的上级部门。"
        elif responsible is not None and org is not None and not inside:
            errors["responsible"] = "基本履职事项的责任单位应为本乡街或其内设机构。"
        if org is not None and self.valid_from is not None and self.version:
            clash = self._overlapping_version(org)
            if clash is not None:
                errors["version"] = (
                    f"{org.name}的清单“{clash.version}”（{clash.valid_from:%Y-%m-%d}起）"
                    "与本版本有效期重叠；请先为旧版本填写有效期止。"
                )
        if errors:
            raise ValidationError(errors)

    def _overlapping_version(self, org: OrgUnit) -> DutyItem | None:
        """An entry of another version of the same township valid on some day of this one."""
        others = DutyItem.entries().filter(org=org).exclude(version=self.version)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        if self.valid_to is not None:
            others = others.filter(valid_from__lte=self.valid_to)
        others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        found: DutyItem | None = others.order_by("valid_from").first()
        return found


class UnitSuggestion(models.Model):
    """The units the duty lists suggested for one incoming matter, and the unit staff confirmed.

    ``suggested`` keeps the suggestion as shown (best first: unit id, name, score, reason), so
    the accuracy on confirmed matters is a count over these rows (``rank`` is the confirmed
    unit's place among the suggestions, 1–3, or empty when staff chose another unit).
    """

    matter = models.OneToOneField(
        "procedures.Matter",
        on_delete=models.CASCADE,
        related_name="unit_suggestion",
        verbose_name="事项",
    )
    suggested = models.JSONField(
        "推荐单位",
        default=list,
        help_text="推荐的承办单位（按得分从高到低）：编号、名称、得分、理由。",
    )
    made_at = models.DateTimeField("推荐时间", help_text="生成推荐的时间。")
    confirmed_org = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认的承办单位",
        help_text="工作人员确认或改定的承办单位。",
    )
    rank = models.PositiveSmallIntegerField(
        "命中名次", null=True, blank=True, help_text="确认的单位在推荐中的名次；不在推荐中为空。"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
        help_text="确认承办单位的工作人员。",
    )
    confirmed_at = models.DateTimeField(
        "确认时间", null=True, blank=True, help_text="确认承办单位的时间。"
    )

    class Meta:
        verbose_name = verbose_name_plural = "承办单位推荐"

    def __str__(self) -> str:
        return f"承办单位推荐（事项 {self.matter_id}）"


register_register(
    ServiceItem,
    fields=("code", "name", "category", "legal_days", "committed_days", "legal_basis"),
    nav=NAV,
)
register_register(BusinessSupervisor, fields=("name", "workplace", "certificate_number"), nav=NAV)
register_register(PublicCommitment, fields=("aspect", "content", "published_on"), nav=NAV)
register_register(ServiceHours, fields=("arrangement", "place", "hours"), nav=NAV)
register_register(
    DutyItem,
    fields=("kind", "name", "content", "keywords", "responsible", "version", "legal_basis"),
    nav="乡街履职事项清单",
)
