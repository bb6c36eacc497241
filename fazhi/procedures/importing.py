"""Bulk import of matters by replay through the engine's rules (DESIGN.md, "The engine").

A line of the canonical JSON Lines format (docs/import-format.md) is one matter with its steps.
Each line is replayed in memory through ``rules.new_snapshot`` and ``rules.apply`` — the same
pure rules ``act()`` applies, with the same date checks, data validation, guards and deadlines
— and the results are written in batches: a batch's new rows are staged in a private
in-memory SQLite database and copied in bulk (staging.py); a big JSONL file is replayed by
forked worker processes while this process writes. There is no back door: a step the rules
refuse is refused here with the engine's own message, and the database's own constraints
check every row written.

xlsx and csv files in the per-procedure template (``template_columns``) are read into the same
records first, so every format goes through one path.

Public entry points: ``import_file`` (the ``fazhi import`` command) and ``import_records``
(tests, other callers). ``ImportReport`` holds the counts and the rejected lines.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import hashlib
import io
import itertools
import json
import multiprocessing
import os
import pickle
import queue
import re
import sys
import threading
import traceback
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import orjson
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from fazhi.core import audit, clock
from fazhi.core.dbstats import refresh_statistics
from fazhi.core.models import OrgUnit
from fazhi.procedures import rules
from fazhi.procedures.declarations import (
    PUBLIC,
    Action,
    Field,
    FieldType,
    Procedure,
    get_procedure,
)
from fazhi.procedures.errors import InvalidData, ProcedureError
from fazhi.procedures.models import (
    Channel,
    ImportRun,
    Matter,
    PartyKind,
    ReferenceCounter,
    Step,
)
from fazhi.procedures.services import CODE_ALPHABET, clean_party, reference_prefix
from fazhi.procedures.signals import ImportObserver, import_observers
from fazhi.procedures.staging import (
    STATE_COLUMNS,
    STEP_COLUMNS,
    STEP_CONSTANTS,
    Stage,
    StageBuilder,
)
from fazhi.workdays import Calendar, Due

LINE_KEYS = (
    "procedure",
    "reference",
    "org",
    "received_on",
    "subject",
    "channel",
    "party",
    "mailed_on",
    "details",
    "steps",
)
STEP_KEYS = ("action", "on", "data", "by", "mailed_on")
MAX_LINE_BYTES = 1_000_000  # one matter; a longer line is refused, never read into memory whole
BATCH_SIZE = 2000
IMPORT_ROLE = "admin"  # the system replays staff steps with a role that may take every action
IMPORT_LABEL = "导入"
PUBLIC_LABEL = "公众"
REPORT_KEEP = 1000  # rejected lines kept on the ImportRun row (the report file has them all)
CONFLICT = "与已有记录冲突"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# a line's bytes with every digit as "0" and every other byte as " ": a run of 19 digits is
# then a plain substring search (a tenth of the time of the regular expression \d{19})
_DIGITS_ONLY = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_NINETEEN_DIGITS = b"0" * 19


# --- errors and the report ------------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, format, header). Plain Chinese message."""


@dataclass
class LineError(Exception):
    """One rejected line: its number in the file, the offending field and the reason."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"，{self.field}" if self.field else ""
        return f"第{self.line}行{where}：{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class ImportReport:
    """What an import did. ``created``/``updated``/``unchanged`` count matters."""

    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    steps: int = 0
    errors: list[LineError] = field(default_factory=list)
    rejected: int = 0
    committed: bool = False
    run_id: int | None = None

    def reject(self, error: LineError) -> None:
        self.rejected += 1
        if len(self.errors) < 100_000:
            self.errors.append(error)

    def summary(self) -> str:
        text = (
            f"共{self.lines}行：新增{self.created}件，更新进度{self.updated}件，"
            f"已存在{self.unchanged}件，拒绝{self.rejected}行；写入步骤{self.steps}个。"
        )
        return text if self.committed else text + "未导入任何事项。"

    def write_csv(self, path: Path) -> None:
        """The rejected lines as a CSV report (UTF-8 with BOM, opens in Excel)."""
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["行号", "字段", "原因"])
            for e in self.errors:
                writer.writerow([e.line, e.field, e.message])


# --- org units ------------------------------------------------------------------------------


class OrgIndex:
    """Every org unit in memory, resolved like ``services.resolve_org`` without a query each."""

    def __init__(self) -> None:
        self.by_code: dict[str, int] = {}
        self.by_pk: dict[int, str] = {}
        self.by_name: dict[str, list[int]] = {}
        for pk, code, name in OrgUnit.objects.values_list("pk", "division_code", "name"):
            if code and code not in self.by_code:
                self.by_code[code] = pk
            self.by_pk[pk] = name
            self.by_name.setdefault(name, []).append(pk)
        self.codes = {pk: code for code, pk in self.by_code.items()}
        self._cache: dict[str, int] = {}

    def resolve(self, value: object, field_name: str) -> int:
        """The unit's id; ``InvalidData`` naming ``field_name`` when none or several match."""
        text = str(value if value is not None else "").strip()
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        if not text:
            raise InvalidData("缺少机构。", field=field_name)
        pk: int | None = None
        if text.isdigit():
            pk = self.by_code.get(text)
            if pk is None and len(text) < 6 and int(text) in self.by_pk:
                pk = int(text)
        if pk is None:
            matches = self.by_name.get(text, [])
            if len(matches) > 1:
                raise InvalidData(
                    f"机构名称“{text}”对应多个机构，请改用机构编号。", field=field_name
                )
            pk = matches[0] if matches else None
        if pk is None:
            raise InvalidData(
                f"找不到机构“{text}”（可填行政区划代码、机构编号或机构全称）。", field=field_name
            )
        self._cache[text] = pk
        return pk

    def name(self, pk: int) -> str:
        return self.by_pk[pk]

    def export_key(self, pk: int) -> str:
        """How an export names the unit: division code, else its full name if unique, else id."""
        code = self.codes.get(pk)
        if code:
            return code
        name = self.by_pk.get(pk, "")
        if name and len(self.by_name.get(name, [])) == 1 and not name.isdigit():
            return name
        return str(pk)


# --- what a replay produces ------------------------------------------------------------------


class StepRow(NamedTuple):
    """A replayed step; its first six fields are what observers see (``ImportedStep``)."""

    seq: int
    action: str
    on: dt.date
    state_after: str
    data: dict[str, Any]
    org_id: int  # the unit that handled the matter until this step
    mailed_on: dt.date | None
    actor_label: str
    state_before: str


