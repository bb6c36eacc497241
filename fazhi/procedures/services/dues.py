"""A matter's due date and its clocks' rows."""

from __future__ import annotations

from collections.abc import Iterable

from fazhi.procedures.clocks import ClockState
from fazhi.procedures.models import (
    Clock,
    Matter,
)
from fazhi.workdays import Due

# --- due dates ----------------------------------------------------------------------------


def _apply_due(matter: Matter, due: Due | None) -> None:
    before = matter.due_on
    if due is None:
        matter.due_on, matter.due_rule, matter.due_basis = None, "", ""
        matter.due_provisional = matter.due_paused = False
    else:
        matter.due_on = due.on
        matter.due_rule = due.code or ""
        matter.due_basis = due.description[:300]
        matter.due_provisional = due.provisional
        matter.due_paused = due.paused
    if matter.due_on != before:
        matter.warned_on = matter.overdue_on = None


def clock_row(matter_id: int, c: ClockState) -> Clock:
    """The ``Clock`` row of a computed clock (act(), recomputation, the backfill)."""
    due = c.due
    return Clock(
        matter_id=matter_id,
        seq=c.seq,
        limit=c.limit,
        label=c.label[:100],
        minimum=c.minimum,
        started_on=c.started_on,
        started_at=c.started_at,
        due_on=None if due is None else due.on,
        due_at=None if due is None else due.at,
        basis=c.basis,
        provisional=c.provisional,
        paused=c.paused,
        answered_on=c.answered_on,
        answered_at=c.answered_at,
        answered_action=c.answered_action,
        in_time=c.in_time,
    )


def store_clocks(matter_id: int, clocks: Iterable[ClockState], *, replace: bool = True) -> None:
    """The matter's clocks as rows: the stored ones replaced by ``clocks``."""
    if replace:
        Clock.objects.filter(matter_id=matter_id).delete()
    rows = [clock_row(matter_id, c) for c in clocks]
    if rows:
        Clock.objects.bulk_create(rows)
