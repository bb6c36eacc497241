"""Every transition of reconsideration (行政复议), refusals included, and its deadlines."""

import datetime as dt

import pytest

from fazhi.procedures.errors import InvalidDate, InvalidTransition, MissingData, NotAllowed
from fazhi.procedures.models import Matter, Step
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 12, 31)


@pytest.fixture
def matter(district, users):
    # Received Friday 2025-03-07: review within 5 working days → Friday 2025-03-14.
    return make_matter("reconsideration", district["a"], users["staff_a"], D(2025, 3, 7))


def do(matter, action, user, on, **data):
    return act(matter, action, user, on, today=TODAY, **data)


def test_register_sets_review_deadline(matter):
    assert matter.state == "received"
    assert matter.due_on == D(2025, 3, 14)
    assert matter.due_rule == "reconsideration.review"
    assert "行政复议法 第三十条" in matter.due_basis  # the limit's legal basis, as declared
    assert matter.reference.startswith("FY-2025-")
    assert len(matter.verification_code) == 6


def clock(matter, limit):
    """The running clock of ``limit`` (a reconsideration runs several at once)."""
    return matter.clocks.running().get(limit=f"reconsideration.{limit}")


def test_accept_then_decide(matter, users):
    do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    assert matter.state == "accepted"
    assert clock(matter, "decide").due_on == D(2025, 5, 9)  # 60 natural days from 03-10
    # the matter is due at its earliest clock: the copy to the respondent (7 working days)
    assert (matter.due_on, matter.due_rule) == (
        D(2025, 3, 19),
        "reconsideration.copy_to_respondent",
    )
    do(matter, "decide", users["staff_a"], D(2025, 4, 30), outcome="revoked")
    assert matter.state == "decided"
    assert matter.outcome == "revoked"
    assert matter.closed_on == D(2025, 4, 30)
    assert matter.due_on is None


def test_simplified_procedure_has_30_days(matter, users):
    do(matter, "accept", users["staff_a"], D(2025, 3, 10), simplified=True)
    assert matter.details["simplified"] is True
    assert clock(matter, "decide_simplified").due_on == D(2025, 4, 9)
    assert not matter.clocks.filter(limit="reconsideration.decide").exists()


def test_refuse_requires_reason(matter, users):
    with pytest.raises(MissingData):
        do(matter, "refuse", users["staff_a"], D(2025, 3, 10))
    do(matter, "refuse", users["staff_a"], D(2025, 3, 10), reason="超过申请期限")
    assert matter.state == "rejected"
    assert matter.closed_on == D(2025, 3, 10)


def test_correction_restarts_review(matter, users):
    do(matter, "request_correction", users["staff_a"], D(2025, 3, 10), items="补交身份证明")
    assert matter.state == "correction_requested"
    assert matter.due_on == D(2025, 3, 24)  # 10 working days from Monday 03-10
    do(matter, "supply_correction", users["staff_a"], D(2025, 3, 20))
    assert matter.state == "received"
    assert matter.due_on == D(2025, 3, 27)  # review restarts: 5 working days from 03-20


def test_lapse_only_after_the_correction_period(matter, users):
    do(matter, "request_correction", users["staff_a"], D(2025, 3, 10), items="补交材料")
    with pytest.raises(InvalidTransition, match="届满"):
        do(matter, "lapse", users["staff_a"], D(2025, 3, 24))
    do(matter, "lapse", users["staff_a"], D(2025, 3, 25))
    assert matter.state == "not_corrected"
    assert matter.closed_on == D(2025, 3, 25)


@pytest.mark.parametrize(
    ("action", "data"), [("terminate", {"reason": "申请人撤回"}), ("settle", {})]
)
def test_terminate_and_settle_close(matter, users, action, data):
    do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    do(matter, action, users["staff_a"], D(2025, 3, 20), **data)
    assert matter.closed_on == D(2025, 3, 20)


def test_issue_opinion_after_decision(matter, users):
    do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    with pytest.raises(InvalidTransition):
        do(matter, "issue_opinion", users["staff_a"], D(2025, 3, 11), kind="opinion", to_org="某局")
    do(matter, "decide", users["staff_a"], D(2025, 4, 1), outcome="upheld")
    do(matter, "issue_opinion", users["staff_a"], D(2025, 4, 2), kind="suggestion", to_org="某局")
    assert matter.state == "decided"


def test_refused_transitions(matter, users):
    with pytest.raises(InvalidTransition):
        do(matter, "decide", users["staff_a"], D(2025, 3, 10), outcome="upheld")
    do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    with pytest.raises(InvalidTransition):
        do(matter, "accept", users["staff_a"], D(2025, 3, 11))
    with pytest.raises(MissingData):
        do(matter, "decide", users["staff_a"], D(2025, 3, 11))


def test_dates_must_not_go_back_or_into_the_future(matter, users):
    with pytest.raises(InvalidDate, match="早于"):
        do(matter, "accept", users["staff_a"], D(2025, 3, 6))
    with pytest.raises(InvalidDate, match="晚于今天"):
        do(matter, "accept", users["staff_a"], D(2026, 1, 5))


