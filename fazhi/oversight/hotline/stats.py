"""What the hotline page shows: the three rates per dispatched unit (streets apart), and the
most common categories of a month — from the indicator engine's grouped queries and one
grouped count, never a query per unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.fields.json import KT

from fazhi.core.models import OrgKind, OrgUnit
from fazhi.core.scope import AnyUser, profile_of, scope_of
from fazhi.indicators.engine import Value_, evaluate, gather, period_of
from fazhi.oversight.hotline.indicators import INDICATORS
from fazhi.oversight.hotline.procedures import CODE
from fazhi.procedures.models import Matter

CODES = (
    "hotline_order.received",
    "hotline_order.concluded",
    "hotline_order.response_rate",
    "hotline_order.resolution_rate",
    "hotline_order.satisfaction_rate",
)


def scope_root(user: AnyUser | None) -> OrgUnit | None:
    """The unit whose subtree the user's figures cover: the whole tree for those who see it."""
    scope = scope_of(user)
    if not scope.is_staff_member:
        return None
    profile = profile_of(user)
    if scope.all_orgs or profile is None:
        top = OrgUnit.objects.filter(parent__isnull=True)
        if profile is not None:  # the tree the user's own unit is in
            found = top.filter(path=profile.org.path.split(".")[0] + ".").first()
            if found is not None:
                return found
        return top.order_by("pk").first()
    return profile.org


@dataclass(frozen=True)
class UnitRates:
    unit: OrgUnit
    values: dict[str, Value_]

    @property
    def is_street(self) -> bool:
        return self.unit.kind in (OrgKind.STREET, OrgKind.TOWNSHIP)


def rates_by_unit(org: OrgUnit, year: int, as_of: dt.date | None = None) -> list[UnitRates]:
    """Each unit of ``org``'s subtree that has orders in the year's cohorts, with its figures
    (its own orders: the unit the order is dispatched to), by path."""
    period = period_of(year, as_of)
    facts = gather(org, period, INDICATORS)
    ids = sorted(pk for pk, values in facts.conditional.items() if values)
    units = OrgUnit.objects.filter(pk__in=ids).order_by("path")
    wanted = [i for i in INDICATORS if i.code in CODES]
    return [UnitRates(u, evaluate(wanted, facts, {u.pk})) for u in units]


def top_categories(user: AnyUser | None, month: dt.date, limit: int = 10) -> list[tuple[str, int]]:
    """The month's most common categories of the orders the user sees (received that month)."""
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    rows = (
        Matter.objects.for_user(user)
        .of(CODE)
        .filter(received_on__gte=start, received_on__lt=end)
        .annotate(category=KT("details__category"))
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("-n", "category")[:limit]
    )
    return [(r["category"] or "（未分类）", r["n"]) for r in rows]
