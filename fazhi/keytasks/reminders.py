"""A key task's reminder before its due date: a task runs for months, so besides the engine's
warning (3 working days ahead, to the lead unit) the daily sweep reminds the lead unit and
every assisting unit ``REMIND_DAYS`` days ahead (one "临期" notification per person and due
date: the engine's later warning for the same date is not repeated). Connected to
``procedures.signals.swept`` when the app is ready."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core.models import Role, StaffProfile
from fazhi.keytasks.board import DUE_SOON_DAYS
from fazhi.procedures.models import Matter, MatterAssistant, Notification, NotificationKind
from fazhi.procedures.signals import swept

REMIND_DAYS = DUE_SOON_DAYS  # the board's "due soon"


def remind_due_tasks(today: dt.date) -> int:
    """Notify the staff and heads of the lead and assisting units of every key task in
    progress due within ``REMIND_DAYS`` days, once per person and due date. How many
    notifications were created."""
    horizon = today + dt.timedelta(days=REMIND_DAYS)
    tasks = list(
        Matter.objects.of("key_task")
        .filter(state="in_progress", due_on__gte=today, due_on__lte=horizon)
        .values_list("pk", "org_id", "due_on")
    )
    if not tasks:
        return 0
    ids = [pk for pk, _, _ in tasks]
    units: dict[int, set[int]] = {pk: {org} for pk, org, _ in tasks}
    for matter_id, org_id in MatterAssistant.objects.filter(matter_id__in=ids).values_list(
        "matter_id", "org_id"
    ):
        units[matter_id].add(org_id)
    people: dict[int, list[int]] = {}
    for org_id, user_id in StaffProfile.objects.filter(
        org_id__in={o for orgs in units.values() for o in orgs},
        role__in=[Role.STAFF, Role.HEAD],
        user__is_active=True,
    ).values_list("org_id", "user_id"):
        people.setdefault(org_id, []).append(user_id)
    sent = set(
        Notification.objects.filter(matter_id__in=ids, kind=NotificationKind.WARNING).values_list(
            "recipient_id", "matter_id", "due_on"
        )
    )
    notes = [
        Notification(recipient_id=u, matter_id=pk, kind=NotificationKind.WARNING, due_on=due)
        for pk, _, due in tasks
        for u in sorted({u for org in units[pk] for u in people.get(org, [])})
        if (u, pk, due) not in sent
    ]
    Notification.objects.bulk_create(notes, batch_size=1000, ignore_conflicts=True)
    return len(notes)


def on_sweep(sender: Any, today: dt.date, **kwargs: Any) -> int:
    return remind_due_tasks(today)


swept.connect(on_sweep, dispatch_uid="keytasks.remind_due_tasks")
