"""Indicators from the facts: values, rates, consistency rules and the result."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fazhi.core.models import OrgUnit
from fazhi.indicators.engine.facts import Facts, gather
from fazhi.indicators.engine.period import CENT, Period, SourceKind, Value_, period_of
from fazhi.indicators.registry import (
    PERCENT_100,
    ActivityCount,
    ActivitySum,
    Entries,
    Indicator,
    Matters,
    MatterSet,
    Source,
    Steps,
    Timely,
    all_checks,
    all_indicators,
    computed_indicators,
    get_indicator,
)

# --- evaluation -----------------------------------------------------------------------------


def _count_matters(counter: Counter[tuple[str, str, str]], src: MatterSet) -> int:
    return sum(
        n
        for (procedure, state, rating), n in counter.items()
        if procedure == src.procedure
        and (src.states is None or state in src.states)
        and (src.ratings is None or rating in src.ratings)
    )


def evaluate_source(
    src: Source, facts: Facts, org_ids: set[int] | None = None, body_ids: set[int] | None = None
) -> int | Decimal | None:
    """The value of one source over the facts of ``org_ids`` (None: all of them)."""
    if isinstance(src, Matters | Steps | Timely | Entries):
        return sum(
            (
                values.get(src, 0)
                for org_id, values in facts.conditional.items()
                if org_ids is None or org_id in org_ids
            ),
            0,
        )
    if isinstance(src, MatterSet):
        return sum(
            _count_matters(counter, src)
            for org_id, counter in facts.matters.items()
            if org_ids is None or org_id in org_ids
        )
    if isinstance(src, ActivityCount | ActivitySum):
        figure = src.figure if isinstance(src, ActivitySum) else ""
        return sum(
            counter[(src.activity, figure)]
            for org_id, counter in facts.activities.items()
            if org_ids is None or org_id in org_ids
        )
    counts = [
        n
        for pk, kind, n in facts.bodies
        if kind == src.parent_kind and (body_ids is None or pk in body_ids)
    ]
    return max(counts) if counts else None


def rate(numerator: int | Decimal | None, denominator: int | Decimal | None) -> Decimal | None:
    """numerator / denominator × 100, two decimals (half up); None when the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) * PERCENT_100 / Decimal(denominator)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def evaluate(
    indicators: Iterable[Indicator],
    facts: Facts,
    org_ids: set[int] | None = None,
    body_ids: set[int] | None = None,
) -> dict[str, Value_]:
    values: dict[str, Value_] = {}
    for ind in indicators:
        if ind.numerator is None:
            values[ind.code] = None
            continue
        num = evaluate_source(ind.numerator, facts, org_ids, body_ids)
        if ind.denominator is None:
            values[ind.code] = num
        else:
            values[ind.code] = rate(num, evaluate_source(ind.denominator, facts, org_ids, body_ids))
    return values


# --- consistency rules ----------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One consistency rule applied to one computation."""

    rule: str
    label: str
    ok: bool
    detail: str

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "label": self.label, "detail": self.detail}


def _fmt(v: Value_) -> str:
    return "—" if v is None else str(v)


def check_values(values: dict[str, Value_]) -> list[Check]:
    """The consistency rules the domains declared (``registry.register_check``) and the range
    of every rate (0–100%), over computed values.

    A rule whose figures are not all computed is skipped (not reported as passed or failed).
    """
    checks: list[Check] = []
    for rule in all_checks():
        if any(values.get(c) is None for c in rule.codes):
            continue
        known = {c: v for c, v in values.items() if v is not None}
        checks.append(Check(rule.code, rule.label, rule.holds(known), rule.detail(known)))
    for code, value in values.items():
        try:
            ind = get_indicator(code)
        except KeyError:
            continue
        if ind.is_rate and value is not None:
            checks.append(
                Check(
                    f"{code}.range",
                    f"{ind.label}在 0–100% 之间",
                    Decimal(0) <= Decimal(value) <= PERCENT_100,
                    f"{ind.label} {_fmt(value)}%",
                )
            )
    return checks


# --- the result -----------------------------------------------------------------------------


@dataclass
class IndicatorResult:
    org: OrgUnit
    year: int
    as_of: dt.date
    values: dict[str, Value_]
    checks: list[Check]

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def as_json(self) -> dict[str, Any]:
        return {
            "org": self.org.division_code or self.org.pk,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "values": {code: json_number(v) for code, v in self.values.items()},
            "checks": [c.as_json() for c in self.failures],
        }


def json_number(value: Value_) -> int | float | None:
    """Counts as integers; rates as numbers with two decimals (94.16); None stays None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value.quantize(CENT))
    return int(value)


def compute_indicators(
    org: OrgUnit,
    year: int,
    as_of: dt.date | None = None,
    *,
    source: SourceKind = "tally",
) -> IndicatorResult:
    """All indicators of ``org``'s subtree for ``year`` as of ``as_of`` (default 31 December).

    Pending indicators (no procedure yet) are present with the value None. ``source`` picks
    the table the matters are counted from (see the module's docstring; same answers).
    """
    period = period_of(year, as_of)
    indicators = computed_indicators()
    facts = gather(org, period, indicators, source=source)
    return _result(org, year, period, indicators, facts)


@dataclass
class UnitValues:
    unit: OrgUnit
    values: dict[str, Value_]
    own: bool = False  # the records of the scope's unit itself ("本级"), not a child's subtree


def _by_unit(org: OrgUnit, facts: Facts, indicators: list[Indicator]) -> list[UnitValues]:
    units = list(
        OrgUnit.objects.subtree_of(org).only(
            "pk", "path", "parent_id", "name", "short_name", "kind", "sort_order"
        )
    )
    children = sorted(
        (u for u in units if u.parent_id == org.pk), key=lambda u: (u.sort_order, u.pk)
    )
    result = [UnitValues(org, evaluate(indicators, facts, {org.pk}, {org.pk}), own=True)]
    for child in children:
        ids = {u.pk for u in units if u.path.startswith(child.path)}
        result.append(UnitValues(child, evaluate(indicators, facts, ids, ids)))
    return result


def compute_by_unit(org: OrgUnit, year: int, as_of: dt.date | None = None) -> list[UnitValues]:
    """The indicators of ``org`` itself ("本级", first) and of each direct child (its whole
    subtree), from the same grouped queries as ``compute_indicators`` plus one listing the
    subtree's units — never a query per unit."""
    return compute_scope(org, year, as_of)[1]


def compute_scope(
    org: OrgUnit, year: int, as_of: dt.date | None = None
) -> tuple[IndicatorResult, list[UnitValues]]:
    """``compute_indicators`` and ``compute_by_unit`` from one set of grouped queries."""
    period = period_of(year, as_of)
    indicators = computed_indicators()
    facts = gather(org, period, indicators)
    return _result(org, year, period, indicators, facts), _by_unit(org, facts, indicators)


def _result(
    org: OrgUnit, year: int, period: Period, indicators: list[Indicator], facts: Facts
) -> IndicatorResult:
    values = evaluate(indicators, facts)
    full = {ind.code: values.get(ind.code) for ind in all_indicators()}
    return IndicatorResult(org, year, period.as_of, full, check_values(full))
