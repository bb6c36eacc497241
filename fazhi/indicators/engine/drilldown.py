"""The records behind a figure, the monthly trend and the dashboard's cached figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    IntegerField,
    QuerySet,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from fazhi.core import clock
from fazhi.core.models import OrgKind, OrgUnit
from fazhi.indicators.engine.compute import IndicatorResult, UnitValues, compute_scope
from fazhi.indicators.engine.conditional import conditional_records
from fazhi.indicators.engine.facts import as_of_annotations, sources_of, subtree_ids, tally_window
from fazhi.indicators.engine.period import IndicatorError, Part, Period, period_of
from fazhi.indicators.models import StateTally
from fazhi.indicators.registry import (
    ActivityCount,
    ActivitySum,
    Entries,
    Indicator,
    Matters,
    MatterSet,
    Source,
    Steps,
    Timely,
    computed_indicators,
    get_indicator,
)
from fazhi.procedures.models import Activity, Matter

# --- drill-down -----------------------------------------------------------------------------


def _source_for(code: str, part: str) -> tuple[Indicator, Source]:
    try:
        ind = get_indicator(code)
    except KeyError as exc:
        raise IndicatorError(str(exc.args[0])) from None
    if ind.numerator is None:
        raise IndicatorError(f"指标“{ind.label}”尚未计算：{ind.pending}")
    if part == "numerator":
        return ind, ind.numerator
    if part == "denominator":
        if ind.denominator is None:
            raise IndicatorError(f"指标“{ind.label}”是件数，不是比率，没有分母。")
        return ind, ind.denominator
    raise IndicatorError(f"部分“{part}”无效，应为 numerator（分子）或 denominator（分母）。")


def source_records(src: Source, org: OrgUnit, period: Period) -> QuerySet[Any]:
    """The records behind one source: matters, steps, register entries, activities or
    internal bodies."""
    if isinstance(src, Matters | Steps | Timely | Entries):
        return conditional_records(src, org, period)
    if isinstance(src, MatterSet):
        # The cohort by the (procedure, received_on) index, then each matter's state (and
        # rating) as of the cut-off from its latest step on or before it, by the (matter, seq)
        # index: the same rule as the counts' reference path.
        state_at, rating_at = as_of_annotations(period)
        matters = Matter.objects.filter(
            procedure=src.procedure,
            received_on__gte=period.start,
            received_on__lte=period.end,
            org_id__in=subtree_ids(org),
        )
        if src.states is not None:
            matters = matters.annotate(state_at=state_at).filter(state_at__in=src.states)
        if src.ratings is not None:
            matters = matters.annotate(rating_at=rating_at).filter(rating_at__in=src.ratings)
        return matters.select_related("org").order_by("received_on", "pk")
    if isinstance(src, ActivityCount | ActivitySum):
        qs = Activity.objects.filter(
            kind=src.activity,
            on__gte=period.start,
            on__lte=period.end,
            org_id__in=subtree_ids(org),
        )
        if isinstance(src, ActivitySum):
            qs = qs.annotate(figure=Cast(KT(f"figures__{src.figure}"), IntegerField())).filter(
                figure__gt=0
            )
        return qs.select_related("org").order_by("on", "pk")
    return (
        OrgUnit.objects.subtree_of(org)
        .filter(
            kind=OrgKind.INTERNAL,
            is_active=True,
            parent__kind=src.parent_kind,
            parent__is_active=True,
        )
        .select_related("parent")
        .order_by("parent__path", "sort_order", "pk")
    )


def drill_down(
    code: str,
    org: OrgUnit,
    year: int,
    as_of: dt.date | None = None,
    part: Part = "numerator",
) -> QuerySet[Any]:
    """The records that make ``code``'s numerator (or denominator) for the scope and year.

    For a count, the list's length is the value; for a sum, the list holds the activities whose
    figure is above zero; for a rate, the numerator's records are among the denominator's.
    """
    period = period_of(year, as_of)
    _, src = _source_for(code, part)
    return source_records(src, org, period)


# --- monthly trend --------------------------------------------------------------------------


def monthly_trend(org: OrgUnit, year: int, as_of: dt.date | None = None) -> dict[str, list[int]]:
    """Counts by month (1–12) of matters received (per procedure) and activities held (per
    kind) in the scope, for the procedures and kinds the indicators use. Two grouped queries:
    the matters' from the tally's received counts, the activities' by date (at most 366 groups
    per kind, folded into months here: extracting the month in SQL costs a function call per
    row on SQLite)."""
    period = period_of(year, as_of)
    sources = sources_of(computed_indicators())
    procedures = sorted({s.procedure for s in sources if isinstance(s, MatterSet)})
    kinds = sorted({s.activity for s in sources if isinstance(s, ActivityCount | ActivitySum)})
    series: dict[str, list[int]] = {key: [0] * 12 for key in [*procedures, *kinds]}
    matter_rows = (
        tally_window(
            org, period, procedures, StateTally.Grain.RECEIVED_DAY, StateTally.Grain.RECEIVED_MONTH
        )
        .values("procedure", "on")
        .annotate(n=Sum("n"))
        .order_by()
    )
    for row in matter_rows:
        series[row["procedure"]][row["on"].month - 1] += row["n"]
    activity_rows = (
        Activity.objects.filter(
            kind__in=kinds, on__gte=period.start, on__lte=period.end, org_id__in=subtree_ids(org)
        )
        .values("kind", "on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in activity_rows:
        series[row["kind"]][row["on"].month - 1] += row["n"]
    return series


# --- dashboard cache --------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFigures:
    result: IndicatorResult
    units: list[UnitValues]
    trend: dict[str, list[int]]
    computed_at: dt.datetime


def dashboard_figures(
    org: OrgUnit, year: int, as_of: dt.date | None = None, *, fresh: bool = False
) -> DashboardFigures:
    """The dashboard's figures, kept in the shared cache for ``FAZHI_DASHBOARD_CACHE_SECONDS``.

    A dashboard is read far more often than a scope's figures change in a way anyone can
    see; the page says when its figures were computed and offers a refresh (``fresh=True``),
    and the drill-down lists, the API and ``fazhi report indicators`` always compute live.
    """
    period = period_of(year, as_of)
    key = f"fazhi:dashboard:{org.pk}:{year}:{period.as_of.isoformat()}"
    seconds = int(getattr(settings, "FAZHI_DASHBOARD_CACHE_SECONDS", 60))
    if not fresh and seconds > 0:
        cached = cache.get(key)
        if isinstance(cached, DashboardFigures):
            return cached
    result, units = compute_scope(org, year, as_of)
    figures = DashboardFigures(result, units, monthly_trend(org, year, as_of), clock.now())
    if seconds > 0:
        cache.set(key, figures, seconds)
    return figures