ImportedStep = StepRow  # observers read seq, action, on, state_after, data and org_id


@dataclass
class Replayed:
    """A matter replayed in memory: its columns and its steps (``register`` first)."""

    line: int
    procedure: str
    reference: str
    org_id: int
    received_on: dt.date
    subject: str
    channel: str
    party: dict[str, str]
    snap: rules.MatterSnapshot
    due: Due | None
    steps: list[StepRow]
    matter_id: int | None = None  # set for an update of a stored matter
    new_from: int = 0  # index in ``steps`` of the first step to write


class ImportedMatter(Protocol):
    """What an import's observers read of a matter it writes (signals.py): the replay's own
    ``Replayed`` objects, read-only."""

    @property
    def procedure(self) -> str: ...
    @property
    def reference(self) -> str: ...
    @property
    def org_id(self) -> int: ...  # the unit handling it now
    @property
    def received_on(self) -> dt.date: ...
    @property
    def steps(self) -> Sequence[ImportedStep]: ...  # every step, stored ones first
    @property
    def new_from(self) -> int: ...  # index in ``steps`` of the first step the import writes


def _step_key(action: Action | None, row_action: str, on: dt.date, data: Mapping[str, Any]) -> Any:
    """What two steps must share to be the same step: action, date and the declared data."""
    names = [f.name for f in action.fields] if action is not None else []
    return (row_action, on, tuple((n, data.get(n)) for n in names))


# --- parsing values -------------------------------------------------------------------------


_DATES: dict[str, dt.date] = {}  # valid date strings seen, so each is parsed once
_DATES_KEEP = 100_000


def _date(value: object, where: str, *, required: bool = True) -> dt.date | None:
    if type(value) is str:
        hit = _DATES.get(value)
        if hit is not None:
            return hit
    if value is None or value == "":
        if required:
            raise InvalidData("缺少日期。", field=where)
        return None
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise InvalidData(f"日期格式错误：{value!r}，应为 YYYY-MM-DD。", field=where)
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidData(f"日期无效：{value!r}。", field=where) from None
    if len(_DATES) < _DATES_KEEP:
        _DATES[value] = parsed
    return parsed


def _text(value: object, where: str) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise InvalidData(f"应为文字，收到 {type(value).__name__}。", field=where)
    return str(value).strip()


_LINE_KEY_SET = frozenset(LINE_KEYS)
_ORG_ACTIONS = frozenset({"transfer", "assign", "add_assistant", "return"})  # rules.org_effects
_STEP_KEY_SET = frozenset(STEP_KEYS)


def _is_mapping(value: object) -> bool:
    return type(value) is dict or isinstance(value, Mapping)


def _unknown(keys: Iterable[str], allowed: Sequence[str], where: str) -> None:
    extra = sorted(set(keys) - set(allowed))
    if extra:
        prefix = f"{where}." if where else ""
        raise InvalidData(
            f"未知的字段“{extra[0]}”（可用字段：{'、'.join(allowed)}）。",
            field=f"{prefix}{extra[0]}",
        )


# --- the replayer ---------------------------------------------------------------------------


