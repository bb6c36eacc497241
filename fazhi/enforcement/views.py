"""The enforcement domain's screens: the public disclosure list and certificate lookup, and the
staff's certificate-expiry alert."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.pii import mask_name
from fazhi.enforcement import public
from fazhi.enforcement.checks import handler_numbers
from fazhi.enforcement.models import EnforcementOfficer
from fazhi.enforcement.types import ACTION_TYPES

EXPIRY_ALERT_DAYS = 90


def _date(value: str | None, label: str, errors: list[str]) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{label}“{value[:20]}”不是有效日期，应为 YYYY-MM-DD。")
        return None
    if not dt.date(1990, 1, 1) <= day <= dt.date(2100, 12, 31):
        errors.append(f"{label}{value}超出可查询的范围（1990年至2100年）。")
        return None
    return day


def disclosure(request: HttpRequest) -> HttpResponse:
    """行政执法公示: published decisions, searchable by party, organ, type and date."""
    errors: list[str] = []
    query = request.GET.get("q", "").strip()[:100]
    action_type = request.GET.get("type", "")
    if action_type and action_type not in dict(ACTION_TYPES):
        errors.append("执法类别无效，请从列表中选择。")
        action_type = ""
    organs = OrgUnit.objects.filter(pk__in=public.disclosed().values("org_id")).order_by("path")
    organ: int | None = None
    raw_organ = request.GET.get("organ", "")
    if raw_organ:
        if raw_organ.isdigit() and organs.filter(pk=int(raw_organ)).exists():
            organ = int(raw_organ)
        else:
            errors.append("执法机关无效，请从列表中选择。")
    date_from = _date(request.GET.get("from"), "起始日期", errors)
    date_to = _date(request.GET.get("to"), "截止日期", errors)
    qs = public.disclosed(
        query=query, organ=organ, action_type=action_type, date_from=date_from, date_to=date_to
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/disclosure.html",
        {
            "decisions": [public.public_decision(m) for m in page.object_list],
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "total": page.paginator.count,
            "errors": errors,
            "q": query,
            "type": action_type,
            "organ": organ,
            "organs": organs,
            "types": ACTION_TYPES,
            "date_from": date_from,
            "date_to": date_to,
        },
    )


def certificate(request: HttpRequest) -> HttpResponse:
    """亮证执法: anyone may check that a certificate number is real and in force today."""
    raw = request.GET.get("number", "").strip()[:60]
    numbers = handler_numbers(raw)
    officer: EnforcementOfficer | None = None
    searched = bool(raw)
    if len(numbers) == 1:
        officer = cast(
            EnforcementOfficer | None,
            EnforcementOfficer.objects.filter(certificate_number=numbers[0])
            .select_related("org")
            .first(),
        )
    today = clock.today()
    return render(
        request,
        "enforcement/certificate.html",
        {
            "number": raw,
            "searched": searched,
            "officer": officer,
            "masked_name": mask_name(officer.name) if officer else "",
            "in_force": officer.is_valid_on(today) if officer else False,
            "today": today,
        },
    )


@login_required
def expiring(request: HttpRequest) -> HttpResponse:
    """Certificates in the user's scope that end within the alert window (renew in time)."""
    today = clock.today()
    officers = (
        EnforcementOfficer.objects.for_user(request.user)  # type: ignore[attr-defined]
        .expiring(today, EXPIRY_ALERT_DAYS)
        .select_related("org")
        .order_by("valid_to", "name")
    )
    return render(
        request,
        "enforcement/expiring.html",
        {
            "rows": [(o, (o.valid_to - today).days) for o in officers if o.valid_to],
            "today": today,
            "days": EXPIRY_ALERT_DAYS,
        },
    )
