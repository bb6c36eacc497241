"""Keeping the tally of the conditional sources (``SourceTally``) with the records.

Every change to a matter changes the tally by ``contributions(after) − contributions(before)``
(``membership``), in the transaction that makes the change:

- ``act()``: ``step_recording`` (before the step is written: the matter's facts as they were)
  and ``step_recorded`` (after: as they are); a registration has no before;
- the clocks' recomputation after a calendar change: ``matters_changing`` / ``matters_changed``;
- a matter deleted: what it added leaves (``pre_delete``);
- a bulk import: ``SourceImport``, from the replayed matters themselves (no read-back).

``rebuild`` recomputes a source's rows from the base tables and marks it built
(``SourceBuild``); the engine reads only built sources from the tally. ``differences`` compares
the rows with the base tables (``fazhi indicators verify``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from fazhi.core.progress import NO_PROGRESS, Progress
from fazhi.indicators.models import SourceBuild, SourceTally
from fazhi.indicators.rollup import SummedChanges
from fazhi.indicators.sources.keys import Tallied, declared_sources, describe, source_key
from fazhi.indicators.sources.membership import (
    Deltas,
    Key,
    MatterFacts,
    Plan,
    contributions,
    plans_by_procedure,
    with_months,
)
from fazhi.procedures.models import Clock, Matter, Step

_CHUNK = 900  # ids per IN (…)
BUFFER_KEYS = 300_000  # changes an import keeps before writing them
COPY_MIN_KEYS = 2_000  # on PostgreSQL, more keys than this go through COPY and one upsert


class ClockFacts(NamedTuple):
    limit: str
    started_on: dt.date
    due_on: dt.date | None
    answered_on: dt.date | None
    in_time: bool | None
    answered_action: str


CLOCK_FIELDS = ClockFacts._fields


_COMPILED: tuple[object, dict[str, list[Plan]]] = (None, {})


def declared_plans() -> dict[str, list[Plan]]:
    """Every computed indicator's kept sources, compiled, by procedure (compiled again only
    when the declarations change)."""
    global _COMPILED
    declared = declared_sources()
    seen, plans = _COMPILED
    if seen is not declared:
        plans = plans_by_procedure(declared)
        _COMPILED = (declared, plans)
    return plans


def plans_for(procedure: str) -> list[Plan]:
    """The compiled kept sources of ``procedure``."""
    return declared_plans().get(procedure, [])


# --- writing --------------------------------------------------------------------------------


def _columns() -> tuple[str, list[str], str]:
    qn = connection.ops.quote_name
    columns = {f.name: f.column for f in SourceTally._meta.concrete_fields}
    keys = [qn(columns[n]) for n in ("year", "grain", "source", "on", "org")]
    return qn(SourceTally._meta.db_table), keys, qn(columns["n"])


def apply(deltas: Mapping[Key, int]) -> int:
    """Add ``deltas`` to the tally, in the order of its unique index (concurrent writers lock
    shared rows in the same order); returns the keys written."""
    d = connection.ops.adapt_datefield_value
    rows = sorted((y, g, s, d(on), org, n) for (y, g, s, on, org), n in deltas.items() if n)
    if not rows:
        return 0
    table, key_list, n = _columns()
    keys = ", ".join(key_list)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > COPY_MIN_KEYS:
            staged = "fazhi_source_changes"
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staged} ON COMMIT DROP AS "  # noqa: S608 model columns  # nosec B608
                f"SELECT {keys}, {n} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {staged} ({keys}, {n}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({keys}, {n}) "  # noqa: S608 model columns  # nosec B608
                f"SELECT {keys}, {n} FROM {staged} ORDER BY {keys} "
                f"ON CONFLICT ({keys}) DO UPDATE SET {n} = {table}.{n} + excluded.{n}"
            )
            cursor.execute(f"DROP TABLE {staged}")
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({keys}, {n}) VALUES (%s, %s, %s, %s, %s, %s) "  # noqa: S608  # nosec B608
                f"ON CONFLICT ({keys}) DO UPDATE SET {n} = {table}.{n} + excluded.{n}",
                rows,
            )
    return len(rows)


# --- facts from the base tables -------------------------------------------------------------


def _steps(ids: Sequence[int]) -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = {}
    rows = (
        Step.objects.filter(matter_id__in=ids)
        .order_by("matter_id", "seq")
        .values_list("matter_id", "seq", "action", "on", "state_after", "data")
    )
    for matter_id, *facts in rows:
        out.setdefault(matter_id, []).append(tuple(facts))
    return out


def _clocks(ids: Sequence[int]) -> dict[int, list[ClockFacts]]:
    out: dict[int, list[ClockFacts]] = {}
    rows = (
        Clock.objects.filter(matter_id__in=ids)
        .order_by("matter_id", "seq")
        .values_list("matter_id", *CLOCK_FIELDS)
    )
    for matter_id, *facts in rows:
        out.setdefault(matter_id, []).append(ClockFacts(*facts))
    return out


_HEAD = ("pk", "procedure", "org_id", "received_on", "details", "party_kind")


def facts_of(heads: Sequence[tuple[Any, ...]]) -> Iterator[MatterFacts]:
    """The facts of matters given by their ``_HEAD`` values (two queries a chunk)."""
    for start in range(0, len(heads), _CHUNK):
        chunk = heads[start : start + _CHUNK]
        ids = [h[0] for h in chunk]
        steps, clocks = _steps(ids), _clocks(ids)
        for pk, procedure, org_id, received_on, details, party_kind in chunk:
            yield MatterFacts(
                procedure,
                org_id,
                received_on,
                details or {},
                party_kind,
                steps.get(pk, []),
                clocks.get(pk, []),
            )


def _deltas_of(ids: Sequence[int], sign: int, into: Deltas) -> Deltas:
    heads = list(Matter.objects.filter(pk__in=ids).values_list(*_HEAD))
    for f in facts_of(heads):
        contributions(f, plans_for(f.procedure), sign, into)
    return into


# --- receivers ------------------------------------------------------------------------------

_BEFORE = "_source_tally_before"


def on_step_recording(sender: Any, matter: Matter, steps: Sequence[Step], **kwargs: Any) -> None:
    """Before ``act()`` writes a step: what the matter adds now, kept on the locked instance."""
    plans = plans_for(matter.procedure)
    if not plans:
        return
    rows = [(s.seq, s.action, s.on, s.state_after, s.data) for s in steps]
    before = _facts_now(matter, rows, plans)
    setattr(matter, _BEFORE, (rows, contributions(before, plans, -1)))


def _facts_now(matter: Matter, rows: list[tuple[Any, ...]], plans: Sequence[Plan]) -> MatterFacts:
    """The facts of ``matter`` as the instance holds it, with ``rows`` for its steps and its
    stored clocks (read only when a source reads clocks)."""
    clocks = _clocks([matter.pk]).get(matter.pk, []) if _uses_clocks(plans) else []
    return MatterFacts(
        matter.procedure,
        matter.org_id,
        matter.received_on,
        dict(matter.details),
        matter.party_kind,
        rows,
        clocks,
    )


def _uses_clocks(plans: Sequence[Plan]) -> bool:
    return any(p.uses_clocks for p in plans)


def on_step_recorded(sender: Any, matter: Matter, step: Step, **kwargs: Any) -> None:
    """After a step (or a registration): the change of what the matter adds."""
    plans = plans_for(matter.procedure)
    if not plans:
        return
    kept = matter.__dict__.pop(_BEFORE, None)
    if kept is not None:
        rows, deltas = kept
    elif step.seq == 1:
        rows, deltas = [], defaultdict(int)
    else:  # a step written without ``step_recording`` (no screen does): read what is stored
        rows = [s[:5] for s in _steps([matter.pk]).get(matter.pk, []) if s[0] < step.seq]
        deltas = defaultdict(int)
    rows = [*rows, (step.seq, step.action, step.on, step.state_after, step.data)]
    apply(with_months(contributions(_facts_now(matter, rows, plans), plans, 1, deltas)))


def on_matters_changing(sender: Any, matter_ids: Sequence[int], **kwargs: Any) -> None:
    """Before matters change outside ``act()`` (their clocks recomputed): what they added
    leaves."""
    apply(with_months(_deltas_of(matter_ids, -1, defaultdict(int))))


def on_matters_changed(sender: Any, matter_ids: Sequence[int], **kwargs: Any) -> None:
    """After such a change: what they add now."""
    apply(with_months(_deltas_of(matter_ids, 1, defaultdict(int))))


def on_matter_deleted(sender: Any, instance: Matter, **kwargs: Any) -> None:
    """A matter deleted (no screen does; a data correction might): its part leaves."""
    if plans_for(instance.procedure):
        apply(with_months(_deltas_of([instance.pk], -1, defaultdict(int))))


# --- the bulk import ------------------------------------------------------------------------


class SourceImport(SummedChanges):
    """The tally's part in a bulk import (``fazhi.procedures.signals.ImportObserver``): the
    changes derived from the replayed matters where they are replayed (details, party, steps
    and clocks are the replay's own), day grains in the workers, summed in the import's
    process and written at ``finish``. An update takes away what the stored matter added
    (its stored steps, details, party and clocks, at the unit that handled it before) and adds
    what it adds now."""

    limit = BUFFER_KEYS

    def __init__(self) -> None:
        super().__init__()
        self.plans = declared_plans()

    def complete(self, deltas: Deltas) -> Deltas:
        return with_months(deltas)

    def write(self, deltas: Deltas) -> None:
        apply(deltas)

    def replayed(self, matters: Sequence[Any], sign: int) -> None:
        plans, pending = self.plans, self.pending
        for m in matters:
            mine = plans.get(m.procedure)
            if not mine:
                continue
            steps = m.steps
            after = MatterFacts(
                m.procedure,
                m.org_id,
                m.received_on,
                m.details,
                m.party_kind,
                steps,
                m.clocks,
            )
            contributions(after, mine, sign, pending)
            if m.new_from:
                before_snap = m.before if m.before is not None else m
                before_org = steps[m.new_from].org_id if m.new_from < len(steps) else m.org_id
                before = MatterFacts(
                    m.procedure,
                    before_org,
                    m.received_on,
                    before_snap.details,
                    before_snap.party_kind,
                    steps[: m.new_from],
                    m.before_clocks,
                )
                contributions(before, mine, -sign, pending)


# --- building and checking ------------------------------------------------------------------


def _all_heads(procedures: Sequence[str]) -> Iterator[list[tuple[Any, ...]]]:
    heads = Matter.objects.filter(procedure__in=procedures).order_by("pk").values_list(*_HEAD)
    chunk: list[tuple[Any, ...]] = []
    for head in heads.iterator(chunk_size=5000):
        chunk.append(head)
        if len(chunk) >= 5000:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def expected(sources: Sequence[Tallied], progress: Progress = NO_PROGRESS) -> Deltas:
    """The rows of ``sources`` computed from the base tables (day and month grains)."""
    plans = plans_by_procedure(sources)
    out: Deltas = defaultdict(int)
    for chunk in _all_heads(sorted(plans)):
        for f in facts_of(chunk):
            contributions(f, plans[f.procedure], 1, out)
        progress.update(len(chunk))
    return with_months(out)


def _lock() -> None:
    """Hold off every writer of the tally until the build commits (PostgreSQL; on SQLite the
    build's first write takes the database's write lock): a change committed before is read
    from the base tables, one made after adds its own difference."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {SourceTally._meta.db_table} IN EXCLUSIVE MODE")


