"""The rulemaking screens: the public register of documents in force, the major decisions with
their drafts open for comment (and the comment form), and the staff's pages — the legal
office's overview, text versions with their differences, a consultation's grouped comments
with the adoption note, and cleanup campaigns."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.ratelimit import rate_limited
from fazhi.core.scope import can_act_on, profile_of, scope_of
from fazhi.core.views import StaffRequiredMixin
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act
from fazhi.rulemaking import cleanup, consultation, public, versions
from fazhi.rulemaking.models import CleanupCampaign, DecisionCatalog, DecisionStandard, TextVersion
from fazhi.rulemaking.procedures import CLEANUP_OUTCOMES, NORMATIVE_DOCUMENT

# --- public -------------------------------------------------------------------------------


def document_register(request: HttpRequest) -> HttpResponse:
    """行政规范性文件目录: the documents in force, searchable by title, number and organ."""
    errors: list[str] = []
    query = request.GET.get("q", "").strip()[:100]
    organs = OrgUnit.objects.filter(
        pk__in=public.register_of_documents().values("org_id")
    ).order_by("path")
    organ: int | None = None
    raw = request.GET.get("organ", "")
    if raw:
        if raw.isdigit() and organs.filter(pk=int(raw)).exists():
            organ = int(raw)
        else:
            errors.append("制定机关无效，请从列表中选择。")
    page = Paginator(public.register_of_documents(query, organ), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "rulemaking/register.html",
        {
            "documents": [public.public_document(m) for m in page.object_list],
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "total": page.paginator.count,
            "q": query,
            "organ": organ,
            "organs": organs,
            "errors": errors,
        },
    )


def decisions(request: HttpRequest) -> HttpResponse:
    """重大行政决策: the standard, the year's catalog and its items, the drafts open for comment."""
    today = clock.today()
    catalogs = cast(list[DecisionCatalog], list(DecisionCatalog.objects.order_by("-year", "pk")))
    years = sorted({c.year for c in catalogs}, reverse=True)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else (years[0] if years else None)
    return render(
        request,
        "rulemaking/decisions.html",
        {
            "standards": [
                public.public_entry(s)
                for s in DecisionStandard.objects.valid_on(today).order_by("-published_on")
            ],
            "catalog": next((public.public_entry(c) for c in catalogs if c.year == year), None),
            "years": years,
            "year": year,
            "items": [public.public_decision(m, today) for m in public.decisions(year)]
            if year
            else [],
            "open": [public.public_decision(m, today) for m in public.open_consultations(today)],
        },
    )


def _public_decision(reference: str) -> Matter:
    found = public.decisions().filter(reference=reference[:64]).first()
    if found is None:
        raise Http404("没有这一决策事项。")
    return found


def _decision_page(
    request: HttpRequest, m: Matter, *, form: dict[str, str], errors: list[str], status: int = 200
) -> HttpResponse:
    today = clock.today()
    return render(
        request,
        "rulemaking/decision.html",
        {
            "d": public.public_decision(m, today),
            "articles": public.draft_articles(m) if m.state != "cataloged" else [],
            "form": form,
            "errors": errors,
            "received": request.GET.get("received", "")[:64],
        },
        status=status,
    )


def decision(request: HttpRequest, reference: str) -> HttpResponseBase:
    """One decision: its gates; while open for comment, the draft article by article with the
    comment form and the closing date; once closed, the adoption note."""
    m = _public_decision(reference)
    article = request.GET.get("article", "")[:3]
    return _decision_page(request, m, form={"article": article}, errors=[])


@rate_limited("portal")
def comment(request: HttpRequest, reference: str) -> HttpResponseBase:
    """POST: the public's comment on one article (or the whole draft)."""
    m = _public_decision(reference)
    if request.method != "POST":
        return redirect("rulemaking:decision", reference=m.reference)
    form = {k: str(request.POST.get(k, ""))[:2100] for k in ("article", "text", "name", "phone")}
    errors = []
    raw = form["article"].strip() or "0"
    article = int(raw) if raw.isdigit() and len(raw) <= 3 else -1
    if article < 0 or article > len(public.draft_articles(m)):
        errors.append("请选择草案中的一条，或选择“草案整体”。")
    for key, label in (("name", "姓名"), ("phone", "联系电话"), ("text", "意见内容")):
        if not form[key].strip():
            errors.append(f"请填写{label}。")
    if not errors:
        try:
            made = consultation.submit_comment(
                m, article=article, text=form["text"], name=form["name"], phone=form["phone"]
            )
        except ProcedureError as exc:
            errors.append(str(exc))
        else:
            url = reverse("rulemaking:decision", kwargs={"reference": m.reference})
            return redirect(f"{url}?received={made.reference}")
    return _decision_page(request, m, form=form, errors=errors, status=400)


