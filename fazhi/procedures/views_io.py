"""Workbench imports and downloads: import templates per procedure, exports of matters in my
scope, and imports uploaded here and run by ``fazhi worker`` (procedures/jobs.py).

Exports go through ``Matter.objects.for_user``: a department's staff get their subtree's
matters and nothing else, whatever the query string asks for. Every export is audited.
Importing is for the roles that act everywhere (administrators, the rule-of-law office), as
``fazhi import`` is for the operator: an import names matters of any unit.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.generic import TemplateView, View

from fazhi.core import audit, clock
from fazhi.core.scope import ALL_ACTING, scope_of
from fazhi.core.storage import StorageUnavailable
from fazhi.core.tasks import enqueue, job_url, jobs_for
from fazhi.core.views import StaffRequiredMixin
from fazhi.procedures.declarations import Procedure, all_procedures, get_procedure
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.exporting import EXPORT_FORMATS, export, matters_for_export, write_template
from fazhi.procedures.importing import ImportFileError, file_format

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
        context["may_import"] = may_import(self.request.user)
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
        return self._export(request, request.GET, kwargs["procedure"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """The workbench's form posts (one form for the download and the background export)."""
        return self._export(request, request.POST, kwargs["procedure"])

    def _export(self, request: HttpRequest, data: Any, code: str) -> HttpResponseBase:
        procedure = _procedure(code)
        fmt = data.get("format", "jsonl")
        if fmt not in EXPORT_FORMATS:
            return HttpResponse("导出格式应为 jsonl、xlsx 或 csv。", status=400)
        year = _year(data.get("year", ""))
        if isinstance(year, str):
            return HttpResponse(year, status=400)
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


def may_import(user: Any) -> bool:
    return scope_of(user).role in ALL_ACTING


def _year(text: str) -> int | str | None:
    """The year of a form (None: every year), or the Chinese message of a bad one."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        return "年度应为四位数字，如 2025。"
    return int(text)


class ImportView(StaffRequiredMixin, View):
    """Upload a .jsonl, .xlsx or .csv file; ``fazhi worker`` imports it (all-or-nothing unless
    asked otherwise) and the job's page shows its progress, counts and rejected lines."""

    template_name = "procedures/import.html"

    def _check(self, request: HttpRequest) -> None:
        if not may_import(request.user):
            raise PermissionDenied("只有系统管理员和法治办可以导入事项。")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self._check(request)
        return self._render(request, "")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self._check(request)
        upload = request.FILES.get("file")
        if upload is None:
            return self._render(request, "请选择要导入的文件（.jsonl、.xlsx 或 .csv）。")
        limit = settings.FAZHI_MAX_IMPORT_BYTES
        if upload.size is not None and upload.size > limit:
            return self._render(
                request, f"文件超过 {limit // (1024 * 1024)} MB，请分成几个文件导入。"
            )
        if not upload.size:
            return self._render(request, "文件是空的。")
        try:
            file_format(Path(str(upload.name or "")))
        except ImportFileError as exc:
            return self._render(request, str(exc))
        code = request.POST.get("procedure", "").strip()
        if code and code not in {p.code for p in all_procedures()}:
            return self._render(request, "没有这个程序，请从列表中选择。")
        try:
            job = enqueue(
                "procedures.import",
                label=f"导入 {upload.name}",
                params={"procedure": code, "skip_invalid": request.POST.get("skip_invalid") == "1"},
                user=request.user,
                upload=upload,
                unit="行",
            )
        except StorageUnavailable as exc:  # disk full, read-only media: nothing queued
            return self._render(request, exc.message, status=503)
        return redirect(job_url(job))

    def _render(self, request: HttpRequest, error: str, status: int = 422) -> TemplateResponse:
        recent = jobs_for(request.user).filter(kind="procedures.import")[:10]
        context = {
            "procedures": all_procedures(),
            "error": error,
            "recent": recent,
            "limit_mb": settings.FAZHI_MAX_IMPORT_BYTES // (1024 * 1024),
            # SQLite has one writer: an import's transaction holds it until the import ends
            "single_writer": connection.vendor == "sqlite",
        }
        response = TemplateResponse(
            request, self.template_name, context, status=status if error else 200
        )
        if status == 503:
            response["Retry-After"] = "120"
        return response


class ExportJobView(StaffRequiredMixin, View):
    """Start an export of my scope's matters in ``fazhi worker`` (for large exports)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        procedure = _procedure(kwargs["procedure"])
        fmt = request.POST.get("format", "jsonl")
        if fmt not in EXPORT_FORMATS:
            return HttpResponse("导出格式应为 jsonl、xlsx 或 csv。", status=400)
        year = _year(request.POST.get("year", ""))
        if isinstance(year, str):
            return HttpResponse(year, status=400)
        job = enqueue(
            "procedures.export",
            label=f"导出{procedure.label}（{year or '全部年度'}，{fmt}）",
            params={"procedure": procedure.code, "year": year, "format": fmt},
            user=request.user,
            unit="件",
        )
        return redirect(job_url(job))
