"""The gates of a major decision in order, and a normative document's review window, filing
and cleanup — through act(), as staff would."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core import clock
from fazhi.indicators.engine import compute_indicators
from fazhi.procedures.errors import InvalidTransition, NotAllowed, ProcedureError
from fazhi.procedures.models import Clock, Matter
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2024, 12, 31)


def decision(district, users, on=None) -> Matter:
    with clock.frozen(TODAY):
        return register_matter(
            "major_decision",
            org=district["b"],
            received_on=on or D(2024, 2, 20),
            subject="某某片区改造方案",
            by=users["staff_b"],
            details={"catalog_year": 2024},
        )


def do(matter, action, user, on, **data):
    act(matter, action, user, on, today=TODAY, **data)
    matter.refresh_from_db()
    return matter


def walk_to_review(m, users):
    staff = users["staff_b"]
    do(m, "open_consultation", staff, D(2024, 3, 1), closes_on=D(2024, 4, 1), draft="第一条 目的。")
    do(m, "close_consultation", staff, D(2024, 4, 3), adoption_note="无意见。")
    do(m, "expert_argument", staff, D(2024, 4, 10), experts="专家组", opinion="可行")
    do(m, "risk_assessment", staff, D(2024, 4, 20), level="low", text="低风险")
    do(m, "submit_legality_review", staff, D(2024, 5, 6))
    return m


def test_no_collective_decision_before_the_legality_review(district, users):
    m = decision(district, users)
    with pytest.raises(InvalidTransition, match="不能执行“集体讨论决定”"):
        do(
            m,
            "collective_decision",
            users["staff_b"],
            D(2024, 3, 5),
            result="adopted",
            meeting="会",
        )
    walk_to_review(m, users)
    with pytest.raises(InvalidTransition, match="合法性审查中"):
        do(
            m,
            "collective_decision",
            users["staff_b"],
            D(2024, 5, 20),
            result="adopted",
            meeting="会",
        )
    assert m.state == "in_legality_review"


def test_each_gate_needs_the_one_before(district, users):
    m = decision(district, users)
    staff = users["staff_b"]
    with pytest.raises(InvalidTransition, match="已列入目录"):
        do(m, "expert_argument", staff, D(2024, 3, 1), experts="专家组", opinion="可行")
    with pytest.raises(InvalidTransition):
        do(m, "submit_legality_review", staff, D(2024, 3, 1))
    with pytest.raises(InvalidTransition):
        do(m, "publish", staff, D(2024, 3, 1))
    assert m.state == "cataloged"


def test_a_consultation_shorter_than_30_days_cannot_open_or_close(district, users):
    m = decision(district, users)
    staff = users["staff_b"]
    with pytest.raises(InvalidTransition, match="不少于30日"):
        do(m, "open_consultation", staff, D(2024, 3, 1), closes_on=D(2024, 3, 20), draft="x")
    # 30 natural days from 1 March (start day excluded) end on 31 March, a Sunday: the period
    # runs to the next working day, Monday 1 April (民法典 §203)
    with pytest.raises(InvalidTransition, match="不得早于2024-04-01"):
        do(m, "open_consultation", staff, D(2024, 3, 1), closes_on=D(2024, 3, 31), draft="x")
    do(m, "open_consultation", staff, D(2024, 3, 1), closes_on=D(2024, 4, 1), draft="x")
    with pytest.raises(InvalidTransition, match="截止后方可结束"):
        do(m, "close_consultation", staff, D(2024, 3, 29), adoption_note="早")
    with pytest.raises(InvalidTransition, match="截止后方可结束"):
        do(m, "close_consultation", staff, D(2024, 4, 1), adoption_note="早")
    do(m, "close_consultation", staff, D(2024, 4, 2), adoption_note="采纳情况")
    assert m.state == "consulted"
    c = Clock.objects.get(matter=m, limit="major_decision.consultation")
    assert c.answered_on == D(2024, 4, 2) and c.in_time is True


def test_the_legality_review_takes_at_least_7_working_days_and_only_the_law_office(district, users):
    m = walk_to_review(decision(district, users), users)
    with pytest.raises(NotAllowed):
        do(m, "legality_review", users["staff_b"], D(2024, 5, 16), opinion="approve", text="同意")
    # 7 working days from Monday 6 May end on Tuesday 14 May (Saturday 11 May was a make-up
    # working day in 2024)
    with pytest.raises(InvalidTransition, match="2024-05-14 前不能结束"):
        do(m, "legality_review", users["office"], D(2024, 5, 13), opinion="approve", text="同意")
    do(m, "legality_review", users["office"], D(2024, 5, 14), opinion="approve", text="同意")
    do(
        m,
        "collective_decision",
        users["staff_b"],
        D(2024, 5, 20),
        result="adopted",
        meeting="常务会",
    )
    do(m, "publish", users["staff_b"], D(2024, 5, 25), document_number="铁西政发〔2024〕1号")
    assert m.state == "published"
    do(m, "post_evaluate", users["staff_b"], D(2024, 12, 1), text="效果良好")
    assert m.state == "evaluated" and m.closed_on == D(2024, 12, 1)


def test_a_rejecting_review_stops_the_decision_and_not_adopted_closes_it(district, users):
    m = walk_to_review(decision(district, users), users)
    do(m, "legality_review", users["office"], D(2024, 5, 20), opinion="reject", text="违法")
    with pytest.raises(InvalidTransition, match="不得提交集体讨论"):
        do(
            m,
            "collective_decision",
            users["staff_b"],
            D(2024, 5, 21),
            result="adopted",
            meeting="会",
        )
    m2 = walk_to_review(decision(district, users), users)
    do(m2, "legality_review", users["office"], D(2024, 5, 20), opinion="approve", text="同意")
    do(
        m2,
        "collective_decision",
        users["staff_b"],
        D(2024, 5, 21),
        result="not_adopted",
        meeting="会",
    )
    assert m2.state == "not_adopted" and m2.outcome == "not_adopted" and m2.closed_on


def test_a_gate_is_skipped_only_with_a_reason(district, users):
    m = decision(district, users)
    staff = users["staff_b"]
    with pytest.raises(ProcedureError, match="不适用的理由"):
        do(m, "skip_consultation", staff, D(2024, 3, 1))
    do(m, "skip_consultation", staff, D(2024, 3, 1), reason="涉及国家秘密，依法不公开征求意见。")
    do(m, "skip_expert_argument", staff, D(2024, 3, 2), reason="专业性不强。")
    with pytest.raises(InvalidTransition):  # legality review is no gate to skip
        do(m, "skip_consultation", staff, D(2024, 3, 3), reason="x")
    assert m.state == "argued"
    values = compute_indicators(district["root"], 2024, TODAY).values
    assert values["major_decision.gate_skipped"] == 1
    assert values["major_decision.published"] == 0
    assert values["major_decision.cataloged"] == 1


# --- normative documents ---------------------------------------------------------------------


def document(district, users, on=None, **details) -> Matter:
    with clock.frozen(TODAY):
        return register_matter(
            "normative_document",
            org=district["b"],
            received_on=on or D(2024, 1, 8),
            subject="某某管理办法",
            by=users["staff_b"],
            details={"no_market_impact": True, **details},
        )


def publish(district, users, published_on, **data) -> Matter:
    m = document(district, users)
    do(m, "submit_review", users["staff_b"], D(2024, 1, 15))
    do(m, "review_opinion", users["office"], D(2024, 1, 25), opinion="approve", text="同意")
    do(m, "adopt", users["staff_b"], D(2024, 2, 1), meeting="常务会议")
    do(m, "publish", users["staff_b"], published_on, document_number="铁西政规〔2024〕1号", **data)
    return m


def test_the_review_opinion_comes_within_5_to_15_working_days(district, users):
    m = document(district, users)
    do(m, "submit_review", users["staff_b"], D(2024, 1, 15))  # a Monday
    with pytest.raises(InvalidTransition, match="2024-01-22 前不能结束"):
        do(m, "review_opinion", users["office"], D(2024, 1, 19), opinion="approve", text="同意")
    clocks = {c.limit: c for c in Clock.objects.filter(matter=m)}
    # 15 working days from Monday 15 January end on Sunday 4 February, a make-up working day
    assert clocks["normative_document.legality_review"].due_on == D(2024, 2, 4)
    do(m, "review_opinion", users["office"], D(2024, 2, 6), opinion="approve", text="同意")
    late = Clock.objects.get(matter=m, limit="normative_document.legality_review")
    assert late.in_time is False


def test_fair_competition_review_before_adoption_when_the_market_is_concerned(district, users):
    m = document(district, users, no_market_impact=False)
    do(m, "submit_review", users["staff_b"], D(2024, 1, 15))
    do(m, "review_opinion", users["office"], D(2024, 1, 25), opinion="approve", text="同意")
    with pytest.raises(InvalidTransition, match="公平竞争审查"):
        do(m, "adopt", users["staff_b"], D(2024, 2, 1), meeting="会")
    do(m, "fair_competition_review", users["staff_b"], D(2024, 2, 1), passed=False)
    with pytest.raises(InvalidTransition, match="未通过"):
        do(m, "adopt", users["staff_b"], D(2024, 2, 1), meeting="会")
    do(m, "fair_competition_review", users["staff_b"], D(2024, 2, 2), passed=True)
    do(m, "adopt", users["staff_b"], D(2024, 2, 2), meeting="会")
    assert m.state == "adopted"


@pytest.mark.parametrize(
    ("filed_on", "late"),
    [(D(2024, 4, 1), False), (D(2024, 4, 2), True)],
)
def test_filing_lateness_by_the_day(district, users, filed_on, late):
    # published 1 March: 30 natural days end on Sunday 31 March, so the limit runs to Monday
    # 1 April (民法典 §203); filed on 1 April is in time, on 2 April one day late
    m = publish(district, users, D(2024, 3, 1))
    do(m, "file", users["staff_b"], filed_on, filed_with="四平市人民政府")
    values = compute_indicators(district["root"], 2024, TODAY).values
    assert values["normative_document.enacted"] == 1
    assert values["normative_document.filed_late"] == (1 if late else 0)
    assert values["normative_document.not_filed"] == 0


def test_not_filed_once_the_limit_has_passed_at_the_cut_off(district, users):
    publish(district, users, D(2024, 3, 1))
    early = compute_indicators(district["root"], 2024, D(2024, 3, 31)).values
    assert early["normative_document.not_filed"] == 0  # the limit runs to 1 April
    late = compute_indicators(district["root"], 2024, D(2024, 4, 2)).values
    assert late["normative_document.not_filed"] == 1
    assert late["normative_document.filed_late"] == 0


def test_cleanup_outcomes_move_the_document_out_of_force(district, users):
    kept = publish(district, users, D(2024, 3, 1))
    repealed = publish(district, users, D(2024, 3, 1))
    for m in (kept, repealed):
        do(m, "list_for_cleanup", users["staff_b"], D(2024, 9, 1), campaign="QL-2024-01")
    before = compute_indicators(district["root"], 2024, TODAY).values
    assert before["normative_document.due_for_cleanup"] == 2
    do(kept, "cleanup", users["staff_b"], D(2024, 9, 10), outcome="keep", campaign="QL-2024-01")
    do(repealed, "cleanup", users["staff_b"], D(2024, 9, 10), outcome="repeal", reason="上位法废止")
    assert kept.state == "kept" and not kept.closed_on
    assert repealed.state == "repealed" and repealed.outcome == "repeal"
    assert repealed.closed_on == D(2024, 9, 10)
    after = compute_indicators(district["root"], 2024, TODAY).values
    assert after["normative_document.due_for_cleanup"] == 0
    with pytest.raises(InvalidTransition):  # a repealed document is no longer cleaned up
        do(repealed, "cleanup", users["staff_b"], D(2024, 9, 11), outcome="keep")


def test_lapse_only_after_the_validity(district, users):
    m = publish(district, users, D(2024, 3, 1), validity_years=1)
    do(m, "file", users["staff_b"], D(2024, 3, 5), filed_with="市政府")
    with pytest.raises(InvalidTransition, match="有效期至2025-02-28"):
        do(m, "lapse", users["staff_b"], D(2024, 12, 31))


def test_the_figures_drill_down_to_their_documents(district, users):
    from fazhi.indicators.engine import period_of, source_records
    from fazhi.indicators.registry import get_indicator

    late = publish(district, users, D(2024, 3, 1))
    do(late, "file", users["staff_b"], D(2024, 4, 2), filed_with="市政府")
    on_time = publish(district, users, D(2024, 3, 1))
    do(on_time, "file", users["staff_b"], D(2024, 3, 20), filed_with="市政府")
    waiting = publish(district, users, D(2024, 3, 1))
    period = period_of(2024, TODAY)

    def behind(code):
        src = get_indicator(code).numerator
        return {m.pk for m in source_records(src, district["root"], period)}

    assert behind("normative_document.enacted") == {late.pk, on_time.pk, waiting.pk}
    assert behind("normative_document.filed_late") == {late.pk}
    assert behind("normative_document.not_filed") == {waiting.pk}
    # another department's scope sees none of them
    assert not {
        m.pk
        for m in source_records(
            get_indicator("normative_document.enacted").numerator, district["a"], period
        )
    }