class Replayer:
    """Replays records through the rules in memory: one calendar, one org index, one today."""

    def __init__(
        self,
        *,
        today: dt.date | None = None,
        cal: Calendar | None = None,
        orgs: OrgIndex | None = None,
    ) -> None:
        self.today = today or clock.today()
        self.cal = cal or Calendar.default()
        self.orgs = orgs or OrgIndex()
        self._channels = frozenset(Channel.values)

    def record(self, record: Mapping[str, Any], line: int) -> Replayed:
        """Validate and replay one record; raise ``LineError`` naming the field."""
        try:
            return self._record(record, line)
        except ProcedureError as exc:
            raise LineError(line, exc.field or "", exc.message) from None

    def _record(self, record: Mapping[str, Any], line: int) -> Replayed:
        if not _is_mapping(record):
            raise InvalidData("每行应为一个 JSON 对象（{…}）。", field="")
        if not record.keys() <= _LINE_KEY_SET:
            _unknown(record.keys(), LINE_KEYS, "")
        procedure = get_procedure(_text(record.get("procedure"), "procedure"))
        reference = _text(record.get("reference"), "reference")
        if not reference:
            raise InvalidData("缺少编号：导入须有编号，重复导入时据此识别。", field="reference")
        if len(reference) > 64:
            raise InvalidData("编号过长（最多64字）。", field="reference")
        org_id = self.orgs.resolve(record.get("org"), "org")
        received_on = _date(record.get("received_on"), "received_on")
        assert received_on is not None  # noqa: S101 required=True above; narrows for mypy
        if received_on > self.today:
            raise InvalidData(f"收到日期 {received_on.isoformat()} 晚于今天。", field="received_on")
        subject = _text(record.get("subject"), "subject")
        if not subject:
            raise InvalidData("缺少事由。", field="subject")
        if len(subject) > 300:
            raise InvalidData(f"事由过长：最多300字，实际{len(subject)}字。", field="subject")
        channel = _text(record.get("channel"), "channel") or Channel.IMPORT.value
        if channel not in self._channels:
            allowed = "、".join(f"{c.value}（{c.label}）" for c in Channel)
            raise InvalidData(f"渠道“{channel}”无效，可选：{allowed}。", field="channel")
        party_in = record.get("party")
        if party_in is not None and not _is_mapping(party_in):
            raise InvalidData(
                "当事人应为对象 {name, kind, id_number, phone, address}。", field="party"
            )
        party = clean_party(party_in, required=procedure.party_required)
        mailed_on = _date(record.get("mailed_on"), "mailed_on", required=False)
        details_in = record.get("details")
        if details_in is not None and not _is_mapping(details_in):
            raise InvalidData("details 应为对象。", field="details")
        details = rules.clean_details(procedure, details_in)
        steps_in = record.get("steps")
        if steps_in is None:
            steps_in = []
        if type(steps_in) is not list and not isinstance(steps_in, list):
            raise InvalidData("steps 应为列表。", field="steps")

        snap = rules.new_snapshot(procedure, received_on, details)
        due = None if steps_in else rules.compute_due(snap, self.cal)
        # positional: a named tuple built by keyword costs twice as much (a hot path)
        register = StepRow(
            1, "register", received_on, snap.state, {}, org_id, mailed_on, IMPORT_LABEL, ""
        )
        result = Replayed(
            line=line,
            procedure=procedure.code,
            reference=reference,
            org_id=org_id,
            received_on=received_on,
            subject=subject,
            channel=channel,
            party=party,
            snap=snap,
            due=due,
            steps=[register],
        )
        self.replay_steps(result, steps_in, 0)
        return result

    def replay_steps(self, target: Replayed, steps_in: Sequence[Any], first: int) -> None:
        """Apply ``steps_in[first:]`` to ``target`` (in place), as ``act()`` would, one by one."""
        procedure = target.snap.procedure
        last = len(steps_in) - 1
        for i in range(first, len(steps_in)):
            raw = steps_in[i]
            try:
                if type(raw) is not dict and not _is_mapping(raw):
                    raise InvalidData("步骤应为对象 {action, on, data}。", field="")
                if not raw.keys() <= _STEP_KEY_SET:
                    _unknown(raw.keys(), STEP_KEYS, "@")
                name = raw.get("action")
                name = name.strip() if type(name) is str else _text(name, "action")
                spec = procedure.action(name)
                on = _date(raw.get("on"), "on")
                mailed_on = raw.get("mailed_on")
                if mailed_on is not None:
                    mailed_on = _date(mailed_on, "mailed_on", required=False)
                by = raw.get("by")
                if by not in (None, "", PUBLIC):
                    raise InvalidData(
                        f'by 只能为 "public"（当事人本人的操作）或省略，收到 {by!r}。', field="by"
                    )
                data_in = raw.get("data")
                if data_in is None:
                    data_in = {}
                if not _is_mapping(data_in):
                    raise InvalidData("data 应为对象。", field="data")
                data = data_in
                if spec.org_field_names:
                    data = dict(data_in)
                    for org_field in spec.org_field_names:
                        if data.get(org_field) not in (None, ""):
                            pk = self.orgs.resolve(data[org_field], org_field)
                            data[org_field] = str(pk)
                transition = rules.apply(
                    target.snap,
                    name,
                    role=PUBLIC if by == PUBLIC else IMPORT_ROLE,
                    on=on,  # type: ignore[arg-type]
                    data=data,
                    today=self.today,
                    cal=self.cal,
                    with_due=i == last,  # only the final due date is stored
                )
            except ProcedureError as exc:
                where = f"steps[{i}]"
                f = exc.field or ""
                if f.startswith("@."):  # a key of the step itself
                    f = f[2:]
                elif f and f not in ("on", "action", "mailed_on", "by", "data") and "." not in f:
                    f = f"data.{f}"  # a field of the action's data
                exc.field = f"{where}.{f}" if f else where
                raise
            if name in _ORG_ACTIONS:  # org_effects adds to the step's data: a copy of it
                step_data = dict(transition.step.data)
                earlier = [(s.action, s.data) for s in target.steps]
                new_org = rules.org_effects(name, step_data, target.org_id, earlier, self.orgs.name)
            else:  # org_effects would change nothing
                step_data = transition.step.data  # type: ignore[assignment]
                new_org = target.org_id
            new = transition.snapshot
            if name == "add_assistant":
                new = replace(new, details=rules.with_assistant(new.details, int(step_data["org"])))
            target.steps.append(
                StepRow(  # seq, action, on, state_after, data, org_id, mailed_on, label, before
                    len(target.steps) + 1,
                    name,
                    transition.step.on,
                    new.state,
                    step_data,
                    target.org_id,
                    mailed_on,
                    PUBLIC_LABEL if by == PUBLIC else IMPORT_LABEL,
                    transition.state_before,
                )
            )
            target.org_id = new_org
            target.snap = new
            target.due = transition.due

    def step_keys(self, replayed: Replayed) -> list[Any]:
        procedure = replayed.snap.procedure
        return [
            _step_key(_action_or_none(procedure, s.action), s.action, s.on, s.data)
            for s in replayed.steps
        ]


def _action_or_none(procedure: Procedure, name: str) -> Action | None:
    try:
        return procedure.action(name)
    except ProcedureError:
        return None


# --- writing ------------------------------------------------------------------------------

_STEP_INSERT = ("matter", *STEP_COLUMNS, *STEP_CONSTANTS)
_UPDATE_COLUMNS = ("org", *STATE_COLUMNS, "warned_on", "overdue_on", "updated_at")


def _insert_sql(model: type[Any], names: Sequence[str]) -> str:
    qn = connection.ops.quote_name
    columns = {f.name: f.column for f in model._meta.concrete_fields}
    cols = ", ".join(qn(columns[n]) for n in names)
    marks = ", ".join(["%s"] * len(names))
    return f"INSERT INTO {qn(model._meta.db_table)} ({cols}) VALUES ({marks})"  # noqa: S608 column names come from the model


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

    ``matter_row`` and ``step_rows`` give a new matter's rows in the staged form (staging.py:
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
        self._step_sql = _insert_sql(Step, _STEP_INSERT)
        qn = ops.quote_name
        columns = {f.name: f.column for f in Matter._meta.concrete_fields}
        sets = ", ".join(f"{qn(columns[n])} = %s" for n in _UPDATE_COLUMNS)
        self._update_sql = f"UPDATE {qn(Matter._meta.db_table)} SET {sets} WHERE {qn('id')} = %s"  # noqa: S608 model columns
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
        """A new matter's staged row: its line, then ``staging.MATTER_COLUMNS`` (with a new
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
        then ``staging.STEP_COLUMNS``."""
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
            )
            for s in r.steps[r.new_from :]
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
                now,
                None,
            )
            for r in updates
            for s in r.steps[r.new_from :]
        ]
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


# --- reading files --------------------------------------------------------------------------

Record = tuple[int, Any, dict[int, str] | None]  # line, parsed record or LineError, step columns


def _raw_lines(stream: io.BufferedIOBase | Any) -> Iterator[tuple[int, int, bytes | None]]:
    """(line number, byte offset, bytes) for every line of a byte stream; bytes None for a line
    over ``MAX_LINE_BYTES``, which is skipped without ever being held whole."""
    number = 0
    position = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        start, position = position, position + len(raw)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(MAX_LINE_BYTES + 1)
                position += len(raw)
            yield number, start, None
        else:
            yield number, start, raw


def _oversize(number: int) -> LineError:
    return LineError(number, "", f"该行超过 {MAX_LINE_BYTES // 1000} KB，无法导入。")


