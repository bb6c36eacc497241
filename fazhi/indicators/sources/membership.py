"""A matter's part in each kept source as a function of the cut-off (pure, no database).

The rules are those of the grouped queries (``fazhi.indicators.engine.conditional``), which
stay the reference: a matter's state as of a cut-off is that of its last step on or before it;
a step counts when dated on or before it; a clock counts from its start, is answered on its
answering step's date and is waiting past its limit from the day after its due date; details
and the party are the matter's current ones, and everything counts for the unit handling the
matter now. Between two of a matter's dates (receipt, steps, clock dates) nothing changes, so
its part is evaluated once on each of those dates and only the changes are kept:
``contributions`` gives them as ``(year, grain, source, date, org) → change``, on the day grain
(``with_months`` adds the month grain).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from fazhi.indicators.registry import Condition, Detail, HasStep, Matters, Party, Scalar, Steps
from fazhi.indicators.sources.keys import Tallied, source_key

DAY, MONTH = "day", "month"
ONE_DAY = dt.timedelta(days=1)
# (year, grain, source, on, org_id): the order of the table's unique index
Key = tuple[int, str, str, dt.date, int]
Deltas = defaultdict[Key, int]
_MISSING = object()


@dataclass
class MatterFacts:
    """What the sources read of a matter. ``steps``: ``(seq, action, on, state_after, data …)``
    in order of seq; ``clocks``: objects with ``limit``, ``started_on``, ``due_on``,
    ``answered_on``, ``in_time`` and ``answered_action`` (``Clock`` rows or ``ClockState``)."""

    procedure: str
    org_id: int
    received_on: dt.date
    details: Mapping[str, Any]
    party_kind: str
    steps: Sequence[Sequence[Any]]
    clocks: Sequence[Any] = ()
    _states: dict[dt.date, str | None] = field(default_factory=dict, repr=False)

    def state_at(self, t: dt.date) -> str | None:
        """The state after the last step (by seq) dated on or before ``t``."""
        state = self._states.get(t, _MISSING)
        if state is _MISSING:
            best = -1
            state = None
            for s in self.steps:
                if s[2] <= t and s[0] > best:
                    best, state = s[0], s[3]
            self._states[t] = state
        return state  # type: ignore[return-value]


def same(value: Any, wanted: Scalar) -> bool:
    """A JSON value equals a declared one of the same JSON type (``True`` is not ``1``)."""
    if isinstance(wanted, bool):
        return isinstance(value, bool) and value is wanted
    if isinstance(wanted, int):
        return isinstance(value, int | float) and not isinstance(value, bool) and value == wanted
    return isinstance(value, str) and value == wanted


def _one_of(value: Any, values: Iterable[Scalar]) -> bool:
    return value is not _MISSING and any(same(value, v) for v in values)


def _data_matches(data: Any, pairs: Sequence[tuple[str, frozenset[Scalar]]]) -> bool:
    if not pairs:
        return True
    if not isinstance(data, Mapping):
        return False
    return all(_one_of(data.get(key, _MISSING), values) for key, values in pairs)


# --- compiled predicates: (facts, year, cut-off) → bool ---------------------------------------

Predicate = Callable[[MatterFacts, int, dt.date], bool]


def _detail(cond: Detail) -> Predicate:
    key, values, negate = cond.key, cond.values, cond.negate

    def test(f: MatterFacts, year: int, t: dt.date) -> bool:
        found = _one_of(f.details.get(key, _MISSING), values)
        return not found if negate else found

    return test


def _has_step(cond: HasStep) -> Predicate:
    actions, pairs = cond.actions, cond.data

    def test(f: MatterFacts, year: int, t: dt.date) -> bool:
        start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), t)
        found = False
        if cond.latest:  # the latest step of the actions by the cut-off must qualify
            latest = None
            for s in f.steps:
                if s[1] in actions and s[2] <= t and (latest is None or s[0] > latest[0]):
                    latest = s
            found = (
                latest is not None
                and (not cond.in_year or start <= latest[2] <= end)
                and _data_matches(latest[4], pairs)
            )
        else:
            for s in f.steps:
                if (
                    s[1] in actions
                    and s[2] <= t
                    and (not cond.in_year or start <= s[2] <= end)
                    and _data_matches(s[4], pairs)
                ):
                    found = True
                    break
        return not found if cond.negate else found

    return test


def _condition(cond: Condition) -> Predicate:
    if isinstance(cond, Detail):
        return _detail(cond)
    if isinstance(cond, Party):
        kind = cond.kind
        return lambda f, year, t: f.party_kind == kind
    if isinstance(cond, HasStep):
        return _has_step(cond)
    raise TypeError(f"{cond!r} is not kept by the tally (keys.is_tallied)")


@dataclass(frozen=True)
class _MatterPlan:
    """The matter part of a source: cohort, conditions and states. ``fixed`` are the tests
    that do not depend on the cut-off (details, party): tested once a matter; ``tests`` the
    others (steps)."""

    src: Matters
    tests: tuple[Predicate, ...]
    fixed: tuple[Predicate, ...] = ()

    def admits(self, f: MatterFacts) -> bool:
        """The tests that hold for every cut-off or none (details, party)."""
        return all(test(f, 0, f.received_on) for test in self.fixed)

    def years(self, f: MatterFacts) -> set[int]:
        """The cohort years the matter can belong to."""
        if not self.src.cohort:
            return {f.received_on.year}
        return {s[2].year for s in f.steps if s[1] == self.src.cohort}

    def holds(self, f: MatterFacts, year: int, t: dt.date) -> bool:
        """The matter is in the source's matters as of ``t`` (the fixed tests passed)."""
        src = self.src
        if not src.cohort:
            if not f.received_on <= t:
                return False
        else:
            start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), t)
            if not any(s[1] == src.cohort and start <= s[2] <= end for s in f.steps):
                return False
        if src.states is not None and f.state_at(t) not in src.states:
            return False
        return all(test(f, year, t) for test in self.tests)


