"""The clocks of a matter as a pure function of its steps and its declaration (DESIGN.md,
"Clocks").

``clocks_of(snap)`` walks the matter's steps once and gives every run of every declared
deadline (``Deadline``): when it started, its due date (or due moment, for limits in hours)
with its legal basis, and — once answered — the step that answered it, that step's date and
whether it was in time. ``act()`` stores them as ``Clock`` rows, the bulk import writes the
same rows from the same function, and the matter's due date (queue, sweep, reminders) is the
earliest open one (``matter_due``). No database access here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from fazhi.procedures.declarations.actions import Deadline
from fazhi.workdays import Calendar, Due, LimitKind, TimeLimit, Unit, get_limit, start_of_day

if TYPE_CHECKING:
    from fazhi.procedures.declarations import Procedure
    from fazhi.procedures.rules import MatterSnapshot, StepRecord

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ClockState:
    """One run of a deadline on a matter (a ``Clock`` row before it is stored)."""

    seq: int  # order of the clock on the matter, from 1
    limit: str  # the TimeLimit code
    label: str
    minimum: bool  # a minimum period (not before), not a deadline (by)
    started_on: dt.date
    started_at: dt.datetime | None
    due: Due | None  # None only when the limit could not be computed (no length)
    answered_on: dt.date | None = None
    answered_at: dt.datetime | None = None
    answered_action: str = ""
    in_time: bool | None = None

    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    @property
    def due_on(self) -> dt.date | None:
        return self.due.on if self.due is not None else None

    @property
    def due_at(self) -> dt.datetime | None:
        return self.due.at if self.due is not None else None

    @property
    def paused(self) -> bool:
        return self.due is not None and self.due.paused

    @property
    def basis(self) -> str:
        return self.due.description[:300] if self.due is not None else ""

    @property
    def provisional(self) -> bool:
        return self.due is not None and self.due.provisional


class _Run:
    """A clock while the walk goes: its deadline, start, pauses and extension so far."""

    __slots__ = ("deadline", "extension", "group", "pauses", "seq", "start")

    def __init__(self, seq: int, group: int, deadline: Deadline, start: StepRecord) -> None:
        self.seq = seq
        self.group = group
        self.deadline = deadline
        self.start = start
        self.pauses: list[list[StepRecord | None]] = []  # [pausing step, resuming step or None]
        self.extension = 0

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None

    def pause(self, step: StepRecord) -> None:
        if not self.paused:
            self.pauses.append([step, None])

    def resume(self, step: StepRecord) -> None:
        if self.paused:
            self.pauses[-1][1] = step


# (limit code, length) → the limit with that length: one object per variant, so that
# ``TimeLimit.due``'s memo (keyed by the limit object) keeps working for lengths from details
_LENGTHS: dict[tuple[int, int], TimeLimit] = {}


def limit_of(deadline: Deadline, details: Mapping[str, Any] | None) -> TimeLimit:
    """The deadline's limit in force for a matter: with the length its details give, if any."""
    limit = get_limit(deadline.limit)
    if not deadline.length_from or not details:
        return limit
    value = details.get(deadline.length_from)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or value == limit.length:
        return limit
    key = (id(limit), value)
    hit = _LENGTHS.get(key)
    if hit is None or hit.code != limit.code:
        if len(_LENGTHS) > 10_000:
            _LENGTHS.clear()
        hit = _LENGTHS[key] = replace(limit, length=value)
    return hit


def _until(run: _Run, limit: TimeLimit, details: Mapping[str, Any] | None) -> Due | None:
    """The due date a matter's own date fixes (``Deadline.until``), or None without one: the
    date the run's starting step carried (a new order's date), else the matter's details."""
    key = run.deadline.until
    value = (run.start.data or {}).get(key) or (details.get(key) if details else None)
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return None
    length = max((day - run.start.on).days, 0)
    return Due(
        on=day + dt.timedelta(days=run.extension),
        length=length,
        unit=Unit.NATURAL,
        extension=run.extension,
        rule=limit,
    )


def _due(run: _Run, limit: TimeLimit, cal: Calendar | None) -> Due:
    start = run.start
    if limit.unit.is_hours:
        start_at = start.at if start.at is not None else start_of_day(start.on + ONE_DAY)
        moments = [
            (
                p.at if p.at is not None else start_of_day(p.on),
                None if r is None else (r.at if r.at is not None else start_of_day(r.on + ONE_DAY)),
            )
            for p, r in run.pauses
            if p is not None
        ]
        return limit.due_at(
            start_at, cal, paused=moments, extension=run.extension, provisional=True
        )
    return limit.due(
        start.on,
        cal,
        paused=[(p.on, None if r is None else r.on) for p, r in run.pauses if p is not None],
        extension=run.extension,
        provisional=True,
    )


