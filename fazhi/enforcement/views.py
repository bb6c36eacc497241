"""The enforcement domain's screens: the public disclosure list and certificate lookup, and the
staff's certificate-expiry alert."""

from __future__ import annotations

import datetime as dt
from typing import cast
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from fazhi.core import clock
from fazhi.core.models import OrgKind, OrgUnit
from fazhi.core.pii import mask_name, mask_public
from fazhi.core.registers import all_registers
from fazhi.core.scope import AnyUser, can_act_on, profile_of
from fazhi.core.views import StaffRequiredMixin
from fazhi.enforcement import (
    documents,
    inspections,
    leniency,
    public,
    records,
    reviews,
    search,
    statistics,
)
from fazhi.enforcement.checks import handler_numbers
from fazhi.enforcement.models import (
    RECORD_KINDS,
    CaseFileScore,
    EnforcementOfficer,
    OfficerQuerySet,
    StatisticsReport,
)
from fazhi.enforcement.types import ACTION_TYPES
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Activity, Matter

EXPIRY_ALERT_DAYS = 90
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def scope_org(user: AnyUser | None) -> OrgUnit | None:
    """The user's own unit (the organ whose lists apply), if they have one."""
    profile = profile_of(user)
    return profile.org if profile is not None else None


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
    today = clock.today()
    query = request.GET.get("q", "")[:1000]
    try:
        query = search.normalize_query(query)
    except search.SearchError as e:
        errors.append(str(e))
        query = ""
    action_type = request.GET.get("type", "")
    if action_type and action_type not in dict(ACTION_TYPES):
        errors.append("执法类别无效，请从列表中选择。")
        action_type = ""
    organs = OrgUnit.objects.filter(search.organs_shown(today)).order_by("path")
    organ: int | None = None
    raw_organ = request.GET.get("organ", "")
    if raw_organ:
        if raw_organ.isdigit() and organs.filter(pk=int(raw_organ)).exists():
            organ = int(raw_organ)
        else:
            errors.append("执法机关无效，请从列表中选择。")
    date_from = _date(request.GET.get("from"), "起始日期", errors)
    date_to = _date(request.GET.get("to"), "截止日期", errors)
    if date_from and date_to and date_from > date_to:
        errors.append("起始日期晚于截止日期，请调换或修改。")
        date_from = date_to = None
    qs = public.disclosed(
        today=today,
        query=query,
        organ=organ,
        action_type=action_type,
        date_from=date_from,
        date_to=date_to,
    )
    page = search.page_of(qs, request.GET.get("page"))
    return render(
        request,
        "enforcement/disclosure.html",
        {
            "decisions": [public.public_decision(m) for m in search.matters_of(page.object_list)],
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "total": page.paginator.count,
            "capped": page.paginator.capped,
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
            # a register's text, through the one public masking (its person: the officer)
            "issuing_body": mask_public(officer.issuing_body, names=[officer.name])
            if officer
            else "",
            "in_force": officer.is_valid_on(today) if officer else False,
            "today": today,
        },
    )


class ExpiringView(StaffRequiredMixin, View):
    """Certificates in the user's scope that end within the alert window (renew in time)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = clock.today()
        mine = cast(OfficerQuerySet, EnforcementOfficer.objects.for_user(request.user))
        officers = (
            mine.expiring(today, EXPIRY_ALERT_DAYS)
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


class ReviewListView(StaffRequiredMixin, View):
    """案卷评查: the review rounds in the user's scope, with their files and average."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "enforcement/reviews.html",
            {"rounds": reviews.rounds_for(request.user), "pass_mark": reviews.PASS_MARK},
        )


