"""Drafting the annual report in the workbench (/workbench/reports/) and the issued report on
the public site (/reports/).

The office (依法治区办, administrators) creates a report, assigns sections to departments with
due dates, compiles, edits, approves and issues; a department's staff draft their assigned
section (its figures previewed live for their own unit), and submit it. Every save is a version.
Files (docx, pdf, …) are rendered by the job queue (``fazhi worker``; ``fazhi.reports.jobs``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.scope import scope_of
from fazhi.core.storage import open_stored
from fazhi.core.tasks import enqueue, job_url
from fazhi.core.views import StaffRequiredMixin
from fazhi.reports import drafting, services
from fazhi.reports.assembly import ReportError, assemble
from fazhi.reports.models import Report, ReportIssue, ReportSection, SectionState
from fazhi.reports.renderers import FORMATS
from fazhi.reports.renderers.html import html_context, paragraph_html, render_html
from fazhi.reports.template import SECTION_BY_KEY


def _parse_date(value: str | None, what: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ReportError(f"{what}“{value}”格式错误，应为 YYYY-MM-DD。") from None


def _required_date(value: str | None, what: str) -> dt.date:
    on = _parse_date(value, what)
    if on is None:
        raise ReportError(f"请填写{what}。")
    return on


def _report_for(request: HttpRequest, pk: int) -> Report:
    """A report the user may see: the office's, or one with a section assigned to their unit."""
    report = get_object_or_404(Report.objects.select_related("org"), pk=pk)
    scope = scope_of(request.user)
    if drafting.is_office(request.user) or scope.all_orgs:
        return report
    if any(
        s.department is not None and scope.covers(s.department)
        for s in report.sections.select_related("department")
    ):
        return report
    raise Http404("没有找到该报告。")


def _section_for(request: HttpRequest, pk: int, key: str) -> ReportSection:
    report = _report_for(request, pk)
    section = get_object_or_404(
        ReportSection.objects.select_related("department", "report", "report__org"),
        report=report,
        key=key,
    )
    scope = scope_of(request.user)
    if not (drafting.is_office(request.user) or scope.all_orgs) and not (
        section.department is not None and scope.covers(section.department)
    ):
        raise Http404("没有找到该部分。")
    return section


