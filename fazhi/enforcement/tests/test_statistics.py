"""行政执法统计年报: per organ, counted from the decisions; published once, frozen, public."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core import clock
from fazhi.core.registers import save_entry
from fazhi.enforcement import statistics
from fazhi.enforcement.models import EnforcementOfficer, StatisticsReport
from fazhi.procedures.errors import DuplicateMatter, InvalidDate, NotAllowed
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def decisions(district, users):
    for org, number in ((district["a"], "JL0001"), (district["b"], "JL0002")):
        save_entry(
            EnforcementOfficer,
            {
                "org": org,
                "name": "执法员",
                "certificate_number": number,
                "issuing_body": "吉林省人民政府",
                "valid_from": D(2020, 1, 1),
            },
            by=None,
        )
    made = []
    with clock.frozen(D(2025, 1, 20)):
        for org, user, number, kind, amount, on in (
            (district["b"], users["staff_b"], "JL0002", "license", None, D(2024, 2, 1)),
            (district["b"], users["staff_b"], "JL0002", "license", None, D(2024, 3, 1)),
            (district["b"], users["staff_b"], "JL0002", "inspection", None, D(2024, 4, 1)),
            (district["a"], users["staff_a"], "JL0001", "confirmation", None, D(2024, 5, 6)),
            (district["a"], users["staff_a"], "JL0001", "confirmation", None, D(2023, 5, 8)),
        ):
            details = {
                "action_type": kind,
                "decision_number": f"{on}",
                "legal_basis": "某法",
                "result": "结果",
                "handlers": number,
            }
            if amount:
                details["amount"] = amount
            m = register_matter(
                "enforcement_decision",
                org=org,
                received_on=on,
                subject="决定",
                by=user,
                party={"name": "某公司", "kind": "organisation"},
                details=details,
            )
            made.append(m)
        act(made[0], "publish", users["staff_b"], D(2024, 2, 5))
        act(made[1], "publish", users["staff_b"], D(2024, 3, 5))
        act(made[1], "mark_changed", users["staff_b"], D(2024, 3, 8), change="revoked")
        act(made[1], "withdraw", users["staff_b"], D(2024, 3, 9), reason="撤销")
    return made


def test_counted_per_organ_from_the_decisions(district, decisions):
    stats = statistics.compute(district["root"], 2024)
    rows = {r.organ: r for r in stats.rows}
    market = rows["测试区市场监督管理局"]
    assert (market.counts["license"], market.counts["inspection"], market.total) == (2, 1, 3)
    assert (market.counts["published"], market.counts["withdrawn"]) == (2, 1)
    assert rows["测试区司法局"].counts["confirmation"] == 1  # the 2023 one is another year
    assert stats.totals.total == 4 and stats.due_on == D(2025, 1, 31)
    book = load_workbook(io.BytesIO(statistics.to_xlsx(stats)))
    cells = [[c.value for c in row] for row in book.active.iter_rows(min_row=3)]
    assert cells[-1][0] == "合计" and cells[-1][-2] == 4


def test_published_once_frozen_and_public(client, district, users, decisions):
    with pytest.raises(InvalidDate):
        statistics.publish(district["root"], 2025, by=users["admin"], today=D(2025, 1, 20))
    with pytest.raises(NotAllowed):
        statistics.publish(district["root"], 2024, by=users["staff_b"], today=D(2025, 1, 20))
    report = statistics.publish(district["root"], 2024, by=users["admin"], today=D(2025, 1, 20))
    with pytest.raises(DuplicateMatter):
        statistics.publish(district["root"], 2024, by=users["admin"], today=D(2025, 1, 21))
    # a decision recorded afterwards does not change what was issued
    with clock.frozen(D(2025, 1, 22)):
        register_matter(
            "enforcement_decision",
            org=district["b"],
            received_on=D(2024, 12, 2),
            subject="补录",
            by=users["staff_b"],
            party={"name": "某公司", "kind": "organisation"},
            details={
                "action_type": "license",
                "decision_number": "补",
                "legal_basis": "某法",
                "result": "准予",
                "handlers": "JL0002",
            },
        )
    page = client.get(reverse("enforcement:statistics-report", args=[report.pk]))
    assert page.context["totals"].total == 4
    assert "测试区市场监督管理局" in page.content.decode()
    xlsx = client.get(
        reverse("enforcement:statistics-report", args=[report.pk]), {"format": "xlsx"}
    )
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert StatisticsReport.objects.count() == 1
    listing = client.get(reverse("enforcement:statistics-public")).content.decode()
    assert "2024年度行政执法统计年报" in listing


def test_the_staff_page_warns_when_late_and_publishes(client, district, users, decisions):
    client.force_login(users["admin"])
    with clock.frozen(D(2025, 2, 3)):
        page = client.get(reverse("enforcement:statistics"), {"year": "2024"}).content.decode()
        assert "已超过公开期限" in page
        done = client.post(reverse("enforcement:statistics"), {"year": "2024"})
    assert done.status_code == 302 and StatisticsReport.objects.filter(year=2024).exists()
