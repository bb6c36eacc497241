"""Activity kinds (declared by domain apps) and the one function that records an activity.

A kind declares its figures as ``Field``s (INT, DECIMAL, …); ``record_activity`` validates
them, writes the row and the audit event in one transaction; ``record_activities`` does the
same for many at once, written in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from fazhi.core import audit, clock
from fazhi.core.models import AuditEvent, OrgUnit
from fazhi.core.scope import AnyUser, can_act_on
from fazhi.procedures import rules
from fazhi.procedures.declarations import Field
from fazhi.procedures.errors import (
    DuplicateMatter,
    InvalidData,
    MissingData,
    NotAllowed,
    ProcedureError,
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


@dataclass(frozen=True)
class NewActivity:
    """One activity to record in bulk (``record_activities``): the arguments of
    ``record_activity``."""

    kind: str
    org: OrgUnit
    on: dt.date
    title: str
    figures: Mapping[str, Any] | None = None
    note: str = ""
    reference: str = ""


def _checked(item: NewActivity, by: AnyUser | None, today: dt.date) -> Activity:
    """The activity, validated and not yet saved (``ProcedureError`` naming the field)."""
    declared = get_kind(item.kind)
    org, on = item.org, item.on
    if by is not None and not can_act_on(by, org):
        raise NotAllowed(f"您不能为“{org.label}”登记{declared.label}。", field="org")
    rules.check_day(on, "on", today=today)
    title = (item.title or "").strip()
    if not title:
        raise MissingData("缺少名称。", field="title")
    if len(title) > 300:
        raise InvalidData("名称过长（最多300字）。", field="title")
    return Activity(
        kind=item.kind,
        on=on,
        org=org,
        title=title,
        figures=clean_figures(declared, item.figures),
        note=item.note,
        reference=item.reference,
        created_by=by if by is not None and by.is_authenticated else None,  # type: ignore[misc]
    )


def _event(activity: Activity, by: AnyUser | None) -> AuditEvent:
    return audit.event(
        "activity.record",
        activity,
        actor=by,
        data={"kind": activity.kind, "on": activity.on.isoformat(), **activity.figures},
    )


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
    item = NewActivity(kind, org, on, title, figures, note, reference)
    activity = _checked(item, by, today or clock.today())
    with transaction.atomic():
        if reference and Activity.objects.filter(kind=kind, reference=reference).exists():
            label = get_kind(kind).label
            raise DuplicateMatter(f"{label}编号“{reference}”已存在。", field="reference")
        activity.save()
        _event(activity, by).save()
    return activity


def record_activities(
    items: Iterable[NewActivity],
    *,
    by: AnyUser | None = None,
    today: dt.date | None = None,
    batch_size: int = 1000,
) -> list[Activity]:
    """Record many activities at once: each validated as ``record_activity`` validates it and
    given its own audit event, all written in bulk in one transaction (the demo's thousands of
    screening rounds). The first invalid item raises its ``ProcedureError`` (the message
    names its position, 第N项) and nothing is written."""
    day = today or clock.today()
    activities: list[Activity] = []
    for position, item in enumerate(items):
        try:
            activities.append(_checked(item, by, day))
        except ProcedureError as exc:
            raise type(exc)(f"第{position + 1}项：{exc.message}", field=exc.field) from exc
    references: dict[tuple[str, str], int] = {}
    for position, a in enumerate(activities):
        if a.reference and references.setdefault((a.kind, a.reference), position) != position:
            raise DuplicateMatter(
                f"{get_kind(a.kind).label}编号“{a.reference}”重复。", field="reference"
            )
    with transaction.atomic():
        stored = {
            (kind, ref)
            for kind, ref in Activity.objects.filter(
                reference__in={ref for _, ref in references}
            ).values_list("kind", "reference")
        } & set(references)
        if stored:
            kind, ref = min(stored)
            raise DuplicateMatter(f"{get_kind(kind).label}编号“{ref}”已存在。", field="reference")
        Activity.objects.bulk_create(activities, batch_size=batch_size)
        AuditEvent.objects.bulk_create([_event(a, by) for a in activities], batch_size=batch_size)
    return activities
