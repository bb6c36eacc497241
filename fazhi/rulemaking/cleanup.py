"""Cleanup campaigns 规范性文件清理 and the register of documents in force.

A campaign lists the documents in scope (each gets a ``list_for_cleanup`` step naming the
campaign) and each then gets its outcome through ``cleanup`` (keep, amend, repeal, expire):
the document's state is the register — a repealed or expired one is no longer in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from fazhi.core import audit, clock
from fazhi.core.models import OrgUnit
from fazhi.core.scope import can_act_on
from fazhi.procedures.errors import InvalidData, NotAllowed
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act
from fazhi.rulemaking.models import CleanupCampaign
from fazhi.rulemaking.procedures import IN_FORCE, valid_until, validity_years

PROCEDURE = "normative_document"
ALERT_DAYS = 90


def documents_in_force(qs: QuerySet[Matter] | None = None) -> QuerySet[Matter]:
    """Documents published and not repealed, expired or lapsed (by their state)."""
    qs = qs if qs is not None else Matter.objects.all()
    return qs.filter(procedure=PROCEDURE, state__in=sorted(IN_FORCE))


def published_on(matter: Matter) -> dt.date | None:
    step = next((s for s in _steps(matter) if s.action == "publish"), None)
    return step.on if step is not None else None


def _steps(matter: Matter) -> list[Any]:
    cached = getattr(matter, "rulemaking_steps", None)
    if cached is not None:
        return list(cached)
    return list(matter.steps.filter(action__in=("publish", "file", "cleanup", "list_for_cleanup")))


def validity_end(matter: Matter) -> dt.date | None:
    """The last day the document is valid (published on + its validity in years)."""
    day = published_on(matter)
    return None if day is None else valid_until(day, validity_years(matter.details))


@dataclass(frozen=True)
class Expiring:
    matter: Matter
    ends: dt.date
    days_left: int


def expiring(qs: QuerySet[Matter], today: dt.date, days: int = ALERT_DAYS) -> list[Expiring]:
    """Documents in force whose validity ends within ``days`` (or has ended, not yet cleaned
    up): alerts before validity ends."""
    rows = []
    for m in documents_in_force(qs).prefetch_related("steps"):
        ends = validity_end(m)
        if ends is not None and ends <= today + dt.timedelta(days=days):
            rows.append(Expiring(m, ends, (ends - today).days))
    return sorted(rows, key=lambda e: e.ends)


def open_campaign(
    *, code: str, title: str, org: OrgUnit, started_on: dt.date, scope: str, by: Any
) -> tuple[CleanupCampaign, int]:
    """Open a campaign and list every document in force under ``org`` on it; one transaction.
    Returns the campaign and how many documents it lists."""
    code, title = (code or "").strip(), (title or "").strip()
    if not code or len(code) > 64:
        raise InvalidData("请填写批次编号（最多64字）。", field="code")
    if not title or len(title) > 200:
        raise InvalidData("请填写清理名称（最多200字）。", field="title")
    if by is not None and not can_act_on(by, org):
        raise NotAllowed(f"您不能组织“{org.name}”的清理。", field="org")
    if CleanupCampaign.objects.filter(code=code).exists():
        raise InvalidData(f"批次编号“{code}”已被使用。", field="code")
    today = clock.today()
    with transaction.atomic():
        campaign = CleanupCampaign.objects.create(
            code=code, title=title, org=org, started_on=started_on, scope=scope[:5000]
        )
        docs = documents_in_force(Matter.objects.filter(org__path__startswith=org.path))
        count = 0
        for m in docs.order_by("pk"):
            act(m, "list_for_cleanup", by, started_on, today=today, campaign=code)
            count += 1
        audit.record(
            "rulemaking.campaign_opened",
            campaign,
            actor=by,
            org=org,
            data={"code": code, "documents": count},
        )
    return campaign, count


@dataclass(frozen=True)
class CampaignRow:
    matter: Matter
    outcome: str  # "" while undecided
    outcome_label: str
    decided_on: dt.date | None


def campaign_rows(campaign: CleanupCampaign, qs: QuerySet[Matter]) -> list[CampaignRow]:
    """The documents listed on ``campaign`` (of ``qs``: the user's scope) with their outcomes."""
    from fazhi.procedures.models import Step
    from fazhi.rulemaking.procedures import CLEANUP_OUTCOMES

    listed = Step.objects.filter(
        action="list_for_cleanup", data__campaign=campaign.code, matter__in=qs
    ).values_list("matter_id", flat=True)
    matters = qs.filter(pk__in=listed).select_related("org").order_by("org__path", "pk")
    decided = {
        s.matter_id: s
        for s in Step.objects.filter(
            action="cleanup", matter__in=matters, on__gte=campaign.started_on
        ).order_by("seq")
    }
    labels = dict(CLEANUP_OUTCOMES)
    rows = []
    for m in matters:
        step = decided.get(m.pk)
        outcome = str(step.data.get("outcome", "")) if step else ""
        rows.append(CampaignRow(m, outcome, labels.get(outcome, ""), step.on if step else None))
    return rows
