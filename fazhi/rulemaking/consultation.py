"""Public consultation on a draft decision: the public's comment (the one write of the public
page), and the staff's view of the comments grouped with the adoption note drafted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fazhi.core import clock
from fazhi.procedures.errors import InvalidData
from fazhi.procedures.models import Channel, Matter
from fazhi.procedures.services import intake_org, register_matter
from fazhi.rulemaking.grouping import Group, article_label, draft_adoption_note, group_comments
from fazhi.rulemaking.procedures import ADOPTIONS

PROCEDURE = "draft_comment"


def submit_comment(decision: Matter, *, article: int, text: str, name: str, phone: str) -> Matter:
    """The public's comment on ``decision``'s draft (an article, 0 the whole), registered in
    the comments' intake unit; the engine refuses it outside the consultation's window."""
    if decision.procedure != "major_decision":
        raise InvalidData("只能对重大行政决策草案提出意见。", field="decision")
    return register_matter(
        PROCEDURE,
        org=intake_org(PROCEDURE),
        received_on=clock.today(),
        subject=f"对《{decision.subject[:80]}》{article_label(article)}的意见",
        public=True,
        channel=Channel.WEB,
        party={"name": name, "phone": phone},
        details={"decision": decision.reference, "article": article, "text": text},
    )


def comments_on(decision: Matter) -> list[Matter]:
    return list(
        Matter.objects.filter(procedure=PROCEDURE, details__decision=decision.reference)
        .prefetch_related("steps")
        .order_by("received_on", "pk")
    )


def _adoption(m: Matter) -> str | None:
    if m.state != "considered":
        return None
    return dict(ADOPTIONS).get(m.outcome, None)


@dataclass(frozen=True)
class Grouped:
    groups: list[Group]
    total: int
    note: str


def grouped(decision: Matter) -> Grouped:
    """The comments on ``decision`` grouped, and the adoption note drafted from the groups."""
    comments = comments_on(decision)
    triples: list[tuple[int, str, Any]] = [
        (int(m.details.get("article") or 0), str(m.details.get("text", "")), m) for m in comments
    ]
    groups = group_comments(triples)
    return Grouped(groups, len(comments), draft_adoption_note(groups, len(comments), _adoption))
