"""Staff pages of petitions: the likely repeats of one petition, where staff confirm one
(``confirm_repeat``), and the petitions the user's units routed (转送交办), where each stands."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import ListView

from fazhi.core import clock
from fazhi.core.scope import scope_of, visible_org_ids
from fazhi.core.views import StaffRequiredMixin
from fazhi.disputes.models import RoutedPetition
from fazhi.disputes.petitions.procedures import CODE, ROUTE_MODES
from fazhi.disputes.petitions.repeats import likely_repeats
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Matter
from fazhi.procedures.permissions import action_refusal
from fazhi.procedures.services import act


class RepeatsView(StaffRequiredMixin, View):
    """疑似重复信访: the earlier petitions of the same petitioner on a like matter, in scope."""

    def _matter(self, request: HttpRequest, pk: int) -> Matter:
        matter = Matter.objects.for_user(request.user).of(CODE).filter(pk=pk).first()
        if matter is None:
            raise Http404("没有这一信访事项，或不在您的查看范围内。")
        return matter

    def _page(self, request: HttpRequest, matter: Matter, error: str = "") -> HttpResponse:
        may_confirm = action_refusal(request.user, matter, "confirm_repeat") is None
        return render(
            request,
            "petitions/repeats.html",
            {
                "matter": matter,
                "candidates": likely_repeats(matter, request.user),
                "may_confirm": may_confirm,
                "error": error,
            },
            status=400 if error else 200,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, self._matter(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        matter = self._matter(request, pk)
        reference = request.POST.get("repeat_of", "").strip()
        if reference not in {c.matter.reference for c in likely_repeats(matter, request.user)}:
            return self._page(request, matter, "请从所列的疑似原信访事项中选择。")
        try:
            act(matter, "confirm_repeat", request.user, clock.today(), repeat_of=reference)
        except ProcedureError as exc:
            return self._page(request, matter, exc.message)
        messages.success(request, f"已确认为 {reference} 的重复信访。")
        return redirect("workbench:matter-detail", matter.pk)


class RoutedListView(StaffRequiredMixin, ListView):
    """转送交办的信访: what the user's units routed to handling organs, where each stands now —
    the petition office's follow-up of what it assigned or forwarded (信访工作条例 §38)."""

    template_name = "petitions/routed.html"
    paginate_by = 50

    def get_queryset(self) -> Any:
        rows = RoutedPetition.objects.select_related("matter", "matter__org", "step")
        scope = scope_of(self.request.user)
        if not scope.all_orgs:
            rows = rows.filter(org_id__in=visible_org_ids(self.request.user) or [])
        self.open_only = self.request.GET.get("open") == "1"
        if self.open_only:
            rows = rows.filter(matter__closed_on__isnull=True)
        return rows.order_by("-routed_on", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        today = clock.today()
        ctx["today"] = today
        ctx["open_only"] = self.open_only
        ctx["modes"] = dict(ROUTE_MODES)
        ctx["overdue"] = {r.matter_id for r in ctx["object_list"] if r.matter.is_overdue(today)}
        return ctx