class ReviewDetailView(StaffRequiredMixin, View):
    """One round: each organ's results, the files scored, and the scoring form."""

    def _round(self, request: HttpRequest, pk: int) -> Activity:
        found = reviews.rounds_for(request.user).filter(pk=pk).first()
        if found is None:
            raise Http404("没有这一评查轮次，或不在您的查看范围内。")
        return found

    def _page(
        self, request: HttpRequest, round_: Activity, *, errors: list[str], form: dict[str, str]
    ) -> HttpResponse:
        scores = (
            CaseFileScore.objects.filter(round=round_)
            .select_related("matter", "organ")
            .order_by("organ__path", "total", "pk")
        )
        return render(
            request,
            "enforcement/review_detail.html",
            {
                "round": round_,
                "results": reviews.organ_results(round_),
                "scores": scores,
                "items": reviews.sheet(round_),
                "pass_mark": reviews.PASS_MARK,
                "errors": errors,
                "form": form,
                "may_score": can_act_on(request.user, round_.org),
            },
            status=400 if errors else 200,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, self._round(request, pk), errors=[], form={})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = self._round(request, pk)
        form = {k: str(v)[:5000] for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        reference = form.get("reference", "").strip()
        matter = (
            Matter.objects.for_user(request.user)
            .of("enforcement_decision")
            .filter(reference=reference)
            .first()
        )
        if matter is None:
            return self._page(
                request,
                round_,
                errors=[f"没有编号为“{reference[:64]}”的执法决定，或不在您的范围内。"],
                form=form,
            )
        scores = {k[5:]: v for k, v in form.items() if k.startswith("item_")}
        try:
            reviews.score_case_file(
                round_, matter, scores, form.get("findings", ""), by=request.user
            )
        except ProcedureError as exc:
            return self._page(request, round_, errors=[exc.message], form=form)
        messages.success(request, f"已登记{matter.reference}的评查得分。")
        return redirect("enforcement:review-detail", pk=round_.pk)


def _year(request: HttpRequest, default: int) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


class HomeView(StaffRequiredMixin, View):
    """行政执法: what needs the legal office's attention, and the domain's pages and registers."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = clock.today()
        mine = cast(OfficerQuerySet, EnforcementOfficer.objects.for_user(request.user))
        decisions = Matter.objects.for_user(request.user).of("enforcement_decision")
        return render(
            request,
            "enforcement/home.html",
            {
                "expiring": mine.expiring(today, EXPIRY_ALERT_DAYS).count(),
                "days": EXPIRY_ALERT_DAYS,
                "unfiled": inspections.unfiled(decisions.received_in(today.year)).count(),
                "overdue": decisions.overdue(today).count(),
                "rounds": reviews.rounds_for(request.user)[:5],
                "year": today.year,
                "registers": [r for r in all_registers() if r.app_label == "enforcement"],
            },
        )


class UnfiledView(StaffRequiredMixin, View):
    """Inspections of a year in the user's scope without a prior filing (先备案后检查)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _year(request, clock.today().year)
        matters = inspections.unfiled(
            Matter.objects.for_user(request.user).of("enforcement_decision").received_in(year)
        ).select_related("org")
        page = Paginator(matters.order_by("-received_on", "pk"), 50).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "enforcement/unfiled.html",
            {"page_obj": page, "is_paginated": page.has_other_pages(), "year": year},
        )


class LeniencyView(StaffRequiredMixin, View):
    """包容审慎监管核查: for a party and a violation, which leniency items may apply and why —
    asked before a penalty case is decided, or shown for a recorded decision (``?matter=``)."""

    def get(self, request: HttpRequest, matter: int | None = None) -> HttpResponse:
        return self._answer(request, str(matter) if matter else request.GET.get("matter", ""))

    def _answer(self, request: HttpRequest, raw_matter: str) -> HttpResponse:
        errors: list[str] = []
        matter = None
        if raw_matter:
            matter = (
                Matter.objects.for_user(request.user)
                .of("enforcement_decision")
                .filter(pk=int(raw_matter) if raw_matter.isdigit() else 0)
                .select_related("org")
                .first()
            )
            if matter is None:
                raise Http404("没有这一执法决定，或不在您的查看范围内。")
        party = (matter.party_id_number if matter else request.GET.get("party", ""))[:40]
        violation = (
            str(matter.details.get("violation", "")) if matter else request.GET.get("violation", "")
        )[:40]
        day = matter.received_on if matter else _date(request.GET.get("on"), "决定日期", errors)
        org = matter.org if matter else scope_org(request.user)
        advice = []
        asked = bool(matter or violation)
        if asked and not violation.strip():
            errors.append("请填写违法行为代码（见包容审慎监管清单）。")
        elif asked and org is not None:
            advice = leniency.advise(
                org, party, violation, day or clock.today(), exclude=matter.pk if matter else None
            )
        return render(
            request,
            "enforcement/leniency.html",
            {
                "matter": matter,
                "party": party,
                "violation": violation,
                "on": day or clock.today(),
                "advice": advice,
                "asked": asked,
                "errors": errors,
            },
        )


