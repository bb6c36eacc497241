"""Shared helpers for the domain apps' demo records (``fazhi demo``).

Demo matters are collected as lines of the import format (``DemoMatters``) and written by the
bulk import, which replays every line through the same rules as ``register_matter`` /
``act()`` (no second path): every figure the platform shows is computed from records built
by the rules, and the full demo year builds in seconds rather than one ``act()`` at a time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from fazhi.core.models import OrgUnit
from fazhi.procedures.models import IntakeRoute, Matter


def demo_user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def unit(root: OrgUnit, short_name: str) -> OrgUnit:
    return OrgUnit.objects.subtree_of(root).get(short_name=short_name)


def route(procedure: str, org: OrgUnit) -> None:
    IntakeRoute.objects.get_or_create(procedure=procedure, defaults={"org": org})


def already_built(procedure: str, year: int) -> bool:
    return Matter.objects.of(procedure).received_in(year).exists()


def working_day_on_or_after(day: dt.date, cal: Any = None) -> dt.date:
    from fazhi.workdays import Calendar

    cal = cal or Calendar.default()
    while not cal.is_working_day(day, provisional=True):
        day += dt.timedelta(days=1)
    return day


def spread(
    rng: random.Random, year: int, count: int, *, last: dt.date | None = None
) -> list[dt.date]:
    """``count`` working days of ``year`` (up to ``last``), sorted, drawn with ``rng``."""
    start = dt.date(year, 1, 2)
    end = last or dt.date(year, 12, 20)
    span = (end - start).days
    days = sorted(start + dt.timedelta(days=rng.randrange(span)) for _ in range(count))
    from fazhi.workdays import Calendar

    cal = Calendar.default()  # read once, not once a day
    return [working_day_on_or_after(d, cal) for d in days]


def later(day: dt.date, rng: random.Random, lo: int, hi: int, cap: dt.date) -> dt.date:
    """A working day ``lo``–``hi`` days after ``day``, never after ``cap``."""
    return min(working_day_on_or_after(day + dt.timedelta(days=rng.randint(lo, hi))), cap)


# --- demo matters through the bulk import ---------------------------------------------------


class DemoError(RuntimeError):
    """The demo's own records were refused by the rules: a bug in a demo module."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


@dataclass
class DemoMatter:
    """One matter of the demo, as a line of the import format (docs/import-format.md)."""

    record: dict[str, Any]

    def step(self, action: str, on: dt.date, *, public: bool = False, **data: Any) -> DemoMatter:
        """Append the step ``action`` taken on ``on`` (``public``: by the submitter)."""
        step: dict[str, Any] = {"action": action, "on": on.isoformat()}
        if data:
            step["data"] = _jsonable(data)
        if public:
            step["by"] = "public"
        self.record["steps"].append(step)
        return self


@dataclass
class DemoMatters:
    """The demo's matters, collected and then written by the bulk import (``save``).

    A demo module registers matters and their steps here instead of calling
    ``register_matter`` and ``act()`` one at a time: ``save`` replays every line through the
    same rules (``fazhi.procedures.importing.import_records``) and writes them in batches, in
    one transaction, so the full demo year builds in seconds. References are the platform's own
    (``FY-2024-000017``), numbered on from the stored counters; the import moves the counters
    on, so matters registered later get later numbers.
    """

    matters: list[DemoMatter] = field(default_factory=list)
    _next: dict[tuple[str, int], int] = field(default_factory=dict)

    def _reference(self, procedure: str, year: int) -> str:
        from fazhi.procedures.declarations import get_procedure
        from fazhi.procedures.models import ReferenceCounter
        from fazhi.procedures.services import reference_prefix

        prefix = reference_prefix(get_procedure(procedure))
        key = (prefix, year)
        if key not in self._next:
            stored = ReferenceCounter.objects.filter(prefix=prefix, year=year).first()
            self._next[key] = (stored.last if stored is not None else 0) + 1
        number = self._next[key]
        self._next[key] = number + 1
        return f"{prefix}-{year}-{number:06d}"

    def add(
        self,
        procedure: str,
        *,
        org: OrgUnit,
        received_on: dt.date,
        subject: str,
        channel: str = "window",
        party: Mapping[str, Any] | None = None,
        details: Mapping[str, Any] | None = None,
        mailed_on: dt.date | None = None,
    ) -> DemoMatter:
        """Register a matter (its steps follow through ``DemoMatter.step``)."""
        record: dict[str, Any] = {
            "procedure": procedure,
            "reference": self._reference(procedure, received_on.year),
            "org": org.name,
            "received_on": received_on.isoformat(),
            "subject": subject,
            "channel": channel,
            "steps": [],
        }
        if party:
            record["party"] = _jsonable(party)
        if details:
            record["details"] = _jsonable(details)
        if mailed_on is not None:
            record["mailed_on"] = mailed_on.isoformat()
        matter = DemoMatter(record)
        self.matters.append(matter)
        return matter

    def __len__(self) -> int:
        return len(self.matters)

    def save(self, name: str) -> int:
        """Import the collected matters (all or nothing); return how many were written.

        A line the rules refuse is a bug in the demo module: ``DemoError`` names its first
        refusals and nothing is written.
        """
        from fazhi.procedures.importing import import_records

        if not self.matters:
            return 0
        records = ((i, m.record, None) for i, m in enumerate(self.matters, start=1))
        report = import_records(records, name=f"演示数据：{name}", fmt="jsonl")
        if not report.committed:
            shown = "；".join(str(e) for e in report.errors[:5])
            raise DemoError(f"演示数据“{name}”有{report.rejected}行被拒绝：{shown}")
        self.matters.clear()
        return report.created + report.updated
