"""Maintenance of the rollup (MatterPeriod) and the tally (StateTally) from the engine's signals.

``on_step_recorded`` runs inside the transaction that wrote the step: neither table is ever
ahead of or behind a committed step. ``on_matters_imported`` derives the rows of a bulk import
from the replayed matters the signal carries (no read-back of what was just written).
``rebuild`` recomputes rows from the Step rows; ``differences`` and ``tally_differences`` list
where the tables disagree with what the base tables say (``fazhi indicators verify``).

Both tables are derived the same way everywhere, by two pure functions: ``periods_of`` (a
matter's steps → its periods) and ``tally_deltas`` (periods → signed tally counts). A change to
a matter's periods changes the tally by ``tally_deltas(after) − tally_deltas(before)``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count

from fazhi.indicators.models import MatterPeriod, StateTally
from fazhi.procedures.declarations import all_procedures
from fazhi.procedures.models import Matter, Step

# matter_id, seq, procedure, org_id, received_on, on, until_on, state, satisfaction
PeriodRow = tuple[int, int, str, int, dt.date, dt.date, dt.date | None, str, str]
PERIOD_FIELDS = (
    "matter_id",
    "seq",
    "procedure",
    "org_id",
    "received_on",
    "on",
    "until_on",
    "state",
    "satisfaction",
)
# grain, year, procedure, on, org_id, state, satisfaction
TallyKey = tuple[str, int, str, dt.date, int, str, str]
TALLY_FIELDS = ("grain", "year", "procedure", "on", "org_id", "state", "satisfaction")

DAY, MONTH = StateTally.Grain.DAY.value, StateTally.Grain.MONTH.value
RECEIVED_DAY, RECEIVED_MONTH = (
    StateTally.Grain.RECEIVED_DAY.value,
    StateTally.Grain.RECEIVED_MONTH.value,
)


def rating_fields() -> dict[tuple[str, str], str]:
    """(procedure, action) → the data field holding the rating, for every rating action."""
    result: dict[tuple[str, str], str] = {}
    for proc in all_procedures():
        for action in proc.actions:
            if action.satisfaction:
                result[(proc.code, action.name)] = action.satisfaction
    return result


# --- the two pure derivations ---------------------------------------------------------------


def periods_of(
    matter_id: int,
    procedure: str,
    org_id: int,
    received_on: dt.date,
    steps: Iterable[tuple[int, str, dt.date, str, Any]],
    ratings: Mapping[tuple[str, str], str],
) -> list[PeriodRow]:
    """A matter's periods from its steps ``(seq, action, on, state_after, data)`` in order.

    Each step opens a period that the next step closes; the latest rating is carried forward.
    Every period carries the matter's current unit (a matter belongs to the unit handling it).
    """
    out: list[PeriodRow] = []
    satisfaction = ""
    for seq, action, on, state_after, data in steps:
        if out:
            last = out[-1]
            out[-1] = (*last[:6], on, *last[7:])
        key = ratings.get((procedure, action))
        if key and isinstance(data, dict) and data.get(key):
            satisfaction = str(data[key])
        out.append(
            (matter_id, seq, procedure, org_id, received_on, on, None, state_after, satisfaction)
        )
    return out


Deltas = defaultdict[TallyKey, int]


def tally_deltas(periods: Iterable[PeriodRow], sign: int = 1, into: Deltas | None = None) -> Deltas:
    """What ``periods`` add to the tally (``sign=-1``: what removing them takes away).

    A ``defaultdict(int)``, not a Counter: a new key costs a C call instead of Counter's Python
    ``__missing__`` (the import adds about fifteen keys a matter).
    """
    out: Deltas = defaultdict(int) if into is None else into
    for _, seq, procedure, org_id, received_on, on, until_on, state, satisfaction in periods:
        year = received_on.year
        out[(DAY, year, procedure, on, org_id, state, satisfaction)] += sign
        out[(MONTH, year, procedure, on.replace(day=1), org_id, state, satisfaction)] += sign
        if until_on is not None:
            out[(DAY, year, procedure, until_on, org_id, state, satisfaction)] -= sign
            month = until_on.replace(day=1)
            out[(MONTH, year, procedure, month, org_id, state, satisfaction)] -= sign
        if seq == 1:
            out[(RECEIVED_DAY, year, procedure, received_on, org_id, "", "")] += sign
            month = received_on.replace(day=1)
            out[(RECEIVED_MONTH, year, procedure, month, org_id, "", "")] += sign
    return out


# --- writing --------------------------------------------------------------------------------


def _table_sql() -> tuple[str, str]:
    qn = connection.ops.quote_name
    period_cols = {f.name: f.column for f in MatterPeriod._meta.concrete_fields}
    names = [n.removesuffix("_id") for n in PERIOD_FIELDS]
    insert_period = (
        f"INSERT INTO {qn(MatterPeriod._meta.db_table)} "  # noqa: S608 model columns
        f"({', '.join(qn(period_cols[n]) for n in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    tally_cols = {f.name: f.column for f in StateTally._meta.concrete_fields}
    table = qn(StateTally._meta.db_table)
    keys = [qn(tally_cols[n.removesuffix("_id")]) for n in TALLY_FIELDS]
    n_col = qn(tally_cols["n"])
    upsert = (
        f"INSERT INTO {table} ({', '.join(keys)}, {n_col}) "  # noqa: S608 model columns
        f"VALUES ({', '.join(['%s'] * (len(keys) + 1))}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {n_col} = {table}.{n_col} + excluded.{n_col}"
    )
    return insert_period, upsert


def _insert_periods(rows: Sequence[PeriodRow]) -> None:
    if not rows:
        return
    d = connection.ops.adapt_datefield_value
    sql, _ = _table_sql()
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (mid, seq, proc, org, d(rec), d(on), d(until), state, sat)
                for mid, seq, proc, org, rec, on, until, state, sat in rows
            ],
        )


def apply_tally(deltas: Mapping[TallyKey, int]) -> int:
    """Add ``deltas`` to the tally (one upsert per non-zero key, in key order); returns keys.

    Key order gives concurrent transactions the same lock order on PostgreSQL (no deadlock
    between two imports or an import and ``act()`` touching the same rows).
    """
    d = connection.ops.adapt_datefield_value
    rows = [
        (grain, year, proc, d(on), org, state, sat, n)
        for (grain, year, proc, on, org, state, sat), n in sorted(deltas.items())
        if n
    ]
    if rows:
        _, sql = _table_sql()
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return len(rows)


def _stored_periods(matter_ids: Sequence[int]) -> list[PeriodRow]:
    out: list[PeriodRow] = []
    for start in range(0, len(matter_ids), 900):
        chunk = matter_ids[start : start + 900]
        out.extend(
            MatterPeriod.objects.filter(matter_id__in=chunk)
            .order_by("matter_id", "seq")
            .values_list(*PERIOD_FIELDS)
        )
    return out


# --- receivers ------------------------------------------------------------------------------


def on_step_recorded(sender: Any, matter: Matter, step: Step, **kwargs: Any) -> None:
    """Close the matter's open period at the step's date, open the next one, mend the tally."""
    before = _stored_periods([matter.pk])
    after: list[PeriodRow] = [
        (p[0], p[1], p[2], matter.org_id, p[4], p[5], p[6] or step.on, p[7], p[8]) for p in before
    ]
    after.append(
        (
            matter.pk,
            step.seq,
            matter.procedure,
            matter.org_id,
            matter.received_on,
            step.on,
            None,
            step.state_after,
            matter.satisfaction or "",
        )
    )
    rows = MatterPeriod.objects.filter(matter_id=matter.pk)
    rows.filter(until_on__isnull=True).update(until_on=step.on)
    rows.exclude(org_id=matter.org_id).update(org_id=matter.org_id)
    _insert_periods(after[-1:])
    deltas = tally_deltas(after)
    apply_tally(tally_deltas(before, -1, deltas))


TALLY_BUFFER_KEYS = 200_000  # an import's tally changes kept before writing (~40 MB at most)
_BUFFER = "fazhi.indicators.tally"


def on_matters_imported(
    sender: Any,
    matter_ids: Iterable[int],
    matters: Sequence[Any] | None = None,
    context: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    """Rows for a batch of imported matters, from the replayed matters when the signal has them.

    New matters have no rows yet; an update (steps appended to a stored matter) replaces its
    rows, and the tally loses the old periods' counts and gains the new ones. With the
    import's ``context`` the tally's changes are summed across batches and written when the
    buffer is full and at ``import_finished`` (one upsert per key for the whole import instead
    of one per key and batch: a day's key recurs in every batch).
    """
    if matters is None:
        rebuild(list(matter_ids))
        return
    ratings = rating_fields()
    deltas: Deltas = (
        defaultdict(int) if context is None else context.setdefault(_BUFFER, defaultdict(int))
    )
    updated = [m.matter_id for m in matters if m.new_from]
    if updated:
        tally_deltas(_stored_periods(updated), -1, deltas)
        for start in range(0, len(updated), 900):
            MatterPeriod.objects.filter(matter_id__in=updated[start : start + 900]).delete()
    rows: list[PeriodRow] = []
    for m in matters:
        rows.extend(
            periods_of(
                m.matter_id,
                m.procedure,
                m.org_id,
                m.received_on,
                ((s.seq, s.action, s.on, s.state_after, s.data) for s in m.steps),
                ratings,
            )
        )
    _insert_periods(rows)
    tally_deltas(rows, 1, deltas)
    if context is None or len(deltas) >= TALLY_BUFFER_KEYS:
        apply_tally(deltas)
        deltas.clear()


def on_matter_deleted(sender: Any, instance: Matter, **kwargs: Any) -> None:
    """A matter deleted (no screen does; a data correction might): its counts leave the tally.
    Its MatterPeriod rows go with it (cascade)."""
    apply_tally(tally_deltas(_stored_periods([instance.pk]), -1))


def on_import_finished(sender: Any, context: dict[str, Any], **kwargs: Any) -> None:
    """Write the tally changes an import's batches left in its context."""
    deltas = context.pop(_BUFFER, None)
    if deltas:
        apply_tally(deltas)


# --- rebuilding from the base tables --------------------------------------------------------


def expected_periods(matter_ids: list[int] | None = None) -> Iterator[PeriodRow]:
    """The rows the rollup should hold, computed from Matter and Step (ordered by matter, seq)."""
    ratings = rating_fields()
    matters = (
        Matter.objects.all() if matter_ids is None else Matter.objects.filter(pk__in=matter_ids)
    )
    heads = {
        pk: (procedure, org_id, received_on)
        for pk, procedure, org_id, received_on in matters.values_list(
            "pk", "procedure", "org_id", "received_on"
        ).iterator(chunk_size=5000)
    }
    steps = Step.objects.order_by("matter_id", "seq").values_list(
        "matter_id", "seq", "action", "on", "state_after", "data"
    )
    if matter_ids is not None:
        steps = steps.filter(matter_id__in=matter_ids)
    current: int | None = None
    pending: list[tuple[int, str, dt.date, str, Any]] = []

    def flush() -> list[PeriodRow]:
        if current is None or current not in heads:
            return []
        procedure, org_id, received_on = heads[current]
        return periods_of(current, procedure, org_id, received_on, pending, ratings)

    for matter_id, seq, action, on, state_after, data in steps.iterator(chunk_size=5000):
        if matter_id != current:
            yield from flush()
            current, pending = matter_id, []
        pending.append((seq, action, on, state_after, data))
    yield from flush()


def rebuild(matter_ids: list[int] | None = None, batch: int = 5000) -> int:
    """Recompute the rollup rows of ``matter_ids`` (None: every matter) and the tally with them;
    returns the rollup rows written."""
    written = 0
    deltas: Deltas = defaultdict(int)
    with transaction.atomic():
        if matter_ids is None:
            MatterPeriod.objects.all().delete()
        else:
            tally_deltas(_stored_periods(matter_ids), -1, deltas)
            MatterPeriod.objects.filter(matter_id__in=matter_ids).delete()
        buffer: list[PeriodRow] = []
        for row in expected_periods(matter_ids):
            buffer.append(row)
            if len(buffer) >= batch:
                _insert_periods(buffer)
                written += len(buffer)
                if matter_ids is not None:
                    tally_deltas(buffer, 1, deltas)
                buffer = []
        _insert_periods(buffer)
        written += len(buffer)
        if matter_ids is None:
            rebuild_tally()
        else:
            apply_tally(tally_deltas(buffer, 1, deltas))
    return written


def _cohort_years() -> list[int]:
    first = MatterPeriod.objects.order_by("received_on").values_list("received_on", flat=True)
    last = MatterPeriod.objects.order_by("-received_on").values_list("received_on", flat=True)
    lo, hi = first.first(), last.first()
    return [] if lo is None or hi is None else list(range(lo.year, hi.year + 1))


def expected_tally(year: int) -> Deltas:
    """The tally of one cohort from MatterPeriod, by grouped queries (memory: the tally's rows,
    not the matters). Months are folded from days here: truncating dates in SQL costs a
    function call per row on SQLite."""
    cohort = MatterPeriod.objects.filter(
        received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31)
    )
    out: Deltas = defaultdict(int)
    groups: Iterable[tuple[str, str, int]] = (
        ("on", DAY, 1),
        ("until_on", DAY, -1),
    )
    for column, grain, sign in groups:
        rows = (
            cohort.filter(**{f"{column}__isnull": False})
            .values_list("procedure", column, "org_id", "state", "satisfaction")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for procedure, on, org_id, state, satisfaction, n in rows:
            out[(grain, year, procedure, on, org_id, state, satisfaction)] += sign * n
            month = on.replace(day=1)
            out[(MONTH, year, procedure, month, org_id, state, satisfaction)] += sign * n
    received = (
        cohort.filter(seq=1)
        .values_list("procedure", "received_on", "org_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for procedure, on, org_id, n in received:
        out[(RECEIVED_DAY, year, procedure, on, org_id, "", "")] += n
        out[(RECEIVED_MONTH, year, procedure, on.replace(day=1), org_id, "", "")] += n
    return out


def rebuild_tally() -> int:
    """Recompute the whole tally from MatterPeriod, one cohort year at a time; returns rows."""
    written = 0
    with transaction.atomic():
        StateTally.objects.all().delete()
        for year in _cohort_years():
            written += apply_tally(expected_tally(year))
    return written


# --- verification ---------------------------------------------------------------------------


def differences(limit: int = 20) -> tuple[int, list[int]]:
    """Compare the rollup with the base tables: (rows compared, first differing matter ids)."""
    actual = (
        MatterPeriod.objects.order_by("matter_id", "seq")
        .values_list(*PERIOD_FIELDS)
        .iterator(chunk_size=5000)
    )
    expected = expected_periods()
    bad: list[int] = []
    compared = 0
    sentinel: Any = (float("inf"),)
    a = next(actual, sentinel)
    e = next(expected, sentinel)
    while a is not sentinel or e is not sentinel:
        compared += 1
        if a == e:
            a, e = next(actual, sentinel), next(expected, sentinel)
            continue
        ka, ke = a[:2], e[:2]
        culprit = ka[0] if ka <= ke else ke[0]
        if not bad or bad[-1] != culprit:
            bad.append(culprit)
        if len(bad) >= limit:
            break
        if ka <= ke:
            a = next(actual, sentinel)
        if ke <= ka:
            e = next(expected, sentinel)
    return compared, bad


def tally_differences(limit: int = 20) -> tuple[int, list[TallyKey]]:
    """Compare the tally with MatterPeriod: (keys compared, first keys whose counts differ)."""
    stored: dict[int, Counter[TallyKey]] = defaultdict(Counter)
    for *key, n in (
        StateTally.objects.exclude(n=0).values_list(*TALLY_FIELDS, "n").iterator(chunk_size=5000)
    ):
        stored[key[1]][tuple(key)] += n
    bad: list[TallyKey] = []
    compared = 0
    for year in sorted(set(_cohort_years()) | set(stored)):
        expected = {k: v for k, v in expected_tally(year).items() if v}
        mine = stored.pop(year, Counter())
        for key in sorted(set(expected) | set(mine)):
            compared += 1
            if expected.get(key, 0) != mine.get(key, 0):
                bad.append(key)
                if len(bad) >= limit:
                    return compared, bad
    return compared, bad


def build_if_missing(sender: Any, **kwargs: Any) -> None:
    """After ``migrate``: build the rollup when it does not cover the steps (first install), and
    the tally when it is empty but the rollup is not (the migration that added it)."""
    using = kwargs.get("using", "default")
    if using != "default":
        return
    if MatterPeriod.objects.count() != Step.objects.count():
        rebuild()
    elif not StateTally.objects.exists() and MatterPeriod.objects.exists():
        rebuild_tally()
