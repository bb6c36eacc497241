"""A record replayed in memory through the engine's rules (``Replayer``): the same pure rules
``act()`` applies — ``rules.new_snapshot`` and ``rules.apply``, with the same date checks, data
validation, guards and deadlines — giving a ``Replayed`` matter and its ``StepRow`` steps.

No database access once built (an ``OrgIndex`` holds the org units), so that forked worker
processes can replay.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.procedures import rules
from fazhi.procedures.clocks import ClockState
from fazhi.procedures.declarations import (
    PUBLIC,
    Action,
    Procedure,
    all_procedures,
    get_procedure,
)
from fazhi.procedures.errors import InvalidData, InvalidDate, InvalidTransition, ProcedureError
from fazhi.procedures.importing.report import LineError
from fazhi.procedures.models import Channel
from fazhi.procedures.services import clean_channel, clean_party
from fazhi.workdays import FIRST_DAY, SHANGHAI, Calendar, Due

LINE_KEYS = (
    "procedure",
    "reference",
    "org",
    "received_on",
    "subject",
    "channel",
    "party",
    "mailed_on",
    "received_at",
    "details",
    "steps",
)
STEP_KEYS = ("action", "on", "at", "data", "by", "mailed_on")
IMPORT_ROLE = "admin"  # the system replays staff steps with a role that may take every action
IMPORT_LABEL = "导入"
PUBLIC_LABEL = "公众"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


class LinkRow(NamedTuple):
    """A link a replayed step makes by reference (written after the matters: ``linking``)."""

    seq: int  # the step that makes it (1: register, from a details key)
    on: dt.date
    kind: str
    procedure: str  # the other matter's procedure and reference
    reference: str
    field: str  # where the reference was, for the rejected line's report


class AssistRow(NamedTuple):
    """An assisting unit a replayed ``add_assistant`` step adds (``MatterAssistant``)."""

    seq: int
    on: dt.date
    org_id: int


class StepRow(NamedTuple):
    """A replayed step; its first six fields are what observers see (``signals.ImportedStep``)."""

    seq: int
    action: str
    on: dt.date
    state_after: str
    data: dict[str, Any]
    org_id: int  # the unit that handled the matter until this step
    mailed_on: dt.date | None
    actor_label: str
    state_before: str
    at: dt.datetime | None = None  # the moment of effect, when the line gives it


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
    links: list[LinkRow] = field(default_factory=list)  # made by the steps replayed here
    assists: list[AssistRow] = field(default_factory=list)
    clocks: tuple[ClockState, ...] = ()  # every clock, as after the last step
    before: rules.MatterSnapshot | None = None  # an update: the stored matter as the rules saw it
    before_clocks: tuple[Any, ...] = ()  # an update: its stored clocks (Clock rows)

    @property
    def details(self) -> Mapping[str, Any]:
        return self.snap.details

    @property
    def party_kind(self) -> str:
        return self.snap.party_kind


def _step_key(action: Action | None, row_action: str, on: dt.date, data: Mapping[str, Any]) -> Any:
    """What two steps must share to be the same step: action, date and the declared data."""
    names = [f.name for f in action.fields] if action is not None else []
    return (row_action, on, tuple((n, data.get(n)) for n in names))


# --- parsing values -------------------------------------------------------------------------


_DATES: dict[str, dt.date] = {}  # valid date strings seen, so each is parsed once
_DATES_KEEP = 100_000
_DATE_NAMES = {"received_on": "收到日期", "mailed_on": "交邮日期", "on": "步骤日期"}


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
    if parsed < FIRST_DAY:  # later dates are checked against today where they are used
        rules.check_day(parsed, where, _DATE_NAMES.get(where, "日期"))  # the engine's one check
    if len(_DATES) < _DATES_KEEP:
        _DATES[value] = parsed
    return parsed


def _moment(value: object, where: str, on: dt.date) -> dt.datetime | None:
    """An ISO moment (``2025-03-08T14:30:00+08:00``; without an offset: Beijing time) on the
    date ``on``, or None when absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidData(
            f"时刻格式错误：{value!r}，应为 YYYY-MM-DDTHH:MM[:SS][+08:00]。", field=where
        )
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidData(
            f"时刻格式错误：{value!r}，应为 YYYY-MM-DDTHH:MM[:SS][+08:00]。", field=where
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    if moment.astimezone(SHANGHAI).date() != on:
        raise InvalidData(
            f"时刻 {value} 与日期 {on.isoformat()} 不一致（按北京时间）。", field=where
        )
    return moment


def _text(value: object, where: str) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise InvalidData(f"应为文字，收到 {type(value).__name__}。", field=where)
    return str(value).strip()


_LINE_KEY_SET = frozenset(LINE_KEYS)
_ORG_ACTIONS = frozenset({"transfer", "assign", "return", *rules.ASSISTANT_ACTIONS})  # org_effects
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
        # what the procedures' register checks need, read now: before any worker forks
        self._registers = {
            p.code: p.register_check.load()
            for p in all_procedures()
            if p.register_check is not None
        }

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
        assert received_on is not None  # noqa: S101 required=True above; narrows for mypy  # nosec B101
        if received_on > self.today:
            raise InvalidData(f"收到日期 {received_on.isoformat()} 晚于今天。", field="received_on")
        subject = _text(record.get("subject"), "subject")
        if not subject:
            raise InvalidData("缺少事由。", field="subject")
        if len(subject) > 300:
            raise InvalidData(f"事由过长：最多300字，实际{len(subject)}字。", field="subject")
        channel = _text(record.get("channel"), "channel") or Channel.IMPORT.value
        if channel not in self._channels:
            channel = clean_channel(channel)  # a label or a synonym (core.choices), or refused
        party_in = record.get("party")
        if party_in is not None and not _is_mapping(party_in):
            raise InvalidData(
                "当事人应为对象 {name, kind, id_number, phone, address}。", field="party"
            )
        party = clean_party(party_in, required=procedure.party_required)
        mailed_on = rules.check_mailed_on(
            _date(record.get("mailed_on"), "mailed_on", required=False),
            received_on,
            today=self.today,
            register=True,
        )
        details_in = record.get("details")
        if details_in is not None and not _is_mapping(details_in):
            raise InvalidData("details 应为对象。", field="details")
        details = rules.clean_details(procedure, details_in)
        steps_in = record.get("steps")
        if steps_in is None:
            steps_in = []
        if type(steps_in) is not list and not isinstance(steps_in, list):
            raise InvalidData("steps 应为列表。", field="steps")

        if procedure.register_check is not None:
            problem = procedure.register_check.check(
                self._registers[procedure.code], details, received_on, org_id
            )
            if problem:
                raise InvalidData(problem, field="details")
        received_at = record.get("received_at")
        if received_at is not None:
            received_at = _moment(received_at, "received_at", received_on)
        snap = rules.new_snapshot(
            procedure, received_on, details, party["kind"], received_at=received_at
        )
        clocks = () if steps_in else rules.clocks_of(snap, self.cal)
        due = rules.matter_due(clocks) if clocks else None
        # positional: a named tuple built by keyword costs twice as much (a hot path)
        register = StepRow(
            1,
            "register",
            received_on,
            snap.state,
            {},
            org_id,
            mailed_on,
            IMPORT_LABEL,
            "",
            received_at,
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
            clocks=clocks,
        )
        for link in procedure.links:  # made by the register step, from a details key
            value = details.get(link.reference)
            if value not in (None, ""):
                where = f"details.{link.reference}"
                other = link.procedure or procedure.code
                result.links.append(
                    self._link_row(result, 1, received_on, link.kind, other, str(value), where)
                )
        self.replay_steps(result, steps_in, 0)
        return result

    @staticmethod
    def _link_row(
        r: Replayed,
        seq: int,
        on: dt.date,
        kind: str,
        procedure: str,
        reference: str,
        where: str,
        report: str = "",
    ) -> LinkRow:
        """``where``: the field an error here names; ``report``: the one a later refusal of the
        reference names (the same unless the caller adds the step's place)."""
        other = get_procedure(procedure)
        reference = reference.strip()
        if procedure == r.procedure and reference == r.reference:
            raise InvalidData(f"事项不能关联到自身（{reference}）。", field=where)
        return LinkRow(seq, on, kind, other.code, reference, report or where)

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
                at = raw.get("at")
                if at is not None:
                    at = _moment(at, "at", on)  # type: ignore[arg-type]
                mailed_on = raw.get("mailed_on")
                if mailed_on is not None:
                    mailed_on = rules.check_mailed_on(
                        _date(mailed_on, "mailed_on", required=False), on, today=self.today
                    )
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
                    with_due=i == last,  # only the final clocks and due date are stored
                    at=at,
                )
                if spec.link is not None:
                    self._step_link(target, spec, transition.step.data, on, i)  # type: ignore[arg-type]
            except ProcedureError as caught:
                exc = caught
                if isinstance(caught, InvalidTransition) and not rules.is_allowed_from(
                    spec, target.snap
                ):  # the step it needs may be in the line, dated later: name the dates
                    exc = _needed_later(procedure, spec, on, steps_in, i) or caught  # type: ignore[arg-type]
                where = f"steps[{i}]"
                f = exc.field or ""
                if f.startswith("@."):  # a key of the step itself
                    f = f[2:]
                elif f and f not in ("on", "action", "mailed_on", "by", "data") and "." not in f:
                    f = f"data.{f}"  # a field of the action's data
                exc.field = f"{where}.{f}" if f else where
                if exc is not caught:
                    raise exc from None
                raise
            if name in _ORG_ACTIONS or spec.moves_to:  # org_effects adds to the step's data
                step_data = dict(transition.step.data)
                earlier = [(s.action, s.data) for s in target.steps]
                new_org = rules.org_effects(
                    name, step_data, target.org_id, earlier, self.orgs.name, spec.moves_to
                )
            else:  # org_effects would change nothing
                step_data = transition.step.data  # type: ignore[assignment]
                new_org = target.org_id
            new = transition.snapshot
            if name == "add_assistant":
                new = replace(new, details=rules.with_assistant(new.details, int(step_data["org"])))
                target.assists.append(
                    AssistRow(len(target.steps) + 1, transition.step.on, int(step_data["org"]))
                )
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
                    at,
                )
            )
            target.org_id = new_org
            target.snap = new
            target.due = transition.due
            target.clocks = transition.clocks

    def _step_link(
        self, target: Replayed, spec: Action, data: Mapping[str, Any], on: dt.date, i: int
    ) -> None:
        """The link step ``i`` makes by reference (``Link.reference`` filled). A diversion
        without one opens nothing on import: the opened matter is a line of its own, whose
        reference the step names."""
        link = spec.link
        assert link is not None  # noqa: S101 the caller checked  # nosec B101
        value = data.get(link.reference) if link.reference else None
        if value in (None, ""):
            return
        where = f"@.data.{link.reference}"  # named like the step's own keys (replay_steps)
        procedure = link.procedure or target.procedure
        if link.opens:
            procedure = link.opened_procedure(data)
            if procedure not in {p.code for p in all_procedures()}:
                raise InvalidData(
                    f"“{procedure}”不是本系统的程序，不能按编号关联“{value}”。", field=where
                )
        seq = len(target.steps) + 1
        report = f"steps[{i}].data.{link.reference}"
        target.links.append(
            self._link_row(target, seq, on, link.kind, procedure, str(value), where, report)
        )

    def step_keys(self, replayed: Replayed) -> list[Any]:
        procedure = replayed.snap.procedure
        return [
            _step_key(_action_or_none(procedure, s.action), s.action, s.on, s.data)
            for s in replayed.steps
        ]


def _needed_later(
    procedure: Procedure, spec: Action, on: dt.date, steps_in: Sequence[Any], i: int
) -> InvalidDate | None:
    """The step a refused step ``i`` needs, when the line has it dated later (a template row's
    办结 dated before its 受理): the error then names the two dates, not the state."""
    for raw in steps_in[i + 1 :]:
        if not _is_mapping(raw):
            continue
        later = _action_or_none(procedure, str(raw.get("action") or ""))
        try:
            later_on = _date(raw.get("on"), "on")
        except ProcedureError:
            continue
        if later is None or later_on is None or later_on <= on:
            continue
        if rules.leads_to(later, spec):
            return InvalidDate(
                f"{spec.label}日期{on.isoformat()}早于{later.label}日期{later_on.isoformat()}"
                f"：须先{later.label}，才能{spec.label}。",
                field="on",
            )
    return None


def _action_or_none(procedure: Procedure, name: str) -> Action | None:
    try:
        return procedure.action(name)
    except ProcedureError:
        return None
