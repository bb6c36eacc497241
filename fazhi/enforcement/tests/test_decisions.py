"""The enforcement decision: publication limits, 持证上岗, minors, withdrawal, expiry, and the
public disclosure list with its masking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.registers import save_entry
from fazhi.enforcement.models import EnforcementOfficer
from fazhi.procedures.errors import (
    InvalidTransition,
    NotAllowed,
    ProcedureError,
)
from fazhi.procedures.importing import import_records
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 1)
COMPANY = {
    "name": "四平市某某商贸有限公司",
    "kind": "organisation",
    "id_number": "91350100M000100Y43",
}
PERSON = {
    "name": "欧阳娜娜",
    "kind": "person",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
}


@pytest.fixture
def officers(district):
    org = district["b"]
    out = {}
    for number, start, end in (
        ("JL0001", D(2020, 1, 1), D(2029, 12, 31)),
        ("JL0002", D(2020, 1, 1), D(2029, 12, 31)),
        ("JL0003", D(2019, 1, 1), D(2023, 12, 31)),  # expired before 2024
    ):
        out[number] = save_entry(
            EnforcementOfficer,
            {
                "org": org,
                "name": "执法员" + number[-1],
                "certificate_number": number.lower(),  # stored upper case (clean)
                "issuing_body": "吉林省人民政府",
                "valid_from": start,
                "valid_to": end,
            },
            by=None,
        )
    return out


def decide(district, users, on, *, kind="penalty", party=None, handlers="JL0001、JL0002", **extra):
    details = {
        "action_type": kind,
        "decision_number": f"测市监罚〔{on.year}〕{on.toordinal() % 1000}号",
        "legal_basis": "《中华人民共和国行政处罚法》第二十八条",
        "result": "警告并处罚款2000元",
        "handlers": handlers,
        **extra,
    }
    with clock.frozen(TODAY):
        return register_matter(
            "enforcement_decision",
            org=district["b"],
            received_on=on,
            subject="某某商贸有限公司行政处罚",
            by=users["staff_b"],
            party=party or COMPANY,
            details=details,
        )


def do(matter, action, users, on, **data):
    return act(matter, action, users["staff_b"], on, today=TODAY, **data)


def test_certificate_numbers_are_stored_as_printed_upper_case(officers):
    assert EnforcementOfficer.objects.filter(certificate_number="JL0001").exists()


def test_penalty_published_within_7_working_days_over_the_spring_festival(
    district, users, officers
):
    # 2024: 02-10..02-17 Spring Festival holiday, Sunday 02-18 a make-up working day.
    m = decide(district, users, D(2024, 2, 8))
    assert m.state == "decided"
    assert m.due_on == D(2024, 2, 23)  # 02-09, 02-18, 02-19 … 02-23
    assert (
        "国办发〔2018〕118号" in m.due_basis or m.due_rule == "enforcement.publish_license_penalty"
    )


def test_other_decisions_have_20_working_days_and_a_make_up_saturday_counts(
    district, users, officers
):
    # Saturday 2024-05-11 is a make-up working day (Labour Day holiday 05-01..05-05).
    lic = decide(district, users, D(2024, 5, 9), kind="license", handlers="JL0001")
    assert lic.due_on == D(2024, 5, 17)  # 05-10, 05-11 (Sat), 05-13 … 05-17
    other = decide(district, users, D(2024, 5, 9), kind="confirmation", handlers="JL0001")
    assert other.due_on == D(2024, 6, 5)  # the 20th working day after 05-09
    assert other.due_rule == "enforcement.publish_other"


def test_publish_closes_the_publication_clock(district, users, officers):
    m = decide(district, users, D(2024, 3, 1))
    do(m, "publish", users, D(2024, 3, 5))
    m.refresh_from_db()
    assert m.state == "published" and m.due_on is None


@pytest.mark.parametrize(
    ("handlers", "kind", "words"),
    [
        ("JL9999", "license", "不在执法人员登记簿中"),
        ("JL0003", "license", "不在有效期内"),
        ("JL0001", "penalty", "两名以上"),
        ("JL0001、JL0003", "penalty", "执法员3的执法证（JL0003）在决定日期2024-03-01不在有效期内"),
        ("", "license", "缺少“执法人员证号”"),
        ("、", "license", "至少填写一名执法人员"),
        ("JL0001、<b>", "license", "格式不对"),
    ],
)
def test_an_uncertified_handler_is_refused(district, users, officers, handlers, kind, words):
    with pytest.raises(ProcedureError) as exc:
        decide(district, users, D(2024, 3, 1), kind=kind, handlers=handlers)
    assert words in exc.value.message
    assert not Matter.objects.of("enforcement_decision").exists()


def test_the_import_refuses_an_uncertified_handler_with_a_rejected_line(district, officers):
    def line(ref, handlers):
        return {
            "procedure": "enforcement_decision",
            "reference": ref,
            "org": district["b"].pk,
            "received_on": "2024-04-01",
            "subject": "某公司许可",
            "party": COMPANY,
            "details": {
                "action_type": "license",
                "decision_number": ref,
                "legal_basis": "许可法",
                "result": "准予许可",
                "handlers": handlers,
            },
        }

    records = [(1, line("ZF-1", "JL0001"), None), (2, line("ZF-2", "JL0003"), None)]
    report = import_records(iter(records), today=TODAY)
    assert not report.committed
    assert [e.line for e in report.errors] == [2]
    assert "不在有效期内" in str(report.errors[0])
    assert not Matter.objects.of("enforcement_decision").exists()
    ok = import_records(iter(records[:1]), today=TODAY)
    assert ok.committed and Matter.objects.of("enforcement_decision").count() == 1


def test_a_minors_decision_is_never_published(client, district, users, officers):
    m = decide(district, users, D(2024, 6, 3), party=PERSON, minor=True)
    assert m.due_on is None  # no publication clock runs for it
    with pytest.raises(InvalidTransition) as exc:  # the guard, in plain words
        do(m, "publish", users, D(2024, 6, 4))
    assert "未成年人" in exc.value.message
    page = client.get(reverse("enforcement:disclosure"))
    assert m.details["decision_number"] not in page.content.decode()


def test_withdrawal_within_3_working_days_shows_only_the_reason(client, district, users, officers):
    m = decide(district, users, D(2024, 9, 2), result="罚款5000元，没收违法所得")
    do(m, "publish", users, D(2024, 9, 3))
    do(m, "mark_changed", users, D(2024, 9, 12), change="revoked", basis="复议决定")
    m.refresh_from_db()
    # Friday 09-13 … the Mid-Autumn holiday 09-15..09-17, Saturday 09-14 a make-up day
    assert m.due_rule == "enforcement.withdraw" and m.due_on == D(2024, 9, 18)
    do(m, "withdraw", users, D(2024, 9, 13), reason="原决定已被行政复议决定撤销。")
    m.refresh_from_db()
    assert m.state == "withdrawn" and m.is_closed
    html = client.get(reverse("enforcement:disclosure")).content.decode()
    assert "原决定已被行政复议决定撤销" in html
    assert "没收违法所得" not in html  # the withdrawn decision's content is gone


def test_expiry_waits_for_the_publicity_period(district, users, officers):
    person = decide(district, users, D(2024, 1, 8), kind="license", handlers="JL0001", party=PERSON)
    do(person, "publish", users, D(2024, 1, 9))
    with pytest.raises(InvalidTransition) as exc:
        do(person, "expire", users, D(2025, 6, 1))
    assert "公示期尚未届满" in exc.value.message and "2026-01-09" in exc.value.message
    do(person, "expire", users, D(2026, 1, 9))  # a natural person: 2 years
    company = decide(district, users, D(2024, 1, 8), kind="license", handlers="JL0001")
    do(company, "publish", users, D(2024, 1, 9))
    with pytest.raises(InvalidTransition):
        do(company, "expire", users, D(2026, 1, 9))  # an organisation: 5 years


def test_the_disclosure_list_masks_every_field(client, district, users, officers):
    pasted = (
        "当事人欧阳娜娜（身份证11010519491231002X，手机13912345678，"
        "银行卡6217000000000000006）拒不改正。"
    )
    other_card = (
        "另查明其使用他人身份证110105194912310037、手机13800138000和银行卡6222020000000000008。"
    )
    m = decide(
        district,
        users,
        D(2025, 7, 1),  # a natural person's 2 years: still shown on TODAY
        party=PERSON,
        result=pasted,
        facts=pasted + other_card,
        legal_basis="第二十八条",
    )
    do(m, "publish", users, D(2025, 7, 2))
    company = decide(district, users, D(2025, 7, 1), facts="经营者联系电话13912345678。")
    do(company, "publish", users, D(2025, 7, 2))
    url = reverse("enforcement:disclosure")
    with clock.frozen(TODAY):
        html = client.get(url).content.decode()
        by_name = client.get(url, {"q": "欧阳娜娜"}).content.decode()
        by_surname = client.get(url, {"q": "欧阳"}).context["total"]
        found = client.get(url, {"q": "91350100M000100Y43"}).context["total"]
    assert "拒不改正" in html and "主要事实" in html  # the facts are shown, masked
    for secret in (
        "欧阳娜娜",
        "11010519491231002X",
        "13912345678",
        "6217000000000000006",
        "110105194912310037",
        "13800138000",
        "6222020000000000008",
    ):
        assert secret not in html
    assert "欧***" in html  # the person by the surname only
    assert (
        "四平市某某商贸有限公司" in html and "91350100M000100Y43" in html
    )  # organisations in full
    # a person is never found by name (nor by surname); an organisation by name or credit code
    assert "拒不改正" not in by_name and by_surname == 0
    assert found == 1
    # the index holds only the masked fields
    from fazhi.enforcement.models import DisclosureEntry

    entry = DisclosureEntry.objects.get(matter=m)
    assert entry.party == "欧***" and entry.credit_code == ""
    assert "欧阳" not in entry.search_text + entry.bigrams


def test_the_disclosure_search_filters_and_refuses_bad_input_plainly(
    client, district, users, officers
):
    a = decide(district, users, D(2024, 3, 1), kind="license", handlers="JL0001")
    b = decide(district, users, D(2024, 8, 1))
    for m in (a, b):
        do(m, "publish", users, m.received_on + dt.timedelta(days=1))
    url = reverse("enforcement:disclosure")
    assert client.get(url, {"type": "license"}).context["total"] == 1
    assert client.get(url, {"from": "2024-06-01"}).context["total"] == 1
    assert client.get(url, {"organ": district["b"].pk}).context["total"] == 2
    bad = client.get(url, {"from": "2024-13-45", "to": "9999-12-31", "type": "x", "organ": "x"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "不是有效日期" in text and "超出可查询的范围" in text and "执法类别无效" in text


def test_the_public_certificate_lookup(client, officers):
    url = reverse("enforcement:certificate")
    with clock.frozen(D(2026, 12, 1)):
        ok = client.get(url, {"number": "jl0001"}).content.decode()
        old = client.get(url, {"number": "JL0003"}).content.decode()
        none = client.get(url, {"number": "JL4242"}).content.decode()
    assert "该证件有效" in ok and "执法员1" not in ok and "执*" in ok
    assert "已不在有效期内" in old
    assert "未查到执法证号" in none


def test_the_expiry_alert_lists_certificates_in_scope(client, district, users, officers):
    near = save_entry(
        EnforcementOfficer,
        {
            "org": district["b"],
            "name": "快到期",
            "certificate_number": "JL0100",
            "issuing_body": "吉林省人民政府",
            "valid_from": D(2022, 1, 1),
            "valid_to": D(2027, 1, 15),
        },
        by=None,
    )
    url = reverse("enforcement:expiring")
    with clock.frozen(D(2026, 12, 1)):
        client.force_login(users["staff_b"])
        mine = client.get(url).content.decode()
        client.force_login(users["staff_a"])
        other = client.get(url).content.decode()
    assert near.name in mine and "45 天" in mine
    assert near.name not in other
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_decisions_are_not_open_to_public_submission(district):
    with pytest.raises(NotAllowed):
        register_matter(
            "enforcement_decision",
            org=district["b"],
            received_on=D(2024, 1, 2),
            subject="x",
            public=True,
        )


def test_publish_twice_is_refused(district, users, officers):
    m = decide(district, users, D(2024, 3, 1))
    do(m, "publish", users, D(2024, 3, 4))
    with pytest.raises(InvalidTransition):
        do(m, "publish", users, D(2024, 3, 5))


def test_the_publicity_timely_rate_counts_late_and_overdue_decisions(district, users, officers):
    from fazhi.indicators.engine import compute_indicators

    on_time = decide(district, users, D(2024, 3, 1))  # penalty: due 03-12, published 03-05
    do(on_time, "publish", users, D(2024, 3, 5))
    late = decide(district, users, D(2024, 5, 9), kind="license", handlers="JL0001")
    do(late, "publish", users, D(2024, 5, 20))  # due 05-17: late
    decide(district, users, D(2024, 5, 9), kind="confirmation", handlers="JL0001")  # overdue
    decide(district, users, D(2024, 6, 3), party=PERSON, minor=True)  # never published
    decide(district, users, D(2024, 12, 27), kind="confirmation", handlers="JL0001")  # not due
    values = compute_indicators(district["root"], 2024).values
    assert values["enforcement.decisions"] == 5
    assert str(values["enforcement.publicity_timely_rate"]) == "33.33"  # 1 of 3
