"""The grouped queries: every source of a scope for a period, before any indicator is formed."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from fazhi.core.models import OrgKind, OrgUnit
from fazhi.indicators.engine.conditional import gather_conditional
from fazhi.indicators.engine.period import IndicatorError, Period, SourceKind
from fazhi.indicators.models import StateTally
from fazhi.indicators.registry import (
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
)
from fazhi.indicators.rollup import rating_fields
from fazhi.indicators.sources.keys import declared_set, source_key, tallied_sources
from fazhi.indicators.sources.maintain import built_keys
from fazhi.indicators.sources.read import gather_tallied
from fazhi.procedures.models import Activity, Matter, Step

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


def sources_of(indicators: Iterable[Indicator]) -> list[Source]:
    out: list[Source] = []
    for ind in indicators:
        for src in (ind.numerator, ind.denominator):
            if src is not None and src not in out:
                out.append(src)
    return out


def subtree_ids(org: OrgUnit) -> QuerySet[Any, Any]:
    return OrgUnit.objects.subtree_of(org).values("pk")


def tally_window(
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
    return StateTally.objects.filter(window, org_id__in=subtree_ids(org))


def _matter_rows_tally(
    org: OrgUnit, period: Period, procedures: list[str]
) -> Iterable[dict[str, Any]]:
    """Counts by (unit, procedure, state, rating) as of the cut-off, from the tally.

    The cohort is the year's matters received on or before the cut-off: a matter received
    after the cut-off has no step (so no period) on or before it, so summing the tally's
    changes up to the cut-off leaves it out without a filter on the date received.
    """
    rows = (
        tally_window(org, period, procedures, StateTally.Grain.DAY, StateTally.Grain.MONTH)
        .values("org_id", "procedure", "state", "satisfaction")
        .annotate(n=Sum("n"))
        .order_by()
    )
    return (row for row in rows if row["n"])


def as_of_annotations(period: Period) -> tuple[Subquery, Coalesce]:
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
    state_at, rating_at = as_of_annotations(period)
    rows = (
        Matter.objects.filter(
            procedure__in=procedures,
            received_on__gte=period.start,
            received_on__lte=period.end,
            org_id__in=subtree_ids(org),
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


def _gather_conditional(
    sources: list[Any], org: OrgUnit, period: Period, source: SourceKind
) -> dict[int, dict[Any, int | Decimal]]:
    """The conditional sources: the built ones from their tally (one query), the rest — and
    all of them with ``source="base"`` — by the grouped queries over the base tables."""
    tallied: list[Any] = []
    if source == "tally":  # declared (so kept by the write path) and built
        declared = declared_set()
        tallied = [s for s in tallied_sources(sources) if s in declared]
        if tallied:
            built = built_keys()
            tallied = [s for s in tallied if source_key(s) in built]
    rest = [s for s in sources if s not in tallied]
    out = gather_tallied(tallied, org, period)
    for org_id, values in gather_conditional(rest, org, period).items() if rest else ():
        out.setdefault(org_id, {}).update(values)
    return out


def gather(
    org: OrgUnit,
    period: Period,
    indicators: Iterable[Indicator],
    *,
    source: SourceKind = "tally",
) -> Facts:
    """Run the (at most three) grouped queries the indicators need."""
    sources = sources_of(indicators)
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
                org_id__in=subtree_ids(org),
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
        facts.conditional = _gather_conditional(conditional, org, period, source)
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
