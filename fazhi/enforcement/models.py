"""The enforcement domain's registers: what each organ may enforce (its powers, 权责清单) and
who may enforce it (officers and their certificates, 执法证件). Each is one model and one call
(fazhi.core.registers); validity from/to is the power's or the certificate's period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from fazhi.core.registers import RegisterEntry, RegisterQuerySet, register_register
from fazhi.enforcement.types import ACTION_TYPES, LENIENCY_LISTS


class EnforcementPower(RegisterEntry):
    """An enforcement power of an organ (行政执法事项): its kind and its legal basis."""

    name = models.CharField("执法事项", max_length=200, help_text="权责清单中的事项名称。")
    action_type = models.CharField(
        "执法类别", max_length=20, choices=ACTION_TYPES, help_text="许可、处罚、强制、检查等。"
    )
    legal_basis = models.CharField(
        "法律依据", max_length=500, help_text="设定该事项的法律、法规、规章条款。"
    )

    class Meta(RegisterEntry.Meta):
        verbose_name = "行政执法事项"
        verbose_name_plural = "行政执法事项（权责清单）"
        ordering: ClassVar[list[str]] = ["org", "action_type", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class OfficerQuerySet(RegisterQuerySet):
    def expiring(self, today: dt.date, days: int) -> OfficerQuerySet:
        """Certificates in force today that end within ``days`` days (the renewal alert)."""
        return self.valid_on(today).filter(  # type: ignore[return-value]
            valid_to__isnull=False, valid_to__lte=today + dt.timedelta(days=days)
        )


class EnforcementOfficer(RegisterEntry):
    """An enforcement officer's certificate (行政执法证): valid from issue to expiry.

    A renewed certificate is a new entry (a new number); the old one keeps its period, so a
    decision is checked against the certificate that was in force on its date.
    """

    name = models.CharField("姓名", max_length=40, help_text="执法人员姓名。")
    certificate_number = models.CharField(
        "执法证号",
        max_length=40,
        unique=True,
        help_text="行政执法证件编号，全区唯一。",
    )
    issuing_body = models.CharField(
        "发证机关", max_length=100, help_text="颁发执法证件的机关，如吉林省人民政府。"
    )
    exam_passed_on = models.DateField(
        "资格考试通过日期", null=True, blank=True, help_text="通过行政执法资格考试的日期。"
    )
    training_hours = models.PositiveIntegerField(
        "本年度培训学时", default=0, help_text="本年度参加法律知识培训的学时（不少于40学时）。"
    )

    objects: ClassVar[Any] = OfficerQuerySet.as_manager()

    class Meta(RegisterEntry.Meta):
        verbose_name = "行政执法人员"
        verbose_name_plural = "行政执法人员及证件"
        ordering: ClassVar[list[str]] = ["org", "name", "pk"]
        indexes: ClassVar[list[models.Index]] = [
            *RegisterEntry.Meta.indexes,
            models.Index(fields=["valid_to"], name="enf_officer_valid_to"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"

    def clean(self) -> None:
        # the number as printed, without spaces, letters in upper case (the check compares so)
        self.certificate_number = "".join(str(self.certificate_number or "").split()).upper()


register_register(EnforcementPower, fields=("name", "action_type", "legal_basis"), nav="行政执法")
register_register(
    EnforcementOfficer,
    fields=("name", "certificate_number", "issuing_body", "exam_passed_on", "training_hours"),
    nav="行政执法",
)


class ReviewItem(RegisterEntry):
    """One item of the case-file scoring sheet (案卷评查标准) and its points; the sheet in force
    on a round's date is the items valid then, of the reviewing office or a unit above it."""

    name = models.CharField("评查项目", max_length=100, help_text="如：主体合法、证据确凿。")
    points = models.PositiveIntegerField("分值", help_text="该项满分；各项分值之和一般为100。")
    standard = models.CharField(
        "评分标准", max_length=500, blank=True, help_text="扣分情形和依据。"
    )
    order = models.PositiveIntegerField("排序", default=0, help_text="在评分表中的次序。")

    class Meta(RegisterEntry.Meta):
        verbose_name = "案卷评查项目"
        verbose_name_plural = "案卷评查标准"
        ordering: ClassVar[list[str]] = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.points}分）"


