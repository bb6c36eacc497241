"""案卷评查: scoring enforcement case files in a review round, and each organ's results.

A round is an activity (``case_file_review``) of the reviewing office; its scoring sheet is the
``ReviewItem`` entries in force on the round's date, of that office or a unit above it. A case
file is scored once per round (a correction replaces the score, audited with both versions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import transaction
from django.db.models import Avg, Count, Min, Q, QuerySet

from fazhi.core import audit, clock
from fazhi.core.models import OrgUnit
from fazhi.core.scope import AnyUser, can_act_on
from fazhi.enforcement.models import CaseFileScore, ReviewItem
from fazhi.procedures.errors import InvalidData, NotAllowed
from fazhi.procedures.models import Activity, Matter

KIND = "case_file_review"
PASS_MARK = Decimal(60)  # below it a case file is 不合格


def sheet(round_: Activity) -> list[ReviewItem]:
    """The scoring items in force on the round's date, of its office or a unit above it."""
    items = cast(
        "QuerySet[ReviewItem]", ReviewItem.objects.valid_on(round_.on).select_related("org")
    )
    return [i for i in items if round_.org.path.startswith(i.org.path)]


def _points(value: Any, item: ReviewItem) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidData(
            f"“{item.name}”的得分“{value}”不是数字。", field=f"item_{item.pk}"
        ) from None
    if not points.is_finite() or points < 0 or points > item.points:
        raise InvalidData(
            f"“{item.name}”的得分应在0至{item.points}分之间，实际为{value}。",
            field=f"item_{item.pk}",
        )
    if points != points.quantize(Decimal("0.1")):
        raise InvalidData(f"“{item.name}”的得分最多保留一位小数。", field=f"item_{item.pk}")
    return points


def score_case_file(
    round_: Activity,
    matter: Matter,
    scores: Mapping[str, Any],
    findings: str = "",
    *,
    by: AnyUser | None,
) -> CaseFileScore:
    """Record (or correct) a case file's score in a round, in one transaction with its audit."""
    if round_.kind != KIND:
        raise InvalidData("该活动不是案卷评查轮次。", field="round")
    if matter.procedure != "enforcement_decision":
        raise InvalidData(
            f"{matter.reference}不是行政执法决定，不能作为执法案卷评查。", field="matter"
        )
    if by is not None and not can_act_on(by, round_.org):
        raise NotAllowed(f"只有“{round_.org.label}”的工作人员可以登记本轮评查得分。", field="round")
    items = sheet(round_)
    if not items:
        raise InvalidData(
            "本轮评查日期没有有效的评查标准，请先在登记簿中设置评查项目。", field="round"
        )
    findings = (findings or "").strip()
    if len(findings) > 5000:
        raise InvalidData(f"发现的问题过长：最多5000字，实际{len(findings)}字。", field="findings")
    unknown = set(scores) - {str(i.pk) for i in items}
    if unknown:
        raise InvalidData("评分表中没有这些项目，请刷新页面后重新填写。", field="scores")
    cleaned: dict[str, str] = {}
    for item in items:
        raw = scores.get(str(item.pk))
        if raw is None or str(raw).strip() == "":
            raise InvalidData(f"缺少“{item.name}”的得分。", field=f"item_{item.pk}")
        cleaned[str(item.pk)] = str(_points(raw, item))
    total = sum((Decimal(v) for v in cleaned.values()), Decimal(0))
    with transaction.atomic():
        existing = (
            CaseFileScore.objects.select_for_update().filter(round=round_, matter=matter).first()
        )
        before = (
            {"scores": existing.scores, "total": str(existing.total), "findings": existing.findings}
            if existing
            else None
        )
        score = existing or CaseFileScore(round=round_, matter=matter, organ_id=matter.org_id)
        score.scores, score.total, score.findings = cleaned, total, findings
        score.reviewed_by = by if by is not None and by.is_authenticated else None  # type: ignore[assignment]
        score.created_at = clock.now()
        score.save()
        after = {"scores": cleaned, "total": str(total), "findings": findings}
        audit.record(
            "enforcement.case_file_score" if before is None else "enforcement.case_file_rescore",
            score,
            actor=by,
            org=round_.org,
            data={"round": round_.title, "matter": matter.reference, "after": after}
            | ({"before": before} if before else {}),
        )
    return score


@dataclass(frozen=True)
class OrganResult:
    organ: OrgUnit
    files: int
    average: Decimal
    lowest: Decimal
    failed: int


def organ_results(round_: Activity) -> list[OrganResult]:
    """Each organ's files, average and lowest score, and files below the pass mark."""
    rows = (
        CaseFileScore.objects.filter(round=round_)
        .values("organ")
        .annotate(
            files=Count("pk"),
            average=Avg("total"),
            lowest=Min("total"),
            failed=Count("pk", filter=Q(total__lt=PASS_MARK)),
        )
        .order_by()
    )
    organs = OrgUnit.objects.in_bulk([r["organ"] for r in rows])
    out = [
        OrganResult(
            organs[r["organ"]],
            r["files"],
            Decimal(r["average"]).quantize(Decimal("0.1")),
            Decimal(r["lowest"]),
            r["failed"],
        )
        for r in rows
    ]
    return sorted(out, key=lambda o: (-o.average, o.organ.path))


def rounds_for(user: AnyUser | None) -> QuerySet[Activity]:
    return (
        Activity.objects.for_user(user)
        .of(KIND)
        .select_related("org")
        .annotate(files=Count("case_file_scores"), average=Avg("case_file_scores__total"))
        .order_by("-on", "-pk")
    )
