"""Several clocks on one matter (issue #12): parallel limits, a domain pause (补正), clocks in
hours across a weekend and a make-up working day, a minimum period as a guard, a length from
the matter, and the import replay giving the same clocks as ``act()``.

The test-only procedure ``clock_case`` below exercises every clock kind; the calendar is the
shipped one (2025: National Day 1–8 October, make-up working days Sunday 28 September and
Saturday 11 October).
"""

import datetime as dt

import pytest

from fazhi.core import clock
from fazhi.procedures.declarations import (
    Action,
    Deadline,
    Field,
    FieldType,
    Procedure,
    register,
)
from fazhi.procedures.errors import InvalidTransition
from fazhi.procedures.importing import import_records
from fazhi.procedures.models import Clock, Matter
from fazhi.procedures.services import act, register_matter
from fazhi.workdays import SHANGHAI, LimitKind, TimeLimit, Unit, register_limits

pytestmark = pytest.mark.django_db

D = dt.date
P = "clock_case"
TODAY = D(2025, 12, 31)

register_limits(
    TimeLimit("clock_case.review", "审查", 5, Unit.WORKING, "收到之日", "测试条例 第一条", "yes"),
    TimeLimit("clock_case.copy", "发送副本", 7, Unit.WORKING, "受理之日", "测试条例 第二条", "yes"),
    TimeLimit(
        "clock_case.reply", "答复", 10, Unit.WORKING, "发送副本之日", "测试条例 第二条", "yes"
    ),
    TimeLimit(
        "clock_case.decide",
        "决定",
        60,
        Unit.NATURAL,
        "受理之日",
        "测试条例 第三条",
        "yes",
        extension_max=30,
    ),
    TimeLimit("clock_case.sign", "签收", 2, Unit.WORKING_HOURS, "派单时刻", "测试规定", "—"),
    TimeLimit("clock_case.sign_urgent", "紧急签收", 2, Unit.HOURS, "派单时刻", "测试规定", "—"),
    TimeLimit(
        "clock_case.consult",
        "征求意见",
        30,
        Unit.NATURAL,
        "公开征求意见之日",
        "测试条例 第四条",
        "yes",
        kind=LimitKind.MINIMUM,
    ),
    TimeLimit("clock_case.perform", "履行", 60, Unit.NATURAL, "裁判之日", "测试条例 第五条", "yes"),
)


def _urgent(snap):
    return snap.details.get("urgency") == "urgent"


register(
    Procedure(
        code=P,
        label="计时测试事项",
        states={
            "received": "待审查",
            "correcting": "补正中",
            "accepted": "已受理",
            "signed": "已签收",
            "consulting": "征求意见中",
            "judged": "已裁判",
            "decided": "已决定",
            "refused": "不予受理",
        },
        closed_states=frozenset({"decided", "refused"}),
        actions=(
            Action("request_correction", "通知补正", frozenset({"received"}), "correcting"),
            Action("supply_correction", "补正", frozenset({"correcting"}), "received"),
            Action("accept", "受理", frozenset({"received"}), "accepted"),
            Action("refuse", "不予受理", frozenset({"received", "correcting"}), "refused"),
            Action("send_copy", "发送副本", frozenset({"accepted"})),
            Action("receive_reply", "收到答复", frozenset({"accepted"})),
            Action("decide", "决定", frozenset({"accepted", "signed", "judged"}), "decided"),
            Action("sign", "签收", frozenset({"received"}), "signed"),
            Action("open_consultation", "公开征求意见", frozenset({"received"}), "consulting"),
            Action("close_consultation", "结束征求意见", frozenset({"consulting"}), "accepted"),
            Action("judge", "裁判", frozenset({"received"}), "judged"),
        ),
        deadlines=(
            Deadline(
                "clock_case.review",
                frozenset({"received"}),
                ("register",),
                "受理审查",
                answered_by=("accept", "refuse"),
                paused_by=("request_correction",),
                resumed_by=("supply_correction",),
            ),
            Deadline(
                "clock_case.copy",
                frozenset({"accepted"}),
                ("accept",),
                "发送副本",
                answered_by=("send_copy",),
            ),
            Deadline(
                "clock_case.reply",
                frozenset({"accepted"}),
                ("send_copy",),
                "答复",
                answered_by=("receive_reply",),
            ),
            Deadline("clock_case.decide", frozenset({"accepted"}), ("accept",), "决定"),
            Deadline(
                "clock_case.sign_urgent",
                frozenset({"received"}),
                ("register",),
                "签收（紧急）",
                when=_urgent,
                answered_by=("sign",),
            ),
            Deadline(
                "clock_case.sign",
                frozenset({"received"}),
                ("register",),
                "签收",
                answered_by=("sign",),
            ),
            Deadline(
                "clock_case.consult",
                frozenset({"consulting"}),
                ("open_consultation",),
                "征求意见期",
            ),
            Deadline(
                "clock_case.perform",
                frozenset({"judged"}),
                ("judge",),
                "履行",
                length_from="perform_days",
            ),
        ),
        details=(
            Field(
                "urgency",
                "紧急程度",
                FieldType.CHOICE,
                choices=(("urgent", "紧急"), ("ordinary", "一般")),
                required=False,
            ),
            Field("perform_days", "履行期限（日）", FieldType.INT, required=False, min_value=1),
        ),
        reference_prefix="CK",
    )
)


