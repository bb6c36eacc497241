"""The values of the built sources for a scope and period: one grouped query over the tally."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from fazhi.core.models import OrgUnit
from fazhi.indicators.engine.period import CENT, Period
from fazhi.indicators.models import SourceTally
from fazhi.indicators.registry import Matters
from fazhi.indicators.sources.keys import Tallied, source_key

HUNDRED = Decimal(100)


def window(org: OrgUnit, period: Period, keys: Sequence[str]) -> Q:
    """Rows that add up to a value as of the cut-off: the months before the cut-off's month
    (its month too on the month's last day) and the days of that month up to it; year and
    sources repeated in each branch so that each is an index range of its own."""
    as_of = period.as_of
    first = as_of.replace(day=1)
    common = Q(year=period.year, source__in=sorted(keys))
    if (as_of + dt.timedelta(days=1)).day == 1:
        q = common & Q(grain=SourceTally.Grain.MONTH, on__lte=first)
    else:
        q = (common & Q(grain=SourceTally.Grain.MONTH, on__lt=first)) | (
            common & Q(grain=SourceTally.Grain.DAY, on__gte=first, on__lte=as_of)
        )
    return q & Q(org_id__in=OrgUnit.objects.subtree_of(org).values("pk"))


def gather_tallied(
    sources: Sequence[Tallied], org: OrgUnit, period: Period
) -> dict[int, dict[Any, int | Decimal]]:
    """Each source's value per org unit of the scope, from the tally (one query)."""
    by_key = {source_key(s): s for s in sources}
    out: dict[int, dict[Any, int | Decimal]] = defaultdict(dict)
    if not by_key:
        return out
    rows = (
        SourceTally.objects.filter(window(org, period, list(by_key)))
        .values("org_id", "source")
        .annotate(v=Sum("n"))
        .order_by()
    )
    for row in rows:
        value = row["v"]
        if not value:
            continue
        src = by_key[row["source"]]
        if isinstance(src, Matters) and src.total:
            out[row["org_id"]][src] = (Decimal(value) / HUNDRED).quantize(CENT)
        else:
            out[row["org_id"]][src] = int(value)
    return out
