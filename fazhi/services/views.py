"""The pages of report part (一): the staff's government-services page (the registers' figures
and what waits), confirming the unit the duty lists suggest for a matter, the suggestion's
accuracy on confirmed matters, and the duty lists of townships and streets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.registers import all_registers
from fazhi.core.scope import scope_queryset
from fazhi.core.views import StaffRequiredMixin
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Matter
from fazhi.services import duties, routing
from fazhi.services.models import (
    DUTY_UNIT_KINDS,
    BusinessSupervisor,
    DutyListKind,
    PublicCommitment,
    ServiceHours,
    ServiceItem,
    UnitSuggestion,
)

#: the part's procedures whose open matters the page counts
PROCEDURES = (
    ("help_request", "办不成事请找我"),
    ("business_complaint", "营商环境投诉举报"),
    ("service_request", "政务服务办件"),
)


def compression(items: Any) -> str:
    """Σ(legal − committed) / Σ legal over ``items`` (``services.time_limit_compression``)."""
    sums = items.aggregate(legal=Sum("legal_days"), committed=Sum("committed_days"))
    if not sums["legal"]:
        return "—"
    value = 100 * (sums["legal"] - sums["committed"]) / sums["legal"]
    return f"{value:.0f}%" if value == int(value) else f"{value:.2f}%"


class HomeView(StaffRequiredMixin, View):
    """政务服务: the registers in force on the cut-off, the open matters, the part's pages."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = clock.today()
        text = (request.GET.get("year") or "").strip()
        year = int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else today.year
        cutoff = min(dt.date(year, 12, 31), today) if year == today.year else dt.date(year, 12, 31)

        def in_force(model: Any) -> Any:
            return scope_queryset(model.objects.valid_on(cutoff), request.user)

        items = in_force(ServiceItem)
        visible = Matter.objects.for_user(request.user)
        open_counts = dict(
            visible.of(*(code for code, _ in PROCEDURES))
            .open()
            .values_list("procedure")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return render(
            request,
            "services/home.html",
            {
                "year": year,
                "cutoff": cutoff,
                "items": items.count(),
                "compression": compression(items),
                "supervisors": in_force(BusinessSupervisor).count(),
                "commitments": in_force(PublicCommitment).count(),
                "hours": in_force(ServiceHours).count(),
                "open": [(code, label, open_counts.get(code, 0)) for code, label in PROCEDURES],
                "registers": [r for r in all_registers() if r.app_label == "services"],
            },
        )


class ConfirmUnitView(StaffRequiredMixin, View):
    """POST: confirm (or correct) the responsible unit of a matter, optionally transferring it."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        matter = Matter.objects.for_user(request.user).filter(pk=pk).select_related("org").first()
        if matter is None:
            raise Http404("没有这一事项，或不在您的查看范围内。")
        back = redirect(reverse("workbench:matter-detail", args=[matter.pk]))
        raw = (request.POST.get("org") or "").strip()
        org = OrgUnit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if org is None:
            messages.error(request, "请选择承办单位。")
            return back
        try:
            routing.confirm_unit(
                matter,
                org,
                by=request.user,
                transfer=request.POST.get("transfer") == "1",
                request=request,
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "您无权为该事项确认承办单位。")
            return back
        except (routing.RoutingError, ProcedureError) as exc:
            messages.error(request, str(exc))
            return back
        messages.success(request, f"已确认承办单位：{org.name}。")
        return back


class SuggestionsView(StaffRequiredMixin, View):
    """The confirmed suggestions of matters in the user's scope, with the accuracy."""

    def get(self, request: HttpRequest) -> HttpResponse:
        text = (request.GET.get("year") or "").strip()
        year = int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else clock.today().year
        visible = Matter.objects.for_user(request.user).received_in(year)
        rows = (
            UnitSuggestion.objects.filter(matter__in=visible, confirmed_org__isnull=False)
            .select_related("matter", "confirmed_org")
            .order_by("-confirmed_at", "pk")
        )
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        acc = routing.accuracy(rows)
        return render(
            request,
            "services/suggestions.html",
            {
                "year": year,
                "accuracy": acc,
                "top1_rate": acc.rate(acc.top1),
                "top3_rate": acc.rate(acc.top3),
                "page_obj": page,
            },
        )


class DutyListsView(StaffRequiredMixin, View):
    """Each township's and street's duty lists in force on a day, by kind, with its versions."""

    def get(self, request: HttpRequest) -> HttpResponse:
        text = (request.GET.get("on") or "").strip()
        error = ""
        try:
            on = dt.date.fromisoformat(text) if text else clock.today()
        except ValueError:
            on, error = clock.today(), f"日期“{text}”格式错误，应为 YYYY-MM-DD；已显示今日的清单。"
        units = scope_queryset(
            OrgUnit.objects.filter(kind__in=DUTY_UNIT_KINDS, is_active=True), request.user, "self"
        ).order_by("path")
        lists = []
        for unit in units:
            items = duties.duty_list(unit, on)
            lists.append(
                {
                    "unit": unit,
                    "versions": duties.versions(unit),
                    "kinds": [
                        (label, [i for i in items if i.kind == kind])
                        for kind, label in DutyListKind.choices
                    ],
                }
            )
        register = next(r for r in all_registers() if r.key == "services.dutyitem")
        return render(
            request,
            "services/duty_lists.html",
            {"on": on, "error": error, "lists": lists, "register": register},
        )
