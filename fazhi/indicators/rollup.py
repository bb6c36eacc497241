"""Maintenance of the indicator tally (StateTally) from the engine's signals.

``on_step_recorded`` runs inside the transaction that wrote the step: the tally is never ahead
of or behind a committed step. ``TallyImport`` derives a bulk import's changes from the
replayed matters (no read-back of what was just written) and sums them across the import. ``rebuild`` recomputes the tally from the Matter and Step tables;
``tally_differences`` lists where it disagrees with them (``fazhi indicators verify``).

The tally is derived the same way everywhere, by one pure function, ``matter_deltas`` (a
matter's steps → its signed counts): a change to a matter changes the tally by
``matter_deltas(after) − matter_deltas(before)``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.db import connection, transaction

from fazhi.core.progress import NO_PROGRESS, Progress
from fazhi.indicators.models import StateTally
from fazhi.procedures.declarations import all_procedures
from fazhi.procedures.models import Matter, Step

# grain, year, procedure, on, org_id, state, satisfaction
TallyKey = tuple[str, int, str, dt.date, int, str, str]
TALLY_FIELDS = ("grain", "year", "procedure", "on", "org_id", "state", "satisfaction")
# the same, in the order of the table's unique index (statetally_key): rows written in it
_INDEX_ORDER = ("year", "grain", "procedure", "on", "org_id", "state", "satisfaction")
Deltas = defaultdict[TallyKey, int]
# seq, action, on, state_after, data
StepFacts = tuple[int, str, dt.date, str, Any]

DAY, MONTH = StateTally.Grain.DAY.value, StateTally.Grain.MONTH.value
RECEIVED_DAY, RECEIVED_MONTH = (
    StateTally.Grain.RECEIVED_DAY.value,
    StateTally.Grain.RECEIVED_MONTH.value,
)
TALLY_BUFFER_KEYS = 500_000  # tally changes an import keeps before writing them (≈ 90 MB at most)
_CHUNK = 900  # ids per IN (…): under SQLite's old limit of 999 parameters


def rating_fields() -> dict[tuple[str, str], str]:
    """(procedure, action) → the data field holding the rating, for every rating action."""
    result: dict[tuple[str, str], str] = {}
    for proc in all_procedures():
        for action in proc.actions:
            if action.satisfaction:
                result[(proc.code, action.name)] = action.satisfaction
    return result


# --- the derivation ---------------------------------------------------------------------------


_MONTHS: dict[dt.date, dt.date] = {}  # a date → the first of its month (memoised)


def _month(day: dt.date) -> dt.date:
    month = _MONTHS.get(day)
    if month is None:
        month = day.replace(day=1)
        if len(_MONTHS) < 100_000:
            _MONTHS[day] = month
    return month


def matter_deltas(
    procedure: str,
    org_id: int,
    received_on: dt.date,
    steps: Iterable[Sequence[Any]],
    ratings: Mapping[tuple[str, str], str],
    sign: int = 1,
    into: Deltas | None = None,
    months: bool = True,
) -> Deltas:
    """What a matter with ``steps`` — each ``(seq, action, on, state_after, data, …)``, in
    order — adds to the tally (``sign=-1``: what taking it away removes). ``months=False``:
    the day grains only, for a sum of many matters that ``with_months`` completes once.

    Each step opens a period in its state (one more on its date) and closes the previous
    period (one fewer in the previous state on the same date); the latest rating is carried
    forward; the first step counts the matter as received. Everything is counted for
    ``org_id``: a matter counts for the unit handling it now.

    A ``defaultdict(int)``, not a Counter: a new key costs a C call instead of Counter's Python
    ``__missing__`` (an import adds about fifteen keys a matter, in its hottest loop).
    """
    out: Deltas = defaultdict(int) if into is None else into
    year = received_on.year
    satisfaction = ""
    first = True
    was_state = was_satisfaction = ""
    for step in steps:
        action, on, state = step[1], step[2], step[3]
        if first:
            out[(RECEIVED_DAY, year, procedure, received_on, org_id, "", "")] += sign
            if months:
                month_received = _month(received_on)
                out[(RECEIVED_MONTH, year, procedure, month_received, org_id, "", "")] += sign
            first = False
        else:
            out[(DAY, year, procedure, on, org_id, was_state, was_satisfaction)] -= sign
            if months:
                out[(MONTH, year, procedure, _month(on), org_id, was_state, was_satisfaction)] -= (
                    sign
                )
        if ratings:
            key = ratings.get((procedure, action))
            if key:
                data = step[4]
                if isinstance(data, dict) and data.get(key):
                    satisfaction = str(data[key])
        out[(DAY, year, procedure, on, org_id, state, satisfaction)] += sign
        if months:
            out[(MONTH, year, procedure, _month(on), org_id, state, satisfaction)] += sign
        was_state, was_satisfaction = state, satisfaction
    return out


def with_months(deltas: Deltas) -> Deltas:
    """Complete day-grain ``deltas`` with the month grains they imply, in place: a month's
    change is the sum of its days' (``matter_deltas`` counts each step on both grains)."""
    months: Deltas = defaultdict(int)
    for (grain, year, procedure, on, org_id, state, satisfaction), n in deltas.items():
        if grain == DAY:
            months[(MONTH, year, procedure, _month(on), org_id, state, satisfaction)] += n
        elif grain == RECEIVED_DAY:
            months[(RECEIVED_MONTH, year, procedure, _month(on), org_id, state, satisfaction)] += n
    for key, n in months.items():
        deltas[key] += n
    return deltas


