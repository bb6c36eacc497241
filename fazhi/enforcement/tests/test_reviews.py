"""案卷评查: a round scores case files item by item against the sheet in force; each organ's
results; corrections audited; bad scores refused plainly; the rounds counted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.models import AuditEvent
from fazhi.core.registers import save_entry
from fazhi.enforcement.models import CaseFileScore, EnforcementOfficer, ReviewItem
from fazhi.enforcement.reviews import organ_results, score_case_file, sheet
from fazhi.indicators.engine import compute_indicators
from fazhi.procedures.activities import record_activity
from fazhi.procedures.errors import InvalidData, NotAllowed
from fazhi.procedures.services import register_matter

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def setup(district, users):
    b = district["b"]
    for number in ("JL0001", "JL0002"):
        save_entry(
            EnforcementOfficer,
            {
                "org": b,
                "name": "执法员",
                "certificate_number": number,
                "issuing_body": "吉林省人民政府",
                "valid_from": D(2020, 1, 1),
            },
            by=None,
        )
    items = [
        save_entry(
            ReviewItem,
            {"org": district["a"], "name": n, "points": p, "order": i, "valid_from": D(2024, 1, 1)},
            by=None,
        )
        for i, (n, p) in enumerate((("程序合法", 60), ("证据确凿", 40)), 1)
    ]
    # an item that ended before the round: not on its sheet
    save_entry(
        ReviewItem,
        {
            "org": district["a"],
            "name": "旧标准",
            "points": 10,
            "valid_from": D(2020, 1, 1),
            "valid_to": D(2023, 12, 31),
        },
        by=None,
    )
    with clock.frozen(D(2024, 12, 31)):
        decisions = [
            register_matter(
                "enforcement_decision",
                org=b,
                received_on=D(2024, 3, i),
                subject=f"决定{i}",
                by=users["staff_b"],
                party={"name": "某公司", "kind": "organisation"},
                details={
                    "action_type": "license",
                    "decision_number": f"{i}号",
                    "legal_basis": "许可法",
                    "result": "准予",
                    "handlers": "JL0001",
                },
            )
            for i in (1, 4, 5)
        ]
        round_ = record_activity(
            "case_file_review",
            org=district["a"],
            on=D(2024, 6, 20),
            title="上半年案卷评查",
            by=users["office"],
        )
    return {"items": items, "decisions": decisions, "round": round_}


def test_a_round_scores_files_against_the_sheet_in_force(setup, users):
    procedure, evidence = setup["items"]
    assert sheet(setup["round"]) == [procedure, evidence]
    first, second, _third = setup["decisions"]
    office = users["office"]
    score_case_file(setup["round"], first, {str(procedure.pk): 55, str(evidence.pk): 38}, by=office)
    score_case_file(
        setup["round"],
        second,
        {str(procedure.pk): "30", str(evidence.pk): "20.5"},
        "证据不足",
        by=office,
    )
    (result,) = organ_results(setup["round"])
    assert (result.files, result.lowest, result.failed) == (2, Decimal("50.5"), 1)
    assert result.average == Decimal("71.8")  # (93 + 50.5) / 2, rounded to one place
    # a correction replaces the score, with both versions in the audit log
    score_case_file(
        setup["round"], second, {str(procedure.pk): 50, str(evidence.pk): 30}, by=office
    )
    assert CaseFileScore.objects.get(matter=second).total == 80
    event = AuditEvent.objects.filter(action="enforcement.case_file_rescore").get()
    assert event.data["before"]["total"] == "50.5" and event.data["after"]["total"] == "80"


@pytest.mark.parametrize(
    ("scores", "words"),
    [
        ({"p": 61, "e": 10}, "应在0至60分之间"),
        ({"p": -1, "e": 10}, "应在0至60分之间"),
        ({"p": "很好", "e": 10}, "不是数字"),
        ({"p": "1e999", "e": 10}, "应在0至60分之间"),
        ({"p": "10.25", "e": 10}, "一位小数"),
        ({"p": 10}, "缺少“证据确凿”的得分"),
    ],
)
def test_bad_scores_are_refused_plainly(setup, users, scores, words):
    procedure, evidence = setup["items"]
    keys = {"p": str(procedure.pk), "e": str(evidence.pk)}
    with pytest.raises(InvalidData) as exc:
        score_case_file(
            setup["round"],
            setup["decisions"][0],
            {keys[k]: v for k, v in scores.items()},
            by=users["office"],
        )
    assert words in exc.value.message
    assert not CaseFileScore.objects.exists()


def test_only_the_reviewing_office_scores(setup, users):
    procedure, evidence = setup["items"]
    with pytest.raises(NotAllowed):
        score_case_file(
            setup["round"],
            setup["decisions"][0],
            {str(procedure.pk): 1, str(evidence.pk): 1},
            by=users["staff_b"],
        )


def test_the_round_page_scores_a_file_and_refuses_bad_input(client, setup, users):
    procedure, evidence = setup["items"]
    client.force_login(users["office"])
    url = reverse("enforcement:review-detail", args=[setup["round"].pk])
    ok = client.post(
        url,
        {
            "reference": setup["decisions"][0].reference,
            f"item_{procedure.pk}": "58",
            f"item_{evidence.pk}": "39",
        },
    )
    assert ok.status_code == 302
    page = client.get(url).content.decode()
    assert "97.0" in page or "97" in page
    bad = client.post(url, {"reference": "ZF-9999", f"item_{procedure.pk}": "1"})
    assert bad.status_code == 400 and "没有编号为“ZF-9999”的执法决定" in bad.content.decode()
    over = client.post(
        url,
        {
            "reference": setup["decisions"][1].reference,
            f"item_{procedure.pk}": "99",
            f"item_{evidence.pk}": "1",
        },
    )
    assert over.status_code == 400 and "应在0至60分之间" in over.content.decode()
    # the department under review sees the round, without the scoring form
    client.force_login(users["staff_b"])
    assert client.get(reverse("enforcement:reviews")).status_code == 200


def test_rounds_are_counted_by_their_date(setup, district):
    values = compute_indicators(district["root"], 2024).values
    assert values["enforcement.case_file_reviews"] == 1
    assert compute_indicators(district["root"], 2023).values["enforcement.case_file_reviews"] == 0