def test_extension_needs_an_approver_and_respects_the_cap(matter, users):
    do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    with pytest.raises(NotAllowed):
        do(matter, "extend", users["staff_a"], D(2025, 4, 1), days=30, reason="案情复杂")
    do(matter, "extend", users["head_a"], D(2025, 4, 1), days=20, reason="案情复杂")
    assert clock(matter, "decide").due_on == D(2025, 5, 29)  # 60 + 20 natural days from 03-10
    with pytest.raises(InvalidTransition, match="上限"):
        do(matter, "extend", users["head_a"], D(2025, 4, 2), days=11, reason="再延")
    do(matter, "extend", users["head_a"], D(2025, 4, 2), days=10, reason="再延")
    # 03-10 + 90 = 06-08 (Sunday) → Monday 06-09
    assert clock(matter, "decide").due_on == D(2025, 6, 9)


def test_suspension_stops_the_clock(matter, users):
    do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    do(matter, "send_copy", users["staff_a"], D(2025, 3, 11))
    do(matter, "receive_reply", users["staff_a"], D(2025, 3, 14))
    do(matter, "suspend", users["staff_a"], D(2025, 3, 20), reason="等待鉴定")
    assert matter.due_on is None
    assert matter.due_paused is True
    with pytest.raises(InvalidTransition):
        do(matter, "suspend", users["staff_a"], D(2025, 3, 21), reason="重复")
    do(matter, "resume", users["staff_a"], D(2025, 3, 29))
    # paused 03-20..03-29 inclusive = 10 days; 05-09 + 10 = 05-19
    assert matter.due_on == D(2025, 5, 19)


def test_a_suspension_does_not_revive_a_period_that_already_ran_out(matter, users):
    do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    do(matter, "suspend", users["staff_a"], D(2025, 3, 20), reason="等待鉴定")
    # the copy was due on 03-19: still due (and overdue) then; the decision stands still
    assert (matter.due_on, matter.due_rule) == (
        D(2025, 3, 19),
        "reconsideration.copy_to_respondent",
    )
    assert clock(matter, "decide").paused


def test_another_department_cannot_act(matter, users):
    with pytest.raises(NotAllowed):
        do(matter, "accept", users["staff_b"], D(2025, 3, 10))
    with pytest.raises(NotAllowed):
        do(matter, "accept", users["leader"], D(2025, 3, 10))


def test_transfer_and_return(matter, district, users):
    do(matter, "transfer", users["staff_a"], D(2025, 3, 10), to_org=district["b"].pk, reason="职责")
    assert matter.org == district["b"]
    with pytest.raises(NotAllowed):
        do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    do(matter, "return", users["staff_b"], D(2025, 3, 11), reason="不属本单位职责")
    assert matter.org == district["a"]


def test_steps_are_history(matter, users):
    do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    step = Step.objects.get(matter=matter, action="accept")
    step.action = "refuse"
    with pytest.raises(RuntimeError):
        step.save()
    assert list(matter.steps.values_list("action", flat=True)) == ["register", "accept"]


def test_failed_action_writes_nothing(matter, users):
    do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    before = (Step.objects.count(), Matter.objects.get(pk=matter.pk).state)
    with pytest.raises(MissingData):
        do(matter, "decide", users["staff_a"], D(2025, 3, 10))
    assert (Step.objects.count(), Matter.objects.get(pk=matter.pk).state) == before


def test_every_action_is_audited(matter, users):
    from fazhi.core.models import AuditEvent

    do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    actions = list(AuditEvent.objects.for_object(matter).values_list("action", flat=True))
    assert actions == ["matter.accept", "matter.register"]


def test_whitespace_is_not_a_reason(matter, users):
    with pytest.raises(MissingData):
        do(matter, "refuse", users["staff_a"], D(2025, 3, 10), reason="   ")


def test_data_mapping_cannot_reach_the_keyword_parameters(matter, users):
    from fazhi.procedures.errors import InvalidData

    # another department cannot pass itself off as the public through the data
    with pytest.raises(NotAllowed):
        act(matter, "accept", users["staff_b"], D(2025, 3, 10), today=TODAY, data={"public": True})
    # and for the handling unit the stray key is an unknown field, not a keyword
    with pytest.raises(InvalidData):
        act(matter, "accept", users["staff_a"], D(2025, 3, 10), today=TODAY, data={"public": True})
    assert Matter.objects.get(pk=matter.pk).state == "received"


def test_declarations_refuse_reserved_field_names():
    from fazhi.procedures.declarations import Action, Field, Procedure

    with pytest.raises(ValueError, match="reserved"):
        Procedure(
            code="x",
            label="x",
            states={"received": "r"},
            closed_states=frozenset(),
            actions=(
                Action("appeal", "上诉", frozenset({"received"}), fields=(Field("by", "上诉人"),)),
            ),
        )


def test_outcome_has_a_chinese_label(matter, users):
    do(matter, "accept", users["staff_a"], D(2025, 3, 10))
    do(matter, "decide", users["staff_a"], D(2025, 4, 1), outcome="confirmed_unlawful")
    assert matter.outcome_label == "确认违法"
