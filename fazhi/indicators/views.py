"""The indicator dashboard, drill-down (list and CSV) and the activity register (list, create).

Scope: the org select lists only the user's subtree (all units for the rule-of-law office,
leaders and administrators); an org outside it answers 404 (fazhi.core.scope.get_for_user).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Max, QuerySet
from django.db.models.functions import ExtractMonth
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import ListView, TemplateView

from fazhi.core import clock
from fazhi.core.models import OrgUnit, Role
from fazhi.core.pii import mask_text
from fazhi.core.scope import ALL_ACTING, get_for_user, profile_of, scope_of, scope_queryset
from fazhi.core.views import StaffRequiredMixin
from fazhi.indicators import charts
from fazhi.indicators.engine import (
    IndicatorError,
    Period,
    compute_scope,
    dashboard_figures,
    drill_down,
    period_of,
)
from fazhi.indicators.formatting import format_value
from fazhi.indicators.registry import (
    SECTIONS,
    ActivityCount,
    ActivitySum,
    Indicator,
    all_indicators,
    get_indicator,
)
from fazhi.procedures.activities import all_kinds, get_kind, record_activity
from fazhi.procedures.declarations import FieldType, get_procedure
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Activity, Channel, Matter

COMPARE_CODES = (
    "business_complaint.received",
    "business_complaint.satisfaction_rate",
    "help_request.received",
    "reconsideration.received",
    "reconsideration.concluded",
    "mailbox_letter.received",
    "mailbox_letter.reply_rate",
    "dispute_screening.screenings",
    "supervision.field_inspections",
)
PAGE_SIZE = 50
# The timely rates drawn per unit (the first of them the year has figures for).
TIMELY_CODES = (
    "mailbox_letter.reply_rate",
    "enforcement.publicity_timely_rate",
    "petition.handler_timely_rate",
    "petition.office_timely_rate",
    "npc_suggestion.reply_rate",
    "cppcc_proposal.reply_rate",
)


# --- the scope, year and cut-off of a request ----------------------------------------------


def scope_orgs(request: HttpRequest) -> QuerySet[OrgUnit]:
    return scope_queryset(OrgUnit.objects.all(), request.user, "self").order_by("path")


def default_org(request: HttpRequest) -> OrgUnit:
    """The user's own unit, or for those who see everything, the deployment's root."""
    scope = scope_of(request.user)
    profile = profile_of(request.user)
    if not scope.all_orgs and profile is not None:
        return profile.org
    root = OrgUnit.objects.filter(division_code=settings.FAZHI_ROOT_DIVISION_CODE).first()
    root = root or OrgUnit.objects.roots().order_by("pk").first()
    if root is None:
        raise Http404("尚未建立机构。")
    return root


@dataclass
class Selection:
    org: OrgUnit
    period: Period
    errors: list[str]
    #: the year was not asked for: the latest year with records of the scope was chosen
    defaulted: bool = False

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def as_of(self) -> dt.date:
        return self.period.as_of

    def query(self, **extra: Any) -> str:
        params: dict[str, Any] = {
            "org": self.org.pk,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
        }
        params.update(extra)
        return urlencode(params)


def select(request: HttpRequest) -> Selection:
    """Org (404 outside scope), year and cut-off from the query string; a bad year or date
    falls back to the default and says so."""
    errors: list[str] = []
    raw_org = request.GET.get("org")
    org = (
        get_for_user(OrgUnit.objects.all(), request.user, raw_org, "self")
        if raw_org
        else default_org(request)
    )
    today = clock.today()
    raw_year = request.GET.get("year", "").strip()
    year = today.year if raw_year else latest_year_with_records(org, today)
    defaulted = not raw_year
    if raw_year:
        try:
            year = int(raw_year)
            period_of(year, None)
        except (ValueError, IndicatorError):
            errors.append(f"年度“{raw_year}”无效，应为四位年份，已改为 {today.year} 年。")
            year = today.year
    as_of: dt.date | None = None
    raw_as_of = request.GET.get("as_of", "").strip()
    chosen_for = request.GET.get("as_of_year", "").strip()
    if chosen_for and chosen_for != str(year):
        raw_as_of = ""  # the cut-off was that of another year: it follows the year chosen now
    if raw_as_of:
        try:
            as_of = dt.date.fromisoformat(raw_as_of)
            period_of(year, as_of)
        except ValueError:
            errors.append(f"截止日期“{raw_as_of}”格式错误，应为 YYYY-MM-DD，已改为年末。")
            as_of = None
        except IndicatorError as exc:
            errors.append(f"{exc}已改为年末。")
            as_of = None
    return Selection(org, period_of(year, as_of), errors, defaulted=defaulted)


def latest_year_with_records(org: OrgUnit, today: dt.date) -> int:
    """The latest year (not after this one) in which the unit's subtree received a matter or
    held an activity; this year when there are none. Two indexed MAX queries."""
    ids = org.subtree_ids()
    latest = [
        Matter.objects.filter(org_id__in=ids, received_on__lte=today).aggregate(
            last=Max("received_on")
        )["last"],
        Activity.objects.filter(org_id__in=ids, on__lte=today).aggregate(last=Max("on"))["last"],
    ]
    days = [d for d in latest if d is not None]
    return max(days).year if days else today.year


def intake_by_channel(org: OrgUnit, year: int) -> dict[str, list[int]]:
    """Matters received in ``year`` by the unit's subtree, per channel label and month: one
    grouped query."""
    labels = dict(Channel.choices)
    series: dict[str, list[int]] = {}
    rows = (
        Matter.objects.filter(org__path__startswith=org.path)
        .received_in(year)
        .order_by()
        .annotate(month=ExtractMonth("received_on"))
        .values("channel", "month")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        label = str(labels.get(row["channel"], row["channel"]))
        series.setdefault(label, [0] * 12)[row["month"] - 1] += row["n"]
    return dict(sorted(series.items(), key=lambda kv: -sum(kv[1])))


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
        compare = [get_indicator(c) for c in COMPARE_CODES if not get_indicator(c).is_pending]
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
        for code in TIMELY_CODES:
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


# --- drill-down -----------------------------------------------------------------------------


def _drill(request: HttpRequest, code: str) -> tuple[Selection, Indicator, str, QuerySet[Any]]:
    sel = select(request)
    part = request.GET.get("part", "numerator")
    try:
        ind = get_indicator(code)
        qs = drill_down(code, sel.org, sel.year, sel.as_of, part=part)  # type: ignore[arg-type]
    except (KeyError, IndicatorError) as exc:
        raise Http404(str(exc)) from None
    return sel, ind, part, qs


def _source(ind: Indicator, part: str) -> Any:
    return ind.numerator if part == "numerator" else ind.denominator


class DrillDownView(StaffRequiredMixin, TemplateView):
    template_name = "indicators/drill.html"

    def get(  # type: ignore[override]  # the CSV export streams
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse | StreamingHttpResponse:
        sel, ind, part, qs = _drill(request, kwargs["code"])
        if request.GET.get("format") == "csv":
            return drill_csv(sel, ind, part, qs)
        src = _source(ind, part)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        value = compute_scope(sel.org, sel.year, sel.as_of)[0].values.get(ind.code)
        kinds = {k.code: k for k in all_kinds()}
        for row in page.object_list if src is not None and src.kind == "activity" else ():
            declared = kinds[row.kind].figures if row.kind in kinds else ()
            row.figure_items = [  # labels, not found=0
                (f.label, row.figures.get(f.name))
                for f in declared
                if row.figures.get(f.name) is not None
            ]
        ctx = self.get_context_data(
            sel=sel,
            ind=ind,
            part=part,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            object_list=page.object_list,
            record_kind=src.kind if src is not None else "",
            figure=src.figure if isinstance(src, ActivitySum) else "",
            value=format_value(ind, value),
            other_part_url=(
                _drill_url(sel, ind.code, "denominator" if part == "numerator" else "numerator")
                if ind.is_rate
                else ""
            ),
            csv_url=f"{request.path}?{sel.query(part=part, format='csv')}",
            dashboard_url=f"{reverse('indicators:dashboard')}?{sel.query()}",
        )
        return self.render_to_response(ctx)


def _matter_row(m: Matter) -> list[Any]:
    return [
        m.reference,
        m.procedure_label,
        mask_text(m.subject),
        m.org.name,
        m.received_on.isoformat(),
        m.state_label,
        m.closed_on.isoformat() if m.closed_on else "",
        m.get_satisfaction_display() if m.satisfaction else "",
    ]


def drill_csv(
    sel: Selection, ind: Indicator, part: str, qs: QuerySet[Any]
) -> StreamingHttpResponse:
    src = _source(ind, part)
    kind = src.kind if src is not None else ""
    if kind == "matter":
        header = [
            "编号",
            "程序",
            "事由",
            "承办机构",
            "收到日期",
            "当前状态",
            "办结日期",
            "最近评价",
        ]
        rows: Iterator[list[Any]] = (_matter_row(m) for m in qs.iterator(chunk_size=2000))
    elif kind == "step":
        header = ["编号", "操作", "日期", "承办机构"]
        rows = (
            [s.matter.reference, s.action_label, s.on.isoformat(), s.matter.org.name]
            for s in qs.select_related("matter__org").iterator(chunk_size=2000)
        )
    elif kind == "register":
        header = ["登记项", "机构", "有效期自", "有效期至"]
        rows = (
            [
                str(e),
                e.org.name,
                e.valid_from.isoformat(),
                e.valid_to.isoformat() if e.valid_to else "",
            ]
            for e in qs.iterator(chunk_size=2000)
        )
    elif isinstance(src, ActivityCount | ActivitySum):
        activity = get_kind(src.activity)
        names = [f.name for f in activity.figures]
        header = ["日期", "名称", "机构", "编号", *[f.label for f in activity.figures]]
        rows = (
            [
                a.on.isoformat(),
                a.title,
                a.org.name,
                a.reference,
                *[a.figures.get(n, "") for n in names],
            ]
            for a in qs.iterator(chunk_size=2000)
        )
    else:
        header = ["内设机构", "所属乡（街道）"]
        rows = ([u.name, u.parent.name if u.parent else ""] for u in qs.iterator(chunk_size=2000))

    def stream() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        yield "\ufeff" + buffer.getvalue()
        for row in rows:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(row)
            yield buffer.getvalue()

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    name = f"{ind.code}-{part}-{sel.year}-{sel.as_of.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- activities -----------------------------------------------------------------------------


class ActivityListView(StaffRequiredMixin, ListView[Activity]):
    template_name = "indicators/activity_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Activity]:
        qs = Activity.objects.for_user(self.request.user).select_related("org")
        kind = self.request.GET.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        year = self.request.GET.get("year", "")
        if year.isdigit():
            qs = qs.in_year(int(year))
        return qs.order_by("-on", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        kinds = {k.code: k for k in all_kinds()}
        ctx["kinds"] = list(kinds.values())
        ctx["rows"] = [
            (
                a,
                kinds[a.kind].label if a.kind in kinds else a.kind,
                [
                    (f.label, a.figures.get(f.name))
                    for f in (kinds[a.kind].figures if a.kind in kinds else ())
                    if a.figures.get(f.name) is not None
                ],
            )
            for a in ctx["object_list"]
        ]
        ctx["can_record"] = actable_orgs(self.request).exists()
        return ctx


def actable_orgs(request: HttpRequest) -> QuerySet[OrgUnit]:
    """Units the user may record activities for: their subtree (staff, heads), every unit
    (administrators, the rule-of-law office); none for leaders, who read only."""
    orgs = scope_orgs(request).filter(is_active=True)
    role = scope_of(request.user).role
    if role in ALL_ACTING or role in (Role.STAFF, Role.HEAD):
        return orgs
    return orgs.none()


class ActivityForm(forms.Form):
    """The common fields of an activity plus the figures its kind declares."""

    org = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label="组织机构")
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label="名称", max_length=300)
    reference = forms.CharField(
        label="编号", max_length=64, required=False, help_text="外部编号，可不填。"
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, kind: str, orgs: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = get_kind(kind)
        org_field = self.fields["org"]
        assert isinstance(org_field, forms.ModelChoiceField)  # noqa: S101  declared above  # nosec B101
        org_field.queryset = orgs
        for f in self.kind.figures:
            if f.type == FieldType.INT:
                self.fields[f.name] = forms.IntegerField(
                    label=f.label,
                    required=f.required,
                    min_value=f.min_value,
                    max_value=f.max_value,
                    help_text=f.help,
                )
            else:
                self.fields[f.name] = forms.CharField(
                    label=f.label, required=f.required, help_text=f.help
                )

    def figure_values(self) -> dict[str, Any]:
        return {f.name: self.cleaned_data.get(f.name) for f in self.kind.figures}


class ActivityCreateView(StaffRequiredMixin, TemplateView):
    template_name = "indicators/activity_form.html"

    def kind_code(self) -> str:
        code = self.request.GET.get("kind") or self.request.POST.get("kind") or ""
        try:
            return get_kind(code).code
        except ProcedureError:
            return ""

    def form(self, data: Any = None) -> ActivityForm | None:
        code = self.kind_code()
        if not code:
            return None
        initial: dict[str, Any] = {"on": clock.today()}
        profile = profile_of(self.request.user)
        if profile is not None:
            initial["org"] = profile.org.pk
        return ActivityForm(data, kind=code, orgs=actable_orgs(self.request), initial=initial)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self.form())
        ctx["kinds"] = all_kinds()
        ctx["kind"] = self.kind_code()
        ctx["orgs_available"] = actable_orgs(self.request).exists()
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form(request.POST)
        if form is None:
            return redirect("indicators:activity-create")
        if form.is_valid():
            try:
                record_activity(
                    form.kind.code,
                    org=form.cleaned_data["org"],
                    on=form.cleaned_data["on"],
                    title=form.cleaned_data["title"],
                    figures=form.figure_values(),
                    note=form.cleaned_data["note"],
                    reference=form.cleaned_data["reference"].strip(),
                    by=request.user,
                )
            except ProcedureError as exc:
                name = (exc.field or "").removeprefix("figures.")
                form.add_error(name if name in form.fields else None, exc.message)
            else:
                return redirect(f"{reverse('indicators:activity-list')}?kind={form.kind.code}")
        return self.render_to_response(self.get_context_data(form=form))
