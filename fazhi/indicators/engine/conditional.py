"""The grouped queries behind the conditional sources (``Matters``, ``Steps``, ``Timely``,
``Entries``: fazhi.indicators.registry) and their drill-down record sets.

Sources are computed in *families*: every source over the same table, procedure and cohort
shares one grouped query, one conditional aggregate a source (``COUNT(*) FILTER (WHERE …)`` on
PostgreSQL, ``CASE`` on SQLite), grouped by org unit. A family holds one procedure's sources
only, so a matter's row evaluates its own procedure's conditions and no other's (a family of
every procedure made each row evaluate every procedure's filters: 190× a bare GROUP BY, see
docs/benchmarks.md). So the number of queries grows with the tables, procedures and cohorts the
indicators use, never with the number of indicators, matters or units. The drill-down of a
source is the same filter as a plain queryset, so the list's length is the count.

Conditions read as of the cut-off (spec/indicators.md): a matter's state is that of its last
step on or before the cut-off; a step counts when dated on or before it; a link when made on
or before it; a clock is answered when its answering step is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from fazhi.core.models import OrgUnit
from fazhi.indicators.registry import (
    Condition,
    Detail,
    Entries,
    HasStep,
    Linked,
    Matters,
    Party,
    Scalar,
    Steps,
    Timely,
)
from fazhi.procedures.models import Matter, Step

if TYPE_CHECKING:
    from fazhi.indicators.engine.period import Period

Conditional = Matters | Steps | Timely | Entries
AMOUNT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=2)


def _subtree(org: OrgUnit) -> QuerySet[Any, Any]:
    return OrgUnit.objects.subtree_of(org).values("pk")


def _model(label: str) -> type[Model]:
    return apps.get_model(label)


def link_model() -> type[Model]:
    """The table of links between matters (``MatterLink``)."""
    return apps.get_model("procedures", "MatterLink")


def clock_model() -> type[Model]:
    """The table of time-limit clocks (``Clock``)."""
    return apps.get_model("procedures", "Clock")


# --- conditions -----------------------------------------------------------------------------


def _values_q(lookup: str, values: Iterable[Scalar]) -> Q:
    """``lookup`` equals one of ``values`` (exact lookups: JSON booleans compare right on
    both databases, where an ``IN`` over JSON keys does not)."""
    q = Q()
    for value in sorted(values, key=repr):
        q |= Q(**{lookup: value})
    return q


def _step_exists(cond: HasStep, period: Period, ref: str) -> Exists:
    steps = Step.objects.filter(
        matter=OuterRef(ref), action__in=sorted(cond.actions), on__lte=period.as_of
    )
    if cond.in_year:  # in Y: a later cut-off sees steps after the year, which are not in it
        steps = steps.filter(on__gte=period.start, on__lte=period.end)
    if cond.latest:  # no later step of the actions by the cut-off
        later = Step.objects.filter(
            matter=OuterRef("matter"),
            action__in=sorted(cond.actions),
            on__lte=period.as_of,
            seq__gt=OuterRef("seq"),
        )
        steps = steps.filter(~Exists(later))
    for key, values in cond.data:
        steps = steps.filter(_values_q(f"data__{key}", values))
    return Exists(steps)


def _link_exists(cond: Linked, period: Period, ref: str) -> Exists:
    side = "target" if cond.incoming else "source"
    links = link_model().objects.filter(  # type: ignore[attr-defined]
        **{side: OuterRef(ref)}, kind=cond.kind, created_on__lte=period.as_of
    )
    return Exists(links)


def condition_q(cond: Condition, period: Period, prefix: str = "") -> Q:
    """One condition as a filter on matters (``prefix`` "matter__" from a related table)."""
    ref = f"{prefix}pk" if prefix else "pk"
    if isinstance(cond, Detail):
        q = _values_q(f"{prefix}details__{cond.key}", cond.values)
        if cond.negate:
            # "is not one of": also true when the key is absent (NOT over NULL is NULL in SQL)
            return ~q | Q(**{f"{prefix}details__{cond.key}__isnull": True})
        return q
    if isinstance(cond, Party):
        return Q(**{f"{prefix}party_kind": cond.kind})
    if isinstance(cond, HasStep):
        found = _step_exists(cond, period, ref)
        return ~Q(found) if cond.negate else Q(found)
    linked = _link_exists(cond, period, ref)
    return ~Q(linked) if cond.negate else Q(linked)


def _state_at(period: Period, ref: str = "pk") -> Subquery:
    steps = Step.objects.filter(matter=OuterRef(ref), on__lte=period.as_of).order_by("-seq")
    return Subquery(steps.values("state_after")[:1])


def cohort_filter(src: Matters, org: OrgUnit, period: Period, prefix: str = "") -> Q:
    """The year's cohort of ``src``: received in Y, or with a step of ``src.cohort`` in Y."""
    q = Q(**{f"{prefix}procedure": src.procedure, f"{prefix}org_id__in": _subtree(org)})
    if not src.cohort:
        return q & Q(
            **{f"{prefix}received_on__gte": period.start, f"{prefix}received_on__lte": period.end}
        )
    steps = Step.objects.filter(
        matter=OuterRef(f"{prefix}pk" if prefix else "pk"),
        action=src.cohort,
        on__gte=period.start,
        on__lte=period.end,
    )
    return q & Q(Exists(steps))