def read_jsonl(
    stream: io.BufferedIOBase | Any, offsets: dict[int, int] | None = None
) -> Iterator[Record]:
    """(line number, record or LineError, None) for each non-blank line of a JSONL byte stream.

    ``offsets``, when given, receives each yielded line's byte offset (to read it again).
    """
    for number, start, raw in _raw_lines(stream):
        if raw is None:
            yield number, _oversize(number), None
            continue
        parsed = _parse_line(raw, number)
        if parsed is None:
            continue
        if offsets is not None:
            offsets[number] = start
        yield number, parsed, None


def _parse_line(raw: bytes, number: int) -> Any:
    """The line's JSON value, a ``LineError``, or None for a blank line."""
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    # The common case: orjson accepts only valid UTF-8, and never a blank line. But it reads an
    # integer beyond 64 bits as a float (precision lost): a line with 19 digits in a row, in a
    # number or not, is left to the standard library.
    if _NINETEEN_DIGITS not in raw.translate(_DIGITS_ONLY):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError(
            f"第{number}行不是 UTF-8 编码。请将文件另存为 UTF-8 编码后重新导入。"
        ) from None
    if not text.strip():
        return None
    try:  # what orjson refuses (NaN, huge integers…) and every error message: json.loads's
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return LineError(number, "", f"不是有效的 JSON：{exc.msg}（第{exc.colno}列）。")


def _read_line_at(stream: io.BufferedIOBase | Any, offset: int, number: int) -> Any:
    """The JSON value of the line at ``offset`` (read again; it was parsed once already)."""
    stream.seek(offset)
    return _parse_line(stream.readline(MAX_LINE_BYTES + 1), number)


# --- templates (xlsx and csv) ---------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a procedure's template."""

    code: str
    label: str
    type: str  # a FieldType value, or "date"
    required: bool
    choices: tuple[tuple[str, str], ...] = ()
    example: str = ""
    action: str = ""  # set for a step column
    name: str = ""  # the field's name (for details.*, party_*, <action>.<field>)
    help: str = ""


_TYPE_LABELS = {
    "str": "文字",
    "text": "文字（可多行）",
    "bool": "是/否",
    "int": "整数",
    "decimal": "数字",
    "date": "日期 YYYY-MM-DD",
    "choice": "选项",
    "org": "机构（行政区划代码、机构编号或全称）",
}


def type_label(column: Column) -> str:
    return _TYPE_LABELS.get(column.type, column.type)


def _example(f: Field) -> str:
    if f.choices:
        return f.choices[0][1]
    return {
        FieldType.BOOL: "否",
        FieldType.INT: "1",
        FieldType.DECIMAL: "1.5",
        FieldType.DATE: "2025-03-06",
        FieldType.ORG: "220302",
    }.get(f.type, "")


def _field_column(code: str, f: Field, *, label: str, action: str = "") -> Column:
    return Column(
        code=code,
        label=label,
        type=f.type.value,
        required=f.required,
        choices=f.choices,
        example=_example(f),
        action=action,
        name=f.name,
        help=f.help,
    )


def template_actions(procedure: Procedure) -> list[Action]:
    """The actions that get a column group: the procedure's own (non-generic) ones, in order."""
    return [a for a in procedure.actions if not a.generic]


def template_columns(procedure: Procedure) -> list[Column]:
    """The columns of ``procedure``'s import template, generated from its declaration."""
    cols = [
        Column("reference", "编号", "str", True, example="YS-2025-000001", help="同一程序内唯一"),
        Column("org", "承办机构", "org", True, example="220302"),
        Column("received_on", "收到日期", "date", True, example="2025-03-02"),
        Column("subject", "事由", "str", True, example="示例事由"),
        Column(
            "channel",
            "渠道",
            "choice",
            False,
            tuple((c.value, str(c.label)) for c in Channel),
            example="窗口",
        ),
        Column("mailed_on", "交邮日期", "date", False, help="邮寄提交时的交邮日期"),
        Column("party_name", "当事人", "str", procedure.party_required, example="张三"),
        Column(
            "party_kind",
            "当事人类别",
            "choice",
            False,
            tuple((c.value, str(c.label)) for c in PartyKind),
            example="自然人",
        ),
        Column(
            "party_id_number",
            "证件号码",
            "str",
            False,
            example="11010519491231002X",
            help="居民身份证号码或统一社会信用代码",
        ),
        Column("party_phone", "联系电话", "str", False, example="13800000000"),
        Column("party_address", "联系地址", "str", False),
    ]
    for f in procedure.details:
        cols.append(_field_column(f"details.{f.name}", f, label=f.label))
    for a in template_actions(procedure):
        cols.append(
            Column(
                f"{a.name}.on", f"{a.label}日期", "date", False, example="2025-03-06", action=a.name
            )
        )
        for f in a.fields:
            cols.append(
                _field_column(f"{a.name}.{f.name}", f, label=f"{a.label}：{f.label}", action=a.name)
            )
    return cols


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choice_value(column: Column, text: str) -> str:
    """A choice column accepts the code or the Chinese label."""
    if not column.choices or not text:
        return text
    for code, label in column.choices:
        if text in (code, str(label)):
            return code
    return text  # the rules refuse it with the allowed values named


def row_to_record(
    procedure: Procedure, columns: Sequence[Column], cells: Sequence[object], line: int
) -> tuple[dict[str, Any], dict[int, str]]:
    """A template row as a canonical record, and which action each of its steps came from."""
    values = {c.code: _choice_value(c, _cell_text(v)) for c, v in zip(columns, cells, strict=False)}
    record: dict[str, Any] = {"procedure": procedure.code}
    for key in ("reference", "org", "received_on", "subject", "channel", "mailed_on"):
        if values.get(key):
            record[key] = values[key]
    party = {
        k: values.get(f"party_{k}", "") for k in ("name", "kind", "id_number", "phone", "address")
    }
    if any(party.values()):
        record["party"] = {k: v for k, v in party.items() if v}
    record["details"] = {
        c.name: values[c.code]
        for c in columns
        if c.code.startswith("details.") and values.get(c.code)
    }
    groups: list[tuple[str, int, str, dict[str, str]]] = []
    for order, a in enumerate(template_actions(procedure)):
        on = values.get(f"{a.name}.on", "")
        data = {
            f.name: values[f"{a.name}.{f.name}"]
            for f in a.fields
            if values.get(f"{a.name}.{f.name}")
        }
        if not on and not data:
            continue
        if not on:
            raise LineError(line, f"{a.name}.on", f"填写了“{a.label}”的内容，但缺少{a.label}日期。")
        if not _ISO_DATE.match(on):
            raise LineError(line, f"{a.name}.on", f"日期格式错误：{on!r}，应为 YYYY-MM-DD。")
        groups.append((on, order, a.name, data))
    groups.sort(key=lambda g: (g[0], g[1]))
    steps: list[dict[str, Any]] = []
    sources: dict[int, str] = {}
    for on, _order, name, data in groups:
        step: dict[str, Any] = {"action": name, "on": on, "data": data}
        spec = procedure.action(name)
        if IMPORT_ROLE not in spec.roles and PUBLIC in spec.roles:
            step["by"] = PUBLIC  # e.g. request_reopen: only the submitter takes it
        sources[len(steps)] = name
        steps.append(step)
    record["steps"] = steps
    return record, sources


