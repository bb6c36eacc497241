"""包容审慎监管: which leniency items may apply to a penalty case, and why.

When a penalty case is recorded, the party's history (the same credit code or ID, the same
violation, within the item's look-back period before the decision date) is read against the
lists in force, of the deciding organ or a unit above it. A first-violation item applies only
where no earlier penalty for the same violation falls in its period; the other lists' items
are offered with their conditions for the officer to weigh. The officer decides; the system
says which items may apply and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db.models import QuerySet

from fazhi.core.models import OrgUnit
from fazhi.enforcement.models import LeniencyItem
from fazhi.enforcement.types import FIRST_VIOLATION
from fazhi.procedures.models import Matter


@dataclass(frozen=True)
class Advice:
    item: LeniencyItem
    applies: bool
    reason: str
    earlier: tuple[Matter, ...] = ()


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def items_for(org: OrgUnit, violation: str, on: dt.date) -> list[LeniencyItem]:
    qs = cast(
        "QuerySet[LeniencyItem]",
        LeniencyItem.objects.filter(violation=violation.strip().upper()).valid_on(on),
    )
    return [i for i in qs.select_related("org") if org.path.startswith(i.org.path)]


def earlier_penalties(
    party_id: str, violation: str, since: dt.date, before: dt.date, *, exclude: int | None = None
) -> list[Matter]:
    """The party's penalty decisions for ``violation`` decided in [since, before)."""
    qs = Matter.objects.of("enforcement_decision").filter(
        party_id_number=party_id,
        details__action_type="penalty",
        details__violation=violation.strip().upper(),
        received_on__gte=since,
        received_on__lt=before,
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return list(qs.order_by("received_on", "pk"))


def advise(
    org: OrgUnit, party_id: str, violation: str, on: dt.date, *, exclude: int | None = None
) -> list[Advice]:
    """Each leniency item for ``violation`` in force on ``on``, whether it may apply and why."""
    party_id = "".join(str(party_id or "").split()).upper()
    out: list[Advice] = []
    for item in items_for(org, violation, on):
        if item.list_kind != FIRST_VIOLATION:
            out.append(Advice(item, True, f"须符合适用条件：{item.conditions}"))
            continue
        if not party_id:
            out.append(
                Advice(
                    item, False, "未填写当事人的统一社会信用代码或身份证号码，无法核查违法记录。"
                )
            )
            continue
        since = _years_before(on, item.lookback_years)
        earlier = earlier_penalties(party_id, item.violation, since, on, exclude=exclude)
        if earlier:
            first = earlier[0]
            reason = (
                f"当事人{first.received_on.isoformat()}已因同一违法行为受到行政处罚"
                f"（{first.reference}），{item.lookback_years}年内不属于首次违法。"
            )
            out.append(Advice(item, False, reason, tuple(earlier)))
        else:
            reason = (
                f"{since.isoformat()}以来当事人没有因同一违法行为受到行政处罚，属于首次违法；"
                f"还须符合：{item.conditions}"
            )
            out.append(Advice(item, True, reason))
    return out
