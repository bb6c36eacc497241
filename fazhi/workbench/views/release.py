"""The release of a matter to the public (#19 defect 1): a preview of exactly what the public
would read (the one masking, with the words staff add), then 公开 or 不公开. The view parses
the form and calls ``procedures.publicity``; the decision, its guard and its audit event are
there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from fazhi.core.models import AuditEvent
from fazhi.core.views import StaffRequiredMixin
from fazhi.procedures import publicity
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Matter, PublicRelease
from fazhi.workbench.views.matters import get_matter


class ReleaseForm(forms.Form):
    hidden_words = forms.CharField(
        label="另需隐去的文字",
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
        help_text="每行一项，如病情、第三人的姓名、单位内部信息；公开时替换为**。"
        "姓名、电话、证件号码、银行卡号和详细地址已自动隐去。",
    )
    reason = forms.CharField(
        label="审核说明",
        required=False,
        max_length=500,
        help_text="选填；决定不公开时写明理由。",
    )


def _context(request: HttpRequest, matter: Matter, form: ReleaseForm) -> dict[str, Any]:
    words = publicity.clean_words(form.data.get("hidden_words", "")) if form.is_bound else None
    last = matter.steps.order_by("-seq").values_list("seq", flat=True).first() or 1
    row = PublicRelease.objects.filter(matter=matter).select_related("decided_by").first()
    return {
        "matter": matter,
        "form": form,
        "problem": publicity.why_not_publishable(matter),
        "status": publicity.release_status(matter),
        "release": row,
        "preview": publicity.public_view(
            matter, release=row, words=words if words is not None else None, through_seq=last
        ),
        "audit_events": [
            e
            for e in AuditEvent.objects.for_object(matter)[:100]
            if e.action in ("matter.release", "matter.withhold")
        ],
    }


class MatterReleaseView(StaffRequiredMixin, View):
    """GET: the preview and the form; POST ``decision`` = preview | release | withhold."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        matter = get_matter(request, pk)
        row = PublicRelease.objects.filter(matter=matter).first()
        initial = {"hidden_words": "\n".join(row.hidden_words) if row else ""}
        form = ReleaseForm(initial=initial)
        return render(request, "workbench/matter_release.html", _context(request, matter, form))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        matter = get_matter(request, pk)
        form = ReleaseForm(request.POST)
        decision = request.POST.get("decision", "preview")
        if not form.is_valid() or decision not in ("release", "withhold"):
            ctx = _context(request, matter, form)
            return render(request, "workbench/matter_release.html", ctx)
        try:
            if decision == "release":
                publicity.release_matter(
                    matter,
                    request.user,
                    hidden_words=form.cleaned_data["hidden_words"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, f"已审核公开：{matter.reference}（脱敏后）。")
            else:
                publicity.withhold_matter(matter, request.user, reason=form.cleaned_data["reason"])
                messages.success(request, f"已决定不公开：{matter.reference}。")
        except ProcedureError as exc:
            form.add_error(None, exc.message)
            ctx = _context(request, matter, form)
            return render(request, "workbench/matter_release.html", ctx, status=403)
        return redirect("workbench:matter-release", pk=matter.pk)
