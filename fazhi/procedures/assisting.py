"""Shared handling (主办/会办): who of a matter's assisting units may do what.

The matter's ``org`` is the lead unit (主办); its assisting units (``MatterAssistant``, added
with ``add_assistant``) read the matter (``MatterQuerySet.for_user``) and record their opinion
(``opinion``), which the lead answers (``opinion_reply``). Acting stays with the lead unless
the action says otherwise (``Action.assisting``). ``may_act`` is the one rule ``act()`` and the
faces apply.
"""

from __future__ import annotations

from fazhi.core.models import OrgUnit
from fazhi.core.scope import ALL_ACTING, AnyUser, can_act_on, can_approve, profile_of, scope_of
from fazhi.procedures.declarations import Action
from fazhi.procedures.models import Matter, MatterAssistant


def assisting_unit_for(user: AnyUser | None, matter: Matter) -> OrgUnit | None:
    """The matter's assisting unit the user acts for (their own unit first), or None."""
    units = [
        a.org
        for a in MatterAssistant.objects.filter(matter=matter).select_related("org").order_by("pk")
    ]
    profile = profile_of(user)
    own = profile.org_id if profile is not None else None
    for unit in sorted(units, key=lambda u: u.pk != own):
        if can_act_on(user, unit):
            return unit
    return None


def may_act(
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
