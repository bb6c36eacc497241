"""Registers and records of rulemaking: the published standard of what counts as a major
decision and the year's catalog (registers), the versions of a text (every draft and the
published text of a normative document or a draft decision), and cleanup campaigns."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from fazhi.core.models import OrgUnit
from fazhi.core.registers import RegisterEntry, register_register
from fazhi.procedures.models import Matter


class DecisionStandard(RegisterEntry):
    """《重大行政决策事项标准》: the published standard of what counts as a major decision."""

    title = models.CharField(
        "标准名称", max_length=200, help_text="如《铁西区重大行政决策事项标准》。"
    )
    text = models.TextField("标准内容", help_text="哪些事项属于重大行政决策，逐项列出。")
    published_on = models.DateField("公开日期", help_text="标准向社会公开之日。")

    class Meta(RegisterEntry.Meta):
        verbose_name = verbose_name_plural = "重大行政决策事项标准"

    def __str__(self) -> str:
        return self.title


class DecisionCatalog(RegisterEntry):
    """The year's catalog 重大行政决策事项目录 (its items are ``major_decision`` matters)."""

    year = models.PositiveSmallIntegerField("目录年度", help_text="目录所属年度。")
    title = models.CharField(
        "目录名称", max_length=200, help_text="如《铁西区政府2024年重大行政决策事项目录》。"
    )
    published_on = models.DateField("公布日期", help_text="目录向社会公布之日。")

    class Meta(RegisterEntry.Meta):
        verbose_name = verbose_name_plural = "重大行政决策事项目录"

    def __str__(self) -> str:
        return self.title


register_register(DecisionStandard, fields=("title", "text", "published_on"), nav="依法决策")
register_register(DecisionCatalog, fields=("year", "title", "published_on"), nav="依法决策")


class TextVersion(models.Model):
    """One version of a matter's text: a draft, the text sent for review, the published text.

    Versions are kept, never edited: a change is a new version (``versions.add_version``)."""

    matter = models.ForeignKey(
        Matter,
        on_delete=models.CASCADE,
        related_name="text_versions",
        verbose_name="事项",
        help_text="规范性文件或重大行政决策事项。",
    )
    number = models.PositiveIntegerField("版本号", help_text="同一事项内从1起连续编号。")
    label = models.CharField(
        "版本说明", max_length=100, help_text="如“征求意见稿”“送审稿”“公布稿”。"
    )
    text = models.TextField("文本", help_text="该版本的全文，每条一段。")
    created_at = models.DateTimeField("保存时间", auto_now_add=True, help_text="保存该版本的时刻。")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="保存人",
        help_text="保存该版本的工作人员（演示数据和导入为空）。",
    )

    class Meta:
        verbose_name = verbose_name_plural = "文本版本"
        ordering: ClassVar[list[str]] = ["matter_id", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["matter", "number"], name="rulemaking_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.matter.reference} 第{self.number}版（{self.label}）"


class CleanupCampaign(models.Model):
    """A cleanup campaign 规范性文件清理: the documents in scope are listed on it (their
    ``list_for_cleanup`` step names its code) and each gets its outcome (``cleanup``)."""

    code = models.CharField("批次编号", max_length=64, unique=True, help_text="如 QL-2024-01。")
    title = models.CharField("清理名称", max_length=200, help_text="如“2024年度规范性文件清理”。")
    org = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="组织机构",
        help_text="组织清理的机构；清理范围为其下属机构制定的文件。",
    )
    started_on = models.DateField("开始日期", help_text="清理开始之日。")
    closed_on = models.DateField(
        "完成日期", null=True, blank=True, help_text="全部文件作出清理结论、清理结束之日。"
    )
    scope = models.TextField("清理范围", blank=True, help_text="纳入清理的文件范围说明。")

    class Meta:
        verbose_name = verbose_name_plural = "规范性文件清理"
        ordering: ClassVar[list[str]] = ["-started_on", "pk"]

    def __str__(self) -> str:
        return self.title
