"""The records behind a figure: the drill-down list and its CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.generic import TemplateView

from fazhi.core.pii import mask_text
from fazhi.core.views import StaffRequiredMixin
from fazhi.indicators.engine import (
    IndicatorError,
    compute_scope,
    drill_down,
)
from fazhi.indicators.formatting import format_value
from fazhi.indicators.registry import (
    ActivityCount,
    ActivitySum,
    Indicator,
    get_indicator,
)
from fazhi.indicators.views.dashboard import _drill_url
from fazhi.indicators.views.selection import PAGE_SIZE, Selection, select
from fazhi.procedures.activities import all_kinds, get_kind
from fazhi.procedures.models import Matter

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
