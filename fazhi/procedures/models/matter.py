"""Matter (one case of one procedure), Step (append-only history), attachments, references.

One table for every procedure's matters, with indexed common columns, so that every
cross-procedure question (my queue, overdue, counts) is one indexed query (DESIGN.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.scope import AnyUser, scope_of, visible_org_ids
from fazhi.procedures.reading import reading_scopes
from fazhi.procedures.search import digits_of, phone_digits

if TYPE_CHECKING:
    from fazhi.procedures.declarations import Procedure


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("信件")
    WEB = "web", _("网站")
    MOBILE = "mobile", _("移动端")
    HOTLINE = "hotline", _("12345热线")
    API = "api", _("接口")
    IMPORT = "import", _("导入")
    VISIT = "visit", _("来访")
    LINKED = "linked", _("其他事项转入")  # opened by a diversion (MatterLink diverted_to)
    OTHER = "other", _("其他")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class MatterQuerySet(models.QuerySet["Matter"]):
    def for_user(self, user: AnyUser | None) -> MatterQuerySet:
        """Matters the user may see: the whole platform, or those of the user's org subtree,
        those a unit of that subtree assists (会办: ``MatterAssistant``) and those a domain
        lets it read (``procedures.reading``: e.g. the petitions its office routed)."""
        scope = scope_of(user)
        if not scope.is_staff_member:
            return self.none()
        if scope.all_orgs:
            return self
        ids = visible_org_ids(user) or []
        extra = reading_scopes()
        if not extra:
            return self.in_units(ids)
        read = self._units_q(ids)
        for matters_of in extra:
            read |= Q(pk__in=matters_of(ids))
        return self.filter(read)

    def in_units(self, org_ids: list[int]) -> MatterQuerySet:
        """Matters these units lead (``org``) or assist (``MatterAssistant``): a unit's own."""
        return self.filter(self._units_q(org_ids))

    @staticmethod
    def _units_q(org_ids: list[int]) -> Q:
        from fazhi.procedures.models.links import MatterAssistant  # imported here: a cycle

        assisted = MatterAssistant.objects.filter(org_id__in=org_ids).values("matter_id")
        return Q(org_id__in=org_ids) | Q(pk__in=assisted)

    def get_for_user(self, user: AnyUser | None, pk: int | str) -> Matter:
        """One matter the user may see (``for_user``); 404 for missing and forbidden alike."""
        try:
            return self.for_user(user).get(pk=pk)
        except (Matter.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc

    def for_org_subtree(self, org: OrgUnit) -> MatterQuerySet:
        """Matters of ``org`` and every unit below it."""
        return self.filter(org_id__in=org.subtree_ids())

    def open(self) -> MatterQuerySet:
        """Matters not closed (no ``closed_on``)."""
        return self.filter(closed_on__isnull=True)

    def closed(self) -> MatterQuerySet:
        return self.filter(closed_on__isnull=False)

    def overdue(self, on: dt.date | None = None) -> MatterQuerySet:
        """Open matters whose current due date is before ``on`` (default today)."""
        return self.open().filter(due_on__lt=on or clock.today())

    def of(self, *procedures: str) -> MatterQuerySet:
        return self.filter(procedure__in=procedures)

    def with_keys(self, keys: Iterable[tuple[str, str]]) -> Iterator[MatterQuerySet]:
        """The matters with these ``(procedure, reference)`` keys, as querysets of at most
        900 references each (under SQLite's old limit of 999 parameters)."""
        by_proc: dict[str, list[str]] = {}
        for proc, ref in keys:
            by_proc.setdefault(proc, []).append(ref)
        for proc, refs in by_proc.items():
            for start in range(0, len(refs), 900):
                yield self.filter(procedure=proc, reference__in=refs[start : start + 900])

    def received_in(self, year: int) -> MatterQuerySet:
        """The cohort of ``year`` (indicators.md: by received_on)."""
        return self.filter(
            received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31)
        )

    def public(self) -> MatterQuerySet:
        """Matters of procedures that are not confidential (never petitions)."""
        from fazhi.procedures.declarations import all_procedures

        return self.filter(procedure__in=[p.code for p in all_procedures() if not p.confidential])

    def filtered(
        self,
        *,
        today: dt.date,
        warn_until: dt.date | None = None,
        user: AnyUser | None = None,
        own_org: int | None = None,
        procedure: str | None = None,
        state: str | None = None,
        org: OrgUnit | None = None,
        status: str | None = None,
        due: str | None = None,
        received_from: dt.date | None = None,
        received_to: dt.date | None = None,
        q: str | None = None,
        who: str | None = None,
    ) -> MatterQuerySet:
        """The named list filters, the same for the workbench's queue and the API's list
        (docs/api.md, "Matter list filters"); each None or "" leaves the list alone.

        ``status`` open | closed | all; ``due`` warning (due by ``warn_until``) | overdue |
        not_overdue; ``org`` the unit and those below it; ``q`` the reference (exactly), the
        subject or the party's name (in part) or phone (its digits, however typed); ``who`` me
        (``user`` handles it) | unit (``own_org`` leads it) | unassigned.
        """
        qs = self
        if status == "open":
            qs = qs.open()
        elif status == "closed":
            qs = qs.closed()
        if due == "overdue":
            qs = qs.overdue(today)
        elif due == "warning":
            qs = qs.open().filter(due_on__gte=today, due_on__lte=warn_until or today)
        elif due == "not_overdue":
            qs = qs.filter(
                Q(closed_on__isnull=False) | Q(due_on__isnull=True) | Q(due_on__gte=today)
            )
        if procedure:
            qs = qs.of(procedure)
        if state:
            qs = qs.filter(state=state)
        if org is not None:
            below = OrgUnit.objects.filter(path__startswith=org.path).values("pk")
            qs = qs.filter(org_id__in=below)
        if received_from:
            qs = qs.filter(received_on__gte=received_from)
        if received_to:
            qs = qs.filter(received_on__lte=received_to)
        if who == "me" and user is not None:
            qs = qs.filter(handler_id=user.pk)
        elif who == "unit" and own_org is not None:
            qs = qs.filter(org_id=own_org)
        elif who == "unassigned":
            qs = qs.filter(handler__isnull=True)
        text = (q or "").strip()
        if text:
            found = (
                Q(reference__iexact=text)
                | Q(subject__icontains=text)
                | Q(party_name__icontains=text)
            )
            digits = phone_digits(text)
            if digits:
                qs = qs.alias(phone_digits=digits_of("party_phone"))
                found |= Q(phone_digits__contains=digits)
            qs = qs.filter(found)
        return qs