def _matter_plan(src: Matters) -> _MatterPlan:
    fixed = tuple(_condition(c) for c in src.where if isinstance(c, Detail | Party))
    rest = tuple(_condition(c) for c in src.where if not isinstance(c, Detail | Party))
    return _MatterPlan(src, rest, fixed)


def _cents(value: Any) -> int | None:
    """An amount in ``details`` as cents (None: absent or not a number)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite():
        return None
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class Plan:
    """One kept source, compiled: its value for a matter, a cohort year and a cut-off."""

    def __init__(self, src: Tallied) -> None:
        self.src = src
        self.key = source_key(src)
        self.procedure = src.procedure
        inner = src if isinstance(src, Matters) else src.matters
        self.matter = _matter_plan(inner)
        self.uses_clocks = not isinstance(src, Matters | Steps)

    def value(self, f: MatterFacts, year: int, t: dt.date) -> int:
        """The source's value for the matter as of ``t``."""
        if not self.matter.holds(f, year, t):
            return 0
        return self.own(f, year, t)

    def own(self, f: MatterFacts, year: int, t: dt.date) -> int:
        """The value as of ``t`` of a matter that is in the source's matters then."""
        src = self.src
        if isinstance(src, Matters):
            if src.total:
                return _cents(f.details.get(src.total)) or 0
            return 1
        if isinstance(src, Steps):
            start = dt.date(year, 1, 1)
            return sum(
                1
                for s in f.steps
                if s[1] in src.actions and start <= s[2] <= t and _data_matches(s[4], src.data)
            )
        return sum(1 for c in f.clocks if c.limit in src.limits and _timely(src, c, t))


def _timely(src: Any, c: Any, t: dt.date) -> bool:
    """``engine.conditional._timely_q`` for one clock as of ``t``."""
    if c.started_on is None or c.started_on > t:
        return False
    answered = c.answered_on is not None and c.answered_on <= t
    waiting_past = not answered and c.due_on is not None and c.due_on < t
    late = answered and c.in_time is False
    if src.only == "late":
        ok = late
    elif src.only == "overdue":
        ok = waiting_past
    elif src.only == "missed":
        ok = late or waiting_past
    elif src.answered:
        ok = answered and c.in_time is True
    else:
        ok = answered or waiting_past
    if ok and src.actions is not None and answered:
        ok = c.answered_action in src.actions
    return ok


def _dates(f: MatterFacts, clocks: bool) -> list[dt.date]:
    dates = {f.received_on}
    dates.update(s[2] for s in f.steps)
    if clocks:
        for c in f.clocks:
            for day in (c.started_on, c.answered_on):
                if day is not None:
                    dates.add(day)
            if c.due_on is not None:
                dates.add(c.due_on + ONE_DAY)
    return sorted(dates)


_PLANS: dict[tuple[Tallied, ...], dict[str, list[Plan]]] = {}


def plans_by_procedure(sources: Sequence[Tallied]) -> dict[str, list[Plan]]:
    """The compiled sources, by procedure (memoised per set of sources)."""
    key = tuple(sources)
    plans = _PLANS.get(key)
    if plans is None:
        plans = defaultdict(list)
        for src in sources:
            plans[src.procedure].append(Plan(src))
        plans = dict(plans)
        if len(_PLANS) > 64:
            _PLANS.clear()
        _PLANS[key] = plans
    return plans


def contributions(
    f: MatterFacts,
    plans: Sequence[Plan],
    sign: int = 1,
    into: Deltas | None = None,
) -> Deltas:
    """What the matter adds to each of ``plans`` (its procedure's), day grain: on each of its
    dates where its value changes, the change (``sign=-1``: what taking it away removes).

    The matter part (cohort, conditions, states) is evaluated once per distinct one on each
    date, whatever the number of sources that share it."""
    out: Deltas = defaultdict(int) if into is None else into
    if not plans:
        return out
    org = f.org_id
    dates: dict[bool, list[dt.date]] = {}
    admitted: dict[int, bool] = {}
    held: dict[tuple[int, int, bool], list[bool]] = {}
    for plan in plans:
        part = plan.matter
        ok = admitted.get(id(part))
        if ok is None:
            ok = admitted[id(part)] = part.admits(f)
        if not ok:
            continue
        clocked = plan.uses_clocks
        days = dates.get(clocked)
        if days is None:
            days = dates[clocked] = _dates(f, clocked)
        key = plan.key
        for year in part.years(f):
            memo = (id(part), year, clocked)
            holds = held.get(memo)
            if holds is None:
                holds = held[memo] = [part.holds(f, year, day) for day in days]
            before = 0
            for day, inside in zip(days, holds, strict=True):
                now = plan.own(f, year, day) if inside else 0
                if now != before:
                    out[(year, DAY, key, day, org)] += sign * (now - before)
                    before = now
    return out


def with_months(deltas: Deltas) -> Deltas:
    """Complete day-grain ``deltas`` with the month grains they imply, in place."""
    months: Deltas = defaultdict(int)
    for (year, grain, key, on, org), n in deltas.items():
        if grain == DAY:
            months[(year, MONTH, key, on.replace(day=1), org)] += n
    for k, n in months.items():
        deltas[k] += n
    return deltas
