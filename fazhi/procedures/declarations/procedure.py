"""A procedure's declaration: ``Procedure``, its states, actions and limits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from fazhi.procedures.declarations.actions import Action, Deadline, Link, RegisterCheck
from fazhi.procedures.declarations.fields import RESERVED_FIELD_NAMES, Field, FieldType
from fazhi.procedures.errors import UnknownAction
from fazhi.procedures.generic import generic_actions


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
