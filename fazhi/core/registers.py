"""Registers: records that are not cases (officers and their certificates, service items with
legal and committed limits, supervisors, duty lists, heads in office, normative documents…).

A domain declares a register as one model and one call::

    class Supervisor(RegisterEntry):
        name = models.CharField("姓名", max_length=40, help_text="监督员姓名。")

        class Meta(RegisterEntry.Meta):
            verbose_name = verbose_name_plural = "行政执法监督员"

    register_register(Supervisor, fields=("name",), nav="执法监督")

Every entry belongs to an org unit and is valid from ``valid_from`` to ``valid_to`` (both
inclusive; no ``valid_to``: open-ended), so "as of a day" is one indexed query
(``valid_on``). The workbench (list with an as-of filter, detail with its audit history,
create/edit/delete, xlsx import and export: ``fazhi.workbench.views.registers``), the admin
(``fazhi.core.admin``) and the xlsx files (``fazhi.core.register_io``) read the registry kept
here. Every change goes through ``save_entry`` / ``delete_entry``: the permission check, the
model's validation, the write and its audit event in one transaction — never ``Form.save()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, TypeVar, cast

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fazhi.core import audit
from fazhi.core.models import OrgUnit, Role
from fazhi.core.scope import AnyUser, can_act_on, scope_of, scope_queryset

R = TypeVar("R", bound="RegisterEntry")

# the columns every register has, after the register's own fields
BASE_FIELDS = ("org", "valid_from", "valid_to")
# roles that may change entries (of the units ``can_act_on`` allows); leaders only read
CHANGING_ROLES = frozenset({Role.ADMIN, Role.LAW_OFFICE, Role.STAFF, Role.HEAD})


class RegisterQuerySet(models.QuerySet["RegisterEntry"]):
    """As-of and scope queries shared by every register."""

    def valid_on(self, day: dt.date) -> RegisterQuerySet:
        """Entries in force on ``day``: ``valid_from ≤ day`` and (no ``valid_to`` or ``≥ day``)."""
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )

    def for_org_subtree(self, org: OrgUnit) -> RegisterQuerySet:
        """Entries of ``org`` and every unit below it (one prefix range on the unit's path)."""
        return self.filter(org__path__startswith=org.path)

    def for_user(self, user: AnyUser | None) -> RegisterQuerySet:
        """Entries ``user`` may see (fazhi.core.scope): none for non-staff."""
        return scope_queryset(self, user)


class RegisterEntry(models.Model):
    """The base of every register entry: its unit and its period of validity."""

    org = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属机构"),
        help_text=_("登记该记录的机构；决定谁能查看和修改。"),
    )
    valid_from = models.DateField(
        _("有效期起"), help_text=_("自该日起有效（含当日），如任职、发证或施行日期。")
    )
    valid_to = models.DateField(
        _("有效期止"),
        null=True,
        blank=True,
        help_text=_("至该日止有效（含当日）；长期有效的留空。"),
    )

    objects: ClassVar[Any] = RegisterQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering: ClassVar[list[str]] = ["org__path", "-valid_from", "pk"]
        indexes: ClassVar[list[models.Index]] = [
            # unnamed: each register's own name is derived from its table (at most 30 characters)
            models.Index(fields=["valid_from", "valid_to"]),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_span",
                violation_error_message=_("有效期止不能早于有效期起。"),
            ),
        ]

    def is_valid_on(self, day: dt.date) -> bool:
        """The in-memory twin of ``valid_on``."""
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


