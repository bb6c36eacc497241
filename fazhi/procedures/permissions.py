"""May this user take this action on this matter? The one answer (STYLE.md, "Permissions").

``act()`` (services.py) refuses with ``refusal``; the workbench's buttons and forms, the API's
``GET …/actions`` and the portal's tracking page offer ``allowed_actions``; a refused action
is explained with ``action_refusal``. Nobody else decides.

A refusal names the reason that stops the user, in this order:

1. the role (``Action.roles``): "您的角色（经办人）不能执行“延期”，须由部门负责人……执行。"
   — a 科员 told that his unit is wrong when it is his role would look for the wrong fix;
2. the unit (``unit_allows``): the matter is outside the user's units (the lead unit,
   the approving unit, or an assisting unit where the action allows them);
3. the state (``Action.sources``): the matter's state does not allow the action;
4. the guard (``Action.guard``), when listing: e.g. "该事项未中止，无需恢复。" (``act()``
   leaves the guard to ``rules.apply``, which runs it with the action's data).

The public (``public=True``: the submitter on the tracking page) has no unit: role, state
and guard apply, and never a generic action.

Attachments: ``attachment_refusal`` (``add_attachment`` asks it itself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fazhi.core import clock
from fazhi.core.models import OrgUnit, Role
from fazhi.core.scope import ALL_ACTING, AnyUser, can_act_on, can_approve, role_of, scope_of
from fazhi.procedures import rules
from fazhi.procedures.assisting import assisting_unit_for
from fazhi.procedures.declarations import PUBLIC, SYSTEM, Action
from fazhi.procedures.errors import InvalidTransition, NotAllowed, ProcedureError
from fazhi.procedures.models import Matter, MatterAssistant
from fazhi.procedures.snapshots import snapshot_of

ROLE = "role"
UNIT = "unit"
STATE = "state"
GUARD = "guard"

_ROLE_ORDER = (Role.HEAD, Role.STAFF, Role.LEADER, Role.LAW_OFFICE, Role.ADMIN)


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused: ``reason`` (ROLE, UNIT, STATE or GUARD) and the message."""

    reason: str
    message: str

    def error(self) -> ProcedureError:
        """The engine's exception for it: NotAllowed (role, unit) or InvalidTransition."""
        if self.reason in (ROLE, UNIT):
            return NotAllowed(self.message, field="action")
        return InvalidTransition(self.message, field="action")


def role_label(role: str | None) -> str:
    if role == PUBLIC:
        return "公众"
    if role == SYSTEM:
        return "系统"
    try:
        return str(Role(role or "").label)
    except ValueError:
        return str(role or "无")


def _who_may(action: Action) -> str:
    labels = [str(r.label) for r in _ROLE_ORDER if r.value in action.roles]
    if PUBLIC in action.roles:
        labels.append("提交人")
    return "、".join(labels) or "无人"


def _role_refusal(role: str | None, action: Action, matter: Matter, public: bool) -> str | None:
    if public:
        if PUBLIC not in action.roles:
            return f"公众不能对{matter.declaration.label}执行“{action.label}”。"
        return None
    if role is None:
        return f"您没有工作人员身份，不能对事项执行“{action.label}”。"
    if role not in action.roles:
        return (
            f"您的角色（{role_label(role)}）不能执行“{action.label}”，须由{_who_may(action)}执行。"
        )
    return None


def unit_allows(
    user: AnyUser | None, matter: Matter, action: Action, org: OrgUnit | None = None
) -> bool:
    """May ``user`` take ``action`` on ``matter`` as far as units go (roles and states are the
    rules'): the lead unit's staff (approvers for an action needing approval), an assisting
    unit's staff where the action allows them (``assisting``), and the rule-of-law office and
    administrators for everything. ``org``: the assisting unit the action names (an opinion's
    ``org``), which the user must act for.
    """
    if scope_of(user).role in ALL_ACTING:
        return True
    if action.assisting == "only":
        lead = False
    elif action.needs_approval:
        lead = can_approve(user, matter.org)
    else:
        lead = can_act_on(user, matter.org)
    if lead or not action.assisting:
        return lead
    if org is not None:
        return (
            can_act_on(user, org)
            and MatterAssistant.objects.filter(matter=matter, org=org).exists()
        )
    return assisting_unit_for(user, matter) is not None


