"""Staff pages of the disputes domain: the papers of a reconsideration as .docx."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from fazhi.core.views import StaffRequiredMixin
from fazhi.disputes import documents
from fazhi.disputes.casefile import CODE
from fazhi.procedures.models import Matter

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReconsiderationDocumentView(StaffRequiredMixin, View):
    """受理通知书, 补正通知书 or 行政复议决定书 of one reconsideration in the user's scope."""

    def get(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        matter = (
            Matter.objects.for_user(request.user)
            .of(CODE)
            .filter(pk=pk)
            .select_related("org")
            .first()
        )
        if matter is None or kind not in documents.DOCUMENTS:
            raise Http404("没有这一行政复议案件或文书，或不在您的查看范围内。")
        label, make, _ = documents.DOCUMENTS[kind]
        try:
            if kind == "correction" and request.GET.get("n", "").strip():
                raw = request.GET["n"].strip()
                if not raw.isdigit() or int(raw) < 1:
                    raise documents.DocumentUnavailableError(
                        f"补正通知的序号“{raw[:20]}”应为正整数。"
                    )
                body = documents.correction_notice(matter, int(raw) - 1)
            else:
                body = make(matter)
        except documents.DocumentUnavailableError as exc:
            return render(
                request,
                "disputes/refused.html",
                {"message": str(exc), "matter": matter},
                status=400,
            )
        response = HttpResponse(body, content_type=DOCX)
        name = f"{label}_{matter.reference}.docx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response
