"""The API's own records: idempotency keys, Open311 client systems and Open311 submissions.

Matters themselves live in the engine (fazhi.procedures); these tables only hold what the API
needs to answer retried requests, to recognise the systems that submit through Open311 and to
resolve an Open311 ``token`` back to its matter.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.procedures.models import Matter

API_KEY_BYTES = 32


def hash_key(raw: str) -> str:
    """The stored form of an API key: SHA-256 hex (keys are random, so no salt is needed)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class IdempotencyKey(models.Model):
    """A creating request answered once: a retry with the same key gets the stored answer.

    ``owner`` is ``user:<id>`` or ``client:<id>``. A row with ``response_status`` null is a
    request still being processed (its transaction has not committed). Rows expire after
    ``fazhi.api.idempotency.TTL``.
    """

    key = models.CharField(
        _("幂等键"), max_length=255, help_text=_("客户端在 Idempotency-Key 请求头中给出的值。")
    )
    owner = models.CharField(
        _("所有者"),
        max_length=64,
        help_text=_("发出请求的账号（user:编号）或接入系统（client:编号）。"),
    )
    method = models.CharField(_("方法"), max_length=10, help_text=_("HTTP 方法。"))
    path = models.CharField(_("路径"), max_length=500, help_text=_("请求路径。"))
    request_hash = models.CharField(
        _("请求摘要"), max_length=64, help_text=_("请求内容的 SHA-256；同键不同内容将被拒绝。")
    )
    response_status = models.PositiveSmallIntegerField(
        _("响应状态"), null=True, blank=True, help_text=_("保存的响应状态码；处理中为空。")
    )
    response_body = models.TextField(_("响应内容"), blank=True, help_text=_("保存的响应正文。"))
    response_content_type = models.CharField(
        _("响应类型"), max_length=100, blank=True, help_text=_("保存的响应的 Content-Type。")
    )
    created_at = models.DateTimeField(
        _("时间"), default=clock.now, help_text=_("首次收到该键的时间；超过有效期后删除。")
    )

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_unique"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["created_at"], name="idempotency_created"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"


class ApiClientQuerySet(models.QuerySet["ApiClient"]):
    def active(self) -> ApiClientQuerySet:
        """Clients whose key is accepted."""
        return self.filter(active=True)


class ApiClient(models.Model):
    """A system that submits requests through Open311 (12345 hotline, provincial platform …)."""

    name = models.CharField(
        _("名称"), max_length=100, unique=True, help_text=_("接入系统的名称，如“12345热线”。")
    )
    key_hash = models.CharField(
        _("密钥摘要"),
        max_length=64,
        unique=True,
        help_text=_("api_key 的 SHA-256；密钥本身只在创建时显示一次，不保存。"),
    )
    key_prefix = models.CharField(
        _("密钥前缀"), max_length=8, help_text=_("密钥的前8位，用于辨认是哪一把密钥。")
    )
    org = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("受理机构"),
        help_text=_("该系统提交的事项由哪个机构受理；为空时按受理分派（IntakeRoute）。"),
    )
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用后其密钥不再被接受。"))
    created_at = models.DateTimeField(_("创建时间"), default=clock.now, help_text=_("创建时间。"))

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("接入系统")
        verbose_name_plural = _("接入系统")

    def __str__(self) -> str:
        return self.name

    def set_new_key(self) -> str:
        """Give the client a new random key; returns it (shown once, never stored)."""
        raw = secrets.token_urlsafe(API_KEY_BYTES)
        self.key_hash = hash_key(raw)
        self.key_prefix = raw[:8]
        return raw

    @classmethod
    def for_key(cls, raw: str | None) -> ApiClient | None:
        """The active client holding ``raw``; None for a missing, unknown or inactive key."""
        if not raw or len(raw) > 200:
            return None
        return cls.objects.active().filter(key_hash=hash_key(raw)).first()


class ServiceRequest(models.Model):
    """What an Open311 submission carried beyond the matter: its token, the client, location."""

    matter = models.OneToOneField(
        Matter,
        on_delete=models.CASCADE,
        related_name="open311",
        verbose_name=_("事项"),
        help_text=_("Open311 提交所登记的事项。"),
    )
    token = models.CharField(
        _("令牌"),
        max_length=64,
        unique=True,
        help_text=_("返回给提交系统的不透明令牌，可换取事项编号（tokens/{token}.json）。"),
    )
    client = models.ForeignKey(
        ApiClient,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        verbose_name=_("接入系统"),
        help_text=_("提交该事项的接入系统。"),
    )
    email = models.EmailField(_("电子邮箱"), blank=True, help_text=_("提交人的电子邮箱；不公开。"))
    lat = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("位置纬度（WGS-84）；不公开。"),
    )
    long = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("位置经度（WGS-84）；不公开。"),
    )
    media_url = models.URLField(
        _("图片链接"), max_length=500, blank=True, help_text=_("提交人提供的图片链接；不公开。")
    )
    created_at = models.DateTimeField(_("提交时间"), default=clock.now, help_text=_("提交时间。"))

    class Meta:
        verbose_name = _("Open311 提交")
        verbose_name_plural = _("Open311 提交")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.token[:8]}…"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)