class ReportListView(StaffRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        scope = scope_of(request.user)
        office = drafting.is_office(request.user)
        reports = Report.objects.select_related("org")
        mine = ReportSection.objects.select_related("report", "report__org", "department")
        mine = mine.filter(state=SectionState.ASSIGNED).order_by("due_on", "pk")
        if not (office or scope.all_orgs):
            units = OrgUnit.objects.filter(path__startswith=scope.org_path or "\0")
            reports = reports.filter(sections__department__in=units).distinct()
            mine = mine.filter(department__in=units)
        roots = OrgUnit.objects.filter(parent__isnull=True, is_active=True)
        rows = [
            {"section": s, "heading": SECTION_BY_KEY[s.key].heading_for(s.report.year) or "前言"}
            for s in mine[:200]
        ]
        return render(
            request,
            "reports/list.html",
            {
                "reports": reports,
                "mine": rows,
                "office": office,
                "roots": roots,
                "today": clock.today(),
                "last_year": clock.today().year - 1,
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        if not drafting.is_office(request.user):
            raise PermissionDenied("只有依法治区办可以建立年度报告。")
        try:
            org = get_object_or_404(OrgUnit, pk=request.POST.get("org"))
            try:
                year = int(request.POST.get("year", ""))
            except ValueError:
                raise ReportError(
                    f"年度“{request.POST.get('year', '')}”无效，应为四位年份。"
                ) from None
            if not 2000 <= year <= 2100:
                raise ReportError(f"年度“{year}”无效，应为 2000 至 2100 之间的四位年份。")
            report = drafting.create_report(org, year, by=request.user)
        except ReportError as exc:
            messages.error(request, str(exc))
            return redirect("reports:list")
        messages.success(request, f"已建立{report}。")
        return redirect("reports:detail", pk=report.pk)


class ReportDetailView(StaffRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = _report_for(request, pk)
        assembled = drafting.draft_of(report)
        sections = []
        by_key = {s.key: s for s in assembled.sections}
        for section in report.sections.select_related("department"):
            spec = SECTION_BY_KEY[section.key]
            sections.append(
                {
                    "section": section,
                    "heading": spec.heading_for(report.year) or "前言",
                    "suggested": spec.department,
                    "rendered": by_key[section.key],
                    "may_edit": drafting.may_edit(request.user, section),
                }
            )
        office = drafting.is_office(request.user)
        departments = (
            OrgUnit.objects.subtree_of(report.org)
            .filter(is_active=True)
            .exclude(kind="internal")
            .order_by("path")
        )
        return render(
            request,
            "reports/detail.html",
            {
                "report": report,
                "sections": sections,
                "office": office,
                "departments": departments,
                "problems": drafting.pre_issue_check(report, assembled),
                "changes": drafting.changes_since_issue(report, assembled),
                "issues": report.issues.order_by("-number"),
                "formats": list(FORMATS),
                "today": clock.today(),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = _report_for(request, pk)
        action = request.POST.get("action", "")
        try:
            if action == "assign":
                section = get_object_or_404(ReportSection, report=report, key=request.POST["key"])
                department = get_object_or_404(
                    OrgUnit.objects.subtree_of(report.org), pk=request.POST.get("department")
                )
                due = _parse_date(request.POST.get("due_on"), "报送期限")
                drafting.assign(section, department, due, request.user)
                messages.success(request, f"已将该部分分配给{department.name}。")
            elif action == "due":
                drafting.set_due_dates(
                    report,
                    request.user,
                    sections_due_on=_required_date(
                        request.POST.get("sections_due_on"), "各部门报送期限"
                    ),
                    publish_due_on=_required_date(
                        request.POST.get("publish_due_on"), "向社会公开期限"
                    ),
                )
                messages.success(request, "期限已调整。")
            elif action == "approve":
                drafting.approve_report(report, request.user)
                messages.success(request, "报告已审定。")
            elif action == "issue":
                on = _parse_date(request.POST.get("issued_on"), "印发日期")
                issue = drafting.issue(
                    report, request.user, issued_on=on, reason=request.POST.get("reason", "")
                )
                _enqueue_issue_pdf(request, issue)
                messages.success(request, f"报告已印发（第{issue.number}次），已在门户网站公开。")
            elif action == "render":
                fmt = request.POST.get("format", "")
                if fmt not in FORMATS:
                    raise ReportError(f"格式“{fmt}”无效，可用：{'、'.join(FORMATS)}。")
                job = enqueue(
                    "reports.render",
                    label=f"生成{report.year}年度报告（{fmt}）",
                    params={"report": report.pk, "format": fmt},
                    user=request.user,
                )
                return redirect(job_url(job))
            else:
                raise ReportError("未知的操作。")
        except ReportError as exc:
            messages.error(request, str(exc))
        return redirect("reports:detail", pk=report.pk)


def _enqueue_issue_pdf(request: HttpRequest, issue: ReportIssue) -> None:
    enqueue(
        "reports.issue_pdf",
        label=f"生成{issue.report.year}年度报告印发版 PDF",
        params={"issue": issue.pk},
        user=request.user,
    )


class SectionView(StaffRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, key: str) -> HttpResponse:
        section = _section_for(request, pk, key)
        return render(request, "reports/section.html", self._context(request, section))

    def _context(
        self, request: HttpRequest, section: ReportSection, **extra: Any
    ) -> dict[str, Any]:
        report = section.report
        spec = SECTION_BY_KEY[section.key]
        versions = list(section.versions.select_related("by").order_by("-number"))
        text = extra.pop("text", section.text)
        return {
            "report": report,
            "section": section,
            "heading": spec.heading_for(report.year) or "前言",
            "text": text,
            "preview": _preview(section, text),
            "versions": versions,
            "may_edit": drafting.may_edit(request.user, section),
            "office": drafting.is_office(request.user),
            **extra,
        }

    def post(self, request: HttpRequest, pk: int, key: str) -> HttpResponse:
        section = _section_for(request, pk, key)
        action = request.POST.get("action", "save")
        text = request.POST.get("text", section.text)
        try:
            if action in ("save", "submit"):
                if not drafting.may_edit(request.user, section):
                    raise PermissionDenied("您不能修改该部分。")
                version = drafting.save_text(
                    section, text, request.user, request.POST.get("note", "")
                )
                section.refresh_from_db()
                if action == "submit":
                    drafting.submit(section, request.user)
                    messages.success(request, "已报送依法治区办。")
                else:
                    messages.success(
                        request, f"已保存为第{version.number}版。" if version else "内容未改变。"
                    )
            elif action == "approve":
                drafting.approve_section(section, request.user)
                messages.success(request, "该部分已审定。")
            else:
                raise ReportError("未知的操作。")
        except ReportError as exc:
            messages.error(request, str(exc))
            ctx = self._context(request, section, text=text)
            return render(request, "reports/section.html", ctx, status=400)
        return redirect("reports:section", pk=pk, key=key)


def _preview(section: ReportSection, text: str) -> dict[str, Any]:
    """The section rendered with the figures of the drafting department's own unit (its
    subtree; the report's organ when unassigned), or the error that stops it."""
    report = section.report
    scope = section.department or report.org
    try:
        assembled = assemble(scope, report.year, report.as_of, texts={section.key: text})
    except ReportError as exc:
        return {"error": str(exc), "scope": scope}
    rendered = next(s for s in assembled.sections if s.key == section.key)
    return {
        "scope": scope,
        "paragraphs": [paragraph_html(assembled, p, "drill") for p in rendered.paragraphs],
        "pending": rendered.pending,
        "todos": rendered.todos,
    }


class SectionPreviewView(StaffRequiredMixin, View):
    """The live preview (htmx): the text as typed, rendered with the department's figures."""

    def post(self, request: HttpRequest, pk: int, key: str) -> HttpResponse:
        section = _section_for(request, pk, key)
        preview = _preview(section, request.POST.get("text", ""))
        return render(request, "reports/_preview.html", {"preview": preview})


class DiffView(StaffRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, key: str) -> HttpResponse:
        section = _section_for(request, pk, key)
        versions = {v.number: v for v in section.versions.select_related("by")}
        try:
            a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
            old, new = versions[a], versions[b]
        except (ValueError, KeyError):
            raise Http404("没有这两个版本。") from None
        lines = drafting.diff(old.text, new.text, f"第{a}版", f"第{b}版")
        return render(
            request,
            "reports/diff.html",
            {
                "report": section.report,
                "section": section,
                "heading": SECTION_BY_KEY[section.key].heading_for(section.report.year) or "前言",
                "old": old,
                "new": new,
                "lines": lines,
            },
        )


class DraftHtmlView(StaffRequiredMixin, View):
    """The compiled draft as one html page, every figure linked to its drill-down."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = _report_for(request, pk)
        response = HttpResponse(render_html(drafting.draft_of(report)))
        # the self-contained document has its stylesheet and SVG charts inline (never scripts)
        response._csp_update = {"style-src": ["'unsafe-inline'"]}  # type: ignore[attr-defined]
        return response


# --- the public site --------------------------------------------------------------------------


def _published() -> Any:
    latest = Q(published=True)
    return ReportIssue.objects.filter(latest).select_related("report", "report__org")


def public_list(request: HttpRequest) -> HttpResponse:
    issues = _published().order_by("-report__year", "report__org__path", "-number")
    seen: set[int] = set()
    latest = []
    for issue in issues:
        if issue.report_id not in seen:
            seen.add(issue.report_id)
            latest.append(issue)
    return render(request, "reports/public_list.html", {"issues": latest})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(_published(), pk=pk)
    ctx = html_context(services.issued(issue, public=True), links="anchor")
    return render(request, "reports/public_detail.html", {**ctx, "issue": issue})


def public_pdf(request: HttpRequest, pk: int) -> FileResponse:
    issue = get_object_or_404(_published(), pk=pk)
    if not issue.pdf:
        raise Http404("PDF 尚在生成，请稍后再试。")
    name = f"{issue.report.org.name}{issue.report.year}年度法治政府建设情况报告.pdf"
    return FileResponse(open_stored(issue.pdf, "报告 PDF"), as_attachment=True, filename=name)
