"""行政执法统计年报: per organ, the year's decisions by kind and by what came of them, counted
from the decisions themselves; published (frozen) by the district before 31 January of the next
year (``ANNUAL_DEADLINES["enforcement_statistics.publish"]``), as xlsx and on the public site."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from fazhi.core.models import OrgUnit
from fazhi.enforcement.types import ACTION_TYPES
from fazhi.procedures.models import Matter, Step
from fazhi.workdays import ANNUAL_DEADLINES

if TYPE_CHECKING:
    from fazhi.enforcement.models import StatisticsReport

PUBLISHERS = frozenset({"admin", "law_office"})
COLUMNS: tuple[tuple[str, str], ...] = (
    *ACTION_TYPES,
    ("published", "已公示"),
    ("withdrawn", "撤回公示"),
    ("lenient", "从宽处理"),
)


@dataclass
class Row:
    organ: str
    counts: dict[str, int] = field(default_factory=dict)
    amount: Decimal = Decimal(0)

    @property
    def total(self) -> int:
        return sum(self.counts.get(code, 0) for code, _ in ACTION_TYPES)

    @property
    def cells(self) -> list[int]:
        """The counts in the order of ``COLUMNS``."""
        return [self.counts.get(code, 0) for code, _ in COLUMNS]


@dataclass
class Statistics:
    year: int
    org: str
    rows: list[Row]
    due_on: dt.date

    @property
    def totals(self) -> Row:
        total = Row("合计")
        for row in self.rows:
            for code, _ in COLUMNS:
                total.counts[code] = total.counts.get(code, 0) + row.counts.get(code, 0)
            total.amount += row.amount
        return total

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "org": self.org,
            "due_on": self.due_on.isoformat(),
            "rows": [
                {"organ": r.organ, "counts": r.counts, "amount": str(r.amount)} for r in self.rows
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Statistics:
        rows = [Row(r["organ"], dict(r["counts"]), Decimal(r["amount"])) for r in data["rows"]]
        return cls(data["year"], data["org"], rows, dt.date.fromisoformat(data["due_on"]))


def _decisions(root: OrgUnit, year: int) -> QuerySet[Matter]:
    return Matter.objects.for_org_subtree(root).of("enforcement_decision").received_in(year)


def compute(root: OrgUnit, year: int) -> Statistics:
    """The year's statistics of the organs under ``root``, in one grouped query (and one for
    the amounts, a decimal kept as text in ``details``)."""
    aggregates: dict[str, Any] = {
        code: Count("pk", filter=Q(details__action_type=code)) for code, _ in ACTION_TYPES
    }
    aggregates["published"] = Count("pk", filter=Q(was_published=True))
    aggregates["withdrawn"] = Count("pk", filter=Q(state="withdrawn"))
    aggregates["lenient"] = Count("pk", filter=Q(details__leniency__isnull=False))
    grouped = (
        _decisions(root, year)
        .annotate(
            was_published=Exists(Step.objects.filter(matter=OuterRef("pk"), action="publish"))
        )
        .values("org")
        .annotate(**aggregates)
        .order_by()
    )
    by_org = {r["org"]: r for r in grouped}
    amounts: dict[int, Decimal] = {}
    rows_with_amount = (
        _decisions(root, year)
        .filter(details__amount__isnull=False)
        .values_list("org", "details__amount")
    )
    for org_id, amount in rows_with_amount:
        amounts[org_id] = amounts.get(org_id, Decimal(0)) + Decimal(str(amount))
    organs = OrgUnit.objects.in_bulk(list(by_org))
    rows = [
        Row(
            organs[org_id].name,
            {code: int(by_org[org_id][code]) for code, _ in COLUMNS},
            amounts.get(org_id, Decimal(0)),
        )
        for org_id in sorted(by_org, key=lambda pk: organs[pk].path)
    ]
    due = ANNUAL_DEADLINES["enforcement_statistics.publish"].due(year)
    return Statistics(year, root.name, rows, due)


def to_xlsx(stats: Statistics) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 a new workbook has its sheet  # nosec B101
    sheet.title = f"{stats.year}年行政执法统计"
    sheet.append([f"{stats.org}{stats.year}年度行政执法统计年报"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["执法机关", *[label for _c, label in COLUMNS], "决定合计", "罚没金额（元）"])
    for row in [*stats.rows, stats.totals]:
        sheet.append([row.organ, *row.cells, row.total, float(row.amount)])
    sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def publish(root: OrgUnit, year: int, *, by: Any, today: dt.date) -> StatisticsReport:
    """Freeze and publish the year's statistics of ``root`` (once), with its audit event."""
    from django.db import transaction

    from fazhi.core import audit
    from fazhi.core.scope import can_act_on, role_of
    from fazhi.enforcement.models import StatisticsReport
    from fazhi.procedures.errors import DuplicateMatter, InvalidDate, NotAllowed

    if by is not None and (not can_act_on(by, root) or role_of(by) not in PUBLISHERS):
        raise NotAllowed(f"只有“{root.label}”的法治工作机构或管理员可以发布统计年报。")
    if year >= today.year:
        raise InvalidDate(f"{year}年尚未结束，不能发布该年度的统计年报。", field="year")
    stats = compute(root, year)
    with transaction.atomic():
        if StatisticsReport.objects.filter(org=root, year=year).exists():
            raise DuplicateMatter(f"{root.label}{year}年度的统计年报已经发布。", field="year")
        report = StatisticsReport.objects.create(
            org=root,
            year=year,
            data=stats.as_json(),
            published_on=today,
            published_by=by if by is not None and by.is_authenticated else None,
        )
        audit.record(
            "enforcement.statistics_publish",
            report,
            actor=by,
            org=root,
            data={"year": year, "decisions": stats.totals.total, "late": today > stats.due_on},
        )
    return report