class ThreeDocumentsView(StaffRequiredMixin, View):
    """一案三书 of a lenient decision, as a .docx in the official layout."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        matter = (
            Matter.objects.for_user(request.user)
            .of("enforcement_decision")
            .filter(pk=pk)
            .select_related("org")
            .first()
        )
        if matter is None:
            raise Http404("没有这一执法决定，或不在您的查看范围内。")
        try:
            body = documents.three_documents(matter)
        except documents.NotLenientError as exc:
            return render(request, "enforcement/refused.html", {"message": str(exc)}, status=400)
        response = HttpResponse(body, content_type=DOCX)
        name = f"一案三书_{matter.reference}.docx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


class StatisticsView(StaffRequiredMixin, View):
    """行政执法统计年报 of the user's district: the year's figures, the xlsx, and publishing."""

    def _root(self, request: HttpRequest) -> OrgUnit:
        org = scope_org(request.user)
        if org is None:
            raise Http404("您的账号没有所属机构。")
        # the nearest government above (or at) the user's unit: the district that publishes
        ids = [int(part) for part in org.path.split(".") if part]
        found = (
            OrgUnit.objects.filter(pk__in=ids, kind=OrgKind.GOVERNMENT).order_by("-depth").first()
        )
        return found or org

    def get(self, request: HttpRequest) -> HttpResponse:
        root = self._root(request)
        today = clock.today()
        year = _year(request, today.year - 1)
        published = StatisticsReport.objects.filter(org=root, year=year).first()
        stats = (
            statistics.Statistics.from_json(published.data)
            if published
            else statistics.compute(root, year)
        )
        if request.GET.get("format") == "xlsx":
            return _xlsx(stats)
        return render(
            request,
            "enforcement/statistics.html",
            {
                "stats": stats,
                "totals": stats.totals,
                "columns": statistics.COLUMNS,
                "published": published,
                "year": year,
                "late": published is None and today > stats.due_on,
                "root": root,
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        root = self._root(request)
        raw = request.POST.get("year", "")
        year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else 0
        try:
            statistics.publish(root, year, by=request.user, today=clock.today())
        except ProcedureError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{year}年度行政执法统计年报已发布。")
        return redirect(f"{reverse('enforcement:statistics')}?year={year}")


def _xlsx(stats: statistics.Statistics) -> HttpResponse:
    response = HttpResponse(statistics.to_xlsx(stats), content_type=XLSX)
    name = f"行政执法统计年报_{stats.year}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def published_statistics(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The public site's 行政执法统计年报: the list, one year's table, its xlsx."""
    reports = StatisticsReport.objects.select_related("org")
    if pk is None:
        return render(request, "enforcement/statistics_public.html", {"reports": reports})
    report = reports.filter(pk=pk).first()
    if report is None:
        raise Http404("没有这份统计年报。")
    stats = statistics.Statistics.from_json(report.data)
    if request.GET.get("format") == "xlsx":
        return _xlsx(stats)
    return render(
        request,
        "enforcement/statistics_public.html",
        {"report": report, "stats": stats, "totals": stats.totals, "columns": statistics.COLUMNS},
    )


class CaseFileView(StaffRequiredMixin, View):
    """执法全过程记录 of one decision: its records, what its kind requires and what is missing,
    and the form to add a record (a file, or a recorder's storage reference with its length)."""

    def _matter(self, request: HttpRequest, pk: int) -> Matter:
        matter = (
            Matter.objects.for_user(request.user)
            .of("enforcement_decision")
            .filter(pk=pk)
            .select_related("org")
            .first()
        )
        if matter is None:
            raise Http404("没有这一执法决定，或不在您的查看范围内。")
        return matter

    def _page(
        self, request: HttpRequest, matter: Matter, errors: list[str], status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "enforcement/case_file.html",
            {
                "matter": matter,
                "file": records.case_file(matter),
                "kinds": RECORD_KINDS,
                "errors": errors,
                "may_add": can_act_on(request.user, matter.org),
                "form": request.POST if request.method == "POST" else {},
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, self._matter(request, pk), [])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        matter = self._matter(request, pk)
        upload = request.FILES.get("file")
        raw_seconds = request.POST.get("duration_seconds", "").strip()
        errors: list[str] = []
        if raw_seconds and not raw_seconds.isdigit():
            errors.append("时长应为整数秒。")
        day = _date(request.POST.get("recorded_on"), "记录日期", errors)
        if day is None and not errors:
            errors.append("请填写记录日期。")
        if not errors:
            try:
                records.add_record(
                    matter,
                    document=request.POST.get("document", ""),
                    kind=request.POST.get("kind", ""),
                    recorded_on=day,  # type: ignore[arg-type]
                    by=request.user,
                    file=(upload.name or "", upload.read()) if upload is not None else None,
                    storage_ref=request.POST.get("storage_ref", ""),
                    duration_seconds=int(raw_seconds) if raw_seconds else None,
                )
            except ProcedureError as exc:
                errors.append(exc.message)
        if errors:
            return self._page(request, matter, errors, status=400)
        messages.success(request, "已登记执法记录。")
        return redirect("enforcement:case-file", pk=matter.pk)
