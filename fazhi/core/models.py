"""Org units, staff profiles and roles, and the append-only audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, router, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from fazhi.core import clock


class OrgKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")
    TOWNSHIP = "township", _("乡（镇）")
    STREET = "street", _("街道")
    AGENCY = "agency", _("派出或直属机构")
    INTERNAL = "internal", _("内设机构")
    OTHER = "other", _("其他")


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def subtree_of(self, unit: OrgUnit) -> OrgUnitQuerySet:
        """The unit and every unit below it, in one indexed prefix query on ``path``."""
        return self.filter(path__startswith=unit.path)

    def active(self) -> OrgUnitQuerySet:
        """Units still in existence (abolished units stay for history)."""
        return self.filter(is_active=True)

    def roots(self) -> OrgUnitQuerySet:
        """Units without a parent (a deployment usually has one)."""
        return self.filter(parent__isnull=True)


class OrgUnit(models.Model):
    """One node of the government's organisation tree (区政府 → 部门/乡/街道 → 内设机构).

    ``path`` is a materialised path of zero-padded ids ("000001.000007."), so a whole
    subtree is one ``LIKE 'prefix%'`` range scan on an index, never a walk row by row.
    """

    name = models.CharField(
        _("名称"), max_length=100, help_text=_("机构全称，如“四平市铁西区司法局”。")
    )
    short_name = models.CharField(
        _("简称"), max_length=40, blank=True, help_text=_("机构简称，如“区司法局”。")
    )
    kind = models.CharField(
        _("类别"), max_length=20, choices=OrgKind.choices, help_text=_("机构类别。")
    )
    division_code = models.CharField(
        _("行政区划代码"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("行政区划代码应为6位数字（GB/T 2260）。"))],
        help_text=_("GB/T 2260 行政区划代码（县级及以上人民政府才有），如 220302。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("上级机构；根机构为空。"),
    )
    path = models.CharField(
        _("路径"),
        max_length=255,
        editable=False,
        db_index=True,
        default="",
        help_text=_("物化路径（自动维护），用于一次查询取得整个下级树。"),
    )
    depth = models.PositiveSmallIntegerField(
        _("层级"), default=0, editable=False, help_text=_("根机构为0。")
    )
    sort_order = models.PositiveIntegerField(
        _("排序"), default=0, help_text=_("同级机构中的显示顺序，小的在前。")
    )
    is_active = models.BooleanField(
        _("有效"), default=True, help_text=_("机构撤销后设为无效，历史记录仍保留。")
    )

    objects = OrgUnitQuerySet.as_manager()

    PATH_WIDTH: ClassVar[int] = 6

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering: ClassVar[list[str]] = ["path"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, then keep ``path`` and ``depth`` (and a moved subtree's) consistent."""
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id and self.parent is not None else ""
        path = f"{parent_path}{self.pk:0{self.PATH_WIDTH}d}."
        if path == self.path:
            return
        old_path, old_depth = self.path, self.depth
        depth = path.count(".") - 1
        OrgUnit.objects.filter(pk=self.pk).update(path=path, depth=depth)
        if old_path:
            OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + (depth - old_depth),
            )
        self.path, self.depth = path, depth

    def clean(self) -> None:
        if self.pk and self.parent_id and self.parent is not None and self.parent.is_within(self):
            raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构。")})

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def is_within(self, other: OrgUnit) -> bool:
        """True when this unit is ``other`` or lies below it."""
        return self.path.startswith(other.path)

    def ancestors(self) -> OrgUnitQuerySet:
        """The units above this one, root first, from the path (one query)."""
        ids = [int(part) for part in self.path.split(".") if part][:-1]
        return OrgUnit.objects.filter(pk__in=ids).order_by("depth")

    def subtree_ids(self) -> list[int]:
        """Ids of this unit and all below it (one query)."""
        return list(OrgUnit.objects.subtree_of(self).values_list("pk", flat=True))


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    LAW_OFFICE = "law_office", _("依法治区办")
    STAFF = "staff", _("经办人")
    HEAD = "head", _("部门负责人")
    LEADER = "leader", _("领导")


