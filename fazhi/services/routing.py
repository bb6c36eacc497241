"""The responsible unit of an incoming matter: suggested from the duty lists, confirmed by staff.

On the page of a help-window request or a 12345 hotline order (the procedures of
``SUGGESTING``), staff see the top three units of ``suggest_units`` for the matter's subject,
content and address, and confirm one or name another (``confirm_unit``); optionally the
matter is transferred to it through ``procedures.act`` ("transfer"). The confirmation keeps the
suggestion as it was computed and the confirmed unit's place in it, so the accuracy on
confirmed matters (``accuracy``) is a count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from fazhi.core import audit, clock
from fazhi.core.models import OrgUnit
from fazhi.core.scope import AnyUser, can_act_on
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act
from fazhi.services.models import UnitSuggestion
from fazhi.services.suggest import Suggestion, suggest_units

#: the procedures whose matter pages show the suggestion: the help window's requests and the
#: hotline's orders (their subject, category and address are what the suggestion reads)
SUGGESTING = ("help_request", "hotline_order")


class RoutingError(Exception):
    """A confirmation that cannot be made (plain Chinese message)."""


def matter_text(matter: Matter) -> str:
    """What the suggestion reads of a matter: its subject, content (a help request's), category
    and address (a hotline order's) and the party's address."""
    details = matter.details or {}
    parts = [
        matter.subject,
        *(str(details.get(k) or "") for k in ("content", "category", "address")),
        matter.party_address or "",
    ]
    return "\n".join(p for p in parts if p)


def district_of(org: OrgUnit) -> OrgUnit:
    """The top of ``org``'s tree (the district government): the duty lists of its townships."""
    top = org
    while top.parent_id is not None:
        top = top.parent  # type: ignore[assignment]
    return top


def suggestions_for(matter: Matter, on: dt.date | None = None) -> list[Suggestion]:
    return suggest_units(matter_text(matter), district_of(matter.org), on=on or matter.received_on)


def _shown(suggestions: list[Suggestion]) -> list[dict[str, Any]]:
    return [
        {"org": s.unit.pk, "name": s.unit.name, "score": s.score, "reason": s.reason}
        for s in suggestions
    ]


@transaction.atomic
def confirm_unit(
    matter: Matter,
    org: OrgUnit,
    *,
    by: AnyUser,
    transfer: bool = False,
    request: HttpRequest | None = None,
) -> UnitSuggestion:
    """Record ``org`` as the unit responsible for ``matter`` (confirming or correcting the
    suggestion), with the suggestion as computed now; ``transfer``: also transfer the matter to
    it (``act``). One transaction, one audit event (and the transfer's own step)."""
    if not can_act_on(by, matter.org):
        raise PermissionDenied("您无权为该事项确认承办单位。")
    if not org.is_active:
        raise RoutingError(f"“{org.name}”已停用，不能作为承办单位。")
    suggested = _shown(suggestions_for(matter))
    ids = [s["org"] for s in suggested]
    rank = ids.index(org.pk) + 1 if org.pk in ids else None
    row, _ = UnitSuggestion.objects.select_for_update().get_or_create(
        matter=matter, defaults={"made_at": clock.now()}
    )
    before = row.confirmed_org_id
    row.suggested = suggested
    row.made_at = clock.now()
    row.confirmed_org = org
    row.rank = rank
    row.confirmed_by = by if getattr(by, "is_authenticated", False) else None  # type: ignore[assignment]
    row.confirmed_at = clock.now()
    row.save()
    audit.record(
        "services.unit_confirmed",
        matter,
        actor=by,
        data={
            "org": org.pk,
            "org_name": org.name,
            "rank": rank,
            "before": before,
            "suggested": ids,
        },
        request=request,
    )
    if transfer and org.pk != matter.org_id:
        act(
            matter,
            "transfer",
            by,
            clock.today(),
            to_org=org.pk,
            reason="按乡街履职事项清单确认承办单位后转办。",
        )
    return row


@dataclass(frozen=True)
class Accuracy:
    confirmed: int
    top1: int
    top3: int

    def rate(self, hits: int) -> str:
        if not self.confirmed:
            return "—"
        value = 100 * hits / self.confirmed
        return f"{value:.0f}%" if value == int(value) else f"{value:.2f}%"


def accuracy(rows: Any) -> Accuracy:
    """Of the confirmed suggestions in ``rows``: how many had the confirmed unit first, and
    among the three shown."""
    confirmed = rows.filter(confirmed_org__isnull=False)
    return Accuracy(
        confirmed.count(),
        confirmed.filter(rank=1).count(),
        confirmed.filter(rank__lte=3).count(),
    )


def panel(matter: Matter, request: HttpRequest) -> dict[str, Any] | None:
    """The matter page's block: the suggestion (or the confirmation made), for staff."""
    if matter.procedure not in SUGGESTING:
        return None
    row = UnitSuggestion.objects.filter(matter=matter).select_related("confirmed_org").first()
    confirmed = row is not None and row.confirmed_org_id is not None
    may = can_act_on(request.user, matter.org)
    if confirmed:
        return {
            "row": row,
            "may_confirm": may,
            "suggestions": [],
            "units": _units(matter) if may else [],
        }
    if matter.closed_on is not None:
        return None
    return {
        "row": None,
        "may_confirm": may,
        "suggestions": suggestions_for(matter),
        "units": _units(matter) if may else [],
    }


def _units(matter: Matter) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.subtree_of(district_of(matter.org))
        .filter(is_active=True)
        .exclude(kind="internal")
        .order_by("path")
    )
