"""What the public sees of enforcement decisions (行政执法公示) and certificates (亮证执法).

Rules: only decisions that were published and not taken down (``published``; a ``withdrawn``
one shows its withdrawal and reason, nothing of its content); never a decision about a minor
(it is never published: ``procedures._refuse_minor``); an organisation by its name and unified
social credit code, a natural person by the masked name only, no ID; every text through the one
public masking (``procedures.publicity``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from fazhi.core import clock
from fazhi.core.pii import mask_name
from fazhi.enforcement import search
from fazhi.enforcement.disclosure import masked
from fazhi.enforcement.models import DisclosureEntry
from fazhi.enforcement.types import action_type_label
from fazhi.procedures.models import Matter, PartyKind

PROCEDURE = search.PROCEDURE
SHOWN_STATES = search.SHOWN_STATES


@dataclass(frozen=True)
class PublicDecision:
    reference: str
    organ: str
    party: str
    credit_code: str
    action_type: str
    decision_number: str
    legal_basis: str
    result: str
    facts: str
    decided_on: dt.date
    published_on: dt.date | None
    withdrawn: bool
    withdrawn_on: dt.date | None
    withdrawn_reason: str


def disclosed(
    *,
    today: dt.date | None = None,
    query: str = "",
    organ: int | None = None,
    action_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[DisclosureEntry]:
    """The decisions on the disclosure list on ``today``, newest first, filtered as the public
    asks (``search.find``: the index of what is public, masked; ``search.SearchError`` for a
    query it cannot answer). ``query`` matches an organisation's name or credit code, or the
    decision number; a natural person is never found by name (the list does not publish it)."""
    return search.find(
        today=today or clock.today(),
        query=query,
        organ=organ,
        action_type=action_type,
        date_from=date_from,
        date_to=date_to,
    )


def public_decision(matter: Matter) -> PublicDecision:
    rows = getattr(matter, "public_steps", None)
    if rows is None:
        rows = list(matter.steps.filter(action__in=("publish", "withdraw")).order_by("seq"))
    steps = {s.action: s for s in rows}
    publish, withdraw = steps.get("publish"), steps.get("withdraw")
    person = matter.party_kind != PartyKind.ORGANISATION
    withdrawn = matter.state == "withdrawn"
    d = matter.details
    return PublicDecision(
        reference=matter.reference,
        organ=matter.org.name,
        party=mask_name(matter.party_name) if person else masked(matter.party_name, matter),
        credit_code="" if person else matter.party_id_number,
        action_type=action_type_label(str(d.get("action_type", ""))),
        decision_number=masked(d.get("decision_number"), matter),
        legal_basis="" if withdrawn else masked(d.get("legal_basis"), matter),
        result="" if withdrawn else masked(d.get("result"), matter),
        facts="" if withdrawn else masked(d.get("facts"), matter),
        decided_on=matter.received_on,
        published_on=publish.on if publish else None,
        withdrawn=withdrawn,
        withdrawn_on=withdraw.on if withdraw else None,
        withdrawn_reason=masked(withdraw.data.get("reason"), matter) if withdraw else "",
    )
