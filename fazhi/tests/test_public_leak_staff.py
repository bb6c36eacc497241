"""#19: the public-leak test for the texts staff publish themselves.

``test_public_leak`` seeds the public's intakes; here the same values — every number format of
defect 5 (``test_pii.NUMBER_FORMATS``), a natural person's name and a home address — go into
what staff write and publish through the normal paths (``procedures.services.act``): a major
decision's draft opened for comment and its adoption note (采纳情况), a published normative
document, the public's comments on the draft, enforcement decisions about natural persons (one a
minor) with their facts, basis and result, published, and an enforcement officer whose
certificate the public looks up. Then every public page reachable from ``/`` (the register, the
decisions, the disclosure list, the certificate lookup, the enforcement statistics, the
mailbox's published replies …) and every Open311 answer is read: none of the values appear.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.registers import save_entry
from fazhi.enforcement import statistics
from fazhi.enforcement.models import EnforcementOfficer
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act, register_matter
from fazhi.reports import drafting
from fazhi.tests.test_public_leak import ADDRESS, FORBIDDEN, NAME, NUMBERS, crawl, open311

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2024, 12, 31)


def staff_text(i: int) -> str:
    """A text as staff write it, quoting a person: name, home address, three numbers."""
    a, b, c = (NUMBERS[(i * 3 + k) % len(NUMBERS)][1] for k in range(3))
    return f"当事人{NAME}，住{ADDRESS}，身份证{a}，电话{b}，银行卡{c}。"


@pytest.fixture
def published(district, users, client):
    staff, office = users["staff_b"], users["office"]
    org = district["b"]
    seeds = iter(range(100))
    out: dict[str, Matter] = {}

    def do(matter, action, by, on, **data):
        act(matter, action, by, on, today=max(on, TODAY), **data)
        matter.refresh_from_db()

    with clock.frozen(TODAY):
        # rulemaking: a draft opened for comment, commented on by the public, its note adopted
        decision = register_matter(
            "major_decision",
            org=org,
            received_on=D(2024, 11, 1),
            subject="某某片区改造方案（" + staff_text(next(seeds))[:70] + "）",
            by=staff,
            details={"catalog_year": 2024},
        )
        draft = "\n".join(f"第{n}条 {staff_text(next(seeds))}" for n in "一二三")
        do(
            decision,
            "open_consultation",
            staff,
            D(2024, 11, 4),
            closes_on=D(2025, 1, 10),
            draft=draft,
        )
        for article in ("1", "2"):
            answer = client.post(
                reverse("rulemaking:comment", kwargs={"reference": decision.reference}),
                {
                    "article": article,
                    "text": staff_text(next(seeds)),
                    "name": NAME,
                    "phone": "13912345678",
                },
            )
            assert answer.status_code == 302, answer.content.decode()[:400]
        out["decision"] = decision
        # a normative document, published
        document = register_matter(
            "normative_document",
            org=org,
            received_on=D(2024, 1, 8),
            subject="某某管理办法（" + staff_text(next(seeds))[:70] + "）",
            by=staff,
            details={"no_market_impact": True},
        )
        do(document, "submit_review", staff, D(2024, 1, 15))
        do(
            document,
            "review_opinion",
            office,
            D(2024, 1, 25),
            opinion="approve",
            text=staff_text(next(seeds)),
        )
        do(document, "adopt", staff, D(2024, 2, 1), meeting="常务会议")
        do(document, "publish", staff, D(2024, 2, 5), document_number="铁西政规〔2024〕1号")
        out["document"] = document
        # enforcement: an officer, decisions about natural persons (one a minor), published
        for number, name in (("JL0001", NAME), ("JL0002", "执法员二")):
            save_entry(
                EnforcementOfficer,
                {
                    "org": org,
                    "name": name,
                    "certificate_number": number,
                    "issuing_body": "吉林省人民政府",
                    "valid_from": D(2020, 1, 1),
                    "valid_to": D(2029, 12, 31),
                },
                by=None,
            )
        for n, minor in enumerate((False, False, True)):
            details = {
                "action_type": "penalty",
                "decision_number": f"测市监罚〔2024〕{n + 1}号",
                "legal_basis": staff_text(next(seeds)),
                "result": staff_text(next(seeds)),
                "facts": staff_text(next(seeds)),
                "handlers": "JL0001、JL0002",
                **({"minor": True} if minor else {}),
            }
            m = register_matter(
                "enforcement_decision",
                org=org,
                received_on=D(2024, 12, 2 + n),
                subject=staff_text(next(seeds))[:60],
                by=staff,
                party={
                    "name": NAME,
                    "kind": "person",
                    "id_number": "220302198512314561",
                    "phone": "13912345678",
                    "address": ADDRESS,
                },
                details=details,
            )
            if not minor:
                do(m, "publish", staff, D(2024, 12, 6))
            out[f"enforcement{n}"] = m
    with clock.frozen(D(2025, 1, 13)):
        do(
            decision,
            "close_consultation",
            staff,
            D(2025, 1, 13),
            adoption_note=staff_text(next(seeds)),
        )
        # the year's enforcement statistics, published; the annual report, a section seeded
        statistics.publish(district["root"], 2024, by=office, today=D(2025, 1, 13))
        report = drafting.create_report(district["root"], 2024, by=office)
        for section in report.sections.order_by("key")[:3]:
            drafting.save_text(section, staff_text(next(seeds)), office)
        out["issue"] = drafting.issue(report, office, issued_on=D(2025, 1, 13), reason="测试印发。")
    out["seeds"] = next(seeds)  # type: ignore[assignment]
    return out


def test_no_personal_data_in_what_staff_publish(published):
    assert published["seeds"] * 3 >= len(NUMBERS)  # every number format was seeded
    web = Client()
    with clock.frozen(D(2025, 1, 14)):
        pages = crawl(web)
        # pages the crawl may not reach from ``/`` (last year's catalog, a looked-up number)
        cert = reverse("enforcement:certificate") + "?number=JL0001"
        decision = reverse(
            "rulemaking:decision", kwargs={"reference": published["decision"].reference}
        )
        for start in (cert, decision, reverse("rulemaking:decisions") + "?year=2024"):
            if start not in pages:
                pages.update({k: v for k, v in crawl(web, start).items() if k not in pages})
        answers = open311(web, [m.reference for k, m in published.items() if isinstance(m, Matter)])
    # the published texts are really public: their pages were reached
    for key, marker in (
        ("decision", "意见采纳情况"),
        ("document", "铁西政规〔2024〕1号"),
        ("enforcement0", "测市监罚〔2024〕1号"),
    ):
        assert any(marker in t for t in pages.values()), (key, sorted(pages))
    assert "该证件有效" in pages[cert]
    report = reverse("reports_public:detail", args=[published["issue"].pk])
    assert report in pages and "2025年1月13日" in pages[report], sorted(pages)
    assert reverse("enforcement:statistics-public") in pages
    assert not any("测市监罚〔2024〕3号" in t for t in pages.values())  # the minor's
    leaks = [
        f"{where}: {value}"
        for where, text in {**pages, **answers}.items()
        for value in FORBIDDEN
        if value in text
    ]
    assert not leaks, "\n".join(leaks[:40])
    print(
        f"crawled {len(pages)} public pages and {len(answers)} Open311 answers; {len(FORBIDDEN)} values sought"
    )
