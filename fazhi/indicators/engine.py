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

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from fazhi.core import clock
from fazhi.core.models import OrgKind, OrgUnit
from fazhi.indicators.models import StateTally
from fazhi.indicators.queries import conditional_records, gather_conditional
from fazhi.indicators.registry import (
    PERCENT_100,
    ActivityCount,
    ActivitySum,
    Entries,
    Indicator,
    InternalUnits,
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
from fazhi.indicators.rollup import rating_fields
from fazhi.procedures.models import Activity, Matter, Step

Value_ = int | Decimal | None
Part = Literal["numerator", "denominator"]
SourceKind = Literal["tally", "base"]

CENT = Decimal("0.01")


class IndicatorError(ValueError):
    """A request the engine cannot answer (bad year, cut-off, code or part); Chinese message."""


# --- the period -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    as_of: dt.date

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """The last date that counts: 31 December, or the cut-off when earlier."""
        return min(dt.date(self.year, 12, 31), self.as_of)


def period_of(year: int, as_of: dt.date | None) -> Period:
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise IndicatorError(f"年度“{year}”无效，应为 2000 至 2100 之间的四位年份。")
    if as_of is None:
        as_of = dt.date(year, 12, 31)
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise IndicatorError(f"截止日期格式错误：{as_of!r}，应为 YYYY-MM-DD。")
    if as_of < dt.date(year, 1, 1):
        raise IndicatorError(f"截止日期 {as_of.isoformat()} 早于 {year} 年，没有可统计的记录。")
    return Period(year, as_of)


# --- facts: the grouped query results -------------------------------------------------------


@dataclass
class Facts:
    """What the grouped queries return, keyed by org unit id, before any indicator is formed."""

    matters: dict[int, Counter[tuple[str, str, str]]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    activities: dict[int, Counter[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    # (unit id, unit kind, internal bodies directly under it) for townships and streets
    bodies: list[tuple[int, str, int]] = field(default_factory=list)
    # the conditional sources' values (fazhi.indicators.queries), by unit and source
    conditional: dict[int, dict[Any, int | Decimal]] = field(default_factory=dict)


def _sources(indicators: Iterable[Indicator]) -> list[Source]:
    out: list[Source] = []
    for ind in indicators:
        for src in (ind.numerator, ind.denominator):
            if src is not None and src not in out:
                out.append(src)
    return out


def _subtree_ids(org: OrgUnit) -> QuerySet[Any, Any]:
    return OrgUnit.objects.subtree_of(org).values("pk")


def _tally(
    org: OrgUnit, period: Period, procedures: list[str], day: str, month: str
) -> QuerySet[StateTally]:
    """Tally rows that add up to a count as of the cut-off: the months before the cut-off's
    month (its month too when the cut-off is the month's last day) and the days of the
    cut-off's month up to it.

    Year and procedures are repeated inside each branch of the OR so that each branch is an
    index range on its own (SQLite's multi-index OR; otherwise it reads the whole year's days).
    """
    as_of = period.as_of
    first = as_of.replace(day=1)
    common = Q(year=period.year, procedure__in=procedures)
    if (as_of + dt.timedelta(days=1)).day == 1:
        window = common & Q(grain=month, on__lte=first)
    else:
        window = (common & Q(grain=month, on__lt=first)) | (
            common & Q(grain=day, on__gte=first, on__lte=as_of)
        )
    return StateTally.objects.filter(window, org_id__in=_subtree_ids(org))


def _matter_rows_tally(
    org: OrgUnit, period: Period, procedures: list[str]
) -> Iterable[dict[str, Any]]:
    """Counts by (unit, procedure, state, rating) as of the cut-off, from the tally.

    The cohort is the year's matters received on or before the cut-off: a matter received
    after the cut-off has no step (so no period) on or before it, so summing the tally's
    changes up to the cut-off leaves it out without a filter on the date received.
    """
    rows = (
        _tally(org, period, procedures, StateTally.Grain.DAY, StateTally.Grain.MONTH)
        .values("org_id", "procedure", "state", "satisfaction")
        .annotate(n=Sum("n"))
        .order_by()
    )
    return (row for row in rows if row["n"])


def _as_of_annotations(period: Period) -> tuple[Subquery, Coalesce]:
    """State and latest rating of each matter as of the cut-off, from its Step rows."""
    steps = Step.objects.filter(matter=OuterRef("pk"), on__lte=period.as_of).order_by("-seq")
    ratings = rating_fields()
    keys = sorted(set(ratings.values()))
    if len(keys) != 1:  # pragma: no cover - every declared rating field is called satisfaction
        raise IndicatorError("评价字段名称不一致，无法按基础表计算满意度。")
    # Only rating steps carry the rating field (every declaration: ``Action.satisfaction``).
    # Filtering on the JSON key rather than the action keeps the planner on the (matter, seq)
    # index: an ``action IN (…)`` filter lures SQLite onto the (action, on) index instead.
    rated = steps.filter(data__has_key=keys[0]) if ratings else steps.none()
    rated = rated.annotate(rating=KT(f"data__{keys[0]}"))
    return (
        Subquery(steps.values("state_after")[:1]),
        Coalesce(Subquery(rated.values("rating")[:1]), Value(""), output_field=CharField()),
    )


def _matter_rows_base(
    org: OrgUnit, period: Period, procedures: list[str]
) -> Iterable[dict[str, Any]]:
    state_at, rating_at = _as_of_annotations(period)
    rows = (
        Matter.objects.filter(
            procedure__in=procedures,
            received_on__gte=period.start,
            received_on__lte=period.end,
            org_id__in=_subtree_ids(org),
        )
        .annotate(state_at=state_at, rating_at=rating_at)
        .values("org_id", "procedure", "state_at", "rating_at")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return (
        {
            "org_id": r["org_id"],
            "procedure": r["procedure"],
            "state": r["state_at"],
            "satisfaction": r["rating_at"],
            "n": r["n"],
        }
        for r in rows
    )


def gather(
    org: OrgUnit,
    period: Period,
    indicators: Iterable[Indicator],
    *,
    source: SourceKind = "tally",
) -> Facts:
    """Run the (at most three) grouped queries the indicators need."""
    sources = _sources(indicators)
    facts = Facts()
    procedures = sorted({s.procedure for s in sources if isinstance(s, MatterSet)})
    if procedures:
        reader = _matter_rows_tally if source == "tally" else _matter_rows_base
        for row in reader(org, period, procedures):
            key = (row["procedure"], row["state"] or "", row["satisfaction"] or "")
            facts.matters[row["org_id"]][key] += row["n"]
    kinds = sorted({s.activity for s in sources if isinstance(s, ActivityCount | ActivitySum)})
    if kinds:
        sums = {
            f"s_{i}": Sum(
                Cast(KT(f"figures__{s.figure}"), BigIntegerField()), filter=Q(kind=s.activity)
            )
            for i, s in enumerate(sources)
            if isinstance(s, ActivitySum)
        }
        figure_of = {
            f"s_{i}": s.figure for i, s in enumerate(sources) if isinstance(s, ActivitySum)
        }
        rows = (
            Activity.objects.filter(
                kind__in=kinds,
                on__gte=period.start,
                on__lte=period.end,
                org_id__in=_subtree_ids(org),
            )
            .values("org_id", "kind")
            .annotate(n=Count("pk"), **sums)
            .order_by()
        )
        for row in rows:
            bucket = facts.activities[row["org_id"]]
            bucket[(row["kind"], "")] += row["n"]
            for alias, figure in figure_of.items():
                if row.get(alias) is not None:
                    bucket[(row["kind"], figure)] += int(row[alias])
    conditional = [s for s in sources if isinstance(s, Matters | Steps | Timely | Entries)]
    if conditional:
        facts.conditional = gather_conditional(conditional, org, period)
    parent_kinds = sorted({s.parent_kind for s in sources if isinstance(s, InternalUnits)})
    if parent_kinds:
        facts.bodies = list(
            OrgUnit.objects.subtree_of(org)
            .filter(kind__in=parent_kinds, is_active=True)
            .annotate(
                n=Count(
                    "children",
                    filter=Q(children__kind=OrgKind.INTERNAL, children__is_active=True),
                )
            )
            .values_list("pk", "kind", "n")
        )
    return facts


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
        state_at, rating_at = _as_of_annotations(period)
        matters = Matter.objects.filter(
            procedure=src.procedure,
            received_on__gte=period.start,
            received_on__lte=period.end,
            org_id__in=_subtree_ids(org),
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
            org_id__in=_subtree_ids(org),
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
    sources = _sources(computed_indicators())
    procedures = sorted({s.procedure for s in sources if isinstance(s, MatterSet)})
    kinds = sorted({s.activity for s in sources if isinstance(s, ActivityCount | ActivitySum)})
    series: dict[str, list[int]] = {key: [0] * 12 for key in [*procedures, *kinds]}
    matter_rows = (
        _tally(
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
            kind__in=kinds, on__gte=period.start, on__lte=period.end, org_id__in=_subtree_ids(org)
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
