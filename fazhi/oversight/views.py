"""The staff's supervision pages (report part 七): field supervision, audits and
statistics-supervision coordination as activities with their files — the list (kind, year,
unit), one activity with its figures, files and history, recording one with its files, adding
a file, downloading one. Every change is ``supervision.py``'s (one transaction, audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from fazhi.core import clock
from fazhi.core.models import AuditEvent, OrgUnit
from fazhi.core.scope import can_act_on, profile_of, scope_queryset
from fazhi.core.storage import open_stored
from fazhi.core.views import StaffRequiredMixin
from fazhi.oversight import supervision
from fazhi.oversight.activities import SUPERVISION_KINDS
from fazhi.oversight.forms import SupervisionForm
from fazhi.oversight.models import ActivityFile
from fazhi.procedures.attachments import ALLOWED_EXTENSIONS, max_attachment_bytes
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Activity

PAGE_SIZE = 50
KINDS = {k.code: k for k in SUPERVISION_KINDS}


def _units(request: HttpRequest) -> QuerySet[OrgUnit]:
    return scope_queryset(OrgUnit.objects.all(), request.user, "self").order_by("path")


def _actable(request: HttpRequest) -> list[OrgUnit]:
    """The units the user may record supervision for (leaders read only: none)."""
    return [u for u in _units(request).filter(is_active=True) if can_act_on(request.user, u)]


def _figures(activity: Activity) -> list[tuple[str, Any]]:
    kind = KINDS.get(activity.kind)
    fields = kind.figures if kind is not None else ()
    return [(f.label, activity.figures[f.name]) for f in fields if f.name in activity.figures]


def _visible(request: HttpRequest) -> Any:
    return supervision.supervision_activities().for_user(request.user)


def get_activity(request: HttpRequest, pk: int) -> Activity:
    """A supervision activity of the user's scope; 404 for missing and forbidden alike."""
    found = _visible(request).select_related("org", "created_by").filter(pk=pk).first()
    if found is None:
        raise Http404("没有这一督查活动，或不在您的查看范围内。")
    return found


def _uploads(request: HttpRequest) -> list[tuple[str, bytes]]:
    return [(f.name or "file", f.read()) for f in request.FILES.getlist("files")]


class SupervisionListView(StaffRequiredMixin, View):
    """督查审计: the activities of the user's scope, newest first, with their file counts."""

    def get(self, request: HttpRequest) -> HttpResponse:
        errors: list[str] = []
        qs = _visible(request)
        kind = request.GET.get("kind", "").strip()
        if kind and kind not in KINDS:
            errors.append(f"类别“{kind[:30]}”无效，请从列表中选择。")
            kind = ""
        if kind:
            qs = qs.filter(kind=kind)
        year = request.GET.get("year", "").strip()
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            errors.append(f"年度“{year[:10]}”无效，应为 2000 至 2100 之间的四位年份。")
            year = ""
        if year:
            qs = qs.in_year(int(year))
        units = _units(request)
        unit: OrgUnit | None = None
        raw = request.GET.get("unit", "").strip()
        if raw:
            unit = units.filter(pk=int(raw)).first() if raw.isdigit() else None
            if unit is None:
                errors.append("组织单位无效，请从列表中选择。")
        if unit is not None:
            qs = qs.filter(org__path__startswith=unit.path)
        qs = (
            qs.select_related("org").annotate(files=Count("oversight_files")).order_by("-on", "-pk")
        )
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "supervision/list.html",
            {
                "errors": errors,
                "rows": [
                    {"a": a, "kind": KINDS[a.kind].label, "figures": _figures(a)}
                    for a in page.object_list
                ],
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "total": page.paginator.count,
                "kinds": SUPERVISION_KINDS,
                "units": units,
                "f": {"kind": kind, "year": year, "unit": unit},
                "may_record": bool(_actable(request)),
            },
        )


def _limits() -> dict[str, Any]:
    return {
        "allowed_extensions": "、".join(ALLOWED_EXTENSIONS),
        "max_mb": max_attachment_bytes() // (1024 * 1024),
        "max_files": supervision.MAX_FILES,
    }


class SupervisionCreateView(StaffRequiredMixin, View):
    """Record an activity of one kind with its files (all or nothing)."""

    def _kind(self, request: HttpRequest) -> str:
        code = request.GET.get("kind") or request.POST.get("kind") or ""
        return code if code in KINDS else ""

    def _form(self, request: HttpRequest, kind: str, data: Any = None) -> SupervisionForm:
        orgs = OrgUnit.objects.filter(pk__in=[u.pk for u in _actable(request)]).order_by("path")
        profile = profile_of(request.user)
        initial: dict[str, Any] = {"on": clock.today()}
        if profile is not None:
            initial["org"] = profile.org_id
        return SupervisionForm(data, kind=kind, orgs=orgs, initial=initial)

    def _page(self, request: HttpRequest, kind: str, form: SupervisionForm | None) -> HttpResponse:
        return render(
            request,
            "supervision/create.html",
            {
                "kinds": SUPERVISION_KINDS,
                "kind": kind,
                "form": form,
                "may_record": bool(_actable(request)),
                **_limits(),
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        kind = self._kind(request)
        return self._page(request, kind, self._form(request, kind) if kind else None)

    def post(self, request: HttpRequest) -> HttpResponse:
        kind = self._kind(request)
        if not kind:
            return redirect("oversight:supervision-create")
        form = self._form(request, kind, request.POST)
        if form.is_valid():
            try:
                activity = supervision.record_supervision(
                    kind,
                    org=form.cleaned_data["org"],
                    on=form.cleaned_data["on"],
                    title=form.cleaned_data["title"],
                    figures=form.figure_values(),
                    note=form.cleaned_data["note"],
                    files=_uploads(request),
                    by=request.user,
                )
            except ProcedureError as exc:
                name = (exc.field or "").removeprefix("figures.")
                form.add_error(name if name in form.fields else None, exc.message)
            else:
                messages.success(request, f"已登记{form.kind.label}：{activity.title}。")
                return redirect("oversight:supervision-detail", pk=activity.pk)
        return self._page(request, kind, form)


class SupervisionDetailView(StaffRequiredMixin, View):
    """One activity: its figures, note, files (download, add) and its audit history."""

    def _page(self, request: HttpRequest, activity: Activity, error: str = "") -> HttpResponse:
        files = list(ActivityFile.objects.filter(activity=activity).order_by("uploaded_at", "pk"))
        return render(
            request,
            "supervision/detail.html",
            {
                "a": activity,
                "kind": KINDS[activity.kind],
                "figures": _figures(activity),
                "files": files,
                "may_attach": can_act_on(request.user, activity.org)
                and len(files) < supervision.MAX_FILES,
                "error": error,
                "audit_events": list(AuditEvent.objects.for_object(activity)[:100]),
                **_limits(),
            },
            status=422 if error else 200,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, get_activity(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = get_activity(request, pk)
        try:
            added = supervision.add_activity_files(activity, _uploads(request), by=request.user)
        except ProcedureError as exc:
            return self._page(request, activity, exc.message)
        messages.success(request, f"已上传{len(added)}个文件。")
        return redirect(reverse("oversight:supervision-detail", args=[activity.pk]) + "#files")


class SupervisionFileView(StaffRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        item = (
            ActivityFile.objects.filter(activity__in=_visible(request), pk=pk)
            .select_related("activity")
            .first()
        )
        if item is None:
            raise Http404("没有这一文件，或不在您的查看范围内。")
        return FileResponse(
            open_stored(item.file),
            as_attachment=True,
            filename=item.name,
            content_type=item.content_type,
        )
