"""The indicator engine: every indicator of a scope for a year, as of a cut-off date.

Public API (the REST API, the report and the dashboard code against exactly this):

- ``compute_indicators(org, year, as_of=None) -> IndicatorResult``
- ``drill_down(code, org, year, as_of=None, part="numerator") -> QuerySet``

Rules (spec/indicators.md): the scope is ``org`` and its whole subtree (a matter belongs to the
unit that currently handles it); a matter belongs to year Y when received in Y (and on or
before the cut-off); its state and latest rating are those of its last step dated on or before
the cut-off; activities count by their own date. A rate is numerator / denominator × 100 with
two decimals; a denominator of 0 gives None ("—").

Cost: one grouped query over matters, one over activities and one over the org tree — the
same three queries whatever the number of matters, units or indicators. The matters' query
reads the tally (StateTally: a few thousand rows per district-year, whatever the number of
matters); ``source="base"`` computes the same counts from the Matter and Step tables
themselves (slower), the reference the tally is verified against. Drill-down lists read the
base tables.
"""

from fazhi.indicators.engine.compute import (
    Check,
    IndicatorResult,
    UnitValues,
    check_values,
    compute_by_unit,
    compute_indicators,
    compute_scope,
    evaluate,
    evaluate_source,
    json_number,
    rate,
)
from fazhi.indicators.engine.drilldown import (
    DashboardFigures,
    dashboard_figures,
    drill_down,
    monthly_trend,
    source_records,
)
from fazhi.indicators.engine.facts import Facts, gather
from fazhi.indicators.engine.period import (
    CENT,
    IndicatorError,
    Part,
    Period,
    SourceKind,
    Value_,
    period_of,
)

__all__ = [
    "CENT",
    "Check",
    "DashboardFigures",
    "Facts",
    "IndicatorError",
    "IndicatorResult",
    "Part",
    "Period",
    "SourceKind",
    "UnitValues",
    "Value_",
    "check_values",
    "compute_by_unit",
    "compute_indicators",
    "compute_scope",
    "dashboard_figures",
    "drill_down",
    "evaluate",
    "evaluate_source",
    "gather",
    "json_number",
    "monthly_trend",
    "period_of",
    "rate",
    "source_records",
]
