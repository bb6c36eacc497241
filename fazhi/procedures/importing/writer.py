"""Replayed matters as rows (``Writer``): new ones in the staged form (stage.py), updates of
stored matters written directly; and the reference counters kept past imported references."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
from django.db import connection
from django.utils import timezone

from fazhi.core import clock
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.importing.replay import Replayed
from fazhi.procedures.importing.stage import (
    CLOCK_COLUMNS,
    STATE_COLUMNS,
    STEP_COLUMNS,
    STEP_CONSTANTS,
)
from fazhi.procedures.models import Clock, Matter, ReferenceCounter, Step
from fazhi.procedures.services import CODE_ALPHABET, reference_prefix

_STEP_INSERT = ("matter", *STEP_COLUMNS, *STEP_CONSTANTS)
_CLOCK_INSERT = ("matter", *CLOCK_COLUMNS)
_UPDATE_COLUMNS = ("org", *STATE_COLUMNS, "warned_on", "overdue_on", "updated_at")


def _insert_sql(model: type[Any], names: Sequence[str]) -> str:
    qn = connection.ops.quote_name
    columns = {f.name: f.column for f in model._meta.concrete_fields}
    cols = ", ".join(qn(columns[n]) for n in names)
    marks = ", ".join(["%s"] * len(names))
    return f"INSERT INTO {qn(model._meta.db_table)} ({cols}) VALUES ({marks})"  # noqa: S608 column names come from the model  # nosec B608


class _Codes:
    """Verification codes (six characters of CODE_ALPHABET, as ``services`` makes them) from
    the system's CSPRNG, read 64 KiB at a time rather than one system call a code.

    Each code is two independent uniform draws of three characters (31³ = 29,791 of the 2^15
    values of 15 random bits; the rest are refused), looked up in a table of the 29,791
    three-character strings. The bytes read belong to one process: a forked worker never
    reuses its parent's.
    """

    _HALF = len(CODE_ALPHABET) ** 3

    def __init__(self) -> None:
        self._draws: list[int] = []
        self._pid = 0
        self._triples: list[str] = []

    def __call__(self) -> str:
        draws = self._draws
        if len(draws) < 2 or self._pid != os.getpid():
            self._pid = os.getpid()
            raw = memoryview(os.urandom(1 << 16)).cast("H")
            draws = self._draws = [n & 0x7FFF for n in raw if n & 0x7FFF < self._HALF]
            if not self._triples:
                self._triples = ["".join(t) for t in itertools.product(CODE_ALPHABET, repeat=3)]
        return self._triples[draws.pop()] + self._triples[draws.pop()]


def _dumps(value: Any) -> str:
    """JSON text of a cleaned value (orjson; the standard library for what orjson refuses)."""
    if not value and type(value) is dict:
        return "{}"  # most steps carry no data
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # e.g. an integer beyond 64 bits
        return json.dumps(value)


class Writer:
    """Turns replayed matters into rows, and writes updates of stored matters.

    ``matter_row`` and ``step_rows`` give a new matter's rows in the staged form (stage.py:
    dates, times and booleans as SQLite stores them), without database access, so that the import's
    worker processes can call them; ``update`` writes what an import appends to stored
    matters, inside the caller's transaction. ``note_reference`` and ``advance_counters`` keep
    the sequential reference counters past every imported reference.
    """

    def __init__(self) -> None:
        ops = connection.ops
        self._adapt_date = ops.adapt_datefield_value
        self._dates: dict[dt.date, Any] = {}
        self.now = clock.now()
        self._now = ops.adapt_datetimefield_value(self.now)
        self.staged_now = str(timezone.make_naive(self.now, dt.UTC))
        self._staged_dates: dict[dt.date, str] = {}
        self._adapt_moment = ops.adapt_datetimefield_value
        self._step_sql = _insert_sql(Step, _STEP_INSERT)
        self._clock_sql = _insert_sql(Clock, _CLOCK_INSERT)
        qn0 = ops.quote_name
        self._clock_delete = (
            f"DELETE FROM {qn0(Clock._meta.db_table)} WHERE {qn0('matter_id')} = %s"  # noqa: S608 model table  # nosec B608
        )
        qn = ops.quote_name
        columns = {f.name: f.column for f in Matter._meta.concrete_fields}
        sets = ", ".join(f"{qn(columns[n])} = %s" for n in _UPDATE_COLUMNS)
        self._update_sql = f"UPDATE {qn(Matter._meta.db_table)} SET {sets} WHERE {qn('id')} = %s"  # noqa: S608 model columns  # nosec B608
        self._code = _Codes()
        self.numbers: dict[tuple[str, int], int] = {}  # highest imported number per prefix, year
        self._prefixes: dict[str, re.Pattern[str]] = {}

    def _date(self, value: dt.date | None) -> Any:
        """The date as the database driver takes it (memoised: a file has few distinct dates)."""
        if value is None:
            return None
        hit = self._dates.get(value)
        if hit is None:
            hit = self._dates[value] = self._adapt_date(value)
        return hit

    def _staged(self, value: dt.date | None) -> str | None:
        """The date as staged (memoised)."""
        if value is None:
            return None
        hit = self._staged_dates.get(value)
        if hit is None:
            hit = self._staged_dates[value] = value.isoformat()
        return hit

    @staticmethod
    def _staged_moment(value: dt.datetime | None) -> str | None:
        """A moment as staged: naive UTC text, as SQLite stores Django's datetimes."""
        if value is None:
            return None
        return str(timezone.make_naive(value, dt.UTC))

    def _state_columns(self, r: Replayed, date: Callable[[dt.date | None], Any]) -> tuple[Any, ...]:
        snap, due = r.snap, r.due
        return (
            snap.state,
            snap.outcome,
            *(
                (None, "", "", False, False)
                if due is None
                else (
                    date(due.on),
                    due.code or "",
                    due.description[:300],
                    due.provisional,
                    due.paused,
                )
            ),
            date(snap.closed_on),
            snap.satisfaction,
            _dumps(snap.details if type(snap.details) is dict else dict(snap.details)),
        )

    def matter_row(self, r: Replayed) -> tuple[Any, ...]:
        """A new matter's staged row: its line, then ``stage.MATTER_COLUMNS`` (with a new
        verification code)."""
        party, snap, due, staged = r.party, r.snap, r.due, self._staged
        return (
            r.line,
            r.procedure,
            r.reference,
            self._code(),
            r.org_id,
            staged(r.received_on),
            r.subject,
            r.channel,
            party["name"],
            party["kind"],
            party["id_number"],
            party["phone"],
            party["address"],
            # STATE_COLUMNS, as _state_columns gives them (inline: a hot path)
            snap.state,
            snap.outcome,
            None if due is None else staged(due.on),
            "" if due is None else due.code or "",
            "" if due is None else due.description[:300],
            # booleans as SQLite stores them: an int binds without sqlite3's adapter look-up
            0 if due is None or not due.provisional else 1,
            0 if due is None or not due.paused else 1,
            None if snap.closed_on is None else staged(snap.closed_on),
            snap.satisfaction,
            _dumps(snap.details if type(snap.details) is dict else dict(snap.details)),
        )

    def step_rows(self, r: Replayed, place: int) -> list[tuple[Any, ...]]:
        """The staged rows of the matter's steps to write: the matter's ``place`` in the batch,
        then ``stage.STEP_COLUMNS``."""
        staged = self._staged
        return [
            (
                place,
                s.seq,
                s.action,
                staged(s.on),
                staged(s.mailed_on),
                s.actor_label,
                s.org_id,
                s.state_before,
                s.state_after,
                _dumps(s.data),
                None if s.at is None else self._staged_moment(s.at),
            )
            for s in r.steps[r.new_from :]
        ]

    def clock_rows(self, r: Replayed, place: int) -> list[tuple[Any, ...]]:
        """The staged rows of the matter's clocks: its place, then ``stage.CLOCK_COLUMNS``."""
        staged, moment = self._staged, self._staged_moment
        return [
            (
                place,
                c.seq,
                c.limit,
                c.label[:100],
                int(c.minimum),
                staged(c.started_on),
                moment(c.started_at),
                staged(c.due_on),
                moment(c.due_at),
                c.basis,
                int(c.provisional),
                int(c.paused),
                staged(c.answered_on),
                moment(c.answered_at),
                c.answered_action,
                None if c.in_time is None else int(c.in_time),
            )
            for c in r.clocks
        ]

    def _clock_params(self, r: Replayed) -> list[tuple[Any, ...]]:
        d, m = self._date, self._adapt_moment
        return [
            (
                r.matter_id,
                c.seq,
                c.limit,
                c.label[:100],
                c.minimum,
                d(c.started_on),
                None if c.started_at is None else m(c.started_at),
                d(c.due_on),
                None if c.due_at is None else m(c.due_at),
                c.basis,
                c.provisional,
                c.paused,
                d(c.answered_on),
                None if c.answered_at is None else m(c.answered_at),
                c.answered_action,
                c.in_time,
            )
            for c in r.clocks
        ]

    def update(self, updates: list[Replayed]) -> int:
        """Rewrite the stored matters ``updates`` extend and insert their new steps."""
        if not updates:
            return 0
        d, now = self._date, self._now
        steps = [
            (
                r.matter_id,
                s.seq,
                s.action,
                d(s.on),
                d(s.mailed_on),
                s.actor_label,
                s.org_id,
                s.state_before,
                s.state_after,
                _dumps(s.data),
                None if s.at is None else self._adapt_moment(s.at),
                now,
                None,
            )
            for r in updates
            for s in r.steps[r.new_from :]
        ]
        clocks = [row for r in updates for row in self._clock_params(r)]
        with connection.cursor() as cursor:
            cursor.executemany(
                self._update_sql,
                [
                    (r.org_id, *self._state_columns(r, d), None, None, now, r.matter_id)
                    for r in updates
                ],
            )
            if steps:
                cursor.executemany(self._step_sql, steps)
            cursor.executemany(self._clock_delete, [(r.matter_id,) for r in updates])
            if clocks:
                cursor.executemany(self._clock_sql, clocks)
        return len(steps)

    def note_reference(self, code: str, reference: str) -> None:
        pattern = self._prefixes.get(code)
        if pattern is None:
            prefix = reference_prefix(get_procedure(code))
            pattern = re.compile(rf"^({re.escape(prefix)})-(\d{{4}})-(\d{{1,9}})$")
            self._prefixes[code] = pattern
        m = pattern.match(reference)
        if m is not None:
            key = (m.group(1), int(m.group(2)))
            number = int(m.group(3))
            if number > self.numbers.get(key, 0):
                self.numbers[key] = number

    def merge_numbers(self, numbers: Mapping[tuple[str, int], int]) -> None:
        """Numbers noted by another process's copy of this writer."""
        for key, number in numbers.items():
            if number > self.numbers.get(key, 0):
                self.numbers[key] = number

    def advance_counters(self) -> None:
        """Sequential references issued later must not repeat an imported one."""
        for (prefix, year), number in self.numbers.items():
            ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
            ReferenceCounter.objects.filter(prefix=prefix, year=year, last__lt=number).update(
                last=number
            )
