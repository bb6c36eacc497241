"""包容审慎监管: the first-violation check on a first and a second violation, the other lists'
items offered with their conditions, and 一案三书 generated as a docx."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document

from fazhi.core import clock
from fazhi.core.registers import save_entry
from fazhi.enforcement.leniency import advise
from fazhi.enforcement.models import EnforcementOfficer, LeniencyItem
from fazhi.procedures.services import register_matter

pytestmark = pytest.mark.django_db

D = dt.date
CODE = "91350100M000100Y43"


@pytest.fixture
def lists(district):
    for number in ("JL0001", "JL0002"):
        save_entry(
            EnforcementOfficer,
            {
                "org": district["b"],
                "name": "执法员",
                "certificate_number": number,
                "issuing_body": "吉林省人民政府",
                "valid_from": D(2020, 1, 1),
            },
            by=None,
        )
    common = {
        "org": district["root"],
        "violation": "sc-001",
        "description": "未按规定公示营业执照",
        "law": "《市场主体登记管理条例》第五十条",
        "valid_from": D(2023, 1, 1),
    }
    first = save_entry(
        LeniencyItem,
        {
            **common,
            "list_kind": "first_violation",
            "conditions": "首次违法、危害后果轻微并及时改正",
            "lookback_years": 1,
        },
        by=None,
    )
    lighter = save_entry(
        LeniencyItem,
        {**common, "list_kind": "lighter", "conditions": "主动消除或者减轻违法行为危害后果"},
        by=None,
    )
    return first, lighter


def penalty(district, users, on, *, leniency="", result="罚款2000元"):
    details = {
        "action_type": "penalty",
        "decision_number": f"测罚〔{on:%Y}〕{on:%m%d}号",
        "legal_basis": "《市场主体登记管理条例》第五十条",
        "result": result,
        "handlers": "JL0001、JL0002",
        "violation": "SC-001",
        "facts": "当事人未在住所醒目位置公示营业执照。",
    }
    if leniency:
        details["leniency"] = leniency
    with clock.frozen(D(2025, 12, 31)):
        return register_matter(
            "enforcement_decision",
            org=district["b"],
            received_on=on,
            subject="未公示营业执照",
            by=users["staff_b"],
            party={"name": "四平市某某商贸有限公司", "kind": "organisation", "id_number": CODE},
            details=details,
        )


def test_first_and_second_violation(district, users, lists):
    first_item, lighter = lists
    before = advise(district["b"], CODE, "SC-001", D(2024, 3, 1))
    assert [(a.item, a.applies) for a in before] == [(first_item, True), (lighter, True)]
    assert "属于首次违法" in before[0].reason
    earlier = penalty(district, users, D(2024, 3, 1))
    again = advise(district["b"], CODE, "sc-001", D(2024, 9, 1))
    assert again[0].item == first_item and not again[0].applies
    assert earlier.reference in again[0].reason and again[0].earlier == (earlier,)
    assert again[1].applies and "主动消除" in again[1].reason  # the other list, with its conditions
    # past the look-back year the earlier penalty no longer counts
    assert advise(district["b"], CODE, "SC-001", D(2025, 3, 2))[0].applies
    # another party, or no ID at all
    assert advise(district["b"], "91350100M000101Y", "SC-001", D(2024, 9, 1))[0].applies
    assert not advise(district["b"], "", "SC-001", D(2024, 9, 1))[0].applies


def test_the_check_page_for_a_recorded_decision(client, district, users, lists):
    earlier = penalty(district, users, D(2024, 3, 1))
    later = penalty(district, users, D(2024, 5, 6))
    client.force_login(users["staff_b"])
    page = client.get(reverse("enforcement:leniency"), {"matter": later.pk}).content.decode()
    assert "不适用" in page and earlier.reference in page
    own = client.get(reverse("enforcement:leniency"), {"matter": earlier.pk}).content.decode()
    assert "属于首次违法" in own  # the decision itself is not its own history
    asked = client.get(
        reverse("enforcement:leniency"), {"party": CODE, "violation": "SC-001", "on": "2024-06-01"}
    )
    assert "不适用" in asked.content.decode()
    missing = client.get(reverse("enforcement:leniency"), {"party": CODE, "violation": " "})
    assert "请填写违法行为代码" in missing.content.decode()
    client.force_login(users["staff_a"])  # another department
    assert client.get(reverse("enforcement:leniency"), {"matter": later.pk}).status_code == 404


def test_one_case_three_documents(client, district, users, lists):
    lenient = penalty(
        district, users, D(2024, 3, 1), leniency="first_violation", result="不予行政处罚"
    )
    plain = penalty(district, users, D(2024, 4, 1))
    client.force_login(users["staff_b"])
    got = client.get(reverse("enforcement:three-documents", args=[lenient.pk]))
    assert got.status_code == 200
    assert quote("一案三书") in got["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(got.content)).paragraphs)
    for title in ("不予行政处罚决定书", "责令改正通知书", "普法告知书"):
        assert title in text
    assert "四平市某某商贸有限公司" in text and lenient.details["decision_number"] in text
    refused = client.get(reverse("enforcement:three-documents", args=[plain.pk]))
    assert refused.status_code == 400 and "未适用从宽处罚清单" in refused.content.decode()
