"""The key-task board (跟踪式推动): the year's tasks of a scope by state, overdue and due soon,
and by unit (as lead and as assisting unit). Read-only queries over ``Matter`` and
``MatterAssistant``: a few grouped queries whatever the number of tasks or units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from fazhi.core.models import OrgUnit
from fazhi.procedures.models import Matter, MatterAssistant, MatterQuerySet

#: "due soon" on the board: due within this many natural days (a task runs for months, so the
#: board looks further ahead than the engine's warning of 3 working days)
DUE_SOON_DAYS = 30
PROCEDURE = "key_task"


def year_tasks(qs: MatterQuerySet, year: int) -> MatterQuerySet:
    """The key tasks of ``qs`` listed in ``year`` (the cohort by the day they were listed)."""
    return qs.of(PROCEDURE).received_in(year)


def overdue(qs: MatterQuerySet, today: dt.date) -> MatterQuerySet:
    """Tasks not closed whose due date has passed (one waiting for acceptance is not overdue:
    its application answered the due date)."""
    return qs.filter(state="in_progress", due_on__lt=today)


def due_soon(qs: MatterQuerySet, today: dt.date) -> MatterQuerySet:
    """Tasks in progress due from today to ``DUE_SOON_DAYS`` days ahead."""
    return qs.filter(
        state="in_progress",
        due_on__gte=today,
        due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
    )


@dataclass
class UnitRow:
    org: OrgUnit
    lead: int = 0
    closed: int = 0
    waiting: int = 0
    overdue: int = 0
    assisting: int = 0

    @property
    def rate(self) -> str:
        if not self.lead:
            return "—"
        value = 100 * self.closed / self.lead
        return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


@dataclass
class Board:
    year: int
    today: dt.date
    total: int
    by_state: list[tuple[str, str, int]]
    overdue: int
    due_soon: int
    units: list[UnitRow] = field(default_factory=list)

    @property
    def closed(self) -> int:
        return next((n for code, _, n in self.by_state if code == "closed"), 0)

    @property
    def completion_rate(self) -> str:
        if not self.total:
            return "—"
        value = 100 * self.closed / self.total
        return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


def board(qs: MatterQuerySet, year: int, today: dt.date) -> Board:
    """The figures of the board over ``qs`` (already limited to the user's scope)."""
    from fazhi.procedures.declarations import get_procedure

    tasks = year_tasks(qs, year)
    counts = dict(tasks.values_list("state").annotate(n=Count("pk")).order_by())
    states = get_procedure(PROCEDURE).states
    by_state = [(code, str(label), counts.get(code, 0)) for code, label in states.items()]
    late = Q(state="in_progress", due_on__lt=today)
    lead_rows = (
        tasks.values("org_id")
        .annotate(
            n=Count("pk"),
            closed=Count("pk", filter=Q(state="closed")),
            waiting=Count("pk", filter=Q(state="acceptance_requested")),
            late=Count("pk", filter=late),
        )
        .order_by()
    )
    assisted = (
        MatterAssistant.objects.filter(matter__in=tasks)
        .values("org_id")
        .annotate(n=Count("matter_id", distinct=True))
        .order_by()
    )
    rows: dict[int, dict[str, Any]] = {}
    for r in lead_rows:
        rows.setdefault(r["org_id"], {}).update(
            lead=r["n"], closed=r["closed"], waiting=r["waiting"], overdue=r["late"]
        )
    for r in assisted:
        rows.setdefault(r["org_id"], {})["assisting"] = r["n"]
    orgs = OrgUnit.objects.in_bulk(list(rows))
    units = sorted(
        (UnitRow(orgs[pk], **v) for pk, v in rows.items() if pk in orgs),
        key=lambda u: (-u.lead, -u.assisting, u.org.path),
    )
    return Board(
        year=year,
        today=today,
        total=sum(counts.values()),
        by_state=by_state,
        overdue=overdue(tasks, today).count(),
        due_soon=due_soon(tasks, today).count(),
        units=units,
    )


def of_unit(qs: MatterQuerySet, org: OrgUnit) -> tuple[MatterQuerySet, MatterQuerySet]:
    """A unit's own tasks: those it leads, those it assists (会办)."""
    assisted = MatterAssistant.objects.filter(org=org).values("matter_id")
    return qs.filter(org=org), qs.filter(pk__in=assisted).exclude(org=org)


def assisting_names(tasks: list[Matter]) -> dict[int, list[str]]:
    """Each task's assisting units' names (one query for the page)."""
    names: dict[int, list[str]] = {}
    for matter_id, name in (
        MatterAssistant.objects.filter(matter_id__in=[t.pk for t in tasks])
        .order_by("matter_id", "added_on", "pk")
        .values_list("matter_id", "org__name")
    ):
        names.setdefault(matter_id, []).append(name)
    return names