def _check_header(procedure: Procedure | None, header: list[str]) -> tuple[Procedure, list[Column]]:
    from fazhi.procedures.declarations import all_procedures

    codes = [h for h in header if h]
    candidates = [procedure] if procedure is not None else all_procedures()
    best: tuple[int, Procedure, set[str], set[str]] | None = None
    for proc in candidates:
        expected = {c.code for c in template_columns(proc)}
        missing, extra = expected - set(codes), set(codes) - expected
        if not missing and not extra and len(codes) == len(set(codes)):
            by_code = {c.code: c for c in template_columns(proc)}
            return proc, [by_code[h] if h else Column("", "", "str", False) for h in header]
        score = len(missing) + len(extra)
        if best is None or score < best[0]:
            best = (score, proc, missing, extra)
    if best is None:
        raise ImportFileError("没有已登记的程序。")
    _score, proc, missing, extra = best
    parts = []
    if missing:
        parts.append("缺少列：" + "、".join(sorted(missing)))
    if extra:
        parts.append("多出列：" + "、".join(sorted(extra)))
    if len(codes) != len(set(codes)):
        parts.append("有重复的列")
    raise ImportFileError(
        f"第1行表头与“{proc.label}”（{proc.code}）的导入模板不符：{'；'.join(parts)}。"
        f"请用 fazhi import template {proc.code} 生成模板后填写。"
    )


def _table_records(
    rows: Iterator[Sequence[object]], procedure: Procedure | None
) -> Iterator[Record]:
    try:
        header_row = next(rows)
    except StopIteration:
        raise ImportFileError("文件是空的。") from None
    header = [_cell_text(v) for v in header_row]
    while header and not header[-1]:
        header.pop()
    proc, columns = _check_header(procedure, header)
    for number, cells in enumerate(rows, start=2):
        texts = [_cell_text(v) for v in cells[: len(columns)]]
        if not any(texts):
            continue
        if number == 2 and texts[: len(columns)] == [c.label for c in columns][: len(texts)]:
            continue  # the label row
        try:
            record, sources = row_to_record(proc, columns, cells, number)
        except LineError as exc:
            yield number, exc, None
            continue
        yield number, record, sources


def read_xlsx(path: Path, procedure: Procedure | None) -> Iterator[Record]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"无法读取 Excel 文件：文件不是有效的 .xlsx（{exc}）。") from None
    try:
        ws = wb.worksheets[0]
        yield from _table_records(ws.iter_rows(values_only=True), procedure)
    finally:
        wb.close()


def read_csv(path: Path, procedure: Procedure | None) -> Iterator[Record]:
    with path.open("rb") as raw:
        data = raw.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "CSV 文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重新导入。"
        ) from None
    yield from _table_records(iter(csv.reader(io.StringIO(text))), procedure)


