"""The annual report being drafted, its sections and their versions, and its issues.

A ``Report`` is one organ's report for one year. Each template section has a
``ReportSection`` holding its current text (prose with indicator placeholders); every save is
a ``SectionVersion`` (who, when, the whole text), so any two versions can be compared.
Issuing writes a ``ReportIssue``: the texts and the figures as issued with their as-of, so a
later change of records never alters an issued report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import OrgUnit


class ReportState(models.TextChoices):
    DRAFTING = "drafting", _("起草中")
    APPROVED = "approved", _("已审定")
    ISSUED = "issued", _("已印发")


class SectionState(models.TextChoices):
    OPEN = "open", _("未分配")
    ASSIGNED = "assigned", _("起草中")
    SUBMITTED = "submitted", _("已报送")
    APPROVED = "approved", _("已审定")


def default_sections_due(year: int) -> dt.date:
    """Departments' sections: 1 March of the following year (configurable per report)."""
    return dt.date(year + 1, 3, 1)


def default_publish_due(year: int) -> dt.date:
    """The public report: before 1 April of the following year, i.e. by 31 March."""
    return dt.date(year + 1, 3, 31)


class Report(models.Model):
    org = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("报告机关"),
        help_text=_("作出报告的机关；报告统计其及全部下级机构的记录。"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("报告的年度，如 2024。"))
    as_of = models.DateField(
        _("统计截止日"),
        null=True,
        blank=True,
        help_text=_("数字统计到哪一天（含）；空为该年12月31日。"),
    )
    sections_due_on = models.DateField(
        _("各部门报送期限"), help_text=_("各部门报送所承担部分的期限（默认次年3月1日）。")
    )
    publish_due_on = models.DateField(
        _("公开期限"), help_text=_("报告向社会公开的期限（默认次年4月1日前）。")
    )
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=ReportState.choices,
        default=ReportState.DRAFTING,
        help_text=_("起草中、已审定或已印发；印发后再修改即为新的起草稿。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, help_text=_("创建时间。"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, help_text=_("最后修改时间。"))

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "year"], name="report_one_per_org_year")
        ]
        ordering: ClassVar[list[str]] = ["-year", "org_id"]

    def __str__(self) -> str:
        return f"{self.org.name} {self.year}年度法治政府建设情况报告"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.sections_due_on:
            self.sections_due_on = default_sections_due(self.year)
        if not self.publish_due_on:
            self.publish_due_on = default_publish_due(self.year)
        super().save(*args, **kwargs)

    @property
    def cut_off(self) -> dt.date:
        return self.as_of or dt.date(self.year, 12, 31)

    def texts(self) -> dict[str, str]:
        return {s.key: s.text for s in self.sections.all()}

    def latest_issue(self) -> ReportIssue | None:
        return self.issues.order_by("-number").first()


class ReportSection(models.Model):
    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("报告"),
        help_text=_("所属报告。"),
    )
    key = models.CharField(
        _("部分"), max_length=20, help_text=_("模板中的部分编号，如 1.6（矛盾化解）。")
    )
    text = models.TextField(
        _("正文"),
        blank=True,
        help_text=_("正文：段落之间空一行；{{ 指标代码 }} 处填入统计数字。"),
    )
    department = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_sections",
        verbose_name=_("承办部门"),
        help_text=_("负责起草本部分的部门；空为法治办自行起草。"),
    )
    due_on = models.DateField(
        _("报送期限"), null=True, blank=True, help_text=_("承办部门报送本部分的期限。")
    )
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=SectionState.choices,
        default=SectionState.OPEN,
        help_text=_("未分配、起草中、已报送或已审定。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, help_text=_("最后修改时间。"))

    class Meta:
        verbose_name = _("报告部分")
        verbose_name_plural = _("报告部分")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["report", "key"], name="report_section_once")
        ]
        ordering: ClassVar[list[str]] = ["report_id", "pk"]

    def __str__(self) -> str:
        return f"{self.report} · {self.key}"


class SectionVersion(models.Model):
    section = models.ForeignKey(
        ReportSection,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("报告部分"),
        help_text=_("所属部分。"),
    )
    number = models.PositiveIntegerField(_("版本号"), help_text=_("本部分的第几个版本。"))
    text = models.TextField(_("正文"), blank=True, help_text=_("该版本的完整正文。"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("修改人"),
        help_text=_("保存该版本的人；空为系统（如模板初稿）。"),
    )
    at = models.DateTimeField(_("时间"), help_text=_("保存时间。"))
    note = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("修改说明，如“报送”“审定”。")
    )

    class Meta:
        verbose_name = _("部分版本")
        verbose_name_plural = _("部分版本")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["section", "number"], name="section_version_once")
        ]
        ordering: ClassVar[list[str]] = ["section_id", "number"]

    def __str__(self) -> str:
        return f"{self.section} v{self.number}"


def issue_path(instance: ReportIssue, filename: str) -> str:
    return f"reports/{instance.report.org_id}/{instance.report.year}/{instance.number}/{filename}"


class ReportIssue(models.Model):
    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        related_name="issues",
        verbose_name=_("报告"),
        help_text=_("所属报告。"),
    )
    number = models.PositiveIntegerField(_("印发次序"), help_text=_("本报告第几次印发。"))
    issued_on = models.DateField(_("印发日期"), help_text=_("落款日期。"))
    issued_at = models.DateTimeField(_("印发时间"), help_text=_("在平台上印发的时间。"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("印发人"),
        help_text=_("印发报告的人。"),
    )
    texts = models.JSONField(_("正文"), help_text=_("印发时各部分的正文（部分编号 → 正文）。"))
    figures = models.JSONField(
        _("数字"), help_text=_("印发时的全部数字及其统计截止日，印发后不再随记录变化。")
    )
    previous = models.JSONField(
        _("上年数字"), default=dict, blank=True, help_text=_("正文引用的上年数字（印发时）。")
    )
    charts = models.JSONField(
        _("图表数据"),
        default=dict,
        blank=True,
        help_text=_("印发时图表的数据（各月受理、各单位比率），印发后不再随记录变化。"),
    )
    failures = models.JSONField(
        _("未通过的检查"),
        default=list,
        blank=True,
        help_text=_("印发时未通过的检查（一致性规则、待补数字、未撰写部分）。"),
    )
    reason = models.TextField(
        _("带问题印发的理由"),
        blank=True,
        help_text=_("检查未全部通过而印发时，法治办记录的理由。"),
    )
    pdf = models.FileField(
        _("PDF"), upload_to=issue_path, blank=True, max_length=300, help_text=_("印发版 PDF。")
    )
    published = models.BooleanField(_("已公开"), default=True, help_text=_("是否在门户网站公开。"))

    class Meta:
        verbose_name = _("报告印发")
        verbose_name_plural = _("报告印发")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["report", "number"], name="report_issue_once")
        ]
        ordering: ClassVar[list[str]] = ["report_id", "-number"]

    def __str__(self) -> str:
        return f"{self.report}（第{self.number}次印发）"
