"""重大执法决定法制审核: a major decision is refused before its legal review's opinion, after a
refusing opinion, or without naming its review; the review runs its own clock and is linked."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core import clock
from fazhi.core.registers import save_entry
from fazhi.enforcement.models import EnforcementOfficer, MajorDecisionRule
from fazhi.procedures.errors import InvalidData, NotAllowed
from fazhi.procedures.importing import import_records
from fazhi.procedures.models import Matter, MatterLink
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2024, 12, 31)
COMPANY = {"name": "某某建材有限公司", "kind": "organisation"}


@pytest.fixture
def catalog(district):
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
    save_entry(
        MajorDecisionRule,
        {
            "org": district["root"],
            "action_type": "penalty",
            "description": "较大数额罚款",
            "min_amount": "50000",
            "valid_from": D(2024, 1, 1),
        },
        by=None,
    )
    save_entry(
        MajorDecisionRule,
        {
            "org": district["root"],
            "action_type": "penalty",
            "description": "吊销许可证件",
            "result_words": "吊销、责令停产停业",
            "valid_from": D(2024, 1, 1),
        },
        by=None,
    )


def review(district, users, on, *, opinion=None, opinion_on=None):
    with clock.frozen(TODAY):
        m = register_matter(
            "legal_review",
            org=district["b"],
            received_on=on,
            subject="拟罚款",
            by=users["staff_b"],
            party=COMPANY,
            details={"action_type": "penalty", "proposal": "罚款八万元", "amount": "80000"},
        )
        if opinion:
            act(
                m, "opinion", users["office"], opinion_on, today=TODAY, opinion=opinion, text="意见"
            )
    m.refresh_from_db()
    return m


def decide(district, users, on, *, amount="80000", result="罚款八万元", legal_review=""):
    details = {
        "action_type": "penalty",
        "decision_number": f"罚{on}",
        "legal_basis": "某法",
        "result": result,
        "amount": amount,
        "handlers": "JL0001、JL0002",
    }
    if legal_review:
        details["legal_review"] = legal_review
    with clock.frozen(TODAY):
        return register_matter(
            "enforcement_decision",
            org=district["b"],
            received_on=on,
            subject="行政处罚",
            by=users["staff_b"],
            party=COMPANY,
            details=details,
        )


def test_the_review_runs_its_own_clock_and_only_the_legal_office_opines(district, users, catalog):
    r = review(district, users, D(2024, 5, 6))
    # 05-07 … 05-10 and Saturday 05-11, a make-up working day
    assert r.due_rule == "enforcement.legal_review" and r.due_on == D(2024, 5, 11)
    with pytest.raises(NotAllowed):
        act(r, "opinion", users["staff_b"], D(2024, 5, 7), today=TODAY, opinion="approve", text="x")


def test_a_major_decision_is_refused_before_its_review(district, users, catalog):
    with pytest.raises(InvalidData) as exc:
        decide(district, users, D(2024, 5, 6))
    assert "属于重大执法决定（较大数额罚款）" in exc.value.message
    pending = review(district, users, D(2024, 5, 6))
    with pytest.raises(InvalidData) as exc:
        decide(district, users, D(2024, 5, 8), legal_review=pending.reference)
    assert "尚未出具审核意见" in exc.value.message
    late = review(district, users, D(2024, 5, 6), opinion="approve", opinion_on=D(2024, 5, 10))
    with pytest.raises(InvalidData) as exc:
        decide(district, users, D(2024, 5, 9), legal_review=late.reference)
    assert "应先审核后决定" in exc.value.message
    refused = review(district, users, D(2024, 5, 6), opinion="reject", opinion_on=D(2024, 5, 7))
    with pytest.raises(InvalidData) as exc:
        decide(district, users, D(2024, 5, 9), legal_review=refused.reference)
    assert "意见为不同意" in exc.value.message
    assert not Matter.objects.of("enforcement_decision").exists()


def test_after_its_review_the_decision_is_made_and_linked(district, users, catalog):
    ok = review(district, users, D(2024, 5, 6), opinion="modify", opinion_on=D(2024, 5, 8))
    m = decide(district, users, D(2024, 5, 9), legal_review=ok.reference)
    link = MatterLink.objects.get(source=m)
    assert (link.kind, link.target_id) == ("reviewed_by", ok.pk)
    # not major: a small fine, no review needed; a revocation is major by its words
    decide(district, users, D(2024, 5, 9), amount="2000", result="罚款二千元")
    with pytest.raises(InvalidData) as exc:
        decide(district, users, D(2024, 5, 9), amount="2000", result="吊销营业执照")
    assert "吊销许可证件" in exc.value.message


def test_the_import_checks_the_review_too(district, users, catalog):
    ok = review(district, users, D(2024, 5, 6), opinion="approve", opinion_on=D(2024, 5, 8))

    def line(ref, review_ref):
        return {
            "procedure": "enforcement_decision",
            "reference": ref,
            "org": district["b"].pk,
            "received_on": "2024-05-09",
            "subject": "处罚",
            "party": COMPANY,
            "details": {
                "action_type": "penalty",
                "decision_number": ref,
                "legal_basis": "某法",
                "result": "罚款",
                "amount": "90000",
                "handlers": "JL0001、JL0002",
                "legal_review": review_ref,
            },
        }

    report = import_records(
        iter([(1, line("ZF-A", ok.reference), None), (2, line("ZF-B", ""), None)]), today=TODAY
    )
    assert not report.committed and [e.line for e in report.errors] == [2]
    assert "须先经法制审核" in str(report.errors[0])