# --- the import -----------------------------------------------------------------------------

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".csv": "csv"}


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ImportFileError(
            f"不支持的文件类型“{path.suffix or path.name}”：请使用 .jsonl、.xlsx 或 .csv。"
        )
    return fmt


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(
    path: Path,
    *,
    skip_invalid: bool = False,
    procedure: str | None = None,
    by: Any = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    today: dt.date | None = None,
    parallel: bool | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import a .jsonl, .xlsx or .csv file. All-or-nothing unless ``skip_invalid``.

    ``parallel``: parse and replay a .jsonl file in ``workers`` worker processes (by default
    ``default_workers()``) while this one writes (``_replay_in_workers``). By default only for files of at least ``PARALLEL_MIN_BYTES``, where
    ``fork`` exists, and when called from the main thread of a process whose other threads (if
    any) are daemons, such as the progress bar's monitor: never from a threaded web server's
    request thread. Same results either way.
    """
    if not path.is_file():
        raise ImportFileError(f"找不到文件 {path}。")
    fmt = file_format(path)
    if path.stat().st_size == 0:
        raise ImportFileError("文件是空的。")
    proc = get_procedure(procedure) if procedure else None
    digest = sha256_of(path)
    if fmt == "jsonl":
        if parallel is None:
            parallel = path.stat().st_size >= PARALLEL_MIN_BYTES and _may_fork()
        with path.open("rb") as stream:
            return import_records(
                read_jsonl(stream),
                name=path.name,
                sha256=digest,
                fmt=fmt,
                skip_invalid=skip_invalid,
                by=by,
                progress=progress,
                batch_size=batch_size,
                today=today,
                _jsonl=(path, stream, workers or default_workers()) if parallel else None,
            )
    reader = read_xlsx(path, proc) if fmt == "xlsx" else read_csv(path, proc)
    return import_records(
        reader,
        name=path.name,
        sha256=digest,
        fmt=fmt,
        skip_invalid=skip_invalid,
        by=by,
        progress=progress,
        batch_size=batch_size,
        today=today,
    )


class _Rollback(Exception):  # noqa: N818 control flow, not an error
    pass


# --- replaying in worker processes ---------------------------------------------------------
#
# Parsing and replaying a line costs more CPU than writing it, so a big JSONL file is replayed
# by forked worker processes while this process writes. The file is cut into chunks of
# ``batch_size`` lines (by line number, blank lines included); worker i of n replays chunks
# i, i + n, i + 2n… (it reads every line but parses only its own) through the same
# ``Replayer`` (same today, calendar and org units: it is a fork) and sends each chunk's
# ``_Batch`` — rejected lines, new rows staged (staging.py), the observers' partial sums — in
# order, an empty one for a chunk without lines, and a last one with its final sums. This
# process takes the chunks in file order and keeps everything else: the transaction, the check
# against stored matters (a line whose matter is stored is read again by its offset and
# replayed here), the writes, the report, the progress callback and the observers' merge. The
# workers never touch the database connection they inherit.

PARALLEL_MIN_BYTES = 2_000_000  # smaller files are replayed in-process (a fork costs ~10 ms)
IMPORT_WORKERS = 2  # worker processes for a big file (at most one per CPU)
_QUEUE_BATCHES = 3  # batches a worker may be ahead: bounds the memory the processes hold
_CAN_FORK = "fork" in multiprocessing.get_all_start_methods()


def _may_fork() -> bool:
    """Whether forking the workers from here is safe enough (see ``import_file``)."""
    if not _CAN_FORK or threading.current_thread() is not threading.main_thread():
        return False
    return all(t.daemon for t in threading.enumerate() if t is not threading.main_thread())


def default_workers() -> int:
    return max(1, min(IMPORT_WORKERS, os.cpu_count() or 1))


def _own_chunks(
    stream: Any, size: int, index: int, count: int, offsets: dict[int, int]
) -> Iterator[list[Record]]:
    """Worker ``index`` of ``count``: its chunks of the file's lines, in order, empty or not,
    up to the file's last chunk (the import's process takes chunk k from worker k % count)."""
    current = index  # the chunk being collected
    records: list[Record] = []
    last = 0
    for number, start, raw in _raw_lines(stream):
        last = number
        chunk = (number - 1) // size
        if chunk % count != index:
            continue
        while chunk > current:
            yield records
            records, current = [], current + count
        if raw is None:
            records.append((number, _oversize(number), None))
            continue
        parsed = _parse_line(raw, number)
        if parsed is not None:
            offsets[number] = start
            records.append((number, parsed, None))
    total = (last + size - 1) // size
    while current < total:
        yield records
        records, current = [], current + count


def _worker(
    path: Path,
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    size: int,
    index: int,
    count: int,
    out: Any,
) -> None:
    """A worker process: replay its chunks of ``path`` into ``out``, then say how it ended."""
    gc.freeze()  # what the fork inherited: never walked by the collector (nor copied for it)
    # The standard streams' locks may have been held by another thread at the fork (a
    # progress bar's monitor): the worker writes nothing, and never touches those objects.
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 closed at the process's exit
    try:
        offsets: dict[int, int] = {}
        with path.open("rb") as stream:
            for chunk in _own_chunks(stream, size, index, count, offsets):
                batch = _replay_chunk(chunk, replayer, writer, observers, offsets)
                out.put(("batch", pickle.dumps(batch, pickle.HIGHEST_PROTOCOL)))
        out.put(("final", pickle.dumps(_final(writer, observers), pickle.HIGHEST_PROTOCOL)))
    except ImportFileError as exc:
        out.put(("file_error", str(exc)))
    except BaseException:  # report anything else to the parent, which fails the import
        out.put(("crash", traceback.format_exc()))
    finally:
        out.close()
        out.join_thread()


def _receive(worker: Any, out: Any) -> tuple[str, Any]:
    """The worker's next message; its errors raised here."""
    while True:
        try:
            kind, payload = out.get(timeout=1.0)
        except queue.Empty:
            if worker.is_alive():
                continue
            try:  # what it sent just before it exited is still in the pipe
                kind, payload = out.get(timeout=1.0)
            except queue.Empty:
                raise RuntimeError(
                    f"导入的工作进程意外退出（退出码 {worker.exitcode}）。"
                ) from None
        if kind == "file_error":
            raise ImportFileError(payload)
        if kind == "crash":
            raise RuntimeError(f"导入的工作进程出错：\n{payload}")
        return kind, payload


def _replay_in_workers(
    path: Path,
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    size: int,
    count: int,
) -> Iterator[_Batch]:
    """The replayed chunks of ``path`` from ``count`` forked workers, in file order, then each
    worker's final batch."""
    context = multiprocessing.get_context("fork")
    queues = [context.Queue(maxsize=_QUEUE_BATCHES) for _ in range(count)]
    workers = [
        context.Process(
            target=_worker,
            args=(path, replayer, writer, observers, size, i, count, queues[i]),
            name=f"fazhi-import-replay-{i}",
            daemon=True,
        )
        for i in range(count)
    ]
    for w in workers:
        w.start()
    finished = False
    try:
        k = 0
        while True:
            kind, payload = _receive(workers[k % count], queues[k % count])
            if kind == "batch":
                yield pickle.loads(payload)  # noqa: S301 our own worker's bytes
                k += 1
                continue
            # the file ended before chunk k: every other worker's next message is its last
            finals = [payload]
            for j in range(1, count):
                i = (k + j) % count
                kind, payload = _receive(workers[i], queues[i])
                if kind != "final":
                    raise RuntimeError(f"导入的工作进程 {i} 发来意外的消息 {kind}。")
                finals.append(payload)
            finished = True
            for payload in finals:
                yield pickle.loads(payload)  # noqa: S301 our own worker's bytes
            return
    finally:
        for w in workers:
            if finished:
                w.join(timeout=10)  # it has sent everything and is exiting
            if w.is_alive():
                w.kill()
            w.join()
        for q in queues:
            q.close()


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector, tuned for a bulk import, restored afterwards.

    An import allocates millions of short-lived objects, none of them in cycles, and every
    young-generation collection would also walk the objects the process already held (Django,
    the declarations, the calendar): those are frozen out of the collector's view, and young
    collections run every 50,000 allocations rather than 700. Garbage is still collected.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@contextlib.contextmanager
def _bulk_write_settings() -> Iterator[None]:
    """SQLite settings of the import's connection, restored afterwards; entered before the
    import's transaction begins.

    - a larger page cache, fixed at ``SQLITE_IMPORT_CACHE_KIB`` whatever the file's size, so
      memory stays flat; the default (2 MiB) makes every index insert of a big import read
      pages back from the OS;
    - temporary files in memory: each batch's ``INSERT … SELECT`` keeps a statement journal
      (the pages it changes, to undo the statement alone), which SQLite otherwise writes to a
      temporary file past 64 KiB: half of a big import's writes to disk. It lives for one
      statement (one batch). SQLite takes this setting only outside a transaction, so an import
      that runs inside its caller's transaction keeps the connection's setting.
    """
    if connection.vendor != "sqlite":
        yield
        return
    outside = not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache_before,) = cursor.fetchone()
        cursor.execute("PRAGMA temp_store")
        (temp_before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_IMPORT_CACHE_KIB)}")
        if outside:
            cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        # never hide the import's own error behind this one (a connection that broke)
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache_before)}")
            if outside:
                cursor.execute(f"PRAGMA temp_store = {int(temp_before)}")


