"""Shared helpers for the domain apps' demo records (``fazhi demo``).

Demo records are generated through the engine (register_matter / act), exactly as staff
would create them, so every figure the platform shows is computed from records.
"""

from __future__ import annotations

import datetime as dt
import random
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


def working_day_on_or_after(day: dt.date) -> dt.date:
    from fazhi.workdays import Calendar

    cal = Calendar.default()
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
    return [working_day_on_or_after(d) for d in days]


def later(day: dt.date, rng: random.Random, lo: int, hi: int, cap: dt.date) -> dt.date:
    """A working day ``lo``–``hi`` days after ``day``, never after ``cap``."""
    return min(working_day_on_or_after(day + dt.timedelta(days=rng.randint(lo, hi))), cap)