def rebuild(sources: Sequence[Tallied] | None = None, progress: Progress = NO_PROGRESS) -> int:
    """Recompute the rows of ``sources`` (default: every declared one) from the base tables,
    mark them built and drop the rows of sources no longer declared; returns rows written."""
    everything = sources is None
    sources = declared_sources() if sources is None else list(sources)
    keys = [source_key(s) for s in sources]
    with transaction.atomic():
        _lock()
        SourceTally.objects.filter(source__in=keys).delete()
        if everything:
            declared = {source_key(s) for s in declared_sources()} | set(keys)
            SourceTally.objects.exclude(source__in=declared).delete()
            SourceBuild.objects.exclude(source__in=declared).delete()
        procedures = sorted({s.procedure for s in sources})
        progress.start(Matter.objects.filter(procedure__in=procedures).count())
        written = apply(expected(sources, progress))
        now = timezone.now()
        for src, key in zip(sources, keys, strict=True):
            SourceBuild.objects.update_or_create(
                source=key, defaults={"description": describe(src), "built_at": now}
            )
        transaction.on_commit(forget_built)
    forget_built()
    return written


BUILT_SECONDS = 10.0  # how long a process trusts its list of built sources
_built: tuple[float, frozenset[str]] = (0.0, frozenset())


def built_keys() -> frozenset[str]:
    """The sources the engine may read from the tally (read at most every ``BUILT_SECONDS``
    per process; a rebuild here forgets it at once). A stale list is never wrong: the write
    path keeps every declared source's rows whether built or not, and a source only stops
    being built when its declaration is gone."""
    global _built
    expires, keys = _built
    now = time.monotonic()
    if now >= expires:
        keys = frozenset(SourceBuild.objects.values_list("source", flat=True))
        _built = (now + BUILT_SECONDS, keys)
    return keys