def _unit_refusal(
    user: AnyUser | None, matter: Matter, action: Action, org: OrgUnit | None
) -> str | None:
    if unit_allows(user, matter, action, org):
        return None
    if action.assisting == "only":
        if org is not None:
            return f"您不能代“{org.label}”执行“{action.label}”：该单位不是您所在单位或其下级。"
        return f"“{action.label}”由该事项的会办单位填写，您所在单位不是其会办单位。"
    if action.needs_approval:
        return (
            f"“{action.label}”须由承办单位“{matter.org.label}”或其上级的负责人批准，"
            "该事项不在您的审批范围内。"
        )
    return (
        f"该事项由“{matter.org.label}”承办，不在您所在单位的范围内，"
        f"您不能对其执行“{action.label}”。"
    )


def _state_refusal(snap: rules.MatterSnapshot, action: Action) -> str | None:
    if rules.is_allowed_from(action, snap):
        return None
    procedure = snap.procedure
    return (
        f"{procedure.label}当前状态为“{procedure.state_label(snap.state)}”，"
        f"不能执行“{action.label}”。"
    )


def listing_data(user: AnyUser | None, matter: Matter, action: Action) -> dict[str, Any]:
    """The data ``act()`` fills in by itself (an opinion's assisting unit), for the guard."""
    if action.assisting == "only":
        mine = assisting_unit_for(user, matter)
        if mine is not None:
            return {"org": str(mine.pk)}
    return {}


def refusal(
    user: AnyUser | None,
    matter: Matter,
    action: Action,
    *,
    public: bool = False,
    snap: rules.MatterSnapshot | None = None,
    on: dt.date | None = None,
    org: OrgUnit | None = None,
    guard: bool = True,
    system: bool = False,
) -> Refusal | None:
    """Why ``user`` may not take ``action`` on ``matter`` now, or None if they may.

    ``org``: the assisting unit the action's data names (an opinion). ``guard=False`` leaves
    the action's guard out (``act()``: ``rules.apply`` runs it with the data). ``system``: the
    platform itself takes the step (no user, no unit: only an action declaring ``SYSTEM``).
    """
    role = SYSTEM if system else PUBLIC if public else role_of(user)
    problem = _role_refusal(role, action, matter, public)
    if problem:
        return Refusal(ROLE, problem)
    if not public and not system:
        problem = _unit_refusal(user, matter, action, org)
        if problem:
            return Refusal(UNIT, problem)
    snap = snap if snap is not None else snapshot_of(matter)
    problem = _state_refusal(snap, action)
    if problem:
        return Refusal(STATE, problem)
    if guard and action.guard is not None:
        data = {} if public else listing_data(user, matter, action)
        problem = action.guard(snap, on or clock.today(), data)
        if problem:
            return Refusal(GUARD, f"不能执行“{action.label}”：{problem}")
    return None


def action_refusal(
    user: AnyUser | None,
    matter: Matter,
    action: Action | str,
    *,
    public: bool = False,
    snap: rules.MatterSnapshot | None = None,
    on: dt.date | None = None,
) -> str | None:
    """The plain-Chinese reason ``user`` may not take ``action`` on ``matter``, or None."""
    spec = matter.declaration.action(action) if isinstance(action, str) else action
    found = refusal(user, matter, spec, public=public, snap=snap, on=on)
    return found.message if found is not None else None


def allowed_actions(
    user: AnyUser | None,
    matter: Matter,
    *,
    public: bool = False,
    snap: rules.MatterSnapshot | None = None,
    on: dt.date | None = None,
) -> list[Action]:
    """The actions ``user`` may take on ``matter`` now (``on``: today), in declared order."""
    snap = snap if snap is not None else snapshot_of(matter)
    return [
        a
        for a in matter.declaration.all_actions()
        if refusal(user, matter, a, public=public, snap=snap, on=on) is None
    ]


def attachment_refusal(user: AnyUser | None, matter: Matter) -> str | None:
    """Why ``user`` may not add a file to ``matter`` (the lead unit's staff may), or None."""
    if can_act_on(user, matter.org):
        return None
    if role_of(user) is None:
        return "您没有工作人员身份，不能为事项添加附件。"
    return f"您只能查看该事项，不能为“{matter.org.label}”的事项添加附件。"


def may_attach(user: AnyUser | None, matter: Matter) -> bool:
    return attachment_refusal(user, matter) is None
