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

from fazhi.procedures.clocks import ClockState, clocks_of, matter_due
from fazhi.procedures.declarations import (
    PUBLIC,
    Action,
    FieldType,
    Procedure,
)
from fazhi.procedures.errors import (
    InvalidData,
    InvalidDate,
    InvalidTransition,
    NotAllowed,
    UnknownAction,
)
from fazhi.workdays import (
    SHANGHAI,
    Calendar,
    Due,
    InvalidDateError,
    check_date,
)


@dataclass(frozen=True)
class StepRecord:
    """What the rules need of a step: the action, its date of effect and its data."""

    action: str
    on: dt.date
    data: Mapping[str, Any] = field(default_factory=dict)
    at: dt.datetime | None = None  # the moment of effect, when known (clocks in hours)


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
    clocks: tuple[ClockState, ...] = ()


def new_snapshot(
    procedure: Procedure,
    received_on: dt.date,
    details: Mapping[str, Any] | None = None,
    party_kind: str = "",
    received_at: dt.datetime | None = None,
) -> MatterSnapshot:
    """The snapshot of a matter just registered (its first step is ``register``)."""
    register = object.__new__(StepRecord)  # filled without __init__: see _SET_ONCE
    register.__dict__.update(action="register", on=received_on, data={}, at=received_at)
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


def step_label(procedure: Procedure, name: str) -> str:
    """A step's name as people say it (收到 for the registration)."""
    if name == "register":
        return "收到"
    try:
        return procedure.action(name).label
    except UnknownAction:
        return name


def leads_to(action: Action, needed: Action) -> bool:
    """Whether ``action`` moves a matter into a state ``needed`` may be taken from."""
    return bool(action.possible_targets & needed.sources)


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
    at: dt.datetime | None = None,
) -> Transition:
    """Check and apply one action; raise a ``ProcedureError`` with a Chinese message if refused.

    ``at``: the moment of effect, when known (an aware datetime on the date ``on``).
    ``with_due=False`` skips the clocks and the due date (a replay computes them after its
    last step only).
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
        before = step_label(procedure, snap.steps[-1].action) if snap.steps else "收到"
        raise InvalidDate(
            f"{action.label}日期{on.isoformat()}早于{before}日期{last_on.isoformat()}"
            "：步骤须按时间顺序登记。",
            field="on",
        )
    if at is not None:
        at = check_moment(at, on, action.label)
    cleaned = clean_data(action, data or {})
    if action.guard is not None:
        problem = action.guard(snap, on, cleaned)
        if problem:
            raise InvalidTransition(f"不能执行“{action.label}”：{problem}", field="action")
    if action.name in procedure.minimum_answers:
        problem = minimum_not_reached(snap, action, on, cal)
        if problem:
            raise InvalidTransition(f"不能执行“{action.label}”：{problem}", field="on")

    step = object.__new__(StepRecord)  # three objects a replayed step: see _SET_ONCE
    step.__dict__.update(action=action.name, on=on, data=cleaned, at=at)
    state = (action.target_for(cleaned) if action.targets else action.target) or snap.state
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
    clocks = clocks_of(new, cal) if with_due else ()
    transition = object.__new__(Transition)
    transition.__dict__.update(
        snapshot=new,
        step=step,
        action=action,
        due=matter_due(clocks) if with_due else None,
        state_before=snap.state,
        clocks=clocks,
    )
    return transition


def check_moment(at: object, on: dt.date, what: str) -> dt.datetime:
    """``at`` if it is an aware datetime whose Asia/Shanghai date is ``on``."""
    if not isinstance(at, dt.datetime) or at.tzinfo is None:
        raise InvalidDate(f"“{what}”的时刻格式错误：{at!r}，应为带时区的时刻。", field="at")
    if at.astimezone(SHANGHAI).date() != on:
        raise InvalidDate(
            f"“{what}”的时刻 {at.astimezone(SHANGHAI):%Y-%m-%d %H:%M} 与日期 {on.isoformat()} "
            "不一致（按北京时间）。",
            field="at",
        )
    return at


def minimum_not_reached(
    snap: MatterSnapshot, action: Action, on: dt.date, cal: Calendar | None = None
) -> str | None:
    """Why ``action`` on ``on`` comes too early for a minimum period it would end, if it does.

    A minimum period (a limit of kind ``minimum``: a consultation open at least 30 days) is
    answered by the same actions as a deadline; answering it before its end is refused.
    """
    for clock in clocks_of(snap, cal):
        if not clock.minimum or not clock.is_open or clock.due_on is None:
            continue
        deadline = next(d for d in snap.procedure.deadlines if d.limit == clock.limit)
        ends = action.name in deadline.answered_by or (
            not deadline.answered_by and bool(action.possible_targets - deadline.states)
        )
        if ends and on < clock.due_on:
            return (
                f"{clock.label}自 {clock.started_on.isoformat()} 起不少于"
                f"{clock.basis}，{clock.due_on.isoformat()} 前不能结束。"
            )
    return None


# _SET_ONCE: ``new_snapshot`` and ``apply`` fill the frozen dataclasses above without their
# generated ``__init__``, which sets each field through ``object.__setattr__`` (they have no
# ``__post_init__``): the same objects, every field set. ``apply`` makes three a replayed step,
# inline: a helper's call cost more than the update (≈1.3 µs of a replayed line's 28).


# --- deadlines --------------------------------------------------------------------------


def compute_due(snap: MatterSnapshot, cal: Calendar | None = None) -> Due | None:
    """The matter's current due date: the earliest of its open clocks (``clocks.matter_due``);
    None when closed or when no limit runs.

    Always computed with ``provisional=True``: a period reaching a year whose holiday notice
    is not loaded is marked 暂估 and recomputed when the notice arrives, never refused.
    """
    return matter_due(clocks_of(snap, cal))


# Generic actions whose data names an assisting unit (``org``): its name is recorded beside it.
ASSISTANT_ACTIONS = frozenset({"add_assistant", "opinion", "opinion_reply"})


def org_effects(
    action: str,
    step_data: dict[str, Any],
    org_id: int,
    earlier: Sequence[tuple[str, Mapping[str, Any]]],
    org_name: Callable[[int], str],
    moves_to: str = "",
) -> int:
    """The data an org-changing step adds to itself; returns the matter's new org id.

    ``transfer``/``assign`` record the unit they came from and the new unit's name;
    ``add_assistant``, ``opinion`` and ``opinion_reply`` the assisting unit's name; ``return`` goes back to the unit the last transfer
    or assignment came from (none: it stays). ``step_data`` is updated in place. Used by ``act()`` and by the
    bulk import alike. ``moves_to`` (``Action.moves_to``): the org field of a domain action
    that moves the matter when filled, recorded as a transfer is.
    """
    if moves_to:
        if step_data.get(moves_to) in (None, ""):
            return org_id
        new_org = int(step_data[moves_to])
        step_data["from_org"] = org_id
        step_data[f"{moves_to}_name"] = org_name(new_org)
        return new_org
    if action in ("transfer", "assign"):
        new_org = int(step_data["to_org"])
        step_data["from_org"] = org_id
        step_data["to_org_name"] = org_name(new_org)
        return new_org
    if action in ASSISTANT_ACTIONS:
        if step_data.get("org") not in (None, ""):
            step_data["org_name"] = org_name(int(step_data["org"]))
    elif action == "return":
        last = next((d for a, d in reversed(earlier) if a in ("transfer", "assign")), None)
        if last is None:  # a procedure's own return (a hotline order's 退单): no unit to go back to
            return org_id
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
