"""NPC suggestions and CPPCC proposals: every action, its refusals and the month limits."""

import datetime as dt

import chinese_calendar
import pytest

from fazhi.procedures.errors import InvalidData, InvalidTransition, MissingData, NotAllowed
from fazhi.procedures.models import MatterAssistant
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 12, 31)
DETAILS = {"deputy": "王建华", "session": "第十八届第四次会议", "number": "017"}


def suggestion(org, by, received_on, procedure="npc_suggestion", **details):
    return register_matter(
        procedure,
        org=org,
        received_on=received_on,
        by=by,
        subject="关于加快老旧小区改造的建议",
        details={**DETAILS, **details},
        today=TODAY,
    )


def do(matter, action, user, on, **data):
    return act(matter, action, user, on, today=TODAY, **data)


def reply_clock(matter, limit="npc_suggestion.reply"):
    return matter.clocks.get(limit=limit)


@pytest.fixture
def matter(district, users):
    # assigned on 31 January: three months by the month rule end on 30 April (no 31 April)
    return suggestion(district["a"], users["staff_a"], D(2025, 1, 31))


@pytest.mark.parametrize("procedure", ["npc_suggestion", "cppcc_proposal"])
def test_assigned_on_31_january_due_30_april(district, users, procedure):
    m = suggestion(district["a"], users["staff_a"], D(2025, 1, 31), procedure)
    assert m.state == "received"
    assert (m.due_on, m.due_rule) == (D(2025, 4, 30), f"{procedure}.reply")
    assert chinese_calendar.is_workday(m.due_on)
    assert m.reference.startswith("JY-2025-" if procedure == "npc_suggestion" else "TA-2025-")


def test_a_last_day_on_a_holiday_moves_to_the_next_working_day(district, users):
    # 1 February + 3 months = 1 May 2025, the Labour Day holiday (1–5 May): due Tuesday 6 May
    m = suggestion(district["a"], users["staff_a"], D(2025, 2, 1))
    assert not chinese_calendar.is_workday(D(2025, 5, 1))
    assert m.due_on == D(2025, 5, 6)
    assert chinese_calendar.is_workday(m.due_on)
    # 1 July + 3 months = 1 October (National Day, 1–8 October 2025): due 9 October
    m = suggestion(district["a"], users["staff_a"], D(2025, 7, 1))
    assert m.due_on == D(2025, 10, 9)


def test_details_are_required(district, users):
    with pytest.raises(MissingData, match="代表姓名"):
        register_matter(
            "npc_suggestion",
            org=district["a"],
            received_on=D(2025, 3, 3),
            by=users["staff_a"],
            subject="建议",
            details={"session": "第十八届第四次会议", "number": "1"},
            today=TODAY,
        )


def test_reply_with_result_class(matter, users):
    do(matter, "reply", users["staff_a"], D(2025, 4, 30), result="A", reply="已纳入改造计划。")
    assert matter.state == "replied"
    assert matter.outcome == "A"
    assert matter.details["result"] == "A"
    clock = reply_clock(matter)
    assert clock.in_time is True and clock.due_on == D(2025, 4, 30)
    assert matter.due_on is None


def test_reply_needs_a_valid_result(matter, users):
    with pytest.raises(MissingData, match="办理结果"):
        do(matter, "reply", users["staff_a"], D(2025, 3, 3))
    with pytest.raises(InvalidData, match="不在可选范围"):
        do(matter, "reply", users["staff_a"], D(2025, 3, 3), result="D")


def test_a_late_reply_is_not_in_time(matter, users):
    do(matter, "reply", users["staff_a"], D(2025, 5, 6), result="B")
    assert reply_clock(matter).in_time is False


def test_extension_to_six_months_needs_an_approver(matter, users):
    with pytest.raises(NotAllowed):
        do(matter, "extend", users["staff_a"], D(2025, 4, 1), days=3, reason="情况复杂")
    with pytest.raises(InvalidTransition, match="最多可延长3个月"):
        do(matter, "extend", users["head_a"], D(2025, 4, 1), days=4, reason="情况复杂")
    do(matter, "extend", users["head_a"], D(2025, 4, 1), days=3, reason="情况复杂")
    assert matter.due_on == D(2025, 7, 31)  # 31 January + 6 months
    with pytest.raises(InvalidTransition, match="还可延长0"):
        do(matter, "extend", users["head_a"], D(2025, 4, 2), days=1, reason="再延")
    do(matter, "reply", users["staff_a"], D(2025, 7, 31), result="B")
    assert reply_clock(matter).in_time is True


def test_requested_extension_is_granted_by_the_head(matter, users):
    do(matter, "request_extend", users["staff_a"], D(2025, 4, 1), days=2, reason="需会商")
    assert matter.due_on == D(2025, 4, 30)  # a request changes nothing
    do(matter, "extend", users["head_a"], D(2025, 4, 2), days=2, reason="同意")
    assert matter.due_on == D(2025, 6, 30)  # 31 January + 5 months: 30 June


