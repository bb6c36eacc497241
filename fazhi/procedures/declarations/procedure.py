"""A procedure's declaration: ``Procedure`` with its ``Action``s, ``Deadline``s, ``Link``s and
``RegisterCheck``s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from fazhi.procedures.declarations.fields import RESERVED_FIELD_NAMES, STAFF_ROLES, Field, FieldType
from fazhi.procedures.errors import UnknownAction

if TYPE_CHECKING:
    from fazhi.procedures.rules import MatterSnapshot


Guard = Callable[["MatterSnapshot", dt.date, Mapping[str, Any]], str | None]

LINK_KINDS = (
    "diverted_to",
    "repeat_of",
    "generated_from",
    "merged_into",
    "reviewed_by",
)  # models.LinkKind


@dataclass(frozen=True)
class Link:
    """The link a step makes from its matter to another (``MatterLink``).

    By reference: ``reference`` names the data field (of an action) or the details key (of a
    procedure's ``links``, made by the ``register`` step) that holds the other matter's
    reference, in ``procedure`` (empty: the matter's own procedure). An empty value makes no
    link; an unknown reference is refused with a plain message.

    Opening (a diversion, actions only): ``opens`` is the procedure the linked matter is
    registered in — a code, or ``"=field"`` to take the code from that data field (a value that
    is no registered procedure, e.g. arbitration, opens nothing) — through the same
    ``register_matter`` as any new matter, in the step's transaction: its unit is the data
    field ``to_org`` names (empty: the matter's own unit), its details the data fields
    ``carries`` names, its subject, party and date those of the step. If the action also
    declares ``reference`` and it is filled, the link goes to that existing matter instead
    (this is how an import records a diversion: it never opens a matter).
    """

    kind: str
    reference: str = ""
    procedure: str = ""
    opens: str = ""
    to_org: str = ""
    carries: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in LINK_KINDS:
            raise ValueError(f"unknown link kind {self.kind}")
        if not self.reference and not self.opens:
            raise ValueError(f"link {self.kind}: neither a reference field nor a procedure to open")

    def opened_procedure(self, data: Mapping[str, Any]) -> str:
        """The code of the procedure a diversion with ``data`` opens a matter in ("" none)."""
        if self.opens.startswith("="):
            value = data.get(self.opens[1:])
            return str(value) if value not in (None, "") else ""
        return self.opens


@dataclass(frozen=True)
class RegisterCheck:
    """A check of a new matter against records outside it (a register: the officers'
    certificates in force on its date).

    ``load`` reads what the check needs from the database, once: per registration, and per
    import before its worker processes fork (they never touch the database). ``check`` is pure
    over what ``load`` returned: (loaded, cleaned details, received_on, org unit id) → a plain
    Chinese problem, or None.
    """

    load: Callable[[], Any]
    check: Callable[[Any, Mapping[str, Any], dt.date, int], str | None]


@dataclass(frozen=True)
class Action:
    """One action of a procedure: from which states, to which state, by whom, with what data.

    ``target=None`` keeps the state. ``outcome`` records the matter's outcome: a constant, or
    ``"=field"`` to take it from the data. ``closes``/``reopens`` default from whether the
    target state is closed. ``sets_details`` copies data fields into the matter's details.
    ``satisfaction`` names the data field that records the submitter's rating.
    ``link`` makes a link to another matter (``Link``). ``assisting``: who of the matter's
    assisting units (会办) may take it — "" none (the lead unit acts), "also" (the lead and
    them), "only" (them alone: the ``opinion``). ``moves_to`` names an org field of the
    action: when filled, the matter moves to that unit, as a ``transfer`` moves it (a routing
    step that hands the matter to the unit that handles it). ``targets`` (with ``target_by``,
    a choice field) picks the target state from the value of that field — ``(("repeal",
    "repealed"), …)``; a value not listed keeps ``target``. ``notify``: what the submitter is told when
    the step is taken (``已受理``), if they asked to be told (the portal's notices); without it
    they are told of a reply published to them and of the conclusion only.
    """

    name: str
    label: str
    sources: frozenset[str]
    target: str | None = None
    fields: tuple[Field, ...] = ()
    roles: frozenset[str] = STAFF_ROLES
    outcome: str | None = None
    sets_details: tuple[str, ...] = ()
    satisfaction: str | None = None
    guard: Guard | None = None
    generic: bool = False
    needs_approval: bool = False
    link: Link | None = None
    assisting: str = ""
    moves_to: str = ""
    notify: str = ""
    target_by: str = ""
    targets: tuple[tuple[str, str], ...] = ()

    def target_for(self, data: Mapping[str, Any]) -> str | None:
        """The state the action leads to with ``data`` (``target`` unless ``targets`` says)."""
        if self.targets:
            value = data.get(self.target_by)
            for key, state in self.targets:
                if key == value:
                    return state
        return self.target

    @cached_property
    def possible_targets(self) -> frozenset[str]:
        """Every state the action may lead to (its ``target`` and its ``targets``)."""
        found = {state for _key, state in self.targets}
        if self.target is not None:
            found.add(self.target)
        return frozenset(found)

    @cached_property
    def field_names(self) -> frozenset[str]:
        """The names of the declared fields (the keys ``data`` may have)."""
        return frozenset(f.name for f in self.fields)

    @cached_property
    def org_field_names(self) -> tuple[str, ...]:
        """The declared fields that name an org unit."""
        return tuple(f.name for f in self.fields if f.type == FieldType.ORG)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Deadline:
    """A time limit on the matter: each run of it is a clock (DESIGN.md, "Clocks").

    A clock starts at a step of any action in ``runs_from`` (``register`` = received_on) that
    leaves the matter in one of ``states``, and runs until the step that answers it: one of
    ``answered_by``, or (when ``answered_by`` is empty) the first step that takes the matter
    out of ``states``; closing the matter ends every clock. A later step of ``runs_from``
    while the clock runs restarts it. Several deadlines run at once when their states overlap
    (a reconsideration's copy to the respondent, the reply and the decision).

    ``when`` picks this deadline over the next ones with the same ``states`` and ``runs_from``
    (e.g. the simplified procedure's 30 days); it is asked of the matter with its steps up to
    the one that starts the clock (its details as they are). ``limit`` is a code of
    ``fazhi.workdays.LIMITS``; a limit of kind ``minimum`` (a consultation's 30 days) is a
    guard: its answering action is refused before it ends. ``length_from`` names a ``details``
    key whose whole number, when present, is the length (in the limit's unit) instead of the
    limit's own (a judicial suggestion's own limit). ``paused_by`` / ``resumed_by`` are domain
    actions that stop and restart the count (a correction period, 补正), beside the generic
    ``suspend``/``resume``; a pausing step that leaves ``states`` does not end the clock.
    ``until`` names a ``details`` date key: the clock is due on that date (plus any approved
    extension) instead of after the limit's length — a date the matter itself fixes, such as a
    rectification order's deadline or a task list's due date. The date the clock's starting
    step carried counts (a new order's), else the details'; pauses do not move it. With no
    date the limit's own length applies.
    """

    limit: str
    states: frozenset[str]
    runs_from: tuple[str, ...] = ("register",)
    label: str = ""
    when: Callable[[MatterSnapshot], bool] | None = None
    answered_by: tuple[str, ...] = ()
    paused_by: tuple[str, ...] = ()
    resumed_by: tuple[str, ...] = ()
    length_from: str = ""
    until: str = ""


@dataclass(frozen=True)
class Procedure:
    code: str
    label: str
    states: Mapping[str, str]
    closed_states: frozenset[str]
    actions: tuple[Action, ...]
    deadlines: tuple[Deadline, ...] = ()
    details: tuple[Field, ...] = ()
    generic_actions: frozenset[str] = frozenset(
        {
            "assign",
            "add_assistant",
            "opinion",
            "opinion_reply",
            "transfer",
            "return",
            "extend",
            "suspend",
            "resume",
            "note",
            "assign_handler",
            "instruct",
            "request_extend",
            "refuse_extend",
            "request_return",
            "refuse_return",
            "supplement",
        }
    )
    initial_state: str = "received"
    confidential: bool = False
    public_trackable: bool = False
    public_submission: bool = False
    reference_prefix: str = ""
    party_required: bool = False
    # the party's phone shown masked to staff as well (138****5678): a hotline caller's number
    party_phone_masked: bool = False
    description: str = ""
    links: tuple[Link, ...] = ()  # made by the register step from details keys (``Link``)
    register_check: RegisterCheck | None = None  # against a register: register_matter, import
    _actions: dict[str, Action] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        from fazhi.procedures.generic import generic_actions  # imported here: a cycle

        table: dict[str, Action] = {}
        for action in (*self.actions, *generic_actions(self)):
            if action.name in table:
                raise ValueError(f"{self.code}: action {action.name} declared twice")
            if action.targets and action.target_by not in action.field_names:
                raise ValueError(f"{self.code}.{action.name}: targets need a field target_by")
            for state in (*action.sources, action.target, *(t for _k, t in action.targets)):
                if state is not None and state not in ("*", "**") and state not in self.states:
                    raise ValueError(f"{self.code}.{action.name}: unknown state {state}")
            clash = RESERVED_FIELD_NAMES & {f.name for f in action.fields}
            if clash:
                raise ValueError(
                    f"{self.code}.{action.name}: reserved field name(s) {sorted(clash)}"
                )
            table[action.name] = action
        self._actions.update(table)
        if self.initial_state not in self.states:
            raise ValueError(f"{self.code}: unknown initial state {self.initial_state}")
        for action in table.values():
            if action.assisting not in ("", "also", "only"):
                raise ValueError(f"{self.code}.{action.name}: assisting is '', 'also' or 'only'")
            if action.moves_to and action.moves_to not in action.org_field_names:
                raise ValueError(f"{self.code}.{action.name}: moves_to names no org field")
            link = action.link
            if link is None:
                continue
            for name in (link.reference, link.to_org, *link.carries):
                if name and name not in action.field_names:
                    raise ValueError(f"{self.code}.{action.name}: link field {name} not declared")
            if link.opens.startswith("=") and link.opens[1:] not in action.field_names:
                raise ValueError(f"{self.code}.{action.name}: link field {link.opens} not declared")
        for link in self.links:
            if link.opens or link.reference not in self.detail_names:
                raise ValueError(f"{self.code}: a registration link needs a details key")
        for deadline in self.deadlines:
            for name in (
                *deadline.runs_from,
                *deadline.answered_by,
                *deadline.paused_by,
                *deadline.resumed_by,
            ):
                if name != "register" and name not in table:
                    raise ValueError(
                        f"{self.code}: deadline {deadline.limit}: unknown action {name}"
                    )
            unknown_states = deadline.states - set(self.states)
            if unknown_states:
                raise ValueError(
                    f"{self.code}: deadline {deadline.limit}: unknown states {sorted(unknown_states)}"
                )
            if deadline.length_from and deadline.length_from not in {f.name for f in self.details}:
                raise ValueError(
                    f"{self.code}: deadline {deadline.limit}: no details field {deadline.length_from}"
                )
            until = self.detail_field(deadline.until) if deadline.until else None
            if deadline.until and (until is None or until.type != FieldType.DATE):
                raise ValueError(
                    f"{self.code}: deadline {deadline.limit}: no date details field {deadline.until}"
                )

    def action(self, name: str) -> Action:
        try:
            return self._actions[name]
        except KeyError:
            known = "、".join(self._actions)
            raise UnknownAction(
                f"{self.label}没有“{name}”这一操作。可用的操作：{known}。", field="action"
            ) from None

    def all_actions(self) -> Iterable[Action]:
        return self._actions.values()

    def is_closed(self, state: str) -> bool:
        return state in self.closed_states

    def state_label(self, state: str) -> str:
        return self.states.get(state, state)

    def outcome_label(self, outcome: str) -> str:
        """The Chinese label of an outcome code: a choice of the field it came from, or a state."""
        for action in self.all_actions():
            if action.outcome and action.outcome.startswith("="):
                for f in action.fields:
                    if f.name == action.outcome[1:] and outcome in dict(f.choices):
                        return f.choice_label(outcome)
        return self.states.get(outcome, outcome)

    @cached_property
    def clock_groups(self) -> tuple[tuple[Deadline, ...], ...]:
        """The deadlines in groups of alternatives, in declaration order: a deadline with
        ``when`` and the ones after it with the same states, starting and answering actions
        (the first whose ``when`` holds runs); every other deadline is a group of its own."""
        groups: list[list[Deadline]] = []
        for deadline in self.deadlines:
            if groups:
                last = groups[-1][-1]
                if last.when is not None and (
                    last.states,
                    last.runs_from,
                    last.answered_by,
                ) == (deadline.states, deadline.runs_from, deadline.answered_by):
                    groups[-1].append(deadline)
                    continue
            groups.append([deadline])
        return tuple(tuple(g) for g in groups)

    @cached_property
    def parallel_clocks(self) -> bool:
        """Whether a matter may run more than its one current deadline: two deadlines whose
        states overlap, or a limit in hours or a minimum period (shown one by one)."""
        from fazhi.workdays import LimitKind, get_limit

        for i, d in enumerate(self.deadlines):
            limit = get_limit(d.limit)
            if limit.unit.is_hours or limit.kind == LimitKind.MINIMUM:
                return True
            for other in self.deadlines[i + 1 :]:
                if d.states & other.states and (d.when is None or other.runs_from != d.runs_from):
                    return True
        return False

    @cached_property
    def minimum_answers(self) -> frozenset[str]:
        """The actions that may end a minimum period (refused before it ends: rules.apply)."""
        from fazhi.workdays import LimitKind, get_limit

        names: set[str] = set()
        for d in self.deadlines:
            if get_limit(d.limit).kind != LimitKind.MINIMUM:
                continue
            if d.answered_by:
                names.update(d.answered_by)
            else:
                names.update(
                    a.name for a in self._actions.values() if a.possible_targets - d.states
                )
        return frozenset(names)

    @cached_property
    def detail_names(self) -> frozenset[str]:
        """The names of the declared ``details`` fields."""
        return frozenset(f.name for f in self.details)

    def detail_field(self, name: str) -> Field | None:
        for f in self.details:
            if f.name == name:
                return f
        return None