register_register(ReviewItem, fields=("name", "points", "standard", "order"), nav="行政执法")


class CaseFileScore(models.Model):
    """The score of one decision's case file in one review round, item by item, with findings."""

    round = models.ForeignKey(
        "procedures.Activity",
        on_delete=models.PROTECT,
        related_name="case_file_scores",
        verbose_name="评查轮次",
    )
    matter = models.ForeignKey(
        "procedures.Matter",
        on_delete=models.PROTECT,
        related_name="case_file_scores",
        verbose_name="执法决定",
    )
    organ = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="执法机关"
    )
    scores = models.JSONField("各项得分", default=dict, help_text="评查项目编号 → 得分。")
    total = models.DecimalField("总分", max_digits=6, decimal_places=1)
    findings = models.TextField("发现的问题", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="评查人",
    )
    created_at = models.DateTimeField("评查时间")

    class Meta:
        verbose_name = verbose_name_plural = "案卷评查得分"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["round", "matter"], name="enf_score_once_per_round"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["round", "organ"], name="enf_score_round_organ"),
        ]

    def __str__(self) -> str:
        return f"{self.matter} {self.total}分"


class InspectionFiling(RegisterEntry):
    """行政检查执法备案: an inspection filed before it happens — who inspects whom, where, on what
    basis; valid from/to is the period the inspection may take place in."""

    number = models.CharField("备案编号", max_length=40, unique=True, help_text="备案登记的编号。")
    target = models.CharField(
        "检查对象", max_length=200, help_text="被检查的单位名称（或个人姓名）。"
    )
    target_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        help_text="被检查单位的统一社会信用代码；与执法决定的当事人据此对应。",
    )
    place = models.CharField("检查地点", max_length=200, help_text="实施检查的地点。")
    legal_basis = models.CharField("检查依据", max_length=500, help_text="实施检查的法律依据。")
    officers = models.CharField(
        "执法人员证号", max_length=200, help_text="实施检查的执法人员证号，以顿号分隔。"
    )
    filed_on = models.DateField("备案日期", help_text="向司法行政部门备案的日期，应早于检查。")

    class Meta(RegisterEntry.Meta):
        verbose_name = "行政检查备案"
        verbose_name_plural = "行政检查执法备案"
        ordering: ClassVar[list[str]] = ["-valid_from", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.target}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from fazhi.core.pii import credit_code_error, normalize_credit_code

        self.number = "".join(str(self.number or "").split()).upper()
        if self.target_code:
            self.target_code = normalize_credit_code(self.target_code)
            problem = credit_code_error(self.target_code)
            if problem:
                raise ValidationError({"target_code": problem})
        if self.filed_on and self.valid_from and self.filed_on > self.valid_from:
            raise ValidationError(
                {"filed_on": "备案日期不能晚于检查期间的开始日期：检查应先备案后实施。"}
            )


register_register(
    InspectionFiling,
    fields=(
        "number",
        "target",
        "target_code",
        "place",
        "legal_basis",
        "officers",
        "filed_on",
    ),
    nav="行政执法",
)


