"""The safety domain's screens: the staff's safety page (the year's figures, direct
enterprises not yet inspected, the inspection rounds with the hazards each found), one round
with its hazards, and the public list of direct enterprises' inspections."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.registers import all_registers
from fazhi.core.scope import profile_of, scope_of
from fazhi.core.views import StaffRequiredMixin
from fazhi.procedures.models import Activity, Matter
from fazhi.safety import direct
from fazhi.safety.activities import KINDS

PAGE_SIZE = 50


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return clock.today().year


def scope_root(request: HttpRequest) -> OrgUnit | None:
    """The unit whose subtree the user's figures cover: the user's unit, or the top unit for
    those who see everything; None for a user with neither."""
    profile = profile_of(request.user)
    if scope_of(request.user).all_orgs:
        return OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
    return profile.org if profile is not None else None


def _hazard_counts(refs: list[str]) -> dict[str, tuple[int, int]]:
    """Per inspection reference: (hazards recorded, of them verified rectified)."""
    rows = (
        Matter.objects.of("safety_hazard")
        .filter(details__inspection__in=refs)
        .values("details__inspection")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(state="verified")))
        .order_by()
    )
    return {str(r["details__inspection"]): (r["n"], r["ok"]) for r in rows}


class HomeView(StaffRequiredMixin, View):
    """安全生产: the year's inspection rounds, hazards still open, direct enterprises."""

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _year(request)
        today = clock.today()
        rounds = (
            Activity.objects.for_user(request.user)
            .of("safety_inspection")
            .in_year(year)
            .select_related("org")
            .order_by("-on", "-pk")
        )
        page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
        counts = _hazard_counts([a.reference for a in page.object_list if a.reference])
        hazards = Matter.objects.for_user(request.user).of("safety_hazard")
        root = scope_root(request)
        cover = direct.coverage(root, year) if root is not None else None
        return render(
            request,
            "safety/home.html",
            {
                "year": year,
                "page": page,
                "rows": [(a, *counts.get(a.reference, (0, 0))) for a in page.object_list],
                "open_hazards": hazards.open().count(),
                "overdue_hazards": hazards.overdue(today).count(),
                "coverage": cover,
                "kinds": KINDS,
                "registers": [r for r in all_registers() if r.app_label == "safety"],
            },
        )


class InspectionView(StaffRequiredMixin, View):
    """One inspection round and the hazards it found, each with its rectification state."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        found = (
            Activity.objects.for_user(request.user)
            .of("safety_inspection")
            .select_related("org")
            .filter(pk=pk)
            .first()
        )
        if found is None:
            raise Http404("没有这一执法检查，或不在您的查看范围内。")
        hazards = (
            Matter.objects.for_user(request.user)
            .of("safety_hazard")
            .filter(details__inspection=found.reference)
            .select_related("org")
            .order_by("received_on", "pk")
            if found.reference
            else Matter.objects.none()
        )
        page = Paginator(hazards, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "safety/inspection.html",
            {"round": found, "page": page, "today": clock.today()},
        )


def public_inspections(request: HttpRequest) -> HttpResponse:
    """安全生产检查公示: the published inspections of directly supervised enterprises."""
    year = _year(request)
    query = request.GET.get("q", "").strip()[:100]
    items = direct.public_inspections(year, query)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "safety/public.html",
        {"year": year, "q": query, "page": page, "total": len(items)},
    )