def _with_state(qs: QuerySet[Any], srcs: Iterable[Matters], period: Period, ref: str) -> Any:
    if any(s.states is not None for s in srcs):
        return qs.annotate(state_at=_state_at(period, ref))
    return qs


def _inner(src: Conditional) -> Matters:
    if isinstance(src, Matters):
        return src
    if isinstance(src, Steps | Timely):
        return src.matters
    raise TypeError(src)


def _matter_part(src: Matters, period: Period, prefix: str) -> Q:
    q = Q()
    for cond in src.where:
        q &= condition_q(cond, period, prefix)
    if src.states is not None:
        q &= Q(state_at__in=sorted(src.states))
    return q


# --- the grouped queries --------------------------------------------------------------------


@dataclass(frozen=True)
class _Family:
    table: str  # matter | step | clock | register
    key: str  # procedure or register model
    cohort: str  # the action whose date makes the cohort ("": received in Y)


def _family(src: Conditional) -> _Family:
    if isinstance(src, Entries):
        return _Family("register", src.model, "")
    inner = _inner(src)
    table = "matter" if isinstance(src, Matters) else "step" if isinstance(src, Steps) else "clock"
    return _Family(table, inner.procedure, inner.cohort)


def _data_q(data: tuple[tuple[str, frozenset[Scalar]], ...]) -> Q:
    q = Q()
    for key, values in data:
        q &= _values_q(f"data__{key}", values)
    return q


def _timely_q(src: Timely, period: Period) -> Q:
    as_of = period.as_of
    answered = Q(answered_on__lte=as_of)
    waiting_past = (Q(answered_on__isnull=True) | Q(answered_on__gt=as_of)) & Q(due_on__lt=as_of)
    if src.only == "late":
        q = answered & Q(in_time=False)
    elif src.only == "overdue":
        q = waiting_past
    elif src.only == "missed":
        q = (answered & Q(in_time=False)) | waiting_past
    else:
        q = answered & Q(in_time=True) if src.answered else answered | waiting_past
    if src.actions is not None:
        q &= Q(answered_action__in=sorted(src.actions)) | ~answered
    return q


def query_families(sources: Iterable[Conditional]) -> int:
    """How many grouped queries ``gather_conditional`` makes for ``sources``."""
    return len({_family(src) for src in sources})


def gather_conditional(
    sources: Iterable[Conditional], org: OrgUnit, period: Period
) -> dict[int, dict[Conditional, int | Decimal]]:
    """Each source's value per org unit of the scope, one grouped query per family."""
    families: dict[_Family, list[Conditional]] = defaultdict(list)
    for src in sources:
        families[_family(src)].append(src)
    out: dict[int, dict[Conditional, int | Decimal]] = defaultdict(dict)
    for family, srcs in families.items():
        aliases = {f"v{i}": s for i, s in enumerate(srcs)}
        qs, org_key, aggregates = _family_query(family, srcs, aliases, org, period)
        for row in qs.values(org_key).annotate(**aggregates).order_by():
            bucket = out[row[org_key]]
            for alias, src in aliases.items():
                value = row[alias]
                if value:
                    bucket[src] = bucket.get(src, 0) + value
    return out


