"""Notifications to the staff of a matter's unit."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import connections, router

from fazhi.core.models import Role, StaffProfile
from fazhi.core.scope import AnyUser
from fazhi.procedures.models import (
    Matter,
    Notification,
)

WARNING_WORKING_DAYS = 3


# --- reminders ------------------------------------------------------------------------------


def _handlers(org_ids: Iterable[int]) -> dict[int, list[int]]:
    """User ids of the active staff and heads of each org unit.

    Read at every registration and at most actions: written out in SQL rather than built by
    the ORM each time, which cost more than the query (#19, docs/benchmarks.md)."""
    ids = [int(pk) for pk in org_ids]
    if not ids:
        return {}
    user_model = get_user_model()
    connection = connections[router.db_for_read(StaffProfile)]
    q = connection.ops.quote_name
    profile, user = q(StaffProfile._meta.db_table), q(user_model._meta.db_table)
    org_col = q(StaffProfile._meta.get_field("org").column)
    user_col = q(StaffProfile._meta.get_field("user").column)
    sql = (
        f"SELECT p.{org_col}, p.{user_col} FROM {profile} p "  # noqa: S608 names from the models, quoted; values are parameters  # nosec B608
        f"JOIN {user} u ON u.{q(user_model._meta.pk.column)} = p.{user_col} "
        f"WHERE p.{org_col} IN ({', '.join(['%s'] * len(ids))}) "
        f"AND p.{q(StaffProfile._meta.get_field('role').column)} IN (%s, %s) AND u.{q('is_active')} "
        f"ORDER BY p.{q('id')}"
    )
    result: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, Role.STAFF.value, Role.HEAD.value])
        for org_id, user_id in cursor.fetchall():
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
