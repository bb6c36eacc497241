"""Workbench downloads: import templates per procedure and exports of matters in my scope.

Exports go through ``Matter.objects.for_user``: a department's staff get their subtree's
matters and nothing else, whatever the query string asks for. Every export is audited.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.generic import TemplateView, View

from fazhi.core import audit, clock
from fazhi.core.scope import scope_of
from fazhi.core.views import StaffRequiredMixin
from fazhi.procedures.declarations import Procedure, all_procedures, get_procedure
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.exporting import EXPORT_FORMATS, export, matters_for_export, write_template

CONTENT_TYPES = {
    "jsonl": "application/x-ndjson; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _procedure(code: str) -> Procedure:
    try:
        procedure = get_procedure(code)
    except ProcedureError:
        raise Http404("没有这个程序。") from None
    return procedure


def _file_response(fmt: str, name: str, write: Any) -> FileResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 FileResponse closes it
    write(spool)
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=name)
    response["Content-Type"] = CONTENT_TYPES[fmt]
    return response


class IoIndexView(StaffRequiredMixin, TemplateView):
    """Templates to fill in and exports of my scope's matters, per procedure."""

    template_name = "procedures/io.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["procedures"] = all_procedures()
        context["formats"] = EXPORT_FORMATS
        context["this_year"] = clock.today().year
        context["years"] = range(clock.today().year, clock.today().year - 10, -1)
        return context


class TemplateDownloadView(StaffRequiredMixin, View):
    """The empty import template of a procedure (xlsx, or csv with ``.csv``)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        procedure = _procedure(kwargs["procedure"])
        fmt = kwargs["fmt"]
        if fmt not in ("xlsx", "csv"):
            raise Http404("模板只有 xlsx 和 csv 两种格式。")
        return _file_response(
            fmt,
            f"{procedure.code}-导入模板.{fmt}",
            lambda out: write_template(procedure, out, fmt),
        )


class ExportDownloadView(StaffRequiredMixin, View):
    """The matters of a procedure (and year) in the user's scope, as jsonl, xlsx or csv."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        procedure = _procedure(kwargs["procedure"])
        fmt = request.GET.get("format", "jsonl")
        if fmt not in EXPORT_FORMATS:
            return HttpResponse("导出格式应为 jsonl、xlsx 或 csv。", status=400)
        year_text = request.GET.get("year", "").strip()
        year: int | None = None
        if year_text:
            if not year_text.isdigit() or not 1990 <= int(year_text) <= 2100:
                return HttpResponse("年度应为四位数字，如 2025。", status=400)
            year = int(year_text)
        qs = matters_for_export(procedure.code, year=year, user=request.user)
        scope = scope_of(request.user)
        audit.record(
            "matter.export",
            request.user.profile,  # type: ignore[union-attr]
            actor=request.user,
            request=request,
            data={
                "procedure": procedure.code,
                "year": year,
                "format": fmt,
                "count": qs.count(),
                "scope": "all" if scope.all_orgs else "subtree",
            },
        )
        stamp = dt.date.today().isoformat()  # noqa: DTZ011 a file name, not a record
        name = f"{procedure.code}-{year or '全部'}-{stamp}.{fmt}"
        return _file_response(fmt, name, lambda out: export(qs, procedure.code, fmt, out))
