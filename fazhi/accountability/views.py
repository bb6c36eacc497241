"""The heads' duties screen (report section 三): the heads in office at the year's cut-off,
each with the year's law report (述法) and its evaluation (score, grade, comments), the
coverage (evaluated reports over heads in office, as ``accountability.law_report_coverage``
counts it) and the activities by which the heads lead the work. The register's own list and
entry pages are the workbench's register screens (core's register mixins)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from fazhi.accountability.activities import KINDS
from fazhi.accountability.models import Head
from fazhi.core import clock
from fazhi.core.scope import scope_queryset
from fazhi.core.views import StaffRequiredMixin
from fazhi.procedures.models import Activity, Matter, Step


@dataclass(frozen=True)
class HeadRow:
    head: Head
    report: Matter | None
    comments: str
    evaluated_on: dt.date | None

    @property
    def status(self) -> str:
        if self.report is None:
            return "未述法"
        return "已评议" if self.evaluated_on is not None else "待评议"


@dataclass(frozen=True)
class Coverage:
    heads: int
    reported: int
    evaluated: int

    @property
    def pending(self) -> int:
        return self.reported - self.evaluated

    @property
    def missing(self) -> int:
        return self.heads - self.reported

    @property
    def rate(self) -> str:
        if not self.heads:
            return "—"
        value = 100 * self.evaluated / self.heads
        return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


def _year(request: HttpRequest) -> int:
    raw = (request.GET.get("year") or "").strip()
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return clock.today().year


def head_rows(user: Any, year: int, cutoff: dt.date) -> list[HeadRow]:
    """The heads in office on ``cutoff`` that ``user`` may see, with their law reports of
    ``year`` (an evaluation after the cut-off does not count yet). Three queries."""
    heads: list[Head] = list(
        scope_queryset(Head.objects.valid_on(cutoff), user)  # type: ignore[arg-type]
        .select_related("org")
        .order_by("org__path", "pk")
    )
    reports = {
        (m.org_id, str(m.details.get("head_name"))): m
        for m in Matter.objects.for_user(user)
        .of("law_report")
        .filter(details__year=year, received_on__lte=cutoff)
        .order_by("pk")
    }
    evaluations = {
        s.matter_id: s
        for s in Step.objects.filter(
            matter_id__in=[m.pk for m in reports.values()], action="evaluate", on__lte=cutoff
        ).order_by("seq")
    }
    rows = []
    for h in heads:
        report = reports.get((h.org_id, h.name))
        step = evaluations.get(report.pk) if report is not None else None
        rows.append(
            HeadRow(
                h,
                report,
                str(step.data.get("comments") or "") if step is not None else "",
                step.on if step is not None else None,
            )
        )
    return rows


class HomeView(StaffRequiredMixin, View):
    """第一责任人职责: heads in office, their law reports and evaluations, coverage."""

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _year(request)
        today = clock.today()
        cutoff = min(dt.date(year, 12, 31), today) if year == today.year else dt.date(year, 12, 31)
        rows = head_rows(request.user, year, cutoff)
        coverage = Coverage(
            len(rows),
            sum(1 for r in rows if r.report is not None),
            sum(1 for r in rows if r.evaluated_on is not None),
        )
        counts = dict(
            Activity.objects.for_user(request.user)
            .of(*(k.code for k in KINDS))
            .in_year(year)
            .values_list("kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        show = request.GET.get("show", "")
        if show in ("未述法", "待评议", "已评议"):
            rows = [r for r in rows if r.status == show]
        else:
            show = ""
        return render(
            request,
            "accountability/home.html",
            {
                "year": year,
                "cutoff": cutoff,
                "rows": rows,
                "show": show,
                "coverage": coverage,
                "activities": [(k, counts.get(k.code, 0)) for k in KINDS],
            },
        )