def _family_query(
    family: _Family,
    srcs: list[Conditional],
    aliases: dict[str, Conditional],
    org: OrgUnit,
    period: Period,
) -> tuple[QuerySet[Any], str, dict[str, Any]]:
    if family.table == "register":
        entries = {a: s for a, s in aliases.items() if isinstance(s, Entries)}
        return _register_query(family.key, list(entries.values()), entries, org, period)
    inners = [_inner(s) for s in srcs]
    aggregates: dict[str, Any] = {}
    if family.table == "matter":
        qs = _with_state(
            Matter.objects.filter(cohort_filter(inners[0], org, period)), inners, period, "pk"
        )
        for alias, src in aliases.items():
            assert isinstance(src, Matters)  # noqa: S101  the family holds Matters only  # nosec B101
            q = _matter_part(src, period, "")
            if src.total:
                aggregates[alias] = Sum(Cast(KT(f"details__{src.total}"), AMOUNT), filter=q)
            else:
                aggregates[alias] = Count("pk", filter=q)
        return qs, "org_id", aggregates
    if family.table == "step":
        steps = [s for s in srcs if isinstance(s, Steps)]
        actions = sorted(set().union(*(s.actions for s in steps)))
        qs = _with_state(
            Step.objects.filter(
                cohort_filter(inners[0], org, period, "matter__"),
                action__in=actions,
                on__gte=period.start,
                on__lte=period.as_of,
            ),
            inners,
            period,
            "matter_id",
        )
        for alias, src in aliases.items():
            assert isinstance(src, Steps)  # noqa: S101  # nosec B101
            q = (
                Q(action__in=sorted(src.actions))
                & _data_q(src.data)
                & _matter_part(src.matters, period, "matter__")
            )
            aggregates[alias] = Count("pk", filter=q)
        return qs, "matter__org_id", aggregates
    timelies = [s for s in srcs if isinstance(s, Timely)]
    qs = _with_state(
        clock_model().objects.filter(  # type: ignore[attr-defined]
            cohort_filter(inners[0], org, period, "matter__"),
            limit__in=sorted({code for s in timelies for code in s.limits}),
            started_on__lte=period.as_of,
        ),
        inners,
        period,
        "matter_id",
    )
    for alias, src in aliases.items():
        assert isinstance(src, Timely)  # noqa: S101  # nosec B101
        q = (
            Q(limit__in=src.limits)
            & _timely_q(src, period)
            & _matter_part(src.matters, period, "matter__")
        )
        aggregates[alias] = Count("pk", filter=q)
    return qs, "matter__org_id", aggregates


def _valid_on(model: type[Model], period: Period) -> QuerySet[Any]:
    """The register's entries in force on the cut-off (``RegisterQuerySet.valid_on``)."""
    return model._default_manager.valid_on(period.as_of)  # type: ignore[attr-defined]


def _entries_q(src: Entries) -> Q:
    return Q(**dict(src.where))


def _entries_value(src: Entries) -> Any:
    if not src.total:
        return Count("pk", filter=_entries_q(src))
    value: Any = F(src.total)
    if src.minus:
        value = F(src.total) - F(src.minus)
    return Sum(value, filter=_entries_q(src))


def _register_query(
    label: str,
    srcs: list[Entries],
    aliases: dict[str, Entries],
    org: OrgUnit,
    period: Period,
) -> tuple[QuerySet[Any], str, dict[str, Any]]:
    qs = _valid_on(_model(label), period).filter(org_id__in=_subtree(org))
    aggregates = {alias: _entries_value(src) for alias, src in aliases.items() if src in srcs}
    return qs, "org_id", aggregates


# --- drill-down -----------------------------------------------------------------------------


def conditional_records(src: Conditional, org: OrgUnit, period: Period) -> QuerySet[Any]:
    """The records behind a conditional source: matters, steps or register entries."""
    if isinstance(src, Entries):
        qs = _valid_on(_model(src.model), period).filter(org_id__in=_subtree(org))
        qs = qs.filter(_entries_q(src))
        if src.total:
            qs = qs.exclude(**{src.total: 0})
        return qs.select_related("org").order_by("valid_from", "pk")
    if isinstance(src, Steps):
        qs = _with_state(
            Step.objects.filter(
                cohort_filter(src.matters, org, period, "matter__"),
                action__in=sorted(src.actions),
                on__gte=period.start,
                on__lte=period.as_of,
            ),
            [src.matters],
            period,
            "matter_id",
        )
        qs = qs.filter(_data_q(src.data) & _matter_part(src.matters, period, "matter__"))
        return qs.select_related("matter", "org").order_by("on", "pk")
    if isinstance(src, Timely):
        clocks = (
            clock_model()
            .objects.filter(  # type: ignore[attr-defined]
                matter=OuterRef("pk"), limit__in=src.limits, started_on__lte=period.as_of
            )
            .filter(_timely_q(src, period))
        )
        matters = Matter.objects.filter(cohort_filter(src.matters, org, period), Exists(clocks))
        matters = _with_state(matters, [src.matters], period, "pk")
        return (
            matters.filter(_matter_part(src.matters, period, ""))
            .select_related("org")
            .order_by("received_on", "pk")
        )
    matters = _with_state(
        Matter.objects.filter(cohort_filter(src, org, period)), [src], period, "pk"
    )
    matters = matters.filter(_matter_part(src, period, ""))
    if src.total:
        matters = matters.filter(**{f"details__{src.total}__isnull": False})
    return matters.select_related("org").order_by("received_on", "pk")
