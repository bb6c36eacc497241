"""A published decision taken down when its publicity period has ended (到期下线).

The public list stops showing a decision on the day its period ends (``search``'s
``shown_until``); the daily sweep (``procedures.signals.swept``) then records the ``expire``
step through ``act()`` as the platform itself (``system=True``: the step and its audit event
name 系统), dated that day, so the matter is closed, its page and history say when it went
offline, and the disclosure index drops its entry in the same transaction
(``search.on_step_recorded``). A decision already expired is no longer ``published``: running
the sweep again records nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db.models import Max

from fazhi.enforcement.procedures import publicity_ends, publicity_limit_code
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Matter, PartyKind, Step
from fazhi.procedures.services import act
from fazhi.procedures.signals import swept
from fazhi.workdays import Unit, get_limit

log = logging.getLogger(__name__)

PROCEDURE = "enforcement_decision"
MARGIN_DAYS = 10  # a period's end moved to a working day never comes this much earlier


def _shortest_days() -> int:
    """A lower bound, in days, of every publicity period (the candidates' first filter)."""
    bounds = []
    for kind in PartyKind.values:
        limit = get_limit(publicity_limit_code(kind))
        per = {Unit.MONTHS: 28, Unit.HOURS: 0, Unit.WORKING_HOURS: 0}.get(limit.unit, 1)
        bounds.append(limit.length * per)
    return max(0, min(bounds) - MARGIN_DAYS)


def ended(today: dt.date) -> list[tuple[int, dt.date]]:
    """The published decisions whose period has ended by ``today``: (matter id, the day it
    ended, or the day of the decision's latest step if that came later)."""
    cutoff = today - dt.timedelta(days=_shortest_days())
    rows = (
        Step.objects.filter(
            matter__procedure=PROCEDURE,
            matter__state="published",
            action="publish",
            on__lte=cutoff,
        )
        .values("matter_id", "matter__party_kind")
        .annotate(published_on=Max("on"))
        .order_by("matter_id")
    )
    due: dict[int, dt.date] = {}
    for row in rows:
        ends = publicity_ends(row["matter__party_kind"], row["published_on"])
        if ends is not None and ends <= today:
            due[row["matter_id"]] = ends
    if not due:
        return []
    latest = dict(
        Step.objects.filter(matter_id__in=due)
        .values("matter_id")
        .annotate(last=Max("on"))
        .values_list("matter_id", "last")
    )
    return [(pk, max(on, latest.get(pk, on))) for pk, on in sorted(due.items())]


def expire_ended(today: dt.date) -> int:
    """Record ``expire`` on every decision whose period has ended: how many.

    A decision the rules refuse to expire is left as it is and logged: one refusal (its own
    savepoint, inside ``act``) never stops the rest of the daily sweep."""
    found = ended(today)
    matters = Matter.objects.in_bulk([pk for pk, _on in found])
    recorded = 0
    for pk, on in found:
        try:
            act(matters[pk], "expire", None, on, system=True, today=today)
        except ProcedureError as exc:
            log.warning("执法决定 %s 未能到期下线：%s", matters[pk].reference, exc.message)
            continue
        recorded += 1
    return recorded


def on_sweep(sender: Any, today: dt.date, **kwargs: Any) -> dict[str, int]:
    return {"recorded": expire_ended(today)}


swept.connect(on_sweep, dispatch_uid="enforcement.expire_ended")
