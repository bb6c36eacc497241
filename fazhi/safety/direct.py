"""直管企业检查率、公示率: of the directly supervised enterprises in force at the year's end,
how many were inspected in the year (an inspection round naming the enterprise's credit code,
by a unit of the enterprise's department or above it), and of those inspections how many were
made public; and the public list itself (公众页面“安全生产检查公示”).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.db.models import QuerySet

from fazhi.core.models import OrgUnit
from fazhi.core.pii import mask_public, staff_names
from fazhi.procedures.models import Activity, Matter
from fazhi.safety.models import DirectEnterprise


def rate(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` in percent, two decimals; None ("—") when nothing counts."""
    if not denominator:
        return None
    value = Decimal(numerator * 100) / Decimal(denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()


@dataclass(frozen=True)
class DirectCoverage:
    enterprises: int
    inspected: int
    inspections: int
    published: int
    not_inspected: list[DirectEnterprise]

    @property
    def inspection_rate(self) -> Decimal | None:
        return rate(self.inspected, self.enterprises)

    @property
    def publicity_rate(self) -> Decimal | None:
        return rate(self.published, self.inspections)


def direct_inspections(org: OrgUnit, year: int, as_of: dt.date) -> QuerySet[Activity]:
    """The year's inspection rounds (by ``as_of``) in ``org``'s subtree naming an enterprise."""
    return (
        Activity.objects.of("safety_inspection")
        .in_year(year)
        .filter(on__lte=as_of, org__path__startswith=org.path)
        .filter(figures__has_key="enterprise")
    )


def coverage(org: OrgUnit, year: int, as_of: dt.date | None = None) -> DirectCoverage:
    """The direct enterprises of ``org``'s subtree in force on ``as_of`` (default 31 Dec)."""
    as_of = as_of or dt.date(year, 12, 31)
    enterprises = cast(
        list[DirectEnterprise],
        list(DirectEnterprise.objects.valid_on(as_of).for_org_subtree(org).select_related("org")),
    )
    codes = {e.credit_code for e in enterprises}
    rounds = [
        (a.figures.get("enterprise", ""), a.figures.get("public") is True, a.org.path)
        for a in direct_inspections(org, year, as_of).select_related("org")
    ]
    inspected_by: dict[str, list[str]] = {}
    inspections = published = 0
    for code, public, path in rounds:
        if code not in codes:
            continue
        inspections += 1
        published += public
        inspected_by.setdefault(code, []).append(path)
    not_inspected = [
        e
        for e in enterprises
        if not any(e.org.path.startswith(p) for p in inspected_by.get(e.credit_code, []))
    ]
    return DirectCoverage(
        enterprises=len(enterprises),
        inspected=len(enterprises) - len(not_inspected),
        inspections=inspections,
        published=published,
        not_inspected=not_inspected,
    )


@dataclass(frozen=True)
class PublicInspection:
    on: dt.date
    organ: str
    enterprise: str
    credit_code: str
    title: str
    hazards: int
    verified: int


def _recorded(activity: Activity) -> list[str]:
    """Who the round records (the staff member who entered it): hidden in its public title."""
    user = activity.created_by
    return staff_names(user.first_name, user.last_name) if user is not None else []


def public_inspections(year: int, query: str = "") -> list[PublicInspection]:
    """The published inspections of direct enterprises of ``year``: each with its hazards and
    how many of them were verified rectified. Texts through the one public masking; an
    enterprise is public by its name and credit code (as on the enforcement disclosure list)."""
    names = dict(DirectEnterprise.objects.values_list("credit_code", "name"))
    rounds = (
        Activity.objects.of("safety_inspection")
        .in_year(year)
        .filter(figures__public=True)
        .select_related("org", "created_by")
        .order_by("-on", "-pk")
    )
    refs = [a.reference for a in rounds if a.reference]
    found: dict[str, list[str]] = {}
    for ref, state in (
        Matter.objects.of("safety_hazard")
        .filter(details__inspection__in=refs)
        .values_list("details__inspection", "state")
    ):
        found.setdefault(str(ref), []).append(state)
    out = []
    for a in rounds:
        code = str(a.figures.get("enterprise") or "")
        if code not in names:
            continue
        if query and query not in names[code] and query not in code:
            continue
        states = found.get(a.reference, []) if a.reference else []
        out.append(
            PublicInspection(
                on=a.on,
                organ=a.org.label,
                enterprise=mask_public(names[code]),
                credit_code=code,
                title=mask_public(a.title, names=_recorded(a)),
                hazards=len(states),
                verified=sum(1 for s in states if s == "verified"),
            )
        )
    return out