class LeniencyItem(RegisterEntry):
    """An item of the leniency lists (包容审慎监管: 首违不罚 and the four lists): a violation, the
    law, and the conditions under which it is not punished, punished less, or not coerced."""

    list_kind = models.CharField("清单", max_length=20, choices=LENIENCY_LISTS)
    violation = models.CharField(
        "违法行为代码",
        max_length=40,
        help_text="与执法决定的“违法行为代码”对应，如 SC-001。",
    )
    description = models.CharField("违法行为", max_length=300)
    law = models.CharField("依据", max_length=500, help_text="适用从宽的法律、法规、规章条款。")
    conditions = models.CharField(
        "适用条件", max_length=500, help_text="如：首次违法、危害后果轻微并及时改正。"
    )
    lookback_years = models.PositiveIntegerField(
        "首次违法的认定期间（年）",
        default=1,
        help_text="在此期间内没有因同一违法行为受到处罚的，视为首次违法（仅首违不罚清单）。",
    )

    class Meta(RegisterEntry.Meta):
        verbose_name = "从宽处罚清单事项"
        verbose_name_plural = "包容审慎监管清单（首违不罚与四张清单）"
        ordering: ClassVar[list[str]] = ["list_kind", "violation", "pk"]

    def __str__(self) -> str:
        return f"{self.get_list_kind_display()}：{self.description}"

    def clean(self) -> None:
        self.violation = "".join(str(self.violation or "").split()).upper()


register_register(
    LeniencyItem,
    fields=("list_kind", "violation", "description", "law", "conditions", "lookback_years"),
    nav="行政执法",
)


class StatisticsReport(models.Model):
    """The published annual enforcement statistics of a district (行政执法统计年报): the figures
    frozen when published, so the public page keeps what was issued."""

    org = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="发布机关"
    )
    year = models.PositiveIntegerField("年度")
    data = models.JSONField("统计数据")
    published_on = models.DateField("发布日期")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发布人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "行政执法统计年报"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "year"], name="enf_statistics_once_a_year"),
        ]
        ordering: ClassVar[list[str]] = ["-year", "org__path"]

    def __str__(self) -> str:
        return f"{self.org}{self.year}年度行政执法统计年报"


class MajorDecisionRule(RegisterEntry):
    """The catalog of major enforcement decisions (重大执法决定目录): a decision of this kind, of
    at least this amount or whose result names one of these words, needs the legal office's
    review (法制审核) before it is made."""

    action_type = models.CharField("执法类别", max_length=20, choices=ACTION_TYPES)
    description = models.CharField("情形", max_length=300, help_text="如：较大数额罚款。")
    min_amount = models.DecimalField(
        "金额不低于（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="罚没金额达到此数额的为重大执法决定；不按金额认定的留空。",
    )
    result_words = models.CharField(
        "决定结果含有",
        max_length=200,
        blank=True,
        help_text="决定结果中出现这些词语之一的为重大执法决定，以顿号分隔，如：吊销、责令停产停业。",
    )

    class Meta(RegisterEntry.Meta):
        verbose_name = "重大执法决定情形"
        verbose_name_plural = "重大执法决定目录"
        ordering: ClassVar[list[str]] = ["action_type", "pk"]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.min_amount is None and not (self.result_words or "").strip():
            raise ValidationError("请填写金额或决定结果的词语，以便认定重大执法决定。")


register_register(
    MajorDecisionRule,
    fields=("action_type", "description", "min_amount", "result_words"),
    nav="行政执法",
)


RECORD_KINDS: tuple[tuple[str, str], ...] = (
    ("written", "文字记录"),
    ("photo", "照片"),
    ("audio", "录音"),
    ("video", "录像"),
)
# months a record is kept unless the case file keeps it longer (a local rule, configurable by
# FAZHI_ENFORCEMENT_RETENTION_MONTHS): the case file's papers long, recordings half a year
DEFAULT_RETENTION_MONTHS = {"written": 360, "photo": 360, "audio": 6, "video": 6}


class RequiredRecord(RegisterEntry):
    """What the case file of a kind of decision must hold (执法全过程记录): a document and the
    form it is recorded in, e.g. a penalty needs 现场检查笔录 (written) and 执法记录仪录像 (video)."""

    action_type = models.CharField("执法类别", max_length=20, choices=ACTION_TYPES)
    document = models.CharField("记录名称", max_length=100, help_text="如：现场检查笔录。")
    kind = models.CharField("记录形式", max_length=10, choices=RECORD_KINDS)

    class Meta(RegisterEntry.Meta):
        verbose_name = "应有的执法记录"
        verbose_name_plural = "执法全过程记录清单"
        ordering: ClassVar[list[str]] = ["action_type", "pk"]

    def __str__(self) -> str:
        return self.document


