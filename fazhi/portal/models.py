"""The submitter kept informed: where they asked to be told (``Subscription``) and what they
were told (``Notice``), one row a message, with whether it went out (fazhi.portal.notices)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core import clock
from fazhi.procedures.models import Matter, Step


class NoticeChannel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    UNCONFIGURED = "unconfigured", _("未发送（未配置发送通道）")


class Subscription(models.Model):
    """The submitter asked, when submitting, to be told of their matter's progress."""

    matter = models.ForeignKey(
        Matter,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("事项"),
        help_text=_("所订阅的事项。"),
    )
    channel = models.CharField(
        _("方式"), max_length=10, choices=NoticeChannel.choices, help_text=_("短信或电子邮件。")
    )
    address = models.CharField(
        _("接收地址"), max_length=254, help_text=_("手机号码或电子邮箱；不公开。")
    )
    active = models.BooleanField(
        _("有效"), default=True, help_text=_("提交人可在进度查询页取消通知。")
    )
    created_at = models.DateTimeField(_("订阅时间"), default=clock.now, help_text=_("订阅时间。"))

    class Meta:
        verbose_name = _("进度通知订阅")
        verbose_name_plural = _("进度通知订阅")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["matter", "channel"], name="subscription_once"),
        ]

    def __str__(self) -> str:
        return f"{self.matter} {self.get_channel_display()}"


class Notice(models.Model):
    """One message to the submitter about one step of their matter."""

    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("订阅"),
        help_text=_("发往的订阅。"),
    )
    matter = models.ForeignKey(
        Matter,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("事项"),
        help_text=_("相关事项。"),
    )
    step = models.ForeignKey(
        Step,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("步骤"),
        help_text=_("引起通知的步骤。"),
    )
    text = models.CharField(_("内容"), max_length=500, help_text=_("发出的文字（不含个人信息）。"))
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=NoticeStatus.choices,
        default=NoticeStatus.QUEUED,
        help_text=_("是否已发出。"),
    )
    attempts = models.PositiveSmallIntegerField(
        _("尝试次数"), default=0, help_text=_("发送尝试次数。")
    )
    error = models.CharField(
        _("错误"), max_length=300, blank=True, help_text=_("最后一次失败的原因。")
    )
    created_at = models.DateTimeField(_("生成时间"), default=clock.now, help_text=_("生成时间。"))
    sent_at = models.DateTimeField(
        _("发送时间"), null=True, blank=True, help_text=_("发出时间；未发出为空。")
    )

    class Meta:
        verbose_name = _("进度通知")
        verbose_name_plural = _("进度通知")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["subscription", "step"], name="notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.matter} {self.get_status_display()}"