# --- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Register:
    """One declared register: its model, its label, the fields staff see and edit."""

    model: type[RegisterEntry]
    label: str
    fields: tuple[str, ...]
    nav: str | None

    @property
    def key(self) -> str:
        """``app_label.model_name``, as in the workbench's URLs."""
        return str(self.model._meta.label_lower)

    @property
    def app_label(self) -> str:
        return str(self.model._meta.app_label)

    @property
    def model_name(self) -> str:
        return str(self.model._meta.model_name)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column of the list, the form and the xlsx file, in order."""
        return (*self.fields, *BASE_FIELDS)

    def field(self, name: str) -> models.Field[Any, Any]:
        f = self.model._meta.get_field(name)
        if not isinstance(f, models.Field):  # a reverse relation: never a register's column
            raise ImproperlyConfigured(f"登记簿 {self.model.__name__} 的 {name} 不是字段。")
        return f

    def verbose(self, name: str) -> str:
        return str(self.field(name).verbose_name)


_REGISTERS: dict[str, Register] = {}


def register_register(
    model: type[RegisterEntry],
    *,
    label: str | None = None,
    fields: Sequence[str] | None = None,
    nav: str | None = "",
) -> Register:
    """Declare ``model`` a register. Call it in the domain's models.py, beside the model.

    ``label`` defaults to the model's plural verbose name; ``fields`` (the register's own
    columns, in order) to every editable field the model adds; ``nav`` is the heading it is
    listed under on the workbench's registers page ("" = the app's name, None = not listed).
    """
    if not issubclass(model, RegisterEntry) or model._meta.abstract:
        raise ImproperlyConfigured(f"{model!r} 不是具体的登记簿模型（应继承 RegisterEntry）。")
    if fields is None:
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if f.editable and not f.primary_key and f.name not in BASE_FIELDS
        ]
    for name in fields:
        try:
            f = model._meta.get_field(name)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"登记簿 {model.__name__} 没有字段 {name}。") from exc
        if name in BASE_FIELDS or not getattr(f, "editable", False) or f.many_to_many:
            raise ImproperlyConfigured(
                f"登记簿 {model.__name__} 的字段 {name} 不能列为可编辑字段。"
            )
    if nav == "":
        from django.apps import apps

        nav = str(apps.get_app_config(model._meta.app_label).verbose_name)
    register = Register(
        model=model,
        label=str(label or model._meta.verbose_name_plural),
        fields=tuple(fields),
        nav=nav,
    )
    _REGISTERS[register.key] = register
    return register


def all_registers() -> list[Register]:
    """Every declared register, in declaration order."""
    return list(_REGISTERS.values())


def get_register(key: str) -> Register | None:
    """The register ``app_label.model_name``, or None."""
    return _REGISTERS.get(key.lower())


def register_of(model: type[models.Model]) -> Register:
    register = _REGISTERS.get(model._meta.label_lower)
    if register is None:
        raise ImproperlyConfigured(f"{model.__name__} 未声明为登记簿（register_register）。")
    return register


# --- changes: one service ------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as the audit log keeps it (JSON): dates as ISO text, models as their pk."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def entry_values(entry: RegisterEntry, names: Iterable[str]) -> dict[str, Any]:
    """The values of ``names`` on ``entry`` as the audit log keeps them."""
    out = {}
    for name in names:
        f = entry._meta.get_field(name)
        attname = getattr(f, "attname", name)
        out[name] = plain(getattr(entry, attname))
    return out


def may_change(user: AnyUser | None, org: OrgUnit | None) -> bool:
    """May ``user`` create, edit or delete entries of ``org``? (fazhi.core.scope.can_act_on)

    ``None`` is the system itself (the demo, a management command): it may.
    """
    return user is None or can_act_on(user, org)


def may_change_any(user: AnyUser | None) -> bool:
    """May ``user`` change entries of some unit at all? (Leaders and outsiders may not.)"""
    return scope_of(user).role in CHANGING_ROLES


def _refuse(org: OrgUnit | None) -> PermissionDenied:
    name = org.name if org is not None else "（未指定机构）"
    return PermissionDenied(f"您无权修改“{name}”的登记记录。")


@transaction.atomic
def save_entry(
    model: type[R],
    data: Mapping[str, Any],
    *,
    by: AnyUser | None,
    instance: R | None = None,
    request: HttpRequest | None = None,
    action: str | None = None,
) -> R:
    """Create (``instance`` None) or update an entry from ``data`` (field name → value).

    Checks that ``by`` (None: the system) may change entries of the stored unit and of the new one, validates
    the model (``full_clean``: plain Chinese messages as a ``ValidationError`` by field),
    saves, and records ``register.create`` / ``register.update`` with the values (for an
    update, only the changed ones as ``[before, after]``) — all in one transaction.
    """
    register = register_of(model)
    names = [n for n in register.columns if n in data]
    if instance is None or instance.pk is None:
        entry = instance if instance is not None else model()
        before: dict[str, Any] | None = None
    else:
        entry = cast(R, model.objects.select_for_update().get(pk=instance.pk))
        if not may_change(by, entry.org):
            raise _refuse(entry.org)
        before = entry_values(entry, register.columns)
    for name in names:
        setattr(entry, name, data[name])
    org = entry.org if entry.org_id is not None else None
    if not may_change(by, org):
        raise _refuse(org)
    entry.full_clean()
    after = entry_values(entry, register.columns)
    if before is not None:
        changes = {n: [before[n], after[n]] for n in register.columns if before[n] != after[n]}
        entry.save()
        if changes:
            audit.record(
                action or "register.update",
                entry,
                actor=by,
                data={"register": register.key, "changes": changes},
                request=request,
            )
        return entry
    entry.save()
    audit.record(
        action or "register.create",
        entry,
        actor=by,
        data={"register": register.key, **after},
        request=request,
    )
    return entry


@transaction.atomic
def delete_entry(
    entry: RegisterEntry, *, by: AnyUser | None, request: HttpRequest | None = None
) -> None:
    """Delete ``entry``, recording ``register.delete`` with its last values (one transaction).

    An entry that has ended is better given a ``valid_to`` than deleted: deletion is for
    mistakes, and the audit event keeps what was there.
    """
    register = register_of(type(entry))
    stored = type(entry).objects.select_for_update().get(pk=entry.pk)
    if not may_change(by, stored.org):
        raise _refuse(stored.org)
    audit.record(
        "register.delete",
        stored,
        actor=by,
        data={"register": register.key, **entry_values(stored, register.columns)},
        request=request,
    )
    stored.delete()