# --- writing --------------------------------------------------------------------------------


def _tally_columns() -> tuple[str, list[str], str]:
    """The tally's quoted table, key columns (in ``_INDEX_ORDER``) and count column."""
    qn = connection.ops.quote_name
    columns = {f.name: f.column for f in StateTally._meta.concrete_fields}
    keys = [qn(columns[n.removesuffix("_id")]) for n in _INDEX_ORDER]
    return qn(StateTally._meta.db_table), keys, qn(columns["n"])


def _upsert_sql() -> str:
    table, keys, n = _tally_columns()
    return (
        f"INSERT INTO {table} ({', '.join(keys)}, {n}) "  # noqa: S608 model columns  # nosec B608
        f"VALUES ({', '.join(['%s'] * (len(keys) + 1))}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {n} = {table}.{n} + excluded.{n}"
    )


COPY_MIN_KEYS = 2_000  # on PostgreSQL, more keys than this go through COPY and one upsert


def apply_tally(deltas: Mapping[TallyKey, int]) -> int:
    """Add ``deltas`` to the tally (one upsert per non-zero key); returns the keys written.

    In the order of the table's unique index: on PostgreSQL concurrent transactions lock shared
    rows in the same order (``act()`` against ``act()``, or against an import's flush: an
    import writes its tally at the end, holding those row locks only from then to its commit);
    on SQLite each insert lands next to the one before (an import's flush of 290,000 keys:
    5.4 → 4.7 µs a key, the sort included). On PostgreSQL a large sum (an import's) is copied
    into a temporary table first and upserted by one statement.
    """
    d = connection.ops.adapt_datefield_value
    rows = sorted(
        (year, grain, proc, d(on), org, state, sat, n)
        for (grain, year, proc, on, org, state, sat), n in deltas.items()
        if n
    )
    if not rows:
        return 0
    if connection.vendor == "postgresql" and len(rows) > COPY_MIN_KEYS:
        _upsert_by_copy(rows)
        return len(rows)
    with connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(), rows)
    return len(rows)


