"""The parts of a procedure's declaration: its ``Action``s, ``Deadline``s, ``Link``s and
``RegisterCheck``s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from fazhi.procedures.declarations.fields import STAFF_ROLES, Field, FieldType

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