def new(org, user, received_on, *, at=None, **details):
    with clock.frozen(dt.datetime(2025, 12, 31, 12, tzinfo=SHANGHAI)):
        return register_matter(
            P,
            org=org,
            received_on=received_on,
            received_at=at,
            subject="计时测试",
            by=user,
            details=details,
        )


def step(matter, user, action, on, *, at=None, **data):
    return act(matter, action, user, on, today=TODAY, at=at, **data)


def clocks(matter):
    return {c.limit.removeprefix("clock_case."): c for c in matter.clocks.order_by("seq")}


def moment(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def a(district):
    return district["a"]


@pytest.fixture
def s(users):
    return users["staff_a"]


def test_several_clocks_run_at_once_and_the_matter_is_due_at_the_earliest(a, s):
    m = new(a, s, D(2025, 3, 3), urgency="ordinary")  # Monday
    step(m, s, "accept", D(2025, 3, 5))
    c = clocks(m)
    assert c["review"].answered_on == D(2025, 3, 5)
    assert c["review"].in_time is True
    assert c["copy"].due_on == D(2025, 3, 14)  # 7 working days after Wed 5 March
    assert c["decide"].due_on == D(2025, 5, 6)  # 60 days: 4 May, in the May holiday → 6 May
    assert c["copy"].is_open and c["decide"].is_open
    m.refresh_from_db()
    assert (m.due_on, m.due_rule) == (D(2025, 3, 14), "clock_case.copy")

    step(m, s, "send_copy", D(2025, 3, 12))
    c = clocks(m)
    assert c["copy"].answered_action == "send_copy" and c["copy"].in_time is True
    assert c["reply"].due_on == D(2025, 3, 26)  # 10 working days after 12 March
    assert c["reply"].basis == "10个工作日，测试条例 第二条"
    m.refresh_from_db()
    assert m.due_on == D(2025, 3, 26)  # the reply's, before the decision's

    step(m, s, "receive_reply", D(2025, 3, 31))  # late
    step(m, s, "decide", D(2025, 4, 20))
    c = clocks(m)
    assert c["reply"].in_time is False
    assert c["decide"].answered_action == "decide" and c["decide"].in_time is True
    m.refresh_from_db()
    assert m.due_on is None and m.closed_on == D(2025, 4, 20)


def test_a_domain_action_pauses_and_resumes_a_clock(a, s):
    m = new(a, s, D(2025, 3, 3), urgency="ordinary")  # review: 5 working days → 10 March
    assert clocks(m)["review"].due_on == D(2025, 3, 10)
    step(m, s, "request_correction", D(2025, 3, 4))
    review = clocks(m)["review"]
    assert review.is_open and review.paused and review.due_on is None
    m.refresh_from_db()
    assert m.due_on is None and m.due_paused
    step(m, s, "supply_correction", D(2025, 3, 14))  # Friday
    review = clocks(m)["review"]
    # no working day ran before the pause (the notice's day does not count, nor the day the
    # corrections arrive): the five run from Monday 17 March
    assert review.due_on == D(2025, 3, 21)
    assert not review.paused
    assert Clock.objects.filter(matter=m, limit="clock_case.review").count() == 1
    step(m, s, "accept", D(2025, 3, 20))
    assert clocks(m)["review"].in_time is True


def test_generic_suspension_pauses_every_running_clock(a, s):
    m = new(a, s, D(2025, 3, 3), urgency="ordinary")
    step(m, s, "accept", D(2025, 3, 5))
    step(m, s, "suspend", D(2025, 3, 6), reason="鉴定")
    assert all(c.paused for c in clocks(m).values() if c.is_open)
    step(m, s, "resume", D(2025, 3, 10))
    c = clocks(m)
    assert c["copy"].due_on == D(2025, 3, 19)  # none used before the pause, seven from 11 March
    assert c["decide"].due_on == D(2025, 5, 9)  # prolonged by the 5 days of the pause


def test_an_extension_lengthens_only_the_clocks_that_may_be_extended(a, s, users):
    m = new(a, s, D(2025, 3, 3), urgency="ordinary")
    step(m, s, "accept", D(2025, 3, 5))
    act(m, "extend", users["head_a"], D(2025, 3, 6), today=TODAY, days=30, reason="复杂")
    c = clocks(m)
    assert c["decide"].due_on == D(2025, 6, 3)  # 90 days from 5 March
    assert c["copy"].due_on == D(2025, 3, 14)  # unchanged


def test_an_hour_clock_in_working_hours_skips_the_weekend_and_counts_a_make_up_day(a, s):
    # Friday 26 September 2025, 23:00; Saturday 27 is a rest day, Sunday 28 a make-up
    # working day (National Day 2025): one hour on Friday, one on Sunday
    m = new(a, s, D(2025, 9, 26), at=moment(2025, 9, 26, 23, 0), urgency="ordinary")
    sign = clocks(m)["sign"]
    assert sign.due_at == moment(2025, 9, 28, 1, 0)
    assert sign.due_on == D(2025, 9, 28)
    step(m, s, "sign", D(2025, 9, 28), at=moment(2025, 9, 28, 0, 59))
    assert clocks(m)["sign"].in_time is True


def test_an_hour_clock_over_a_plain_weekend_waits_for_monday(a, s):
    # Friday 12 September 2025, 17:30: Saturday and Sunday are rest days
    m = new(a, s, D(2025, 9, 12), at=moment(2025, 9, 12, 17, 30), urgency="ordinary")
    assert clocks(m)["sign"].due_at == moment(2025, 9, 12, 19, 30)  # within Friday itself
    m2 = new(a, s, D(2025, 9, 12), at=moment(2025, 9, 12, 23, 30), urgency="ordinary")
    assert clocks(m2)["sign"].due_at == moment(2025, 9, 15, 1, 30)  # Monday
    step(m2, s, "sign", D(2025, 9, 15), at=moment(2025, 9, 15, 2, 0))
    assert clocks(m2)["sign"].in_time is False


def test_an_urgent_hour_clock_runs_through_the_night_and_the_weekend(a, s):
    m = new(a, s, D(2025, 9, 27), at=moment(2025, 9, 27, 23, 30), urgency="urgent")  # Saturday
    c = clocks(m)
    assert "sign" not in c  # the urgent tier replaces the ordinary one
    assert c["sign_urgent"].due_at == moment(2025, 9, 28, 1, 30)
    assert c["sign_urgent"].basis == "2小时，测试规定"
    m.refresh_from_db()
    assert m.due_on == D(2025, 9, 28)


def test_a_step_without_a_moment_is_judged_by_its_date(a, s):
    # registered earlier than today without a moment: the hours count from the day's end
    m = new(a, s, D(2025, 9, 26), urgency="urgent")
    assert clocks(m)["sign_urgent"].due_at == moment(2025, 9, 27, 2, 0)
    step(m, s, "sign", D(2025, 9, 27))
    assert clocks(m)["sign_urgent"].in_time is True


def test_a_moment_on_another_day_is_refused(a, s):
    m = new(a, s, D(2025, 9, 26), urgency="urgent")
    with pytest.raises(Exception, match="不一致"):
        step(m, s, "sign", D(2025, 9, 27), at=moment(2025, 9, 28, 9, 0))


def test_a_minimum_period_refuses_an_early_end(a, s):
    m = new(a, s, D(2025, 3, 1))
    step(m, s, "open_consultation", D(2025, 3, 3))
    consult = clocks(m)["consult"]
    assert consult.minimum and consult.due_on == D(2025, 4, 2)  # 30 days after 3 March
    m.refresh_from_db()
    assert m.due_on is None  # a minimum period is no deadline: nothing is "overdue"
    with pytest.raises(InvalidTransition) as refused:
        step(m, s, "close_consultation", D(2025, 3, 20))
    assert "不少于" in refused.value.message and "2025-04-02" in refused.value.message
    assert m.steps.count() == 2  # nothing written
    step(m, s, "close_consultation", D(2025, 4, 2))
    assert clocks(m)["consult"].in_time is True


def test_a_length_from_the_matter(a, s):
    m = new(a, s, D(2025, 3, 1), perform_days=20)
    step(m, s, "judge", D(2025, 3, 3))
    perform = clocks(m)["perform"]
    assert perform.due_on == D(2025, 3, 24)  # 23 March is a Sunday
    assert perform.basis == "20日（自然日），测试条例 第五条"
    other = new(a, s, D(2025, 3, 1))
    step(other, s, "judge", D(2025, 3, 3))
    assert clocks(other)["perform"].due_on == D(2025, 5, 6)  # the limit's own 60 days


def _values(matter):
    return [
        (
            c.seq,
            c.limit,
            c.started_on,
            c.started_at,
            c.due_on,
            c.due_at,
            c.basis,
            c.paused,
            c.answered_on,
            c.answered_at,
            c.answered_action,
            c.in_time,
        )
        for c in matter.clocks.order_by("seq")
    ]


def test_import_replay_gives_the_same_clocks_as_act(a, s):
    by_act = new(a, s, D(2025, 9, 26), at=moment(2025, 9, 26, 23, 0), urgency="ordinary")
    step(by_act, s, "request_correction", D(2025, 9, 29))
    step(by_act, s, "supply_correction", D(2025, 10, 9))
    step(by_act, s, "accept", D(2025, 10, 10))
    step(by_act, s, "send_copy", D(2025, 10, 20))
    record = {
        "procedure": P,
        "reference": "CK-IMPORTED-1",
        "org": a.division_code or a.pk,
        "received_on": "2025-09-26",
        "received_at": "2025-09-26T23:00:00+08:00",
        "subject": "计时测试",
        "details": {"urgency": "ordinary"},
        "steps": [
            {"action": "request_correction", "on": "2025-09-29"},
            {"action": "supply_correction", "on": "2025-10-09"},
            {"action": "accept", "on": "2025-10-10"},
            {"action": "send_copy", "on": "2025-10-20"},
        ],
    }
    report = import_records(iter([(1, record, None)]), today=TODAY)
    assert report.committed and report.created == 1, report.errors
    imported = Matter.objects.get(reference="CK-IMPORTED-1")
    assert _values(imported) == _values(by_act)
    assert [v[1] for v in _values(imported)] == [
        "clock_case.review",
        "clock_case.sign",
        "clock_case.copy",
        "clock_case.decide",
        "clock_case.reply",
    ]
    assert (imported.due_on, imported.due_rule) == (by_act.due_on, by_act.due_rule)
    # appended later by a second import: the clocks are rewritten as act() would
    record["steps"].append({"action": "receive_reply", "on": "2025-10-30"})
    step(by_act, s, "receive_reply", D(2025, 10, 30))
    report = import_records(iter([(1, record, None)]), today=TODAY)
    assert report.updated == 1, report.errors
    assert _values(imported) == _values(by_act)


def test_import_refuses_an_early_end_of_a_minimum_period(a):
    record = {
        "procedure": P,
        "reference": "CK-IMPORTED-2",
        "org": a.division_code or a.pk,
        "received_on": "2025-03-01",
        "subject": "计时测试",
        "steps": [
            {"action": "open_consultation", "on": "2025-03-03"},
            {"action": "close_consultation", "on": "2025-03-10"},
        ],
    }
    report = import_records(iter([(1, record, None)]), today=TODAY)
    assert not report.committed
    assert report.errors[0].field == "steps[1].on"
    assert "不少于" in report.errors[0].message


def test_the_jsonl_export_keeps_the_moments(a, s):
    from fazhi.procedures.exporting import records as exported

    m = new(a, s, D(2025, 9, 26), at=moment(2025, 9, 26, 23, 0), urgency="ordinary")
    step(m, s, "sign", D(2025, 9, 28), at=moment(2025, 9, 28, 0, 59))
    (record,) = exported(Matter.objects.filter(pk=m.pk))
    assert record["received_at"] == "2025-09-26T23:00:00+08:00"
    assert record["steps"] == [
        {"action": "sign", "on": "2025-09-28", "at": "2025-09-28T00:59:00+08:00"}
    ]
    record["reference"] = "CK-AGAIN"
    report = import_records(iter([(1, record, None)]), today=TODAY)
    assert report.committed, report.errors
    assert _values(Matter.objects.get(reference="CK-AGAIN")) == _values(m)
