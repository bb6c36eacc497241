"""The block of a suggestion's or proposal's matter page (core.nav.register_matter_panel): the
lead and assisting units with each assisting unit's opinion (or that it is still missing),
the consultations 面商, the replies with their result class and the deputy's feedback — read
from the matter's steps, in order. The actions themselves are the matter page's own."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fazhi.oversight.suggestions.declarations import CONSULT_FORMS, RESULT_CHOICES
from fazhi.oversight.suggestions.stats import DEPUTY_KINDS
from fazhi.procedures.declarations import SATISFACTION_CHOICES
from fazhi.procedures.models import Matter, MatterAssistant

FORMS = dict(CONSULT_FORMS)
RESULTS = dict(RESULT_CHOICES)
SATISFACTION = dict(SATISFACTION_CHOICES)


def panel(matter: Matter, request: HttpRequest) -> dict[str, Any] | None:
    """The block's context (one query for the steps, one for the assisting units)."""
    steps = list(matter.steps.order_by("seq"))
    assistants = list(
        MatterAssistant.objects.filter(matter=matter).select_related("org").order_by("pk")
    )
    opinions: dict[str, list[Any]] = {}
    answers: dict[str, list[Any]] = {}
    consults, replies, feedback, redos = [], [], [], []
    for s in steps:
        data = s.data or {}
        if s.action == "opinion":
            opinions.setdefault(str(data.get("org")), []).append(s)
        elif s.action == "opinion_reply":
            answers.setdefault(str(data.get("org")), []).append(s)
        elif s.action == "consult":
            consults.append({"step": s, "form": FORMS.get(str(data.get("form")), data.get("form"))})
        elif s.action == "reply":
            replies.append({"step": s, "result": RESULTS.get(str(data.get("result")), "")})
        elif s.action == "feedback":
            feedback.append(
                {"step": s, "satisfaction": SATISFACTION.get(str(data.get("satisfaction")), "")}
            )
        elif s.action == "redo":
            redos.append(s)
    units = [
        {
            "org": a.org,
            "opinions": opinions.get(str(a.org_id), []),
            "answers": answers.get(str(a.org_id), []),
        }
        for a in assistants
    ]
    return {
        "deputy": matter.procedure in DEPUTY_KINDS,
        "lead": matter.org,
        "assisting": units,
        "missing": [a.org.name for a in assistants if not opinions.get(str(a.org_id))],
        "consults": consults,
        "replies": replies,
        "feedback": feedback,
        "redos": redos,
    }