class StaffProfile(models.Model):
    """A staff member: a Django user placed in an org unit with one role.

    The role decides the scope (fazhi.core.scope): the system administrator and the
    rule-of-law office see and act everywhere; leaders read everywhere; department staff
    and heads see their own unit's subtree, and heads may also approve.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("用户"),
        help_text=_("登录账号。"),
    )
    org = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("所在机构"),
        help_text=_("工作人员所在机构；决定其可见范围。"),
    )
    role = models.CharField(
        _("角色"), max_length=20, choices=Role.choices, help_text=_("决定权限和可见范围。")
    )
    position = models.CharField(
        _("职务"), max_length=60, blank=True, help_text=_("职务，如“科员”“局长”。")
    )
    phone = models.CharField(_("工作电话"), max_length=30, blank=True, help_text=_("工作电话。"))

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["org", "role"])]

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name}（{self.org.label}）"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def bulk_create(
        self, objs: Iterable[AuditEvent], *args: Any, **kwargs: Any
    ) -> list[AuditEvent]:
        """Append ``objs`` in order to the hash chain (fazhi.core.audit_chain), in one go."""
        from fazhi.core import audit_chain

        rows = list(objs)
        if not rows:
            return rows
        with transaction.atomic(using=self.db):
            audit_chain.lock_chain(self.db)
            audit_chain.chain(rows, audit_chain.head(AuditEvent, self.db))
            return super().bulk_create(rows, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        raise AuditLogAppendOnlyError

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogAppendOnlyError

    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        """Events about one object, newest first."""
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
            "-at", "-pk"
        )


class AuditLogAppendOnlyError(RuntimeError):
    def __init__(self) -> None:
        super().__init__("审计日志只能追加，不能修改或删除。")


class AuditEvent(models.Model):
    """One change: who did what to which object, when, with what data (scrubbed).

    Append-only: the model refuses updates and deletes, and a database trigger (migration
    0002) refuses UPDATE on both SQLite and PostgreSQL.
    """

    at = models.DateTimeField(
        _("时间"), default=clock.now, db_index=True, help_text=_("记录时间。")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("操作的账号；系统或公众操作时为空。"),
    )
    actor_label = models.CharField(
        _("操作人名称"), max_length=120, help_text=_("操作人当时的名称或“公众”“系统”。")
    )
    action = models.CharField(
        _("操作"), max_length=60, db_index=True, help_text=_("操作代码，如 matter.accept。")
    )
    object_type = models.CharField(
        _("对象类型"), max_length=100, help_text=_("对象的模型，如 procedures.matter。")
    )
    object_id = models.CharField(_("对象编号"), max_length=64, help_text=_("对象主键。"))
    object_repr = models.CharField(
        _("对象名称"), max_length=200, help_text=_("对象当时的显示名称（已脱敏）。")
    )
    org = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属机构"),
        help_text=_("对象所属机构，用于按范围查看日志。"),
    )
    data = models.JSONField(
        _("数据"), default=dict, blank=True, help_text=_("操作携带的数据；密码和个人号码已脱敏。")
    )
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True, help_text=_("来源地址。"))
    seq = models.PositiveBigIntegerField(
        _("序号"), unique=True, help_text=_("在审计链中的位置，从1起连续。")
    )
    prev_hash = models.CharField(
        _("前一条哈希"), max_length=64, blank=True, help_text=_("前一条记录的哈希（第一条为空）。")
    )
    row_hash = models.CharField(
        _("哈希"),
        max_length=64,
        help_text=_("前一条哈希与本条内容的SHA-256（fazhi audit verify 校验）。"),
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering: ClassVar[list[str]] = ["-at", "-pk"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Append this event to the hash chain (serialised: fazhi.core.audit_chain)."""
        if self.pk is not None:
            raise AuditLogAppendOnlyError
        from fazhi.core import audit_chain

        using = kwargs.get("using") or router.db_for_write(AuditEvent)
        # Inside the change's transaction (the usual case) no savepoint of its own: a failed
        # insert fails the change, which is what must happen (#19: two statements fewer).
        with transaction.atomic(using=using, savepoint=False):
            audit_chain.lock_chain(using)
            audit_chain.chain([self], audit_chain.head(AuditEvent, using))
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogAppendOnlyError


