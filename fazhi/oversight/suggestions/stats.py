"""Per-unit statistics of suggestions and proposals (the lead unit's own matters): assigned,
replied, on time, result classes A/B/C, satisfaction — the indicators of
``suggestions.indicators`` over one ``gather`` of the scope, never a query per unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi.core.models import OrgUnit
from fazhi.indicators.engine import Value_, evaluate, gather, period_of
from fazhi.indicators.formatting import format_value
from fazhi.indicators.registry import Indicator, get_indicator

#: the kinds on the suggestions pages: (procedure, label)
KINDS = (
    ("npc_suggestion", "人大代表建议"),
    ("cppcc_proposal", "政协提案"),
    ("procuratorial_suggestion", "检察建议"),
    ("judicial_suggestion", "司法建议"),
)
DEPUTY_KINDS = ("npc_suggestion", "cppcc_proposal")

# (indicator suffix, column heading) of each kind's statistics table
DEPUTY_COLUMNS = (
    ("handled", "交办"),
    ("reply_rate", "办复率"),
    ("on_time_rate", "按期办复率"),
    ("results.A", "A类"),
    ("results.B", "B类"),
    ("results.C", "C类"),
    ("completion_rate", "办结率"),
    ("satisfaction_rate", "满意率"),
)
ORGAN_COLUMNS = (
    ("received", "收到"),
    ("reply_rate", "回复率"),
    ("on_time_rate", "按期回复率"),
)


def columns_of(kind: str) -> tuple[tuple[str, str], ...]:
    """(indicator code, heading) of ``kind``'s table."""
    suffixes = DEPUTY_COLUMNS if kind in DEPUTY_KINDS else ORGAN_COLUMNS
    return tuple((f"{kind}.{suffix}", heading) for suffix, heading in suffixes)


@dataclass(frozen=True)
class UnitRow:
    unit: OrgUnit | None  # None: the whole scope (合计)
    values: dict[str, Value_]

    def cells(self, indicators: list[Indicator]) -> list[tuple[str, str]]:
        """(code, the value as the report writes it) per column."""
        return [(i.code, format_value(i, self.values.get(i.code))) for i in indicators]


def by_unit(
    org: OrgUnit, kind: str, year: int, as_of: dt.date | None = None
) -> tuple[list[Indicator], list[UnitRow], UnitRow]:
    """The columns, one row per unit of ``org``'s subtree that leads matters of ``kind`` in
    the year's cohort (by path), and the total of the scope."""
    indicators = [get_indicator(code) for code, _heading in columns_of(kind)]
    facts = gather(org, period_of(year, as_of), indicators)
    ids = {pk for pk, counter in facts.matters.items() if any(k[0] == kind for k in counter)}
    ids |= {pk for pk, values in facts.conditional.items() if values}
    units = OrgUnit.objects.filter(pk__in=ids).order_by("path")
    rows = [UnitRow(u, evaluate(indicators, facts, {u.pk})) for u in units]
    rows = [r for r in rows if any(r.values.values())]
    return indicators, rows, UnitRow(None, evaluate(indicators, facts))
