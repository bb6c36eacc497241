"""The bulk import's staging: a batch of replayed rows as a small SQLite database.

Whoever replays a batch of lines (an import's worker process, or the import's own process for
small files) puts the new matters' and steps' rows into a private in-memory SQLite database,
without indexes or constraints (``StageBuilder``), and hands over its serialised bytes. The
import's process then writes the batch with a few statements (``Stage``):

- on SQLite, the bytes are loaded into a schema attached to every connection (``STAGE``, see
  ``attach``) and copied by SQLite itself (``INSERT … SELECT``): no Python object per row,
  no parameter binding, no pickling of rows between the processes;
- on PostgreSQL, the rows are read back from a private in-memory SQLite connection and sent
  with ``COPY`` (the rows' text form converted back to dates, datetimes and booleans).

A staged batch holds ``m`` (one row per new matter: its line number, then ``MATTER_COLUMNS``;
its rowid is the matter's place in the batch), ``s`` (one row per step: the matter's place,
then ``STEP_COLUMNS``) and ``c`` (one row per clock: the matter's place, then
``CLOCK_COLUMNS``); the columns that are the same for every row of an import
(``MATTER_CONSTANTS``, ``STEP_CONSTANTS``) are given to the INSERT. New matters get the ids
``base + rowid``, one block per batch.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
import functools
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper

from fazhi.procedures.models import Clock, Matter, Step

STAGE = "fazhi_stage"  # the schema name of the staged batch on a SQLite connection

# what a replay writes: the INSERT columns of a new matter and of a step (model field names)
STATE_COLUMNS = (  # decided by the replay: also rewritten when an import extends a matter
    "state",
    "outcome",
    "due_on",
    "due_rule",
    "due_basis",
    "due_provisional",
    "due_paused",
    "closed_on",
    "satisfaction",
    "details",
)
MATTER_COLUMNS = (
    "procedure",
    "reference",
    "verification_code",
    "org",
    "received_on",
    "subject",
    "channel",
    "party_name",
    "party_kind",
    "party_id_number",
    "party_phone",
    "party_address",
    *STATE_COLUMNS,
)
STEP_COLUMNS = (
    "seq",
    "action",
    "on",
    "mailed_on",
    "actor_label",
    "org",
    "state_before",
    "state_after",
    "data",
    "occurred_at",
)
CLOCK_COLUMNS = Clock.VALUES
# what ``Stage.staged`` reads back of a staged matter and clock
_STAGED_MATTER = ("procedure", "reference", "org", "received_on", "details", "party_kind")
_STAGED_CLOCK = ("limit", "started_on", "due_on", "answered_on", "in_time", "answered_action")


# the same for every row an import writes: given to the INSERT, not staged
MATTER_CONSTANTS = ("warned_on", "overdue_on", "created_at", "updated_at")
STEP_CONSTANTS = ("at", "actor")


def _constants(now: str) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The values of ``MATTER_CONSTANTS`` and ``STEP_CONSTANTS`` (``now`` staged)."""
    return (None, None, now, now), (now, None)


