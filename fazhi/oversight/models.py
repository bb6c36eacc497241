"""Files of supervision activities (审计报告、会议纪要、实施细则 …): an audit or a coordination
meeting is an ``Activity`` (fazhi.procedures), and its documents hang on it here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core import clock
from fazhi.procedures.models import Activity


def activity_file_path(instance: ActivityFile, filename: str) -> str:
    return f"activity-files/{instance.activity_id}/{instance.sha256[:16]}-{filename}"


class ActivityFile(models.Model):
    """A document attached to a supervision activity (content-checked like matter attachments)."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="oversight_files",
        verbose_name=_("活动"),
        help_text=_("文件所属的督查、审计或统计监督活动。"),
    )
    file = models.FileField(
        _("文件"), upload_to=activity_file_path, max_length=300, help_text=_("文件。")
    )
    name = models.CharField(_("文件名"), max_length=200, help_text=_("上传时的文件名。"))
    size = models.PositiveBigIntegerField(_("大小"), help_text=_("字节数。"))
    content_type = models.CharField(
        _("类型"), max_length=100, help_text=_("文件类型（经内容识别）。")
    )
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, help_text=_("内容摘要，用于去重和防篡改。")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=clock.now, help_text=_("上传时间。"))

    class Meta:
        verbose_name = _("活动文件")
        verbose_name_plural = _("活动文件")

    def __str__(self) -> str:
        return self.name