def forget_built() -> None:
    global _built
    _built = (0.0, frozenset())


def unbuilt_sources() -> list[Tallied]:
    built = built_keys()
    return [s for s in declared_sources() if source_key(s) not in built]


def differences(limit: int = 20) -> tuple[int, list[Key]]:
    """Compare the built sources' rows with the base tables: (keys compared, first keys whose
    values differ)."""
    built = built_keys()
    sources = [s for s in declared_sources() if source_key(s) in built]
    want = {k: v for k, v in expected(sources).items() if v}
    have: dict[Key, int] = {}
    rows = SourceTally.objects.filter(source__in=[source_key(s) for s in sources]).exclude(n=0)
    for year, grain, source, on, org, n in rows.values_list(
        "year", "grain", "source", "on", "org_id", "n"
    ).iterator(chunk_size=5000):
        have[(year, grain, source, on, org)] = n
    bad: list[Key] = []
    keys = sorted(set(want) | set(have))
    for key in keys:
        if want.get(key, 0) != have.get(key, 0):
            bad.append(key)
            if len(bad) >= limit:
                break
    return len(keys), bad


def build_missing(sender: Any, **kwargs: Any) -> None:
    """After ``migrate``: build the declared sources not built yet (at once on an empty
    database; on upgrade, what a new or changed declaration needs)."""
    if kwargs.get("using", "default") != "default":
        return
    tables = set(connection.introspection.table_names())
    needed = {SourceTally._meta.db_table, SourceBuild._meta.db_table, Matter._meta.db_table}
    if not needed <= tables or Clock._meta.db_table not in tables:
        return
    missing = unbuilt_sources()
    if missing:
        rebuild(missing)
