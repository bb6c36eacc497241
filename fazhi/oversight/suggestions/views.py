"""The staff's suggestions pages: the list of NPC suggestions, CPPCC proposals, procuratorial
and judicial suggestions (filtered by kind, session, lead unit, state and due) and the per-unit
statistics. Handling one (opinion, 面商, reply, feedback, redo …) is the workbench's matter
page, built from the declaration; its block of the domain is ``panel.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.scope import scope_queryset
from fazhi.core.views import StaffRequiredMixin
from fazhi.oversight.hotline.stats import scope_root
from fazhi.oversight.suggestions import stats
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.models import Matter
from fazhi.procedures.services import WARNING_WORKING_DAYS
from fazhi.workdays import Calendar

PAGE_SIZE = 50
KIND_CODES = tuple(code for code, _label in stats.KINDS)
# the list's state filter: one word for the same stage of the four procedures
STATES = (
    ("received", "办理中（待答复）", ("received",)),
    ("replied", "已答复（待办结）", ("replied",)),
    ("done", "已办结", ("concluded", "closed")),
)
DUE = (("overdue", "已逾期"), ("warning", "临期"), ("not_overdue", "未逾期"))
STATUS_LABELS = {"overdue": "已逾期", "warning": "临期", "ok": "期限内", "closed": "已办结"}


def _status(m: Matter, today: dt.date, warn_until: dt.date) -> str:
    """The due status as the queue words it (a paused or limitless matter: "")."""
    if m.closed_on is not None:
        return "closed"
    if m.due_on is None:
        return ""
    if m.due_on < today:
        return "overdue"
    return "warning" if m.due_on <= warn_until else "ok"


def _choice(
    request: HttpRequest, name: str, allowed: dict[str, str], label: str, errors: list[str]
) -> str:
    raw = request.GET.get(name, "").strip()
    if raw and raw not in allowed:
        errors.append(f"{label}“{raw[:30]}”无效，请从列表中选择。")
        return ""
    return raw


def _year(request: HttpRequest, default: int, errors: list[str]) -> int:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return default
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    errors.append(f"年度“{raw[:10]}”无效，应为 2000 至 2100 之间的四位年份。")
    return default


def _units(request: HttpRequest) -> QuerySet[OrgUnit]:
    return scope_queryset(OrgUnit.objects.all(), request.user, "self").order_by("path")


def _row(m: Matter, today: dt.date, warn_until: dt.date) -> dict[str, Any]:
    d = m.details
    status = _status(m, today, warn_until)
    return {
        "matter": m,
        "kind": m.declaration.label,
        "who": d.get("deputy") or d.get("issuer") or "",
        "session": d.get("session", ""),
        "number": d.get("number") or d.get("document_number") or "",
        "assistants": [a.org.name for a in m.assistants.all()],
        "state": m.declaration.state_label(m.state),
        "result": d.get("result", ""),
        "status": status,
        "status_label": STATUS_LABELS.get(status, ""),
    }


class SuggestionListView(StaffRequiredMixin, View):
    """建议提案: the four kinds in the user's scope (led or assisted), soonest due first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        errors: list[str] = []
        today = clock.today()
        warn_until = Calendar.default().add_working_days(
            today, WARNING_WORKING_DAYS, provisional=True
        )
        kind = _choice(request, "kind", dict(stats.KINDS), "类别", errors)
        state = _choice(request, "state", {s[0]: s[1] for s in STATES}, "状态", errors)
        due = _choice(request, "due", dict(DUE), "期限", errors)
        base = Matter.objects.for_user(request.user).of(*((kind,) if kind else KIND_CODES))
        sessions = sorted(
            {
                s
                for s in base.annotate(s=KT("details__session"))
                .values_list("s", flat=True)
                .distinct()
                if s
            }
        )
        session = _choice(request, "session", {s: s for s in sessions}, "届次", errors)
        units = _units(request)
        unit: OrgUnit | None = None
        raw_unit = request.GET.get("unit", "").strip()
        if raw_unit:
            unit = units.filter(pk=int(raw_unit)).first() if raw_unit.isdigit() else None
            if unit is None:
                errors.append("承办单位无效，请从列表中选择。")
        qs = base.filtered(today=today, warn_until=warn_until, org=unit, due=due)
        if state:
            qs = qs.filter(state__in=next(s[2] for s in STATES if s[0] == state))
        if session:
            qs = qs.filter(details__session=session)
        qs = (
            qs.select_related("org")
            .prefetch_related("assistants__org")
            .order_by("closed_on", "due_on", "-received_on", "pk")
        )
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "suggestions/list.html",
            {
                "errors": errors,
                "rows": [_row(m, today, warn_until) for m in page.object_list],
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "total": page.paginator.count,
                "kinds": stats.KINDS,
                "states": [(s[0], s[1]) for s in STATES],
                "dues": DUE,
                "sessions": sessions,
                "units": units,
                "f": {"kind": kind, "state": state, "due": due, "session": session, "unit": unit},
            },
        )


class StatisticsView(StaffRequiredMixin, View):
    """Each lead unit's figures for a year and kind: on time, A/B/C, satisfaction."""

    def get(self, request: HttpRequest) -> HttpResponse:
        errors: list[str] = []
        today = clock.today()
        year = _year(request, today.year, errors)
        kind = _choice(request, "kind", dict(stats.KINDS), "类别", errors) or KIND_CODES[0]
        root = scope_root(request.user)
        as_of = min(dt.date(year, 12, 31), today) if year == today.year else None
        indicators, rows, total = (
            stats.by_unit(root, kind, year, as_of) if root is not None else ([], [], None)
        )
        headings = dict(stats.columns_of(kind))
        return render(
            request,
            "suggestions/statistics.html",
            {
                "errors": errors,
                "year": year,
                "kind": kind,
                "kind_label": get_procedure(kind).label,
                "kinds": stats.KINDS,
                "headings": [headings[i.code] for i in indicators],
                "rows": [{"unit": r.unit, "cells": r.cells(indicators)} for r in rows],
                "total": total.cells(indicators) if total is not None else [],
                "root": root,
            },
        )
