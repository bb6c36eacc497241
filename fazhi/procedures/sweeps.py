"""The passes over every open matter: ``sweep`` (warning and overdue, notified once) and
``recompute_open_deadlines`` (after the calendar changed). Apart from ``services`` (one
matter's changes), whose due-date and notification helpers they share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from fazhi.core import clock
from fazhi.procedures import rules
from fazhi.procedures.models import Clock, Matter, Notification, Step
from fazhi.procedures.services import WARNING_WORKING_DAYS, _apply_due, _handlers, clock_row
from fazhi.procedures.signals import matters_changed, matters_changing, swept
from fazhi.procedures.snapshots import snapshot_of
from fazhi.workdays import Calendar


def sweep(today: dt.date | None = None, cal: Calendar | None = None) -> dict[str, int]:
    """Record each open matter's crossing into warning and into overdue once, and notify.

    Warning: due within ``WARNING_WORKING_DAYS`` working days. Runs in one pass of a few
    bulk statements (cron: ``fazhi sweep``); running it twice the same day changes nothing.
    Then the layers' own reminders and the steps a date's passing takes (``signals.swept``),
    in the same transaction. ``recorded``: how many steps those recorded.
    """
    today = today or clock.today()
    cal = cal or Calendar.default()
    horizon = cal.add_working_days(today, WARNING_WORKING_DAYS, provisional=True)
    counts = {"warning": 0, "overdue": 0, "notifications": 0, "recorded": 0}
    with transaction.atomic():
        batches = (
            ("overdue", Matter.objects.open().filter(due_on__lt=today, overdue_on__isnull=True)),
            (
                "warning",
                Matter.objects.open().filter(
                    due_on__gte=today, due_on__lte=horizon, warned_on__isnull=True
                ),
            ),
        )
        for kind, qs in batches:
            rows = list(qs.values_list("pk", "org_id", "due_on"))
            if not rows:
                continue
            ids = [r[0] for r in rows]
            field = "overdue_on" if kind == "overdue" else "warned_on"
            for start in range(0, len(ids), 900):
                Matter.objects.filter(pk__in=ids[start : start + 900]).update(**{field: today})
            handlers = _handlers({r[1] for r in rows})
            notes = [
                Notification(recipient_id=u, matter_id=pk, kind=kind, due_on=due)
                for pk, org_id, due in rows
                for u in handlers.get(org_id, [])
            ]
            Notification.objects.bulk_create(notes, batch_size=1000, ignore_conflicts=True)
            counts[kind] = len(rows)
            counts["notifications"] += len(notes)
        for _, made in swept.send(sender="sweep", today=today):
            if isinstance(made, int):
                counts["notifications"] += made
            elif isinstance(made, Mapping):
                for key in ("notifications", "recorded"):
                    counts[key] += int(made.get(key, 0))
    return counts


def summary(day: dt.date, counts: Mapping[str, int]) -> str:
    """What a sweep did, in a sentence (the command's output, the job's message)."""
    text = (
        f"{day.isoformat()} 期限巡检完成：新进入临期 {counts['warning']} 件，"
        f"新进入逾期 {counts['overdue']} 件，发出提醒 {counts['notifications']} 条"
    )
    if counts.get("recorded"):
        text += f"，到期自动记录办理步骤 {counts['recorded']} 项（如执法决定公示期满下线）"
    return text + "。"


def _clock_values(row: Clock) -> tuple[Any, ...]:
    return tuple(getattr(row, f) for f in Clock.VALUES)


def recompute_open_deadlines(cal: Calendar | None = None, chunk: int = 2000) -> int:
    """Recompute every open matter's clocks and due date (after the calendar changed).
    Returns how many matters changed.

    One pass over open matters in chunks: their steps and clocks are fetched per chunk (two
    queries) and the pure rules compute the new clocks; only changed rows are written.
    """
    cal = cal or Calendar.default()
    changed = 0
    last_pk = 0
    fields = [
        "due_on",
        "due_rule",
        "due_basis",
        "due_provisional",
        "due_paused",
        "warned_on",
        "overdue_on",
    ]
    while True:
        matters = list(Matter.objects.open().filter(pk__gt=last_pk).order_by("pk")[:chunk])
        if not matters:
            break
        last_pk = matters[-1].pk
        ids = [m.pk for m in matters]
        by_matter: dict[int, list[Step]] = {}
        for s in Step.objects.filter(matter_id__in=ids).order_by("matter_id", "seq"):
            by_matter.setdefault(s.matter_id, []).append(s)
        stored: dict[int, list[tuple[Any, ...]]] = {}
        for row in Clock.objects.filter(matter_id__in=ids).order_by("matter_id", "seq"):
            stored.setdefault(row.matter_id, []).append(_clock_values(row))
        dirty = []
        clocks_dirty: list[Clock] = []
        clocks_of: list[int] = []
        for m in matters:
            clocks = rules.clocks_of(snapshot_of(m, by_matter.get(m.pk, [])), cal)
            rows = [clock_row(m.pk, c) for c in clocks]
            if [_clock_values(r) for r in rows] != stored.get(m.pk, []):
                clocks_of.append(m.pk)
                clocks_dirty.extend(rows)
            due = rules.matter_due(clocks)
            before = (m.due_on, m.due_provisional, m.due_paused, m.due_basis)
            _apply_due(m, due)
            if (m.due_on, m.due_provisional, m.due_paused, m.due_basis) != before:
                dirty.append(m)
        if dirty or clocks_of:
            with transaction.atomic():
                if clocks_of:
                    matters_changing.send(sender="recompute", matter_ids=clocks_of)
                if dirty:
                    Matter.objects.bulk_update(dirty, fields, batch_size=500)
                Clock.objects.filter(matter_id__in=clocks_of).delete()
                Clock.objects.bulk_create(clocks_dirty, batch_size=1000)
                if clocks_of:
                    matters_changed.send(sender="recompute", matter_ids=clocks_of)
            changed += len({m.pk for m in dirty} | set(clocks_of))
    return changed