SQLITE_IMPORT_CACHE_KIB = 128 * 1024  # 128 MiB of SQLite page cache while importing


def _chunks(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    """The records by chunk of ``size`` line numbers (as the workers cut them)."""
    chunk: list[Record] = []
    current = -1
    for item in records:
        index = (item[0] - 1) // size
        if index != current and chunk:
            yield chunk
            chunk = []
        current = index
        chunk.append(item)
    if chunk:
        yield chunk


def _existing(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Matter]:
    return {(m.procedure, m.reference): m for qs in Matter.objects.with_keys(keys) for m in qs}


def _map_field(error: LineError, sources: dict[int, str] | None) -> LineError:
    """In a template, name the column (``conclude.result``) rather than ``steps[1].data.result``."""
    if not sources or not error.field.startswith("steps["):
        return error
    m = re.match(r"steps\[(\d+)\](?:\.(?:data\.)?(.*))?$", error.field)
    if m is None or int(m.group(1)) not in sources:
        return error
    action, rest = sources[int(m.group(1))], m.group(2) or "on"
    if rest in ("action", "by", "mailed_on"):
        rest = "on"
    return LineError(error.line, f"{action}.{rest}", error.message)


def import_records(
    records: Iterator[Record],
    *,
    name: str = "",
    sha256: str = "",
    fmt: str = "jsonl",
    skip_invalid: bool = False,
    by: Any = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    today: dt.date | None = None,
    _jsonl: tuple[Path, Any, int] | None = None,
) -> ImportReport:
    """Replay ``records`` and write them in batches, in one transaction.

    Without ``skip_invalid`` the whole import is rolled back when any line is rejected (every
    line is still checked, so the report names them all). ``_jsonl`` (``import_file``): the
    JSONL file, an open binary stream of it and a number of workers, to replay it in worker
    processes instead.
    """
    report = ImportReport()
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    run = ImportRun.objects.create(
        file_name=name[:255], sha256=sha256, format=fmt, created_by=user, skip_invalid=skip_invalid
    )
    report.run_id = run.pk
    replayer = Replayer(today=today)
    observers = [factory() for factory in import_observers]
    stage: Stage | None = None
    try:
        with _fewer_collections(), _bulk_write_settings(), transaction.atomic():
            writer = Writer()
            stage = Stage.for_connection(writer.staged_now)
            reread: Callable[[int, int], Any] | None = None
            if _jsonl is None:
                batches = _replay_here(records, replayer, writer, observers, batch_size)
            else:
                path, stream, workers = _jsonl
                batches = _replay_in_workers(path, replayer, writer, observers, batch_size, workers)

                def reread(offset: int, line: int) -> Any:
                    return _read_line_at(stream, offset, line)

            for batch in batches:
                _store_batch(batch, stage, replayer, writer, observers, report, reread)
                if progress is not None and batch.lines:
                    progress(batch.lines)
            if report.rejected and not skip_invalid:
                raise _Rollback
            for observer in observers:
                observer.finish()
            writer.advance_counters()
            report.committed = True
            _finish(run, report, by)
    except _Rollback:
        pass
    except Exception:  # an unreadable file, a worker that crashed, a broken connection…
        # the run is recorded as failed where that is still possible; the error is raised as is
        with contextlib.suppress(Exception):
            _finish(run, report, by, failed=True)
        raise
    finally:
        if stage is not None:
            stage.close()
    if not report.committed:
        _finish(run, report, by, failed=True)
    elif report.created > 10_000:
        refresh_statistics()  # a big load changes the tables' shape: tell the planner
    return report


def _finish(run: ImportRun, report: ImportReport, by: Any, *, failed: bool = False) -> None:
    # by line: a batch's rejected lines come first, a conflict with a stored matter later
    report.errors.sort(key=lambda e: e.line)
    run.finished_at = clock.now()
    run.status = (
        ImportRun.Status.FAILED
        if failed
        else (ImportRun.Status.PARTIAL if report.rejected else ImportRun.Status.DONE)
    )
    run.lines, run.created, run.updated = report.lines, report.created, report.updated
    run.unchanged, run.rejected, run.steps = report.unchanged, report.rejected, report.steps
    run.report = [e.as_dict() for e in report.errors[:REPORT_KEEP]]
    run.save()
    audit.record(
        "matter.import",
        run,
        actor=by,
        label=None if by is not None else IMPORT_LABEL,
        data={
            "file": run.file_name,
            "sha256": run.sha256,
            "format": run.format,
            "status": run.status,
            "lines": run.lines,
            "created": run.created,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "rejected": run.rejected,
        },
    )


@dataclass
class _Batch:
    """A chunk of lines replayed (here or in a worker), ready to be checked and written."""

    lines: int = 0  # the chunk's lines (blank ones left out)
    errors: list[LineError] = field(default_factory=list)
    rows: bytes | None = None  # the new matters' and steps' rows, staged (staging.py)
    # per accepted line: the record itself, or its byte offset when a worker replayed it
    # (read again only if its matter turns out to be stored)
    origin: dict[int, Any] = field(default_factory=dict)
    deferred: list[int] = field(default_factory=list)  # lines repeating an earlier line's matter
    partials: list[Any] = field(default_factory=list)  # per observer (None: nothing to merge)
    numbers: dict[tuple[str, int], int] = field(default_factory=dict)  # Writer.numbers


def _replay_chunk(
    chunk: list[Record],
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    offsets: dict[int, int] | None = None,
) -> _Batch:
    """Replay a chunk: its rejected lines, and the staged rows of its new matters.

    A line whose matter (procedure and reference) an earlier line of the chunk has is
    deferred: it is checked against what that line wrote, once the chunk is written.
    """
    batch = _Batch(lines=len(chunk))
    builder = StageBuilder()
    seen: set[tuple[str, str]] = set()
    replayed: list[ImportedMatter] = []
    for line, rec, sources in chunk:
        offset = offsets.pop(line, None) if offsets is not None else None
        if isinstance(rec, LineError):
            batch.errors.append(rec)
            continue
        try:
            r = replayer.record(rec, line)
        except LineError as exc:
            batch.errors.append(_map_field(exc, sources))
            continue
        batch.origin[line] = rec if offsets is None else offset
        key = (r.procedure, r.reference)
        if key in seen:
            batch.deferred.append(line)
            continue
        seen.add(key)
        builder.add(writer.matter_row(r), writer.step_rows(r, builder.next_place()))
        writer.note_reference(r.procedure, r.reference)
        if observers:
            replayed.append(r)
    if len(builder):
        batch.rows = builder.serialize()
    for observer in observers:
        observer.replayed(replayed, 1)
    batch.partials = [observer.partial(False) for observer in observers]
    return batch


def _final(writer: Writer, observers: list[ImportObserver]) -> _Batch:
    """What a replaying process sends after its last chunk."""
    return _Batch(
        partials=[observer.partial(True) for observer in observers], numbers=dict(writer.numbers)
    )


def _replay_here(
    records: Iterator[Record],
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    size: int,
) -> Iterator[_Batch]:
    for chunk in _chunks(records, size):
        yield _replay_chunk(chunk, replayer, writer, observers)
    yield _final(writer, observers)


def _store_batch(
    batch: _Batch,
    stage: Stage,
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    report: ImportReport,
    reread: Callable[[int, int], Any] | None,
) -> None:
    """Write a replayed batch: its new matters in bulk, the rest line by line."""
    report.lines += batch.lines
    for error in batch.errors:
        report.reject(error)
    for observer, partial in zip(observers, batch.partials, strict=True):
        if partial is not None:
            observer.merge(partial)
    writer.merge_numbers(batch.numbers)
    slow = list(batch.deferred)
    taken_back: set[int] = set()
    if batch.rows is not None:
        stage.load(batch.rows)
        stored = stage.stored()
        if stored:  # replayed as new, but the matter is stored: left to the line-by-line path
            stage.drop([rowid for rowid, _ in stored])
            taken_back = {line for _, line in stored}
            slow.extend(taken_back)
        created, steps = stage.write()
        report.created += created
        report.steps += steps
    if not slow:
        return
    replays: list[tuple[int, Any, Replayed]] = []
    for line in sorted(slow):
        source = batch.origin[line]
        rec = source if reread is None else reread(source, line)
        r = replayer.record(rec, line)  # accepted once already: the same replay again, here
        if line in taken_back:
            imported = [r]
            for observer in observers:
                observer.replayed(imported, -1)
        replays.append((line, rec, r))
    group: list[tuple[int, Any, Replayed]] = []
    keys: set[tuple[str, str]] = set()
    for item in replays:  # in groups without a repeated matter, each after the one before
        key = (item[2].procedure, item[2].reference)
        if key in keys:
            _store_lines(group, stage, replayer, writer, observers, report)
            group, keys = [], set()
        group.append(item)
        keys.add(key)
    _store_lines(group, stage, replayer, writer, observers, report)


def _store_lines(
    group: list[tuple[int, Any, Replayed]],
    stage: Stage,
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    report: ImportReport,
) -> None:
    """Replayed lines (no two of one matter) against the stored matters: new, an update (its
    steps extend the stored ones), unchanged (the same steps) or a conflict."""
    stored = _existing((r.procedure, r.reference) for _, _, r in group)
    stored_steps: dict[int, list[Step]] = {}
    if stored:
        for s in Step.objects.filter(matter_id__in=[m.pk for m in stored.values()]).order_by(
            "matter_id", "seq"
        ):
            stored_steps.setdefault(s.matter_id, []).append(s)
    builder = StageBuilder()
    updates: list[Replayed] = []
    written: list[ImportedMatter] = []
    for _line, rec, r in group:
        matter = stored.get((r.procedure, r.reference))
        if matter is None:
            builder.add(writer.matter_row(r), writer.step_rows(r, builder.next_place()))
            writer.note_reference(r.procedure, r.reference)
            written.append(r)
            continue
        outcome = _against_stored(
            r, rec.get("steps") or [], matter, stored_steps.get(matter.pk, []), replayer
        )
        if isinstance(outcome, LineError):
            report.reject(outcome)
        elif outcome is None:
            report.unchanged += 1
        else:
            updates.append(outcome)
            written.append(outcome)
    if len(builder):
        stage.load(builder.serialize())
        created, steps = stage.write()
        report.created += created
        report.steps += steps
    report.steps += writer.update(updates)
    report.updated += len(updates)
    for observer in observers:
        observer.replayed(written, 1)


def _against_stored(
    r: Replayed,
    steps_in: Sequence[Any],
    matter: Matter,
    steps: list[Step],
    replayer: Replayer,
) -> Replayed | LineError | None:
    """None when the line's steps equal the stored ones; an update when they extend them."""
    from fazhi.procedures.services import snapshot_of

    mine = replayer.step_keys(r)
    procedure = r.snap.procedure
    theirs = [
        _step_key(_action_or_none(procedure, s.action), s.action, s.on, s.data) for s in steps
    ]
    if mine == theirs:
        return None
    if len(theirs) >= len(mine) or mine[: len(theirs)] != theirs:
        first = next(
            (i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b),
            min(len(mine), len(theirs)),
        )
        where = "received_on" if first == 0 else f"steps[{first - 1}]"
        return LineError(
            r.line,
            where,
            f"{CONFLICT}：{procedure.label}“{r.reference}”已有{len(theirs)}个步骤，"
            f"本行有{len(mine)}个，第{first + 1}个步骤起不一致。"
            "已有记录只能追加后续步骤，不能改写。",
        )
    update = Replayed(
        line=r.line,
        procedure=r.procedure,
        reference=r.reference,
        org_id=matter.org_id,
        received_on=matter.received_on,
        subject=matter.subject,
        channel=matter.channel,
        party={},
        snap=snapshot_of(matter, steps),
        due=None,
        steps=[
            StepRow(
                seq=s.seq,
                action=s.action,
                on=s.on,
                state_after=s.state_after,
                data=dict(s.data),
                org_id=s.org_id or matter.org_id,
                mailed_on=s.mailed_on,
                actor_label=s.actor_label,
                state_before=s.state_before,
            )
            for s in steps
        ],
        matter_id=matter.pk,
        new_from=len(steps),
    )
    try:
        replayer.replay_steps(update, steps_in, len(steps) - 1)
    except ProcedureError as exc:
        return LineError(r.line, exc.field or "", exc.message)
    return update