class Job(models.Model):
    """One piece of background work (an import, an export, a report) run by ``fazhi worker``.

    The queue itself is django-tasks' database backend (fazhi.core.tasks); this row is what
    the workbench shows: who started it, its progress, its result and its files. Progress
    while it runs is also kept in a small file beside the job's files (``Job.live``), since
    an import writes in one transaction that a progress update on the same database could
    not see past.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(
        _("类型"), max_length=60, db_index=True, help_text=_("任务类型代码，如 procedures.import。")
    )
    label = models.CharField(
        _("名称"), max_length=200, help_text=_("显示给工作人员的任务名称，如“导入 文件名”。")
    )
    params = models.JSONField(_("参数"), default=dict, blank=True, help_text=_("任务的参数。"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
        help_text=_("排队中、进行中、已完成或失败。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发起人"),
        help_text=_("发起任务的工作人员；系统任务为空。"),
    )
    org = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属机构"),
        help_text=_("发起人所在机构，用于按范围查看任务。"),
    )
    created_at = models.DateTimeField(
        _("提交时间"), default=clock.now, db_index=True, help_text=_("提交时间。")
    )
    started_at = models.DateTimeField(
        _("开始时间"), null=True, blank=True, help_text=_("后台开始处理的时间。")
    )
    finished_at = models.DateTimeField(
        _("结束时间"), null=True, blank=True, help_text=_("处理结束的时间。")
    )
    done = models.PositiveBigIntegerField(_("已处理"), default=0, help_text=_("已处理的数量。"))
    total = models.PositiveBigIntegerField(
        _("总量"), null=True, blank=True, help_text=_("要处理的总量；事先不知道时为空。")
    )
    unit = models.CharField(_("计量单位"), max_length=10, default="项", help_text=_("如“行”。"))
    message = models.TextField(
        _("说明"), blank=True, help_text=_("结果摘要或失败原因（中文，给工作人员看）。")
    )
    result = models.JSONField(
        _("结果"), default=dict, blank=True, help_text=_("任务结果的数据，如导入的各项计数。")
    )
    input_file = models.FileField(
        _("上传文件"),
        upload_to="jobs/in/%Y/%m/",
        max_length=255,
        blank=True,
        help_text=_("任务要处理的上传文件。"),
    )
    input_name = models.CharField(
        _("上传文件名"), max_length=255, blank=True, help_text=_("上传时的原文件名。")
    )
    output_file = models.FileField(
        _("结果文件"),
        upload_to="jobs/out/%Y/%m/",
        max_length=255,
        blank=True,
        help_text=_("任务生成的文件（导出、报告、拒绝行报告）。"),
    )
    output_name = models.CharField(
        _("结果文件名"), max_length=255, blank=True, help_text=_("下载时的文件名。")
    )
    task_id = models.CharField(
        _("队列编号"), max_length=64, blank=True, help_text=_("django-tasks 队列中的任务编号。")
    )

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.label}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class RateCount(models.Model):
    """One (scope, address, minute) count of the public rate limit (``fazhi.core.ratelimit``).

    Used when no Redis is configured, instead of Django's database cache: one atomic
    ``INSERT … ON CONFLICT DO UPDATE SET n = n + 1 RETURNING n`` per request, where the
    cache needed a transaction of eight statements (and a ``COUNT(*)`` of the whole cache
    table at every write, to decide on culling). Past minutes are deleted when a new one starts.
    """

    key = models.CharField(_("计数键"), max_length=200, primary_key=True)
    minute = models.BigIntegerField(_("分钟"), db_index=True, help_text=_("自纪元起的分钟数。"))
    n = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("频率计数")
        verbose_name_plural = _("频率计数")

    def __str__(self) -> str:
        return f"{self.key}: {self.n}"
