"""Notifications to the staff of a matter's unit."""

from __future__ import annotations

from collections.abc import Iterable

from fazhi.core.models import Role, StaffProfile
from fazhi.core.scope import AnyUser
from fazhi.procedures.models import (
    Matter,
    Notification,
)

WARNING_WORKING_DAYS = 3


# --- reminders ------------------------------------------------------------------------------


def _handlers(org_ids: Iterable[int]) -> dict[int, list[int]]:
    """User ids of the staff and heads of each org unit."""
    result: dict[int, list[int]] = {}
    for org_id, user_id in StaffProfile.objects.filter(
        org_id__in=list(org_ids), role__in=[Role.STAFF, Role.HEAD], user__is_active=True
    ).values_list("org_id", "user_id"):
        result.setdefault(org_id, []).append(user_id)
    return result


def _notify(
    matter: Matter, users: list[int] | None, kind: str, *, exclude: AnyUser | None = None
) -> None:
    """Notify ``users`` (None: the unit's handlers) of ``matter``."""
    if users is None:
        _notify_unit(matter, kind, exclude=exclude)
        return
    skip = exclude.pk if exclude is not None and exclude.is_authenticated else None
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=u, matter=matter, kind=kind, due_on=matter.due_on)
            for u in users
            if u != skip
        ],
        ignore_conflicts=True,
    )


def _notify_unit(
    matter: Matter, kind: str, *, exclude: AnyUser | None = None, org_id: int | None = None
) -> None:
    """Notify the staff and heads of the matter's unit (or of ``org_id``, an assisting unit)."""
    skip = exclude.pk if exclude is not None and exclude.is_authenticated else None
    unit = org_id if org_id is not None else matter.org_id
    users = [u for u in _handlers([unit]).get(unit, []) if u != skip]
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=u, matter=matter, kind=kind, due_on=matter.due_on)
            for u in users
        ],
        ignore_conflicts=True,
    )
