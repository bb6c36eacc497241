"""The log of each run of ``fazhi import``."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core import clock


class ImportRun(models.Model):
    """One run of ``fazhi import``: the file, who, when, what it did and the rejected lines."""

    class Status(models.TextChoices):
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        PARTIAL = "partial", _("部分导入")
        FAILED = "failed", _("未导入")

    file_name = models.CharField(_("文件名"), max_length=255, help_text=_("导入的文件名。"))
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, blank=True, help_text=_("文件内容摘要，用于核对。")
    )
    format = models.CharField(_("格式"), max_length=10, help_text=_("jsonl、xlsx 或 csv。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("导入人"),
        help_text=_("发起导入的工作人员；命令行导入为空。"),
    )
    skip_invalid = models.BooleanField(
        _("跳过无效行"), default=False, help_text=_("是否只导入有效行（否则全部或全不）。")
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.RUNNING,
        help_text=_("导入结果。"),
    )
    started_at = models.DateTimeField(_("开始时间"), default=clock.now, help_text=_("开始时间。"))
    finished_at = models.DateTimeField(
        _("结束时间"), null=True, blank=True, help_text=_("结束时间。")
    )
    lines = models.PositiveIntegerField(_("行数"), default=0, help_text=_("读取的记录行数。"))
    created = models.PositiveIntegerField(_("新增"), default=0, help_text=_("新增的事项数。"))
    updated = models.PositiveIntegerField(
        _("更新进度"), default=0, help_text=_("追加了后续步骤的已有事项数。")
    )
    unchanged = models.PositiveIntegerField(
        _("已存在"), default=0, help_text=_("与已有记录相同、未作更改的事项数。")
    )
    rejected = models.PositiveIntegerField(_("拒绝"), default=0, help_text=_("被拒绝的行数。"))
    steps = models.PositiveIntegerField(_("步骤"), default=0, help_text=_("写入的步骤数。"))
    pid = models.PositiveIntegerField(
        _("进程号"), null=True, blank=True, help_text=_("执行导入的进程号，用于发现中断的导入。")
    )
    host = models.CharField(
        _("主机"), max_length=255, blank=True, help_text=_("执行导入的主机名。")
    )
    lease = models.PositiveIntegerField(
        _("租约"),
        null=True,
        blank=True,
        help_text=_("导入进程持有的 PostgreSQL 会话锁编号；进程死亡时锁随连接释放。"),
    )
    report = models.JSONField(
        _("拒绝行"),
        default=list,
        blank=True,
        help_text=_("被拒绝的行：行号、字段、原因（最多保留1000条）。"),
    )

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering: ClassVar[list[str]] = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"
