"""The hotline clerk's page (接诉即办): what waits (to sign, overdue, returns and extensions to
approve), the three rates per unit and per street for a year, the month's common categories.
Handling an order (sign, return, extend, conclude, revisit, reopen) is the workbench's matter
page, built from the declaration."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from fazhi.core import clock
from fazhi.core.views import StaffRequiredMixin
from fazhi.indicators.formatting import format_value
from fazhi.indicators.registry import get_indicator
from fazhi.oversight.hotline import stats
from fazhi.oversight.hotline.procedures import CODE
from fazhi.procedures.models import Matter, MatterQuerySet, Step


def _year(request: HttpRequest, default: int, errors: list[str]) -> int:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return default
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    errors.append(f"年度“{raw[:10]}”无效，应为 2000 至 2100 之间的四位年份。")
    return default


def _month(request: HttpRequest, default: dt.date, errors: list[str]) -> dt.date:
    raw = request.GET.get("month", "").strip()
    if not raw:
        return default
    try:
        day = dt.date.fromisoformat(f"{raw}-01")
    except ValueError:
        errors.append(f"月份“{raw[:10]}”无效，应为 YYYY-MM。")
        return default
    if not 2000 <= day.year <= 2100:
        errors.append(f"月份“{raw[:10]}”超出可查询的范围（2000年至2100年）。")
        return default
    return day


def _pending(orders: MatterQuerySet, action: str, answers: tuple[str, ...]) -> int:
    """Open orders whose latest ``action`` (a request) has no answer after it: one query."""
    later = Step.objects.filter(
        matter=OuterRef("matter"), action__in=(action, *answers), seq__gt=OuterRef("seq")
    )
    return (
        Step.objects.filter(matter__in=orders.open(), action=action)
        .filter(~Exists(later))
        .values("matter")
        .distinct()
        .count()
    )


def _cells(row: stats.UnitRates) -> dict[str, object]:
    """A table row: the unit and its figures as the report writes them (— for no rate)."""
    cells = []
    for code in stats.CODES:
        ind = get_indicator(code)
        cells.append((code, format_value(ind, row.values.get(code))))
    return {"unit": row.unit, "cells": cells}


class HomeView(StaffRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = clock.today()
        errors: list[str] = []
        year = _year(request, today.year, errors)
        month = _month(request, today.replace(day=1), errors)
        orders = Matter.objects.for_user(request.user).of(CODE)
        root = stats.scope_root(request.user)
        rows = stats.rates_by_unit(root, year) if root is not None else []
        return render(
            request,
            "hotline/home.html",
            {
                "errors": errors,
                "year": year,
                "month": month,
                "to_sign": orders.filter(state="received").count(),
                "overdue": orders.overdue(today).count(),
                "returns": _pending(
                    orders, "request_return", ("return", "refuse_return", "transfer", "assign")
                ),
                "extensions": _pending(orders, "request_extend", ("extend", "refuse_extend")),
                "units": [_cells(r) for r in rows if not r.is_street],
                "streets": [_cells(r) for r in rows if r.is_street],
                "categories": stats.top_categories(request.user, month),
                "codes": stats.CODES,
                "root": root,
            },
        )
