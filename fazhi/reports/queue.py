"""The report's work in a user's queue (the workbench's home lists it beside the matters).

Report sections are not matters of the procedure engine (their due dates are fixed dates, not
time limits from a step), so the queue asks this module: the sections assigned to the user's
units and still being drafted; for the office also the sections submitted for approval and the
reports not yet issued, with their public due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from fazhi.core.models import OrgUnit
from fazhi.core.scope import scope_of
from fazhi.reports.drafting import is_office
from fazhi.reports.models import Report, ReportSection, ReportState, SectionState
from fazhi.reports.template import SECTION_BY_KEY

LIMIT = 50


@dataclass(frozen=True)
class ReportTask:
    label: str
    what: str
    url: str
    due_on: dt.date | None
    overdue: bool


def report_tasks(user: Any, today: dt.date) -> list[ReportTask]:
    scope = scope_of(user)
    if not scope.is_staff_member:
        return []
    sections = ReportSection.objects.select_related("report", "report__org", "department")
    office = is_office(user)
    if office:
        sections = sections.filter(state__in=[SectionState.ASSIGNED, SectionState.SUBMITTED])
    else:
        if scope.all_orgs:
            units = OrgUnit.objects.all()
        elif scope.org_path is not None:
            units = OrgUnit.objects.filter(path__startswith=scope.org_path)
        else:
            return []
        sections = sections.filter(state=SectionState.ASSIGNED, department__in=units)
    tasks = []
    for s in sections.order_by("due_on", "pk")[:LIMIT]:
        heading = SECTION_BY_KEY[s.key].heading_for(s.report.year) or "前言"
        what = (
            "待审定（已报送）" if s.state == SectionState.SUBMITTED else f"起草（{s.department}）"
        )
        tasks.append(
            ReportTask(
                f"{s.report.year}年度报告 {heading}",
                what,
                reverse("reports:section", args=[s.report_id, s.key]),
                s.due_on,
                s.state == SectionState.ASSIGNED and s.due_on is not None and s.due_on < today,
            )
        )
    if office:
        for r in Report.objects.exclude(state=ReportState.ISSUED).select_related("org")[:LIMIT]:
            tasks.append(
                ReportTask(
                    str(r),
                    "印发并向社会公开",
                    reverse("reports:detail", args=[r.pk]),
                    r.publish_due_on,
                    r.publish_due_on < today,
                )
            )
    return sorted(tasks, key=lambda t: (t.due_on or dt.date.max, t.label))