def _in_time(limit: TimeLimit, due: Due, step: StepRecord) -> bool:
    if due.on is None:  # answered while the count stood still: the limit was not running
        return True
    if limit.kind == LimitKind.MINIMUM:
        return step.on >= due.on
    if due.at is not None and step.at is not None:
        return step.at <= due.at
    return step.on <= due.on


def _finish(
    run: _Run,
    limit: TimeLimit,
    cal: Calendar | None,
    step: StepRecord | None,
    details: Mapping[str, Any] | None = None,
) -> ClockState:
    due = _until(run, limit, details) if run.deadline.until else None
    if due is None:
        due = _due(run, limit, cal)
    start = run.start
    state = object.__new__(ClockState)  # filled without __init__, as rules.apply fills its own
    state.__dict__.update(
        seq=run.seq,
        limit=limit.code,
        label=run.deadline.label or limit.label,
        minimum=limit.kind == LimitKind.MINIMUM,
        started_on=start.on,
        started_at=start.at,
        due=due,
        answered_on=None if step is None else step.on,
        answered_at=None if step is None else step.at,
        answered_action="" if step is None else step.action,
        in_time=None if step is None else _in_time(limit, due, step),
    )
    return state


def clocks_of(snap: MatterSnapshot, cal: Calendar | None = None) -> tuple[ClockState, ...]:
    """Every clock of the matter, in the order they started."""
    done, running = _walk(snap)
    if not done and not running:
        return ()
    cal = cal if cal is not None else Calendar.default()
    details = snap.details
    result = [_finish(r, limit_of(r.deadline, details), cal, s, details) for r, s in done]
    result.extend(_finish(r, limit_of(r.deadline, details), cal, None, details) for r in running)
    result.sort(key=lambda c: c.seq)
    return tuple(result)


def running_extensions(snap: MatterSnapshot) -> list[tuple[Deadline, int]]:
    """The running clocks' deadlines with the extension each has had (no due dates computed:
    the extension guard asks this of every matter page)."""
    return [(r.deadline, r.extension) for r in _walk(snap)[1]]


def _walk(snap: MatterSnapshot) -> tuple[list[tuple[_Run, StepRecord]], list[_Run]]:
    """The runs of the matter's deadlines: those answered (with the answering step), and
    those still running."""
    procedure: Procedure = snap.procedure
    groups = procedure.clock_groups
    if not groups:
        return [], []
    steps = snap.steps
    actions = procedure._actions
    closed = procedure.closed_states
    state = procedure.initial_state
    runs: list[_Run] = []
    done: list[tuple[_Run, StepRecord]] = []
    seq = 0
    for i, step in enumerate(steps):
        name = step.action
        if i:
            spec = actions.get(name)
            target = spec.target if spec is not None else None
            if spec is not None and spec.targets:
                target = spec.target_for(step.data)
            new_state = target or state
            if runs:
                keep: list[_Run] = []
                for run in runs:
                    d = run.deadline
                    if name in d.paused_by or name == "suspend":
                        run.pause(step)
                    elif name in d.resumed_by or name == "resume":
                        run.resume(step)
                    elif name == "extend" and get_limit(d.limit).extension_max is not None:
                        run.extension += int(step.data.get("days") or 0)
                    if (
                        new_state in closed
                        or name in d.answered_by
                        or (new_state not in d.states and not run.paused)
                    ):
                        done.append((run, step))
                    else:
                        keep.append(run)
                runs = keep
        else:
            new_state = state
        for g, group in enumerate(groups):
            first = group[0]
            if name not in first.runs_from or new_state not in first.states:
                continue
            chosen = next((d for d in group if d.when is None or d.when(_upto(snap, i))), None)
            if chosen is None:
                continue
            running = next((r for r in runs if r.group == g), None)
            if running is not None:  # started again: the clock restarts
                running.deadline, running.start = chosen, step
                running.pauses, running.extension = [], 0
                continue
            seq += 1
            runs.append(_Run(seq, g, chosen, step))
        state = new_state
    return done, runs


def _upto(snap: MatterSnapshot, i: int) -> MatterSnapshot:
    """The matter as a deadline's ``when`` sees it at its ``i``-th step: the steps up to that
    one (a later judgment does not decide whether an earlier one started a clock)."""
    if i == len(snap.steps) - 1:
        return snap
    return replace(snap, steps=snap.steps[: i + 1])


def matter_due(clocks: tuple[ClockState, ...]) -> Due | None:
    """The matter's due date: its earliest open deadline clock (a paused one when all are)."""
    best: ClockState | None = None
    paused: ClockState | None = None
    for c in clocks:
        if c.answered_on is not None or c.minimum or c.due is None:
            continue
        if c.due.on is None:
            paused = paused or c
            continue
        if best is None or (c.due.on, c.due.at or _LATE) < (best.due.on, best.due.at or _LATE):  # type: ignore[union-attr]
            best = c
    if best is not None:
        return best.due
    return paused.due if paused is not None else None


_LATE = dt.datetime.max.replace(tzinfo=dt.UTC)
