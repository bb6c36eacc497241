"""The scope, year and cut-off of a request to the indicator pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.db.models.functions import ExtractMonth
from django.http import Http404, HttpRequest
from django.utils.http import urlencode

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.core.scope import get_for_user, profile_of, scope_of, scope_queryset
from fazhi.indicators.engine import (
    IndicatorError,
    Period,
    period_of,
)
from fazhi.procedures.models import Activity, Channel, Matter

PAGE_SIZE = 50
# --- the scope, year and cut-off of a request ----------------------------------------------


def scope_orgs(request: HttpRequest) -> QuerySet[OrgUnit]:
    return scope_queryset(OrgUnit.objects.all(), request.user, "self").order_by("path")


def default_org(request: HttpRequest) -> OrgUnit:
    """The user's own unit, or for those who see everything, the deployment's root."""
    scope = scope_of(request.user)
    profile = profile_of(request.user)
    if not scope.all_orgs and profile is not None:
        return profile.org
    root = OrgUnit.objects.filter(division_code=settings.FAZHI_ROOT_DIVISION_CODE).first()
    root = root or OrgUnit.objects.roots().order_by("pk").first()
    if root is None:
        raise Http404("尚未建立机构。")
    return root


@dataclass
class Selection:
    org: OrgUnit
    period: Period
    errors: list[str]
    #: the year was not asked for: the latest year with records of the scope was chosen
    defaulted: bool = False

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def as_of(self) -> dt.date:
        return self.period.as_of

    def query(self, **extra: Any) -> str:
        params: dict[str, Any] = {
            "org": self.org.pk,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
        }
        params.update(extra)
        return urlencode(params)


def select(request: HttpRequest) -> Selection:
    """Org (404 outside scope), year and cut-off from the query string; a bad year or date
    falls back to the default and says so."""
    errors: list[str] = []
    raw_org = request.GET.get("org")
    org = (
        get_for_user(OrgUnit.objects.all(), request.user, raw_org, "self")
        if raw_org
        else default_org(request)
    )
    today = clock.today()
    raw_year = request.GET.get("year", "").strip()
    year = today.year if raw_year else latest_year_with_records(org, today)
    defaulted = not raw_year
    if raw_year:
        try:
            year = int(raw_year)
            period_of(year, None)
        except (ValueError, IndicatorError):
            errors.append(f"年度“{raw_year}”无效，应为四位年份，已改为 {today.year} 年。")
            year = today.year
    as_of: dt.date | None = None
    raw_as_of = request.GET.get("as_of", "").strip()
    chosen_for = request.GET.get("as_of_year", "").strip()
    if chosen_for and chosen_for != str(year):
        raw_as_of = ""  # the cut-off was that of another year: it follows the year chosen now
    if raw_as_of:
        try:
            as_of = dt.date.fromisoformat(raw_as_of)
            period_of(year, as_of)
        except ValueError:
            errors.append(f"截止日期“{raw_as_of}”格式错误，应为 YYYY-MM-DD，已改为年末。")
            as_of = None
        except IndicatorError as exc:
            errors.append(f"{exc}已改为年末。")
            as_of = None
    return Selection(org, period_of(year, as_of), errors, defaulted=defaulted)


def latest_year_with_records(org: OrgUnit, today: dt.date) -> int:
    """The latest year (not after this one) in which the unit's subtree received a matter or
    held an activity; this year when there are none. Two indexed MAX queries."""
    ids = org.subtree_ids()
    latest = [
        Matter.objects.filter(org_id__in=ids, received_on__lte=today).aggregate(
            last=Max("received_on")
        )["last"],
        Activity.objects.filter(org_id__in=ids, on__lte=today).aggregate(last=Max("on"))["last"],
    ]
    days = [d for d in latest if d is not None]
    return max(days).year if days else today.year


def intake_by_channel(org: OrgUnit, year: int) -> dict[str, list[int]]:
    """Matters received in ``year`` by the unit's subtree, per channel label and month: one
    grouped query."""
    labels = dict(Channel.choices)
    series: dict[str, list[int]] = {}
    rows = (
        Matter.objects.filter(org__path__startswith=org.path)
        .received_in(year)
        .order_by()
        .annotate(month=ExtractMonth("received_on"))
        .values("channel", "month")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        label = str(labels.get(row["channel"], row["channel"]))
        series.setdefault(label, [0] * 12)[row["month"] - 1] += row["n"]
    return dict(sorted(series.items(), key=lambda kv: -sum(kv[1])))