def _upsert_by_copy(rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL: ``rows`` (in key order) copied into a temporary table, then upserted."""
    table, key_list, n = _tally_columns()
    keys = ", ".join(key_list)
    staged = "fazhi_tally_changes"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staged} ON COMMIT DROP AS "  # noqa: S608 model columns  # nosec B608
            f"SELECT {keys}, {n} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"ALTER TABLE {staged} ADD COLUMN place serial")
        with cursor.cursor.copy(f"COPY {staged} ({keys}, {n}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({keys}, {n}) "  # noqa: S608 model columns  # nosec B608
            f"SELECT {keys}, {n} FROM {staged} ORDER BY place "
            f"ON CONFLICT ({keys}) DO UPDATE SET {n} = {table}.{n} + excluded.{n}"
        )
        cursor.execute(f"DROP TABLE {staged}")


def _steps_by_matter(matter_ids: Sequence[int]) -> dict[int, list[StepFacts]]:
    out: dict[int, list[StepFacts]] = {}
    for start in range(0, len(matter_ids), _CHUNK):
        rows = (
            Step.objects.filter(matter_id__in=matter_ids[start : start + _CHUNK])
            .order_by("matter_id", "seq")
            .values_list("matter_id", "seq", "action", "on", "state_after", "data")
        )
        for matter_id, *facts in rows:
            out.setdefault(matter_id, []).append(tuple(facts))
    return out


# --- receivers ------------------------------------------------------------------------------


def on_step_recorded(sender: Any, matter: Matter, step: Step, **kwargs: Any) -> None:
    """The tally loses what the matter added before the step and gains what it adds now."""
    ratings = rating_fields()
    if step.seq == 1:  # a registration: the signal carries the matter's only step
        steps = [(step.seq, step.action, step.on, step.state_after, step.data)]
    else:
        steps = _steps_by_matter([matter.pk]).get(matter.pk, [])
    deltas = matter_deltas(matter.procedure, matter.org_id, matter.received_on, steps, ratings)
    earlier = [s for s in steps if s[0] < step.seq]
    if earlier:
        before_org = step.org_id or matter.org_id  # the unit that handled it until this step
        matter_deltas(
            matter.procedure, before_org, matter.received_on, earlier, ratings, -1, deltas
        )
    apply_tally(deltas)


class SummedChanges:
    """An import observer's sums of tally changes (``signals.ImportObserver``'s ``partial``,
    ``merge`` and ``finish``): each replaying process sums day grains in ``pending`` and sends
    them, completed with their month grains (``complete``), when they hold ``limit`` keys and
    at its end; the import's process sums what it receives in ``buffer`` and writes it
    (``write``) when that is full and at ``finish``. A subclass fills ``pending`` in
    ``replayed``."""

    limit: int
    pending: defaultdict[Any, int]
    buffer: defaultdict[Any, int]

    def __init__(self) -> None:
        self.pending = defaultdict(int)
        self.buffer = defaultdict(int)

    def complete(self, deltas: defaultdict[Any, int]) -> defaultdict[Any, int]:
        raise NotImplementedError

    def write(self, deltas: defaultdict[Any, int]) -> None:
        raise NotImplementedError

    def partial(self, final: bool) -> defaultdict[Any, int] | None:
        if not self.pending or (not final and len(self.pending) < self.limit):
            return None
        sent, self.pending = self.pending, defaultdict(int)
        return self.complete(sent)

    def merge(self, partial: defaultdict[Any, int]) -> None:
        if not self.buffer:
            self.buffer = partial
        else:
            buffer = self.buffer
            for key, n in partial.items():
                buffer[key] += n
        if len(self.buffer) >= self.limit:
            self.write(self.buffer)
            self.buffer = defaultdict(int)

    def finish(self) -> None:
        mine = self.partial(final=True)  # what the import's process replayed itself
        if mine is not None:
            self.merge(mine)
        if self.buffer:
            self.write(self.buffer)
            self.buffer = defaultdict(int)


class TallyImport(SummedChanges):
    """The tally's part in a bulk import (``fazhi.procedures.signals.ImportObserver``).

    The changes are derived straight from the replayed matters (no read-back of what was just
    written), where they are replayed: in the import's worker processes for a big file. Each
    replaying process sums them in ``pending`` — day grains only, half the work of the hottest
    loop — and sends the sum, completed with its month grains (``with_months``), when it holds
    ``TALLY_BUFFER_KEYS`` keys and at its end; the import's process sums what it receives
    in ``buffer`` and writes it when that is full and at ``finish``: one upsert per key for
    the whole import instead of one per key and batch (a day's key recurs in every batch).

    An update (steps appended to a stored matter) takes away the stored steps' periods, at the
    unit that handled the matter before the import, and adds the whole history's.
    """

    limit = TALLY_BUFFER_KEYS

    def __init__(self) -> None:
        super().__init__()
        self.ratings = rating_fields()

    def complete(self, deltas: Deltas) -> Deltas:
        return with_months(deltas)

    def write(self, deltas: Deltas) -> None:
        apply_tally(deltas)

    def replayed(self, matters: Sequence[Any], sign: int) -> None:
        ratings, pending = self.ratings, self.pending
        for m in matters:
            steps = m.steps
            matter_deltas(
                m.procedure, m.org_id, m.received_on, steps, ratings, sign, pending, months=False
            )
            if m.new_from:
                stored = steps[: m.new_from]
                before_org = steps[m.new_from].org_id if m.new_from < len(steps) else m.org_id
                matter_deltas(
                    m.procedure,
                    before_org,
                    m.received_on,
                    stored,
                    ratings,
                    -sign,
                    pending,
                    months=False,
                )


def on_matter_deleted(sender: Any, instance: Matter, **kwargs: Any) -> None:
    """A matter deleted (no screen does; a data correction might): its counts leave the tally."""
    steps = _steps_by_matter([instance.pk]).get(instance.pk, [])
    m = instance
    apply_tally(matter_deltas(m.procedure, m.org_id, m.received_on, steps, rating_fields(), -1))


# --- rebuilding from the base tables --------------------------------------------------------


def _cohort_years() -> list[int]:
    dates = Matter.objects.order_by("received_on").values_list("received_on", flat=True)
    lo, hi = dates.first(), dates.reverse().first()
    return [] if lo is None or hi is None else list(range(lo.year, hi.year + 1))


def _cohort_heads(year: int) -> Iterator[list[tuple[int, str, int, dt.date]]]:
    heads = (
        Matter.objects.filter(
            received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31)
        )
        .order_by("pk")
        .values_list("pk", "procedure", "org_id", "received_on")
    )
    chunk: list[tuple[int, str, int, dt.date]] = []
    for head in heads.iterator(chunk_size=5000):
        chunk.append(head)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def expected_tally(year: int, progress: Progress = NO_PROGRESS) -> Deltas:
    """The tally of one cohort computed from Matter and Step (memory: the tally's keys of that
    year, not the matters). ``progress`` is told of each chunk of matters read."""
    ratings = rating_fields()
    out: Deltas = defaultdict(int)
    for chunk in _cohort_heads(year):
        steps = _steps_by_matter([pk for pk, *_ in chunk])
        for pk, procedure, org_id, received_on in chunk:
            matter_deltas(procedure, org_id, received_on, steps.get(pk, []), ratings, 1, out)
        progress.update(len(chunk))
    return out


def rebuild(progress: Progress = NO_PROGRESS) -> int:
    """Recompute the whole tally from the base tables, one cohort year at a time; returns the
    rows written. ``progress``: the matters read, of all of them."""
    written = 0
    with transaction.atomic():
        StateTally.objects.all().delete()
        progress.start(Matter.objects.count())
        for year in _cohort_years():
            progress.note(f"{year}年")
            written += apply_tally(expected_tally(year, progress))
    return written


# --- verification ---------------------------------------------------------------------------


def tally_differences(limit: int = 20) -> tuple[int, list[TallyKey]]:
    """Compare the tally with the base tables: (keys compared, first keys whose counts differ)."""
    stored: dict[int, dict[TallyKey, int]] = defaultdict(dict)
    rows = StateTally.objects.exclude(n=0).values_list(*TALLY_FIELDS, "n")
    for grain, year, procedure, on, org_id, state, satisfaction, n in rows.iterator(
        chunk_size=5000
    ):
        stored[year][(grain, year, procedure, on, org_id, state, satisfaction)] = n
    bad: list[TallyKey] = []
    compared = 0
    for year in sorted(set(_cohort_years()) | set(stored)):
        expected = {k: v for k, v in expected_tally(year).items() if v}
        mine = stored.pop(year, {})
        for key in sorted(set(expected) | set(mine)):
            compared += 1
            if expected.get(key, 0) != mine.get(key, 0):
                bad.append(key)
                if len(bad) >= limit:
                    return compared, bad
    return compared, bad


def build_if_missing(sender: Any, **kwargs: Any) -> None:
    """After ``migrate``: build the tally when it is empty but there are matters (first install
    of a database that has records, or the migration that introduced the tally)."""
    if kwargs.get("using", "default") != "default":
        return
    tables = set(connection.introspection.table_names())
    if not {StateTally._meta.db_table, Matter._meta.db_table, Step._meta.db_table} <= tables:
        return  # a partial migrate (``migrate APP N``): not every table is there yet
    if not StateTally.objects.exists() and Matter.objects.exists():
        rebuild()
