"""Shared handling (主办/会办): who of a matter's assisting units may do what.

The matter's ``org`` is the lead unit (主办); its assisting units (``MatterAssistant``, added
with ``add_assistant``) read the matter (``MatterQuerySet.for_user``) and record their opinion
(``opinion``), which the lead answers (``opinion_reply``). Acting stays with the lead unless
the action says otherwise (``Action.assisting``): that rule is the unit part of the one answer
to "may this user take this action" (``permissions.unit_allows``).
"""

from __future__ import annotations

from fazhi.core.models import OrgUnit
from fazhi.core.scope import AnyUser, can_act_on, profile_of
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