register_register(RequiredRecord, fields=("action_type", "document", "kind"), nav="行政执法")


class CaseRecord(models.Model):
    """One record of a case's whole process: a written record or photo (an attachment), or an
    audio or video recording (an attachment, or a reference to the recorder's storage, with its
    length), with the period it is kept."""

    matter = models.ForeignKey(
        "procedures.Matter",
        on_delete=models.CASCADE,
        related_name="case_records",
        verbose_name="执法决定",
    )
    document = models.CharField("记录名称", max_length=100)
    kind = models.CharField("记录形式", max_length=10, choices=RECORD_KINDS)
    attachment = models.OneToOneField(
        "procedures.Attachment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_record",
        verbose_name="附件",
    )
    storage_ref = models.CharField(
        "存储编号", max_length=100, blank=True, help_text="执法记录仪或音视频存储系统中的编号。"
    )
    duration_seconds = models.PositiveIntegerField("时长（秒）", null=True, blank=True)
    recorded_on = models.DateField("记录日期")
    retention_months = models.PositiveIntegerField("保存期限（月）")
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = verbose_name_plural = "执法全过程记录"
        ordering: ClassVar[list[str]] = ["recorded_on", "pk"]

    def __str__(self) -> str:
        return self.document


class DisclosureEntry(models.Model):
    """One decision on the public disclosure list, as the public may read it (the search index
    of 行政执法公示, ``fazhi.enforcement.search``): only what is public and already masked — an
    organisation's name and credit code, a natural person's surname, never a minor (no entry).
    Written when a decision is published, withdrawn or expires (and by an import); the full
    text indexes over ``search_text`` (SQLite FTS5 trigram, PostgreSQL pg_trgm) and ``bigrams``
    are made by migration 0008."""

    matter = models.OneToOneField(
        "procedures.Matter",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="disclosure_entry",
        verbose_name="执法决定",
    )
    organ = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="执法机关"
    )
    action_type = models.CharField(
        "执法类别", max_length=20, choices=ACTION_TYPES, help_text="许可、处罚、强制等。"
    )
    decided_on = models.DateField("决定日期", help_text="作出执法决定的日期。")
    published_on = models.DateField("公示日期", help_text="决定在本站公示的日期。")
    shown_until = models.DateField(
        "公示截止日期",
        help_text="公示期（自然人较短）届满之日，当日起不再公开；无期限的为9999-12-31。",
    )
    withdrawn = models.BooleanField(
        "已撤回", default=False, help_text="决定被变更、撤销而撤回公示的，只公开撤回原因。"
    )
    party = models.CharField(
        "当事人（公开）", max_length=200, help_text="组织的名称；自然人只保留姓氏。"
    )
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, help_text="组织的代码；自然人为空。"
    )
    decision_number = models.CharField("决定文号", max_length=100, help_text="已脱敏的决定文号。")
    search_text = models.TextField(
        "检索文本", help_text="公开可检索的文字：组织名称和决定文号（自然人只有决定文号）。"
    )
    bigrams = models.TextField(
        "二字词", blank=True, help_text="检索文本中相邻两个字的组合，以空格分隔（两字检索用）。"
    )

    class Meta:
        verbose_name = verbose_name_plural = "行政执法公示索引"
        # each list order ends with shown_until, so that the list's count (up to COUNT_CAP)
        # is read from the index alone, without a visit to each row
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["-decided_on", "-matter", "shown_until"], name="enf_disclosure_date_shown"
            ),
            models.Index(
                fields=["organ", "-decided_on", "-matter", "shown_until"],
                name="enf_disclosure_organ_shown",
            ),
            models.Index(
                fields=["action_type", "-decided_on", "-matter", "shown_until"],
                name="enf_disclosure_type_shown",
            ),
            models.Index(fields=["credit_code"], name="enf_disclosure_code"),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.decision_number}"