# --- staff ----------------------------------------------------------------------------------


def _mine(request: HttpRequest, procedure: str | None = None) -> Any:
    qs = Matter.objects.for_user(request.user)
    return qs.filter(procedure=procedure) if procedure else qs


class HomeView(StaffRequiredMixin, View):
    """The legal office's and drafting departments' overview of rulemaking in their scope."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = clock.today()
        docs = _mine(request, "normative_document")
        decisions_ = _mine(request, "major_decision")
        by_state = {s: docs.filter(state=s).count() for s in ("legality_review", "published")}
        return render(
            request,
            "rulemaking/home.html",
            {
                "in_review": by_state["legality_review"],
                "unfiled": by_state["published"],
                "expiring": cleanup.expiring(docs, today),
                "alert_days": cleanup.ALERT_DAYS,
                "drafts": docs.exclude(
                    state__in=sorted(cleanup.IN_FORCE | NORMATIVE_DOCUMENT.closed_states)
                ).order_by("received_on")[:50],
                "decisions": decisions_.exclude(state="withdrawn").order_by("-received_on")[:50],
                "campaigns": CleanupCampaign.objects.order_by("-started_on")[:10],
                "state_label": NORMATIVE_DOCUMENT.state_label,
            },
        )


class DocumentListView(StaffRequiredMixin, View):
    """The normative documents of the user's scope, in force or not, with validity."""

    def get(self, request: HttpRequest) -> HttpResponse:
        docs = _mine(request, "normative_document").select_related("org")
        state = request.GET.get("state", "")
        if state in NORMATIVE_DOCUMENT.states:
            docs = docs.filter(state=state)
        page = Paginator(docs.order_by("-received_on", "-pk"), 50).get_page(request.GET.get("page"))
        rows = [
            (m, NORMATIVE_DOCUMENT.state_label(m.state), cleanup.validity_end(m))
            for m in page.object_list
        ]
        return render(
            request,
            "rulemaking/documents.html",
            {
                "rows": rows,
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "states": NORMATIVE_DOCUMENT.states.items(),
                "state": state,
            },
        )


def _matter_for(request: HttpRequest, pk: int, procedures: tuple[str, ...]) -> Matter:
    m = Matter.objects.get_for_user(request.user, pk)
    if m.procedure not in procedures:
        raise Http404("没有这一事项，或不在您的查看范围内。")
    return m