class Matter(models.Model):
    """One case of one procedure (一件事项)."""

    procedure = models.CharField(
        _("程序"),
        max_length=40,
        help_text=_("程序代码，如 reconsideration（见 spec/procedures.md）。"),
    )
    reference = models.CharField(
        _("编号"), max_length=64, help_text=_("事项编号（查询号），同一程序内唯一。")
    )
    verification_code = models.CharField(
        _("查询码"), max_length=12, help_text=_("公众查询进度时与编号一同输入的校验码。")
    )
    org = models.ForeignKey(
        OrgUnit,
        db_index=False,  # matter_org_cohort (org, procedure, received_on) serves it
        on_delete=models.PROTECT,
        related_name="matters",
        verbose_name=_("承办机构"),
        help_text=_("当前承办（主办）机构；决定谁能看到和办理。"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_matters",
        verbose_name=_("经办人"),
        help_text=_("承办机构中办理该事项的工作人员（“指派经办人”步骤设定）；未指派为空。"),
    )
    received_on = models.DateField(_("收到日期"), help_text=_("收到（登记）日期，即起算日。"))
    subject = models.CharField(_("事由"), max_length=300, help_text=_("事项的简要标题。"))
    channel = models.CharField(
        _("渠道"),
        max_length=20,
        choices=Channel.choices,
        default=Channel.WINDOW,
        help_text=_("事项进入的渠道。"),
    )
    party_name = models.CharField(
        _("当事人"), max_length=200, blank=True, help_text=_("申请人、投诉人或来信人；公开时脱敏。")
    )
    party_kind = models.CharField(
        _("当事人类别"),
        max_length=20,
        choices=PartyKind.choices,
        blank=True,
        help_text=_("自然人或法人、其他组织。"),
    )
    party_id_number = models.CharField(
        _("证件号码"),
        max_length=32,
        blank=True,
        help_text=_("自然人的居民身份证号码或组织的统一社会信用代码（已校验）；公开时脱敏。"),
    )
    party_phone = models.CharField(
        _("联系电话"), max_length=30, blank=True, help_text=_("当事人联系电话；公开时脱敏。")
    )
    party_address = models.CharField(
        _("联系地址"), max_length=300, blank=True, help_text=_("当事人地址；公开时只显示到区县。")
    )
    state = models.CharField(_("状态"), max_length=40, help_text=_("程序状态代码（见程序声明）。"))
    outcome = models.CharField(
        _("结果"), max_length=40, blank=True, help_text=_("办理结果代码，如复议决定的 upheld。")
    )
    due_on = models.DateField(
        _("到期日"),
        null=True,
        blank=True,
        help_text=_("正在计时的期限中最早的到期日；已办结、无期限或中止时为空。"),
    )
    due_rule = models.CharField(
        _("期限规则"), max_length=60, blank=True, help_text=_("产生到期日的期限规则代码。")
    )
    due_basis = models.CharField(
        _("期限依据"), max_length=300, blank=True, help_text=_("期限的长度、单位和法律依据。")
    )
    due_provisional = models.BooleanField(
        _("暂估"), default=False, help_text=_("到期日涉及尚未导入放假安排的年份，为暂估值。")
    )
    due_paused = models.BooleanField(
        _("中止中"), default=False, help_text=_("期限已中止、尚未恢复计算。")
    )
    closed_on = models.DateField(
        _("办结日期"), null=True, blank=True, help_text=_("进入办结状态的日期；未办结为空。")
    )
    satisfaction = models.CharField(
        _("满意度"),
        max_length=30,
        choices=Satisfaction.choices,
        blank=True,
        help_text=_("最近一次评价。"),
    )
    details = models.JSONField(
        _("详情"), default=dict, blank=True, help_text=_("程序声明的其他字段（已按声明校验）。")
    )
    warned_on = models.DateField(
        _("临期提醒日"),
        null=True,
        blank=True,
        help_text=_("进入临期（3个工作日内到期）并已提醒的日期；期限变更后清空。"),
    )
    overdue_on = models.DateField(
        _("逾期提醒日"),
        null=True,
        blank=True,
        help_text=_("进入逾期并已提醒的日期；期限变更后清空。"),
    )
    created_at = models.DateTimeField(
        _("创建时间"), default=clock.now, help_text=_("记录创建时间。")
    )
    updated_at = models.DateTimeField(
        _("更新时间"), default=clock.now, help_text=_("最近一次变更时间。")
    )

    objects = MatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["procedure", "reference"], name="matter_unique_reference"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # cohort counts per procedure and year (indicators)
            models.Index(fields=["procedure", "received_on", "state"], name="matter_cohort"),
            models.Index(fields=["org", "procedure", "received_on"], name="matter_org_cohort"),
            # my queue: open matters by due date, in scope
            models.Index(
                fields=["org", "due_on"],
                name="matter_open_org_due",
                condition=Q(closed_on__isnull=True),
            ),
            models.Index(
                fields=["due_on"], name="matter_open_due", condition=Q(closed_on__isnull=True)
            ),
            # the all-seeing queue filtered by procedure/state, in due order
            models.Index(
                fields=["procedure", "state", "due_on"],
                name="matter_open_proc_due",
                condition=Q(closed_on__isnull=True),
            ),
            # closed lists and date filters by received_on
            models.Index(fields=["received_on"], name="matter_received"),
            models.Index(fields=["reference"], name="matter_reference"),
            # assigned to me: my open matters by due date
            models.Index(
                fields=["handler", "due_on"],
                name="matter_open_handler_due",
                condition=Q(closed_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def declaration(self) -> Procedure:
        from fazhi.procedures.declarations import get_procedure

        return get_procedure(self.procedure)

    @property
    def party_phone_shown(self) -> str:
        """The phone as staff see it: masked where the procedure says so (``party_phone_masked``)."""
        if self.party_phone and self.declaration.party_phone_masked:
            from fazhi.core.pii import mask_mobile

            return mask_mobile(self.party_phone)
        return self.party_phone

    @property
    def procedure_label(self) -> str:
        return self.declaration.label

    @property
    def state_label(self) -> str:
        return self.declaration.state_label(self.state)

    @property
    def outcome_label(self) -> str:
        return self.declaration.outcome_label(self.outcome) if self.outcome else ""

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def due_words(self) -> str:
        """The running limit in words: its name, length and basis as configured now
        (``workdays.limit_words``), or the stored basis when the rule is no longer known."""
        from fazhi.workdays import UnknownLimitError, get_limit, limit_words

        if self.due_rule:
            try:
                return limit_words(get_limit(self.due_rule))
            except UnknownLimitError:
                pass
        return self.due_basis

    @cached_property
    def running_clocks(self) -> list[Any]:
        """The clocks running on the matter, in the order they started (one query; none for a
        procedure whose matters run one deadline at a time, which ``due_on`` shows)."""
        if not self.declaration.parallel_clocks:
            return []
        return list(self.clocks.filter(answered_on__isnull=True).order_by("seq"))

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return (
            self.due_on is not None
            and self.closed_on is None
            and self.due_on < (on or clock.today())
        )


class Step(models.Model):
    """One action on a matter. Append-only: a correction is a new step, never an edit."""

    matter = models.ForeignKey(
        Matter,
        db_index=False,  # step_unique_seq (matter, seq) serves every look-up by matter
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("事项"),
        help_text=_("所属事项。"),
    )
    seq = models.PositiveIntegerField(_("序号"), help_text=_("事项内的步骤序号，从1（登记）开始。"))
    action = models.CharField(_("操作"), max_length=40, help_text=_("操作代码，如 accept。"))
    on = models.DateField(_("生效日期"), help_text=_("操作的法律效力日期（据以计算期限）。"))
    mailed_on = models.DateField(
        _("交邮日期"),
        null=True,
        blank=True,
        help_text=_("以邮寄方式提交时的交邮日期（在途期间不计入）。"),
    )
    occurred_at = models.DateTimeField(
        _("发生时刻"),
        null=True,
        blank=True,
        help_text=_("操作发生的时刻（按小时计算的期限据此计算）；只知日期时为空。"),
    )
    at = models.DateTimeField(_("记录时间"), default=clock.now, help_text=_("录入系统的时间。"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        db_index=False,  # the partial index step_actor (imported steps have no actor)
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("操作的工作人员；公众或系统操作时为空。"),
    )
    actor_label = models.CharField(
        _("操作人名称"), max_length=120, help_text=_("操作人当时的名称，或“公众”“系统”“导入”。")
    )
    org = models.ForeignKey(
        OrgUnit,
        # no index: every read of steps goes by matter (step_unique_seq); only deleting an
        # org unit (which screens never do: units are deactivated) looks steps up by unit,
        # and an index would cost every import one more B-tree insert a step
        db_index=False,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作机构"),
        help_text=_("操作时事项的承办机构。"),
    )
    state_before = models.CharField(
        _("原状态"), max_length=40, blank=True, help_text=_("操作前状态。")
    )
    state_after = models.CharField(_("新状态"), max_length=40, help_text=_("操作后状态。"))
    data = models.JSONField(
        _("数据"), default=dict, blank=True, help_text=_("操作携带的数据（已校验）。")
    )

    class Meta:
        verbose_name = _("步骤")
        verbose_name_plural = _("步骤")
        ordering: ClassVar[list[str]] = ["matter", "seq"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["matter", "seq"], name="step_unique_seq"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # who took which steps (PROTECT checks when a user is deleted); steps by the
            # system, the public or an import have no actor and stay out of it
            models.Index(fields=["actor"], name="step_actor", condition=Q(actor__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}#{self.seq} {self.action} {self.on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise StepHistoryError
        super().save(*args, **kwargs)

    @property
    def action_label(self) -> str:
        """The action's Chinese label (its code when the declaration no longer has it)."""
        from fazhi.procedures.declarations import get_procedure
        from fazhi.procedures.errors import ProcedureError

        try:
            return get_procedure(self.matter.procedure).action(self.action).label
        except ProcedureError:
            return self.action


class StepHistoryError(RuntimeError):
    def __init__(self) -> None:
        super().__init__("步骤记录不能修改；更正请登记新的步骤。")


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.matter_id}/{instance.sha256[:16]}-{filename}"


class Attachment(models.Model):
    """A file attached to a matter (and to the step that brought it)."""

    matter = models.ForeignKey(
        Matter,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("事项"),
        help_text=_("所属事项。"),
    )
    step = models.ForeignKey(
        Step,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("步骤"),
        help_text=_("带来该文件的步骤。"),
    )
    file = models.FileField(
        _("文件"), upload_to=attachment_path, max_length=300, help_text=_("文件。")
    )
    name = models.CharField(_("文件名"), max_length=200, help_text=_("上传时的文件名。"))
    size = models.PositiveBigIntegerField(_("大小"), help_text=_("字节数。"))
    content_type = models.CharField(
        _("类型"), max_length=100, help_text=_("文件类型（经内容识别）。")
    )
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, help_text=_("内容摘要，用于去重和防篡改。")
    )
    public = models.BooleanField(
        _("公开"), default=False, help_text=_("是否可在公众查询页显示（如公开答复的附件）。")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=clock.now, help_text=_("上传时间。"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class ReferenceCounter(models.Model):
    """The last number issued per prefix and year, for sequential tracking numbers."""

    prefix = models.CharField(_("前缀"), max_length=20, help_text=_("编号前缀。"))
    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("编号年度。"))
    last = models.PositiveIntegerField(_("最后编号"), default=0, help_text=_("已发出的最大序号。"))

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.year}: {self.last}"