def test_each_assisting_units_opinion_reaches_the_lead_before_the_reply(matter, district, users):
    do(matter, "add_assistant", users["staff_a"], D(2025, 2, 3), org=district["b"].pk)
    assert MatterAssistant.objects.filter(matter=matter, org=district["b"]).exists()
    with pytest.raises(InvalidTransition, match="1个会办单位未提出会办意见"):
        do(matter, "reply", users["staff_a"], D(2025, 3, 3), result="A")
    # the lead cannot write the assisting unit's opinion; the assisting unit cannot reply
    with pytest.raises(NotAllowed):
        do(matter, "opinion", users["staff_a"], D(2025, 2, 10), text="同意")
    do(matter, "opinion", users["staff_b"], D(2025, 2, 10), text="同意主办单位意见")
    with pytest.raises(NotAllowed):
        do(matter, "reply", users["staff_b"], D(2025, 3, 3), result="A")
    do(matter, "opinion_reply", users["staff_a"], D(2025, 2, 12), org=district["b"].pk, text="采纳")
    do(matter, "reply", users["staff_a"], D(2025, 3, 3), result="A")
    assert matter.state == "replied"


def test_another_department_cannot_reply(matter, users):
    with pytest.raises(NotAllowed):
        do(matter, "reply", users["staff_b"], D(2025, 3, 3), result="A")


def test_consultation_is_recorded_and_keeps_the_state(matter, users):
    step = do(
        matter,
        "consult",
        users["staff_a"],
        D(2025, 2, 20),
        form="face",
        participants="王建华代表、区住建局副局长",
        text="当面沟通改造方案",
    )
    assert matter.state == "received" and step.data["form"] == "face"
    with pytest.raises(MissingData, match="面商情况"):
        do(matter, "consult", users["staff_a"], D(2025, 2, 21), form="phone")
    do(matter, "reply", users["staff_a"], D(2025, 3, 3), result="A")
    do(matter, "consult", users["staff_a"], D(2025, 3, 5), form="phone", text="回访")
    do(matter, "conclude", users["staff_a"], D(2025, 3, 10))
    with pytest.raises(InvalidTransition, match="已办结"):
        do(matter, "consult", users["staff_a"], D(2025, 3, 11), form="phone", text="再回访")


def test_feedback_records_satisfaction_then_conclude(matter, users):
    with pytest.raises(InvalidTransition, match="办理中"):
        do(matter, "feedback", users["staff_a"], D(2025, 3, 1), satisfaction="satisfied")
    do(matter, "reply", users["staff_a"], D(2025, 3, 3), result="B")
    do(matter, "feedback", users["staff_a"], D(2025, 3, 10), satisfaction="basically_satisfied")
    assert matter.state == "replied"
    assert matter.satisfaction == ""  # the deputy's answer is the step's, not a rating
    assert matter.steps.get(action="feedback").data["satisfaction"] == "basically_satisfied"
    do(matter, "conclude", users["staff_a"], D(2025, 3, 12))
    assert matter.state == "concluded" and matter.closed_on == D(2025, 3, 12)
    assert matter.outcome == "B"  # the reply's class stands


def test_conclude_needs_a_reply(matter, users):
    with pytest.raises(InvalidTransition):
        do(matter, "conclude", users["staff_a"], D(2025, 3, 3))


def test_redo_only_after_a_dissatisfied_feedback(matter, users):
    do(matter, "reply", users["staff_a"], D(2025, 3, 3), result="C")
    with pytest.raises(InvalidTransition, match="尚未对本次答复反馈"):
        do(matter, "redo", users["staff_a"], D(2025, 3, 5), reason="不满意")
    do(matter, "feedback", users["staff_a"], D(2025, 3, 10), satisfaction="satisfied")
    with pytest.raises(InvalidTransition, match="无需再办理"):
        do(matter, "redo", users["staff_a"], D(2025, 3, 11), reason="不满意")
    do(matter, "feedback", users["staff_a"], D(2025, 3, 12), satisfaction="dissatisfied")
    with pytest.raises(MissingData, match="再办理理由"):
        do(matter, "redo", users["staff_a"], D(2025, 3, 13))
    do(matter, "redo", users["staff_a"], D(2025, 3, 13), reason="代表不满意")
    assert matter.state == "received"
    # the redo runs its own clock: one month from the redo (13 April 2025 is a Sunday → 14 April)
    assert (matter.due_on, matter.due_rule) == (D(2025, 4, 14), "npc_suggestion.redo")
    # the statutory reply clock keeps its first answer: the on-time rate counts it once
    assert reply_clock(matter).in_time is True
    assert matter.clocks.filter(limit="npc_suggestion.reply").count() == 1
    do(matter, "reply", users["staff_a"], D(2025, 4, 10), result="A")
    assert matter.details["result"] == "A"
    assert reply_clock(matter, "npc_suggestion.redo").in_time is True
    # a new reply has no feedback yet: redo is refused again
    with pytest.raises(InvalidTransition, match="尚未对本次答复反馈"):
        do(matter, "redo", users["staff_a"], D(2025, 4, 11), reason="不满意")


def test_redo_of_a_concluded_proposal(district, users):
    m = suggestion(district["a"], users["staff_a"], D(2025, 3, 3), "cppcc_proposal")
    do(m, "reply", users["staff_a"], D(2025, 4, 1), result="B")
    do(m, "feedback", users["staff_a"], D(2025, 4, 8), satisfaction="dissatisfied")
    do(m, "conclude", users["staff_a"], D(2025, 4, 9))
    do(m, "redo", users["staff_a"], D(2025, 4, 15), reason="委员不满意，政协交办再办理")
    assert m.state == "received" and m.closed_on is None and m.outcome == ""