class VersionsView(StaffRequiredMixin, View):
    """Every version of a text, the difference between any two, and a new version."""

    def _page(self, request: HttpRequest, m: Matter, errors: list[str], status: int = 200) -> Any:
        rows = list(TextVersion.objects.filter(matter=m).order_by("number"))
        numbers = [v.number for v in rows]
        chosen: list[int] = []
        for key, default in (("a", -2), ("b", -1)):
            raw = request.GET.get(key, "")
            if raw.isdigit() and int(raw) in numbers:
                chosen.append(int(raw))
            elif len(numbers) >= 2:
                chosen.append(numbers[default])
        lines = []
        if len(chosen) == 2:
            by_number = {v.number: v for v in rows}
            lines = versions.diff(by_number[chosen[0]].text, by_number[chosen[1]].text)
        return render(
            request,
            "rulemaking/versions.html",
            {
                "matter": m,
                "versions": rows,
                "a": chosen[0] if chosen else None,
                "b": chosen[1] if len(chosen) > 1 else None,
                "lines": lines,
                "errors": errors,
                "may_add": can_act_on(request.user, m.org),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        m = _matter_for(request, pk, versions.PROCEDURES)
        return self._page(request, m, [])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        m = _matter_for(request, pk, versions.PROCEDURES)
        try:
            v = versions.add_version(
                m,
                str(request.POST.get("text", ""))[: versions.MAX_TEXT + 1],
                str(request.POST.get("label", ""))[:101],
                by=request.user,
            )
        except ProcedureError as exc:
            return self._page(request, m, [str(exc)], status=400)
        messages.success(request, f"已保存第{v.number}版（{v.label}）。")
        return redirect("rulemaking:versions", pk=m.pk)


class CommentsView(StaffRequiredMixin, View):
    """A consultation's comments grouped by article and similar content, and the adoption note
    drafted from the groups, which staff edit and publish by closing the consultation."""

    def _page(self, request: HttpRequest, m: Matter, errors: list[str], note: str | None) -> Any:
        g = consultation.grouped(m)
        return render(
            request,
            "rulemaking/comments.html",
            {
                "matter": m,
                "grouped": g,
                "note": g.note if note is None else note,
                "errors": errors,
                "may_close": m.state == "consulting" and can_act_on(request.user, m.org),
                "today": clock.today(),
            },
            status=400 if errors else 200,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, _matter_for(request, pk, ("major_decision",)), [], None)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        m = _matter_for(request, pk, ("major_decision",))
        note = str(request.POST.get("adoption_note", ""))[:20001]
        try:
            act(
                m,
                "close_consultation",
                request.user,
                clock.today(),
                data={"adoption_note": note, "comments": len(consultation.comments_on(m))},
            )
        except ProcedureError as exc:
            return self._page(request, m, [str(exc)], note)
        messages.success(request, "已结束征求意见，采纳情况已随决策事项公开。")
        return redirect("workbench:matter-detail", pk=m.pk)


def _campaigns(request: HttpRequest) -> Any:
    """The campaigns the user may see: those over a unit of their scope, and those opened
    above their unit (a district-wide campaign lists the department's documents too). A
    department's campaign over its own documents is not another department's business."""
    scope = scope_of(request.user)
    qs = CleanupCampaign.objects.select_related("org")
    if scope.all_orgs:
        return qs
    if scope.org_path is None:
        return qs.none()
    path = scope.org_path
    above = [path[: i + 1] for i, char in enumerate(path) if char == "."]
    return qs.filter(Q(org__path__startswith=scope.org_path) | Q(org__path__in=above))


class CampaignListView(StaffRequiredMixin, View):
    """Cleanup campaigns, and opening one over the documents in force of the user's unit."""

    def _page(self, request: HttpRequest, errors: list[str], form: dict[str, str]) -> Any:
        return render(
            request,
            "rulemaking/campaigns.html",
            {
                "campaigns": _campaigns(request).order_by("-started_on"),
                "errors": errors,
                "form": form,
                "today": clock.today(),
            },
            status=400 if errors else 200,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, [], {})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = {k: str(request.POST.get(k, ""))[:5000] for k in ("code", "title", "scope")}
        profile = profile_of(request.user)
        if profile is None:
            raise Http404
        try:
            campaign, count = cleanup.open_campaign(
                code=form["code"],
                title=form["title"],
                org=profile.org,
                started_on=clock.today(),
                scope=form["scope"],
                by=request.user,
            )
        except ProcedureError as exc:
            return self._page(request, [str(exc)], form)
        messages.success(request, f"已开始清理，纳入{count}件现行有效的文件。")
        return redirect("rulemaking:campaign", pk=campaign.pk)


class CampaignView(StaffRequiredMixin, View):
    """One campaign: its documents (of the user's scope) and the outcome of each."""

    def _page(self, request: HttpRequest, campaign: CleanupCampaign, errors: list[str]) -> Any:
        rows = cleanup.campaign_rows(campaign, _mine(request, "normative_document"))
        return render(
            request,
            "rulemaking/campaign.html",
            {
                "campaign": campaign,
                "rows": rows,
                "outcomes": CLEANUP_OUTCOMES,
                "done": sum(1 for r in rows if r.outcome),
                "errors": errors,
            },
            status=400 if errors else 200,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = _campaigns(request).filter(pk=pk).first()
        if campaign is None:
            raise Http404("没有这一清理批次。")
        return self._page(request, campaign, [])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = _campaigns(request).filter(pk=pk).first()
        if campaign is None:
            raise Http404("没有这一清理批次。")
        raw = str(request.POST.get("matter", ""))
        m = _matter_for(request, int(raw), ("normative_document",)) if raw.isdigit() else None
        if m is None:
            raise Http404
        try:
            act(
                m,
                "cleanup",
                request.user,
                clock.today(),
                data={
                    "outcome": str(request.POST.get("outcome", ""))[:20],
                    "campaign": campaign.code,
                    "reason": str(request.POST.get("reason", ""))[:5000],
                },
            )
        except ProcedureError as exc:
            return self._page(request, campaign, [f"{m.subject}：{exc}"])
        messages.success(request, f"已记录《{m.subject}》的清理结论。")
        return redirect("rulemaking:campaign", pk=campaign.pk)