def attach(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created``: give a new SQLite connection its (empty) staging schema.

    ATTACH is refused inside a transaction, and an import may run inside one (a caller's
    atomic block, a test): so every connection gets the schema when it opens, outside any.
    An empty in-memory database costs a few kilobytes.
    """
    if connection.vendor == "sqlite":
        connection.connection.execute(f"ATTACH DATABASE ':memory:' AS {STAGE}")


def _columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    by_name = {f.name: f.column for f in model._meta.concrete_fields}
    return [by_name[n] for n in names]


def _quoted(columns: Iterable[str]) -> str:
    return ", ".join('"' + c.replace('"', '""') + '"' for c in columns)


class StageBuilder:
    """Collects one batch's new rows in a private in-memory SQLite database (no Django)."""

    def __init__(self) -> None:
        self._matters: list[tuple[Any, ...]] = []
        self._steps: list[tuple[Any, ...]] = []
        self._clocks: list[tuple[Any, ...]] = []

    def __len__(self) -> int:
        return len(self._matters)

    def next_place(self) -> int:
        """The place (rowid) in the batch of the matter ``add`` takes next."""
        return len(self._matters) + 1

    def add(
        self,
        matter: tuple[Any, ...],
        steps: Iterable[tuple[Any, ...]],
        clocks: Iterable[tuple[Any, ...]] = (),
    ) -> None:
        """A new matter's row — its line number, then ``MATTER_COLUMNS`` — its steps' rows
        — its place (``next_place``), then ``STEP_COLUMNS`` — and its clocks' rows — its
        place, then ``CLOCK_COLUMNS``."""
        self._matters.append(matter)
        self._steps.extend(steps)
        self._clocks.extend(clocks)

    def serialize(self) -> bytes:
        db = sqlite3.connect(":memory:", isolation_level=None)
        try:
            m_cols = ["line", *(f"c{i}" for i in range(len(MATTER_COLUMNS)))]
            s_cols = ["m", *(f"c{i}" for i in range(len(STEP_COLUMNS)))]
            c_cols = ["m", *(f"c{i}" for i in range(len(CLOCK_COLUMNS)))]
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("BEGIN")
            db.execute(f"CREATE TABLE m (rowid INTEGER PRIMARY KEY, {', '.join(m_cols)})")
            db.execute(f"CREATE TABLE s ({', '.join(s_cols)})")
            db.execute(f"CREATE TABLE c ({', '.join(c_cols)})")
            marks = ", ".join(["?"] * len(m_cols))
            db.executemany(f"INSERT INTO m ({', '.join(m_cols)}) VALUES ({marks})", self._matters)  # noqa: S608 our column names  # nosec B608
            marks = ", ".join(["?"] * len(s_cols))
            db.executemany(f"INSERT INTO s VALUES ({marks})", self._steps)  # noqa: S608 our column names  # nosec B608
            marks = ", ".join(["?"] * len(c_cols))
            db.executemany(f"INSERT INTO c VALUES ({marks})", self._clocks)  # noqa: S608 our column names  # nosec B608
            db.execute("COMMIT")
            return db.serialize()
        finally:
            db.close()


class Stage(abc.ABC):
    """The import's process's side: load a staged batch, find its stored matters, write it."""

    @abc.abstractmethod
    def load(self, data: bytes) -> None:
        """Take the batch ``StageBuilder.serialize`` made (replacing the one before)."""

    @abc.abstractmethod
    def stored(self) -> list[tuple[int, int]]:
        """``(rowid, line)`` of the staged matters whose procedure and reference are stored."""

    @abc.abstractmethod
    def drop(self, rowids: Sequence[int]) -> None:
        """Leave these staged matters (and their steps) out of the write."""

    @abc.abstractmethod
    def _reader(self) -> tuple[sqlite3.Connection, str]:
        """The SQLite connection holding the staged batch, and its tables' prefix."""

    def staged(
        self, rowids: Sequence[int]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """The staged rows of these matters, as staged (dates as ISO text, data as JSON text):
        ``(rowid, line, procedure, reference, org, received_on, details, party_kind)`` a
        matter, ``(rowid, seq, action, on, mailed_on, actor_label, org, state_before,
        state_after, data)`` a step, by matter and seq, and ``(rowid, limit, started_on,
        due_on, answered_on, in_time, answered_action)`` a clock, by matter and seq."""
        db, prefix = self._reader()
        matters: list[tuple[Any, ...]] = []
        steps: list[tuple[Any, ...]] = []
        clocks: list[tuple[Any, ...]] = []
        m = [f"c{MATTER_COLUMNS.index(n)}" for n in _STAGED_MATTER]
        c = [f"c{CLOCK_COLUMNS.index(n)}" for n in _STAGED_CLOCK]
        for start in range(0, len(rowids), 900):
            chunk = list(rowids[start : start + 900])
            marks = ", ".join(["?"] * len(chunk))
            matters.extend(
                db.execute(
                    f"SELECT rowid, line, {', '.join(m)} FROM {prefix}m "  # noqa: S608 placeholders  # nosec B608
                    f"WHERE rowid IN ({marks}) ORDER BY rowid",
                    chunk,
                )
            )
            steps.extend(
                db.execute(
                    f"SELECT m, c0, c1, c2, c3, c4, c5, c6, c7, c8 FROM {prefix}s "  # noqa: S608 placeholders  # nosec B608
                    f"WHERE m IN ({marks}) ORDER BY m, c0",
                    chunk,
                )
            )
            clocks.extend(
                db.execute(
                    f"SELECT m, {', '.join(c)} FROM {prefix}c "  # noqa: S608 placeholders  # nosec B608
                    f"WHERE m IN ({marks}) ORDER BY m, c0",
                    chunk,
                )
            )
        return matters, steps, clocks

    @abc.abstractmethod
    def write(self) -> tuple[int, int]:
        """Insert the staged matters, steps and clocks; returns how many matters and steps."""

    @abc.abstractmethod
    def close(self) -> None:
        """Give back what the stage holds; never raises (it runs while an error propagates)."""

    @staticmethod
    def for_connection(now: str) -> Stage:
        """The stage for the default connection; ``now``: the import's time, staged."""
        return SqliteStage(now) if connection.vendor == "sqlite" else RowStage(now)


class SqliteStage(Stage):
    """SQLite copies the staged rows itself, from the schema attached as ``STAGE``."""

    def __init__(self, now: str) -> None:
        connection.ensure_connection()
        qn = connection.ops.quote_name
        self._raw = connection.connection
        self._matter_constants, self._step_constants = _constants(now)
        self._matter = qn(Matter._meta.db_table)
        self._step = qn(Step._meta.db_table)
        m_cols = _quoted(_columns(Matter, (*MATTER_COLUMNS, *MATTER_CONSTANTS)))
        staged_m = ", ".join(
            [*(f"c{i}" for i in range(len(MATTER_COLUMNS))), *["?"] * len(MATTER_CONSTANTS)]
        )
        self._insert_matters = (
            f"INSERT INTO {self._matter} (id, {m_cols}) "  # noqa: S608 model columns  # nosec B608
            f"SELECT rowid + ?, {staged_m} FROM {STAGE}.m ORDER BY rowid"
        )
        s_cols = _quoted(_columns(Step, ("matter", *STEP_COLUMNS, *STEP_CONSTANTS)))
        staged_s = ", ".join(
            [*(f"c{i}" for i in range(len(STEP_COLUMNS))), *["?"] * len(STEP_CONSTANTS)]
        )
        self._insert_steps = (
            f"INSERT INTO {self._step} ({s_cols}) "  # noqa: S608 model columns  # nosec B608
            f"SELECT m + ?, {staged_s} FROM {STAGE}.s ORDER BY rowid"
        )
        c_cols = _quoted(_columns(Clock, ("matter", *CLOCK_COLUMNS)))
        staged_c = ", ".join(f"c{i}" for i in range(len(CLOCK_COLUMNS)))
        self._insert_clocks = (
            f"INSERT INTO {qn(Clock._meta.db_table)} ({c_cols}) "  # noqa: S608 model columns  # nosec B608
            f"SELECT m + ?, {staged_c} FROM {STAGE}.c ORDER BY rowid"
        )
        proc, ref = _columns(Matter, ("procedure", "reference"))
        self._stored = (
            f"SELECT b.rowid, b.line FROM {STAGE}.m AS b JOIN {self._matter} AS t "  # noqa: S608 model columns  # nosec B608
            f'ON t."{proc}" = b.c0 AND t."{ref}" = b.c1 ORDER BY b.rowid'
        )
        self._next_id = (
            f"SELECT max(coalesce((SELECT max(id) FROM {self._matter}), 0), "  # noqa: S608 model table  # nosec B608
            "coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))"
        )
        if self._raw is None or not any(
            row[1] == STAGE for row in self._raw.execute("PRAGMA database_list")
        ):
            raise RuntimeError(f"数据库连接缺少导入暂存区 {STAGE}（procedures 应用未加载？）。")

    def load(self, data: bytes) -> None:
        self._raw.deserialize(data, name=STAGE)

    def _reader(self) -> tuple[sqlite3.Connection, str]:
        return self._raw, f"{STAGE}."

    def stored(self) -> list[tuple[int, int]]:
        return list(self._raw.execute(self._stored))

    def drop(self, rowids: Sequence[int]) -> None:
        for start in range(0, len(rowids), 900):
            chunk = list(rowids[start : start + 900])
            marks = ", ".join(["?"] * len(chunk))
            self._raw.execute(f"DELETE FROM {STAGE}.m WHERE rowid IN ({marks})", chunk)  # noqa: S608 placeholders  # nosec B608
            self._raw.execute(f"DELETE FROM {STAGE}.s WHERE m IN ({marks})", chunk)  # noqa: S608 placeholders  # nosec B608
            self._raw.execute(f"DELETE FROM {STAGE}.c WHERE m IN ({marks})", chunk)  # noqa: S608 placeholders  # nosec B608

    def write(self) -> tuple[int, int]:
        # the ids: past every id the table has held (AUTOINCREMENT never reuses one)
        (base,) = self._raw.execute(self._next_id, (Matter._meta.db_table,)).fetchone()
        matters = self._raw.execute(self._insert_matters, (base, *self._matter_constants)).rowcount
        steps = self._raw.execute(self._insert_steps, (base, *self._step_constants)).rowcount
        self._raw.execute(self._insert_clocks, (base,))
        return max(matters, 0), max(steps, 0)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # a broken connection: nothing to give back
            self._raw.deserialize(_empty_database(), name=STAGE)


@functools.cache
def _empty_database() -> bytes:
    db = sqlite3.connect(":memory:")
    try:
        db.execute("CREATE TABLE m (a)")  # a database of no page cannot be serialised
        db.execute("DROP TABLE m")
        return db.serialize()
    finally:
        db.close()


def _converter(f: models.Field[Any, Any]) -> Any:
    """The staged (SQLite) text form of ``f``'s value back to what PostgreSQL's driver takes."""
    kind = f.get_internal_type()
    if kind == "BooleanField":
        return lambda v: None if v is None else bool(v)
    if kind == "DateField":
        return lambda v: None if v is None else dt.date.fromisoformat(v)
    if kind == "DateTimeField":
        return lambda v: None if v is None else dt.datetime.fromisoformat(v).replace(tzinfo=dt.UTC)
    return None


class RowStage(Stage):
    """PostgreSQL: rows read back from a private copy of the batch and sent with COPY."""

    def __init__(self, now: str) -> None:
        self._db: sqlite3.Connection | None = None
        qn = connection.ops.quote_name
        m_cols = _columns(Matter, (*MATTER_COLUMNS, *MATTER_CONSTANTS))
        s_cols = _columns(Step, ("matter", *STEP_COLUMNS, *STEP_CONSTANTS))
        self._copy_matter = (
            f"COPY {qn(Matter._meta.db_table)} ({qn('id')}, {', '.join(qn(c) for c in m_cols)}) "
            "FROM STDIN"
        )
        self._copy_step = (
            f"COPY {qn(Step._meta.db_table)} ({', '.join(qn(c) for c in s_cols)}) FROM STDIN"
        )
        c_cols = _columns(Clock, ("matter", *CLOCK_COLUMNS))
        self._copy_clock = (
            f"COPY {qn(Clock._meta.db_table)} ({', '.join(qn(c) for c in c_cols)}) FROM STDIN"
        )
        c_fields = {f.name: f for f in Clock._meta.concrete_fields}
        self._c_convert = [
            (i, c) for i, n in enumerate(CLOCK_COLUMNS) if (c := _converter(c_fields[n]))
        ]
        self._ids = (
            f"SELECT nextval(pg_get_serial_sequence('{Matter._meta.db_table}', 'id')) "  # noqa: S608 model table  # nosec B608
            "FROM generate_series(1, %s)"
        )
        m_fields = {f.name: f for f in Matter._meta.concrete_fields}
        s_fields = {f.name: f for f in Step._meta.concrete_fields}
        self._m_convert = [
            (i, c) for i, n in enumerate(MATTER_COLUMNS) if (c := _converter(m_fields[n]))
        ]
        self._s_convert = [
            (i, c) for i, n in enumerate(STEP_COLUMNS) if (c := _converter(s_fields[n]))
        ]
        m_constants, s_constants = _constants(now)
        self._m_constants = tuple(
            c(v) if v is not None and (c := _converter(m_fields[n])) else v
            for n, v in zip(MATTER_CONSTANTS, m_constants, strict=True)
        )
        self._s_constants = tuple(
            c(v) if v is not None and (c := _converter(s_fields[n])) else v
            for n, v in zip(STEP_CONSTANTS, s_constants, strict=True)
        )

    def load(self, data: bytes) -> None:
        self.close()
        self._db = sqlite3.connect(":memory:", isolation_level=None)
        self._db.deserialize(data)

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None  # noqa: S101 load() comes first  # nosec B101
        return self._db

    def _reader(self) -> tuple[sqlite3.Connection, str]:
        return self.db, ""

    def stored(self) -> list[tuple[int, int]]:
        staged: dict[tuple[str, str], tuple[int, int]] = {
            (proc, ref): (rowid, line)
            for rowid, line, proc, ref in self.db.execute("SELECT rowid, line, c0, c1 FROM m")
        }
        return sorted(
            staged[key]
            for qs in Matter.objects.with_keys(staged)
            for key in qs.values_list("procedure", "reference")
        )

    def drop(self, rowids: Sequence[int]) -> None:
        self.db.executemany("DELETE FROM m WHERE rowid = ?", [(r,) for r in rowids])
        self.db.executemany("DELETE FROM s WHERE m = ?", [(r,) for r in rowids])
        self.db.executemany("DELETE FROM c WHERE m = ?", [(r,) for r in rowids])

    def write(self) -> tuple[int, int]:
        m_convert, s_convert = self._m_convert, self._s_convert
        rows = self.db.execute("SELECT * FROM m ORDER BY rowid").fetchall()
        if not rows:
            return 0, 0
        with connection.cursor() as cursor:
            cursor.execute(self._ids, [len(rows)])
            ids = {row[0]: new_id for row, (new_id,) in zip(rows, cursor.fetchall(), strict=True)}
            steps = 0
            with cursor.cursor.copy(self._copy_matter) as copy:
                for row in rows:
                    values = list(row[2:])
                    for i, convert in m_convert:
                        values[i] = convert(values[i])
                    copy.write_row((ids[row[0]], *values, *self._m_constants))
            with cursor.cursor.copy(self._copy_step) as copy:
                for row in self.db.execute("SELECT * FROM s ORDER BY rowid"):
                    values = list(row[1:])
                    for i, convert in s_convert:
                        values[i] = convert(values[i])
                    copy.write_row((ids[row[0]], *values, *self._s_constants))
                    steps += 1
            c_convert = self._c_convert
            with cursor.cursor.copy(self._copy_clock) as copy:
                for row in self.db.execute("SELECT * FROM c ORDER BY rowid"):
                    values = list(row[1:])
                    for i, convert in c_convert:
                        values[i] = convert(values[i])
                    copy.write_row((ids[row[0]], *values))
        return len(rows), steps

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
