"""The rules of the engine as a pure function of the declaration (DESIGN.md, "The engine").

``apply`` answers: may this action follow that state, by this role, on this date, with this
data; and if so, what is the matter's new state, outcome, details and due date. ``act()``
(services.py) applies it to one matter inside a transaction; the bulk import applies it to
thousands of matters in memory before writing them in batches. One set of rules, two ways
to persist; no database access here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fazhi.procedures.declarations import (
    PUBLIC,
    Action,
    Deadline,
    FieldType,
    Procedure,
)
from fazhi.procedures.errors import InvalidData, InvalidDate, InvalidTransition, NotAllowed
from fazhi.workdays import Calendar, Due, InvalidDateError, TimeLimit, check_date, get_limit


@dataclass(frozen=True)
class StepRecord:
    """What the rules need of a step: the action, its date of effect and its data."""

    action: str
    on: dt.date
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MatterSnapshot:
    """What the rules need of a matter. ``steps`` starts with the ``register`` step."""

    procedure: Procedure
    state: str
    received_on: dt.date
    details: Mapping[str, Any] = field(default_factory=dict)
    steps: tuple[StepRecord, ...] = ()
    outcome: str = ""
    satisfaction: str = ""
    closed_on: dt.date | None = None
    party_kind: str = ""  # PartyKind: a rule may depend on it (a shorter publicity period)

    @property
    def suspended(self) -> bool:
        """True while a ``suspend`` step has no later ``resume``."""
        for step in reversed(self.steps):
            if step.action == "resume":
                return False
            if step.action == "suspend":
                return True
        return False

    @property
    def last_on(self) -> dt.date:
        return self.steps[-1].on if self.steps else self.received_on

    def latest(self, *actions: str) -> StepRecord | None:
        for step in reversed(self.steps):
            if step.action in actions:
                return step
        return None

    @property
    def is_closed(self) -> bool:
        return self.procedure.is_closed(self.state)


@dataclass(frozen=True)
class Transition:
    """The result of a permitted action."""

    snapshot: MatterSnapshot
    step: StepRecord
    action: Action
    due: Due | None
    state_before: str


def new_snapshot(
    procedure: Procedure,
    received_on: dt.date,
    details: Mapping[str, Any] | None = None,
    party_kind: str = "",
) -> MatterSnapshot:
    """The snapshot of a matter just registered (its first step is ``register``)."""
    register = object.__new__(StepRecord)  # filled without __init__: see _SET_ONCE
    register.__dict__.update(action="register", on=received_on, data={})
    snap = object.__new__(MatterSnapshot)
    snap.__dict__.update(
        procedure=procedure,
        state=procedure.initial_state,
        received_on=received_on,
        details=dict(details or {}),
        steps=(register,),
        outcome="",
        satisfaction="",
        closed_on=None,
        party_kind=party_kind,
    )
    return snap


def clean_details(procedure: Procedure, details: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate a matter's ``details`` against the declaration; unknown keys are refused."""
    details = dict(details or {})
    if not details.keys() <= procedure.detail_names:
        unknown = sorted(details.keys() - procedure.detail_names)
        raise InvalidData(
            f"{procedure.label}没有字段 {'、'.join(unknown)}。", field=f"details.{unknown[0]}"
        )
    cleaned: dict[str, Any] = {}
    for f in procedure.details:
        try:
            value = f.clean(details.get(f.name))
        except InvalidData as exc:
            exc.field = f"details.{f.name}"
            raise
        if value is not None:
            cleaned[f.name] = value if type(value) is str else f.to_json(value)
    return cleaned


