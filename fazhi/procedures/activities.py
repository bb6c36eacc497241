"""Activity kinds (declared by domain apps) and the one function that records an activity.

A kind declares its figures as ``Field``s (INT, DECIMAL, …); ``record_activity`` validates
them, writes the row and the audit event in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from fazhi.core import audit, clock
from fazhi.core.models import OrgUnit
from fazhi.core.scope import AnyUser, can_act_on
from fazhi.procedures.declarations import Field
from fazhi.procedures.errors import (
    DuplicateMatter,
    InvalidData,
    InvalidDate,
    MissingData,
    NotAllowed,
    UnknownProcedure,
)
from fazhi.procedures.models import Activity


@dataclass(frozen=True)
class ActivityKind:
    code: str
    label: str
    figures: tuple[Field, ...] = ()
    description: str = ""


_KINDS: dict[str, ActivityKind] = {}


def register_kind(kind: ActivityKind) -> ActivityKind:
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"activity kind {kind.code} registered twice with different contents")
    _KINDS[kind.code] = kind
    return kind


def get_kind(code: str) -> ActivityKind:
    try:
        return _KINDS[code]
    except KeyError:
        known = "、".join(sorted(_KINDS))
        raise UnknownProcedure(f"未知的活动类别“{code}”。已有：{known}。", field="kind") from None


def all_kinds() -> list[ActivityKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def clean_figures(kind: ActivityKind, figures: Mapping[str, Any] | None) -> dict[str, Any]:
    figures = dict(figures or {})
    unknown = sorted(set(figures) - {f.name for f in kind.figures})
    if unknown:
        raise InvalidData(
            f"{kind.label}没有数据项 {'、'.join(unknown)}。", field=f"figures.{unknown[0]}"
        )
    cleaned: dict[str, Any] = {}
    for f in kind.figures:
        value = f.clean(figures.get(f.name))
        if value is not None:
            cleaned[f.name] = f.to_json(value)
    return cleaned


def record_activity(
    kind: str,
    *,
    org: OrgUnit,
    on: dt.date,
    title: str,
    figures: Mapping[str, Any] | None = None,
    note: str = "",
    reference: str = "",
    by: AnyUser | None = None,
    today: dt.date | None = None,
) -> Activity:
    """Record one activity (validated), with its audit event, in one transaction."""
    declared = get_kind(kind)
    if by is not None and not can_act_on(by, org):
        raise NotAllowed(f"您不能为“{org.label}”登记{declared.label}。", field="org")
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidDate(f"日期格式错误：{on!r}。", field="on")
    if on > (today or clock.today()):
        raise InvalidDate(f"日期 {on.isoformat()} 晚于今天。", field="on")
    title = (title or "").strip()
    if not title:
        raise MissingData("缺少名称。", field="title")
    if len(title) > 300:
        raise InvalidData("名称过长（最多300字）。", field="title")
    cleaned = clean_figures(declared, figures)
    with transaction.atomic():
        if reference and Activity.objects.filter(kind=kind, reference=reference).exists():
            raise DuplicateMatter(f"{declared.label}编号“{reference}”已存在。", field="reference")
        activity = Activity.objects.create(
            kind=kind,
            on=on,
            org=org,
            title=title,
            figures=cleaned,
            note=note,
            reference=reference,
            created_by=by if by is not None and by.is_authenticated else None,  # type: ignore[misc]
        )
        audit.record(
            "activity.record",
            activity,
            actor=by,
            data={"kind": kind, "on": on.isoformat(), **cleaned},
        )
    return activity
