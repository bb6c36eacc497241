"""The indicator dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.views.generic import TemplateView

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.views import StaffRequiredMixin
from fazhi.indicators import charts
from fazhi.indicators.engine import (
    dashboard_figures,
)
from fazhi.indicators.formatting import format_value
from fazhi.indicators.registry import (
    SECTIONS,
    Indicator,
    all_indicators,
    dashboard_codes,
    get_indicator,
)
from fazhi.indicators.views.selection import Selection, intake_by_channel, scope_orgs, select
from fazhi.procedures.activities import get_kind
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.errors import ProcedureError

# --- dashboard ------------------------------------------------------------------------------


@dataclass
class Row:
    indicator: Indicator
    value: int | Decimal | None
    display: str
    misses: bool
    numerator_url: str
    denominator_url: str


def _drill_url(sel: Selection, code: str, part: str, org: OrgUnit | None = None) -> str:
    base = reverse("indicators:drill", args=[code])
    query = sel.query(part=part, **({"org": org.pk} if org is not None else {}))
    return f"{base}?{query}"


def _series_label(key: str) -> str:
    try:
        return get_procedure(key).label
    except ProcedureError:
        return get_kind(key).label


class DashboardView(StaffRequiredMixin, TemplateView):
    template_name = "indicators/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        sel = select(self.request)
        figures = dashboard_figures(
            sel.org, sel.year, sel.as_of, fresh=self.request.GET.get("fresh") == "1"
        )
        result, units = figures.result, figures.units
        sections: list[tuple[str, list[Row]]] = []
        for code, label in SECTIONS:
            rows = []
            for ind in all_indicators():
                if ind.section != code:
                    continue
                value = result.values.get(ind.code)
                computed = not ind.is_pending
                rows.append(
                    Row(
                        ind,
                        value,
                        format_value(ind, value),
                        ind.misses(value),
                        _drill_url(sel, ind.code, "numerator") if computed else "",
                        _drill_url(sel, ind.code, "denominator")
                        if computed and ind.is_rate
                        else "",
                    )
                )
            sections.append((label, rows))
        compare = [
            get_indicator(c) for c in dashboard_codes("compare") if not get_indicator(c).is_pending
        ]
        chosen_code = self.request.GET.get("compare", compare[0].code if compare else "")
        chosen = next(
            (c for c in compare if c.code == chosen_code), compare[0] if compare else None
        )
        unit_rows = [
            {
                "unit": u.unit,
                "own": u.own,
                "cells": [
                    (
                        format_value(ind, u.values.get(ind.code)),
                        ind.misses(u.values.get(ind.code)),
                        _drill_url(sel, ind.code, "numerator", u.unit) if not u.own else "",
                    )
                    for ind in compare
                ],
            }
            for u in units
        ]
        compare_chart = None
        if chosen is not None and len(units) > 1:
            compare_chart = charts.unit_bars(
                f"{chosen.label}：各单位比较",
                [
                    (("本级" if u.own else u.unit.label), u.values.get(chosen.code))
                    for u in units
                    if not u.own or u.values.get(chosen.code)
                ],
                percent=chosen.is_rate,
                target_min=chosen.target_min,
            )
        trend = figures.trend
        timely_charts = []
        for code in dashboard_codes("timely"):
            try:
                ind = get_indicator(code)
            except KeyError:
                continue
            rows_of = [
                (("本级" if u.own else u.unit.label), u.values.get(code))
                for u in units
                if u.values.get(code) is not None
            ]
            if ind.is_pending or not rows_of:
                continue
            timely_charts.append(
                charts.unit_bars(
                    f"{ind.label}：各单位", rows_of, percent=True, target_min=ind.target_min
                )
            )
        channels = intake_by_channel(sel.org, sel.year)
        ctx.update(
            show_codes=self.request.GET.get("codes") == "1",
            channel_chart=charts.stacked_month_bars(f"{sel.year}年各渠道每月收到事项", channels)
            if channels
            else None,
            channel_totals=[(label, sum(values)) for label, values in channels.items()],
            timely_charts=timely_charts,
            computed_at=figures.computed_at,
            sel=sel,
            orgs=scope_orgs(self.request),
            years=list(range(clock.today().year, clock.today().year - 8, -1)),
            result=result,
            sections=sections,
            failures=result.failures,
            checks=result.checks,
            compare=compare,
            chosen=chosen,
            unit_rows=unit_rows,
            compare_chart=compare_chart,
            trend=[
                (_series_label(key), sum(values), charts.month_bars(_series_label(key), values))
                for key, values in trend.items()
            ],
        )
        return ctx