def clean_data(action: Action, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate an action's data; unknown keys are refused, so a typo is never lost silently."""
    if not data.keys() <= action.field_names:  # the common case builds no set of extras
        unknown = sorted(data.keys() - action.field_names)
        raise InvalidData(
            f"操作“{action.label}”不接受字段 {'、'.join(unknown)}。", field=unknown[0]
        )
    cleaned: dict[str, Any] = {}
    for f in action.fields:
        value = f.clean(data.get(f.name))
        if value is not None:
            cleaned[f.name] = value if type(value) is str else f.to_json(value)  # text: itself
    return cleaned


def check_day(
    value: object,
    field: str,
    what: str = "日期",
    *,
    today: dt.date | None = None,
    not_before: dt.date | None = None,
    not_before_what: str = "",
) -> dt.date:
    """The one check of every date that enters the engine (API, forms, import, commands).

    A ``date`` (not a datetime) inside the calendar's range (``workdays.check_date``: 1990 to
    2079), not after ``today`` when given, not before ``not_before`` when given; otherwise
    ``InvalidDate`` naming ``field``, in Chinese. A date the calendar cannot compute with never
    reaches it (an ``InvalidDateError`` there would be a server error).
    """
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidDate(f"{what}格式错误：{value!r}，应为 YYYY-MM-DD。", field=field)
    if today is not None and value > today:
        raise InvalidDate(f"{what} {value.isoformat()} 晚于今天。", field=field)
    try:
        check_date(value, what)
    except InvalidDateError as exc:
        raise InvalidDate(str(exc), field=field) from None
    if not_before is not None and value < not_before:
        raise InvalidDate(
            f"{what} {value.isoformat()} 早于{not_before_what}{not_before.isoformat()}。",
            field=field,
        )
    return value


def check_mailed_on(
    mailed_on: object, on: dt.date | None, *, today: dt.date, register: bool = False
) -> dt.date | None:
    """A step's 交邮日期: none, or a checked date not after today; on the register step (the
    party's posting of the application) not after the day it was received."""
    if mailed_on is None:
        return None
    day = check_day(mailed_on, "mailed_on", "交邮日期", today=today)
    if register and on is not None and day > on:
        raise InvalidDate(
            f"交邮日期 {day.isoformat()} 晚于收到日期 {on.isoformat()}。", field="mailed_on"
        )
    return day


def is_allowed_from(action: Action, snap: MatterSnapshot) -> bool:
    if snap.state in action.sources:
        return True
    if "*" in action.sources and not snap.is_closed:
        return True
    return "**" in action.sources  # any state, closed included (notes)


def apply(
    snap: MatterSnapshot,
    action_name: str,
    *,
    role: str | None,
    on: dt.date,
    data: Mapping[str, Any] | None = None,
    today: dt.date,
    cal: Calendar | None = None,
    with_due: bool = True,
) -> Transition:
    """Check and apply one action; raise a ``ProcedureError`` with a Chinese message if refused.

    ``with_due=False`` skips the due date (a replay computes it after its last step only).
    """
    procedure = snap.procedure
    action = procedure.action(action_name)
    if role not in action.roles:
        who = "公众" if role == PUBLIC else "您的角色"
        raise NotAllowed(f"{who}不能对{procedure.label}执行“{action.label}”。", field="action")
    if not is_allowed_from(action, snap):
        raise InvalidTransition(
            f"{procedure.label}当前状态为“{procedure.state_label(snap.state)}”，"
            f"不能执行“{action.label}”。",
            field="action",
        )
    if type(on) is not dt.date:
        check_day(on, "on")
    if on > today:
        raise InvalidDate(
            f"“{action.label}”的日期 {on.isoformat()} 晚于今天，不能预先登记。", field="on"
        )
    last_on = snap.last_on
    if on < last_on:
        raise InvalidDate(
            f"“{action.label}”的日期 {on.isoformat()} 早于上一步骤的日期 "
            f"{last_on.isoformat()}：步骤须按时间顺序登记。",
            field="on",
        )
    cleaned = clean_data(action, data or {})
    if action.guard is not None:
        problem = action.guard(snap, on, cleaned)
        if problem:
            raise InvalidTransition(f"不能执行“{action.label}”：{problem}", field="action")

    step = object.__new__(StepRecord)  # three objects a replayed step: see _SET_ONCE
    step.__dict__.update(action=action.name, on=on, data=cleaned)
    state = action.target or snap.state
    details = dict(snap.details)
    for name in action.sets_details:
        if name in cleaned:
            details[name] = cleaned[name]
    outcome = snap.outcome
    if action.outcome:
        outcome = (
            str(cleaned.get(action.outcome[1:], ""))
            if action.outcome.startswith("=")
            else action.outcome
        )
    satisfaction = snap.satisfaction
    if action.satisfaction and action.satisfaction in cleaned:
        satisfaction = str(cleaned[action.satisfaction])
    closed_on = snap.closed_on
    was_closed = procedure.is_closed(snap.state)
    if procedure.is_closed(state):
        if not was_closed:
            closed_on = on
    else:
        closed_on = None
        if was_closed:  # reopened: the old outcome no longer stands
            outcome = ""
    new = object.__new__(MatterSnapshot)
    new.__dict__.update(
        procedure=procedure,
        state=state,
        received_on=snap.received_on,
        details=details,
        steps=(*snap.steps, step),
        outcome=outcome,
        satisfaction=satisfaction,
        closed_on=closed_on,
        party_kind=snap.party_kind,
    )
    transition = object.__new__(Transition)
    transition.__dict__.update(
        snapshot=new,
        step=step,
        action=action,
        due=compute_due(new, cal) if with_due else None,
        state_before=snap.state,
    )
    return transition


# _SET_ONCE: ``new_snapshot`` and ``apply`` fill the frozen dataclasses above without their
# generated ``__init__``, which sets each field through ``object.__setattr__`` (they have no
# ``__post_init__``): the same objects, every field set. ``apply`` makes three a replayed step,
# inline: a helper's call cost more than the update (≈1.3 µs of a replayed line's 28).


# --- deadlines --------------------------------------------------------------------------


def current_deadline(snap: MatterSnapshot) -> tuple[Deadline, TimeLimit] | None:
    """The deadline that runs in the matter's state, with its (configured) limit."""
    if snap.is_closed:
        return None
    for deadline in snap.procedure.deadlines:
        if snap.state in deadline.states and (deadline.when is None or deadline.when(snap)):
            return deadline, get_limit(deadline.limit)
    return None


def _start_index(snap: MatterSnapshot, deadline: Deadline) -> int:
    for i in range(len(snap.steps) - 1, -1, -1):
        if snap.steps[i].action in deadline.runs_from:
            return i
    return 0


def extension_used(snap: MatterSnapshot, deadline: Deadline) -> int:
    """Days (in the limit's unit) of approved extensions since the deadline started."""
    start = _start_index(snap, deadline)
    return sum(int(s.data.get("days", 0)) for s in snap.steps[start + 1 :] if s.action == "extend")


def pauses(snap: MatterSnapshot, deadline: Deadline) -> list[tuple[dt.date, dt.date | None]]:
    """Suspensions since the deadline started, as (suspended on, resumed on or None)."""
    start = _start_index(snap, deadline)
    result: list[tuple[dt.date, dt.date | None]] = []
    opened: dt.date | None = None
    for step in snap.steps[start + 1 :]:
        if step.action == "suspend" and opened is None:
            opened = step.on
        elif step.action == "resume" and opened is not None:
            result.append((opened, step.on))
            opened = None
    if opened is not None:
        result.append((opened, None))
    return result


def compute_due(snap: MatterSnapshot, cal: Calendar | None = None) -> Due | None:
    """The matter's current due date (None when closed or when no limit runs in its state).

    Always computed with ``provisional=True``: a period reaching a year whose holiday notice
    is not loaded is marked 暂估 and recomputed when the notice arrives, never refused.
    """
    found = current_deadline(snap)
    if found is None:
        return None
    deadline, limit = found
    start = snap.steps[_start_index(snap, deadline)].on
    return limit.due(
        start,
        cal,
        paused=pauses(snap, deadline),
        extension=extension_used(snap, deadline),
        provisional=True,
    )


# Generic actions whose data names an assisting unit (``org``): its name is recorded beside it.
ASSISTANT_ACTIONS = frozenset({"add_assistant", "opinion", "opinion_reply"})


def org_effects(
    action: str,
    step_data: dict[str, Any],
    org_id: int,
    earlier: Sequence[tuple[str, Mapping[str, Any]]],
    org_name: Callable[[int], str],
) -> int:
    """The data an org-changing step adds to itself; returns the matter's new org id.

    ``transfer``/``assign`` record the unit they came from and the new unit's name;
    ``add_assistant``, ``opinion`` and ``opinion_reply`` the assisting unit's name; ``return`` goes back to the unit the last transfer
    or assignment came from. ``step_data`` is updated in place. Used by ``act()`` and by the
    bulk import alike.
    """
    if action in ("transfer", "assign"):
        new_org = int(step_data["to_org"])
        step_data["from_org"] = org_id
        step_data["to_org_name"] = org_name(new_org)
        return new_org
    if action in ASSISTANT_ACTIONS:
        if step_data.get("org") not in (None, ""):
            step_data["org_name"] = org_name(int(step_data["org"]))
    elif action == "return":
        last = next(d for a, d in reversed(earlier) if a in ("transfer", "assign"))
        new_org = int(last["from_org"])
        step_data["to_org"] = new_org
        step_data["to_org_name"] = org_name(new_org)
        return new_org
    return org_id


def with_assistant(details: Mapping[str, Any], org_id: int) -> dict[str, Any]:
    """``details`` with ``org_id`` added to its assisting units (``_assistants``), once."""
    result = dict(details)
    assistants = list(result.get("_assistants", []))
    if org_id not in assistants:
        assistants.append(org_id)
    result["_assistants"] = assistants
    return result


def person_fields(action: Action) -> list[str]:
    """Names of the action's fields that name a staff member (resolved by the service layer)."""
    return [f.name for f in action.fields if f.type == FieldType.PERSON]
