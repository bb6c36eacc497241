"""The key tasks' screens: the board (the office's: every task of the year by state, overdue,
due soon and by unit; a unit's: the tasks it leads and those it assists), the import of the
year's list from the office's xlsx with its rejected-lines report, and the blank template.
Progress reports, acceptance, rejection and closing are the matter page's actions (the
workbench renders them from the declaration)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.register_io import RegisterFileError
from fazhi.core.scope import profile_of, scope_of, scope_queryset
from fazhi.core.views import StaffRequiredMixin
from fazhi.keytasks import board as kb
from fazhi.keytasks.importing import (
    MAX_FILE_BYTES,
    KeyTaskImportError,
    district_of,
    import_key_tasks,
    may_import,
    template_xlsx,
)
from fazhi.procedures.models import Matter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = MAX_FILE_BYTES
PAGE_SIZE = 100
SHOWS = {
    "overdue": "已逾期",
    "soon": f"{kb.DUE_SOON_DAYS}日内到期",
    "in_progress": "推进中",
    "acceptance_requested": "待验收",
    "closed": "已销号",
}


def _year(request: HttpRequest) -> int:
    raw = (request.GET.get("year") or request.POST.get("year") or "").strip()
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return clock.today().year


def _district(request: HttpRequest) -> OrgUnit | None:
    """The top of the user's tree (the district whose units a list names)."""
    return district_of(request.user)


class BoardView(StaffRequiredMixin, View):
    """重点任务: the board of the user's scope, or of one unit (``org``)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        year, today = _year(request), clock.today()
        visible = Matter.objects.for_user(request.user)
        figures = kb.board(visible, year, today)
        tasks = kb.year_tasks(visible, year).select_related("org").order_by("due_on", "pk")
        unit = self._unit(request)
        show = request.GET.get("show", "")
        if show == "overdue":
            tasks = kb.overdue(tasks, today)
        elif show == "soon":
            tasks = kb.due_soon(tasks, today)
        elif show in SHOWS:
            tasks = tasks.filter(state=show)
        else:
            show = ""
        sections: list[tuple[str, Any]] = []
        if unit is not None:
            lead, assisting = kb.of_unit(tasks, unit)
            sections = [("牵头的任务", lead), ("配合的任务", assisting)]
        else:
            sections = [("全部任务", tasks)]
        shown = []
        for title, qs in sections:
            page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
            shown.append((title, page))
        names = kb.assisting_names([t for _, page in shown for t in page.object_list])
        return render(
            request,
            "keytasks/board.html",
            {
                "year": year,
                "today": today,
                "board": figures,
                "unit": unit,
                "show": show,
                "show_label": SHOWS.get(show, ""),
                "sections": [
                    (title, page, [(t, names.get(t.pk, [])) for t in page.object_list])
                    for title, page in shown
                ],
                "may_import": may_import(request.user),
                "all_orgs": scope_of(request.user).all_orgs,
                "soon_days": kb.DUE_SOON_DAYS,
            },
        )

    def _unit(self, request: HttpRequest) -> OrgUnit | None:
        """The unit whose board is shown: ``org`` if the user may see it; a user who does not
        see every unit gets the own unit's board."""
        raw = (request.GET.get("org") or "").strip()
        if raw.isdigit():
            found = scope_queryset(OrgUnit.objects.filter(pk=int(raw)), request.user, "self")
            unit = found.first()
            if unit is not None:
                return unit
        if scope_of(request.user).all_orgs:
            return None
        profile = profile_of(request.user)
        return profile.org if profile is not None else None


class ImportView(StaffRequiredMixin, View):
    """导入年度重点任务清单: the office's xlsx, all or nothing, with the refused lines."""

    def _context(self, request: HttpRequest, **extra: Any) -> dict[str, Any]:
        today = clock.today()
        ctx = {
            "year": _year(request),
            "task_list": request.POST.get("task_list", ""),
            "listed_on": request.POST.get("listed_on", "") or today.isoformat(),
            "may_import": may_import(request.user),
        }
        ctx.update(extra)
        return ctx

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "keytasks/import.html", self._context(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        upload = request.FILES.get("file")
        problem = ""
        listed_on = clock.today()
        raw = (request.POST.get("listed_on") or "").strip()
        if raw:
            try:
                listed_on = dt.date.fromisoformat(raw)
            except ValueError:
                problem = f"列入清单日期“{raw}”格式错误，应为 YYYY-MM-DD。"
        if upload is None:
            problem = problem or "请选择要导入的 .xlsx 文件。"
        elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            problem = problem or "文件超过 5 MB，请分批导入。"
        root = _district(request)
        if problem or upload is None or root is None:
            return render(
                request,
                "keytasks/import.html",
                self._context(request, problem=problem or "找不到本区的机构。"),
                status=400,
            )
        try:
            report = import_key_tasks(
                upload,
                task_list=request.POST.get("task_list", ""),
                year=_year(request),
                listed_on=listed_on,
                by=request.user,
                root=root,
                file_name=upload.name or "",
            )
        except (KeyTaskImportError, RegisterFileError) as exc:
            return render(
                request,
                "keytasks/import.html",
                self._context(request, problem=str(exc)),
                status=400,
            )
        if not report.committed:
            return render(
                request, "keytasks/import.html", self._context(request, report=report), status=400
            )
        messages.success(request, report.summary())
        return redirect(f"{reverse('keytasks:board')}?year={_year(request)}")


class TemplateView(StaffRequiredMixin, View):
    """The blank list (xlsx) to fill in."""

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _year(request)
        response = HttpResponse(template_xlsx(year), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="key-tasks-{year}.xlsx"'
        return response
