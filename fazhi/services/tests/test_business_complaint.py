"""Every transition of business_complaint (营商环境投诉举报), refusals included, and its deadlines.

Triage within 3 working days of receipt; conclusion within 15 working days of acceptance,
restarting on a reopening; the public rates and may ask to reopen only after "不满意".
"""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.procedures.errors import (
    InvalidData,
    InvalidDate,
    InvalidTransition,
    MissingData,
    NotAllowed,
    UnknownAction,
)
from fazhi.procedures.models import Matter, Step
from fazhi.procedures.services import act, find_for_tracking
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 12, 31)


@pytest.fixture
def matter(district, users):
    # Received Friday 2025-09-26; 2025-09-28 (Sunday) and 10-11 (Saturday) are make-up working
    # days of the National Day holiday (10-01..10-08): triage due Tuesday 2025-09-30.
    return make_matter(
        "business_complaint",
        district["a"],
        users["staff_a"],
        D(2025, 9, 26),
        party={"name": "某某有限公司", "id_number": "91350100M000100Y43"},
        details={"respondent": "某审批窗口", "content": "营业执照变更超期未办"},
    )


def do(matter, action, user, on, **data):
    return act(matter, action, user, on, today=TODAY, **data)


def public(matter, action, on, **data):
    return act(matter, action, None, on, public=True, today=TODAY, **data)


def accepted(matter, users, on):
    do(matter, "accept", users["staff_a"], on)
    return matter


@pytest.fixture
def june(district, users):
    # Received Monday 2025-06-02, the last day of the Dragon Boat holiday (05-31..06-02):
    # triage counts from the next working day.
    return make_matter("business_complaint", district["a"], users["staff_a"], D(2025, 6, 2))


# --- registration and triage ---------------------------------------------------------------


def test_register_sets_the_triage_deadline(matter):
    assert matter.state == "received"
    assert matter.reference.startswith("YS-2025-")
    assert matter.due_on == D(2025, 9, 30)  # Sun 09-28 (make-up day), Mon 09-29, Tue 09-30
    assert matter.due_rule == "business_complaint.triage"
    assert "3个工作日" in matter.due_basis or "3" in matter.due_basis
    assert matter.details == {
        "respondent": "某审批窗口",
        "content": "营业执照变更超期未办",
        "consent_publish": False,
    }


def test_triage_from_a_rest_day(june):
    assert june.due_on == D(2025, 6, 5)  # 06-03, 06-04, 06-05


def test_accept_starts_the_15_working_day_conclusion_limit(matter, users):
    do(matter, "accept", users["staff_a"], D(2025, 9, 29))
    assert matter.state == "in_scope"
    assert matter.due_rule == "business_complaint.conclude"
    # from 09-29: 09-30, then the holiday 10-01..10-08, Sat 10-11 is a make-up working day:
    # 10-09, 10-10, 10-11, 10-13..10-17, 10-20..10-24, 10-27 → the 15th is Monday 10-27
    assert matter.due_on == D(2025, 10, 27)
    assert matter.closed_on is None


def test_refuse_needs_a_reason_and_closes(matter, users):
    with pytest.raises(MissingData, match="不予受理理由"):
        do(matter, "refuse", users["staff_a"], D(2025, 9, 29))
    do(matter, "refuse", users["staff_a"], D(2025, 9, 29), reason="不属于营商环境投诉范围")
    assert matter.state == "out_of_scope"
    assert matter.outcome == "out_of_scope"
    assert matter.closed_on == D(2025, 9, 29)
    assert matter.due_on is None
    step = Step.objects.get(matter=matter, action="refuse")
    assert step.data == {"reason": "不属于营商环境投诉范围"}


def test_conclude_needs_a_result(matter, users):
    accepted(matter, users, D(2025, 9, 29))
    with pytest.raises(MissingData, match="办理结果"):
        do(matter, "conclude", users["staff_a"], D(2025, 10, 9))
    do(matter, "conclude", users["staff_a"], D(2025, 10, 9), result="已督促窗口办结变更登记")
    assert matter.state == "concluded"
    assert matter.outcome == "concluded"
    assert matter.closed_on == D(2025, 10, 9)
    assert matter.due_on is None


def test_unknown_data_is_refused(matter, users):
    with pytest.raises(InvalidData, match="不接受字段"):
        do(matter, "accept", users["staff_a"], D(2025, 9, 29), reason="多余")
    with pytest.raises(UnknownAction):
        do(matter, "decide", users["staff_a"], D(2025, 9, 29))


# --- wrong state ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("conclude", {"result": "x"}),
        ("rate", {"satisfaction": "satisfied"}),
        ("reopen", {"reason": "x"}),
    ],
)
def test_actions_refused_before_acceptance(matter, users, action, data):
    user = None if action == "rate" else users["staff_a"]  # rating: the submitter's action
    with pytest.raises(InvalidTransition, match="待受理"):
        act(matter, action, user, D(2025, 9, 29), public=user is None, today=TODAY, **data)


def test_no_second_triage(matter, users):
    accepted(matter, users, D(2025, 9, 29))
    with pytest.raises(InvalidTransition):
        do(matter, "accept", users["staff_a"], D(2025, 9, 30))
    with pytest.raises(InvalidTransition):
        do(matter, "refuse", users["staff_a"], D(2025, 9, 30), reason="x")


def test_refused_matter_takes_no_further_action(matter, users):
    do(matter, "refuse", users["staff_a"], D(2025, 9, 29), reason="重复投诉")
    for action, data in (
        ("accept", {}),
        ("conclude", {"result": "x"}),
        ("reopen", {"reason": "x"}),
    ):
        with pytest.raises(InvalidTransition, match="不予受理"):
            do(matter, action, users["staff_a"], D(2025, 9, 30), **data)
    with pytest.raises(InvalidTransition):  # generic actions run on open matters only
        do(matter, "suspend", users["staff_a"], D(2025, 9, 30), reason="x")
    do(matter, "note", users["staff_a"], D(2025, 9, 30), text="已电话告知投诉人")  # notes still


def test_dates_in_order_and_not_in_the_future(matter, users):
    with pytest.raises(InvalidDate, match="早于"):
        do(matter, "accept", users["staff_a"], D(2025, 9, 25))
    with pytest.raises(InvalidDate, match="晚于今天"):
        do(matter, "accept", users["staff_a"], D(2026, 1, 2))


# --- roles and scope -----------------------------------------------------------------------


def test_public_may_not_handle(matter):
    for action in ("accept", "refuse", "conclude", "reopen"):
        with pytest.raises(NotAllowed, match="公众"):
            public(matter, action, D(2025, 9, 29), reason="x")


@pytest.mark.parametrize("who", ["staff_b", "leader"])
def test_another_department_and_leaders_may_not_act(matter, users, who):
    with pytest.raises(NotAllowed):
        do(matter, "accept", users[who], D(2025, 9, 29))
    assert Matter.objects.get(pk=matter.pk).state == "received"


def test_head_and_law_office_may_act(matter, users):
    do(matter, "accept", users["head_a"], D(2025, 9, 29))
    do(matter, "conclude", users["office"], D(2025, 9, 30), result="已协调办结")
    assert matter.state == "concluded"


def test_another_department_gets_404_on_the_page(client, matter, users):
    client.force_login(users["staff_b"])
    url = reverse("workbench:matter-detail", args=[matter.pk])
    assert client.get(url).status_code == 404
    act_url = reverse("workbench:matter-act", args=[matter.pk, "accept"])
    assert client.post(act_url, {"on": "2025-09-29"}).status_code == 404
    client.force_login(users["staff_a"])
    assert client.get(url).status_code == 200


# --- rating and reopening ------------------------------------------------------------------


@pytest.fixture
def concluded(matter, users):
    accepted(matter, users, D(2025, 9, 29))
    do(matter, "conclude", users["staff_a"], D(2025, 10, 10), result="已办结变更登记")
    return matter


def test_public_rates_a_concluded_matter(concluded):
    public(concluded, "rate", D(2025, 10, 13), satisfaction="satisfied", comment="处理及时")
    assert concluded.satisfaction == "satisfied"
    assert concluded.state == "concluded"
    assert concluded.closed_on == D(2025, 10, 10)  # rating keeps the matter closed
    step = Step.objects.get(matter=concluded, action="rate")
    assert step.actor_label == "公众"
    assert step.actor is None


def test_rating_must_be_a_known_choice(concluded):
    with pytest.raises(InvalidData, match="满意度"):
        public(concluded, "rate", D(2025, 10, 13), satisfaction="great")
    with pytest.raises(MissingData):
        public(concluded, "rate", D(2025, 10, 13))


def test_staff_may_not_rate_for_the_submitter(concluded, users):
    # #19 defect 2: a clerk's 满意 replaced the citizen's rating
    for who in ("staff_a", "head_a", "office", "admin"):
        with pytest.raises(NotAllowed, match="提交人"):
            do(concluded, "rate", users[who], D(2025, 10, 13), satisfaction="satisfied")
    assert concluded.satisfaction == ""


def test_public_reopen_only_after_a_dissatisfied_rating(concluded):
    with pytest.raises(InvalidTransition, match="不满意"):
        public(concluded, "request_reopen", D(2025, 10, 13), reason="问题未解决")
    public(concluded, "rate", D(2025, 10, 13), satisfaction="basically_satisfied")
    with pytest.raises(InvalidTransition, match="不满意"):
        public(concluded, "request_reopen", D(2025, 10, 13), reason="问题未解决")
    public(concluded, "rate", D(2025, 10, 14), satisfaction="dissatisfied", comment="仍未办")
    public(concluded, "request_reopen", D(2025, 10, 14), reason="变更登记仍未完成")
    assert concluded.state == "in_scope"
    assert concluded.closed_on is None
    assert concluded.outcome == ""  # the old outcome no longer stands
    # the conclusion limit restarts: 15 working days from Tuesday 10-14 → Tuesday 11-04
    assert concluded.due_on == D(2025, 11, 4)
    assert concluded.due_rule == "business_complaint.conclude"


def test_staff_may_not_request_reopen_and_public_may_not_reopen(concluded, users):
    public(concluded, "rate", D(2025, 10, 13), satisfaction="dissatisfied")
    with pytest.raises(NotAllowed):
        do(concluded, "request_reopen", users["staff_a"], D(2025, 10, 13), reason="x")
    with pytest.raises(NotAllowed, match="公众"):
        public(concluded, "reopen", D(2025, 10, 13), reason="x")


def test_staff_reopen_any_time_restarts_the_limit(concluded, users):
    with pytest.raises(MissingData, match="重办理由"):
        do(concluded, "reopen", users["staff_a"], D(2025, 10, 20))
    do(concluded, "reopen", users["staff_a"], D(2025, 10, 20), reason="复核发现处理不当")
    assert concluded.state == "in_scope"
    assert concluded.due_on == D(2025, 11, 10)  # 15 working days from Monday 10-20
    do(concluded, "conclude", users["staff_a"], D(2025, 11, 5), result="重新办结")
    assert concluded.closed_on == D(2025, 11, 5)


def test_the_public_finds_it_by_reference_and_code(concluded):
    assert find_for_tracking(concluded.reference, concluded.verification_code) == concluded
    assert find_for_tracking(concluded.reference, "WRONG1") is None


# --- suspension and extension --------------------------------------------------------------


def test_suspension_stops_the_clock(matter, users):
    accepted(matter, users, D(2025, 9, 29))  # due 10-27
    do(matter, "suspend", users["staff_a"], D(2025, 10, 13), reason="等待企业补充材料")
    assert matter.due_on is None
    assert matter.due_paused is True
    with pytest.raises(InvalidTransition, match="已中止"):
        do(matter, "suspend", users["staff_a"], D(2025, 10, 14), reason="重复")
    do(matter, "resume", users["staff_a"], D(2025, 10, 17))
    # paused Mon 10-13 .. Fri 10-17: five working days do not count → 10-27 + 5 → 11-03
    assert matter.due_on == D(2025, 11, 3)
    assert matter.due_paused is False
    with pytest.raises(InvalidTransition, match="未中止"):
        do(matter, "resume", users["staff_a"], D(2025, 10, 20))


def test_extension_is_refused_by_law(matter, users):
    accepted(matter, users, D(2025, 9, 29))
    with pytest.raises(NotAllowed):  # staff may not approve at all
        do(matter, "extend", users["staff_a"], D(2025, 10, 9), days=5, reason="情况复杂")
    with pytest.raises(
        InvalidTransition
    ) as refused:  # the head may, but the limit has no extension
        do(matter, "extend", users["head_a"], D(2025, 10, 9), days=5, reason="情况复杂")
    assert refused.value.message == "不能执行“延期”：“涉企投诉办结”的期限依法不能延长。"
    assert matter.due_on == D(2025, 10, 27)
    assert not Step.objects.filter(matter=matter, action="extend").exists()


# --- transfer and history ------------------------------------------------------------------


def test_transfer_and_return(matter, district, users):
    do(matter, "transfer", users["staff_a"], D(2025, 9, 29), to_org=district["b"].pk, reason="职责")
    assert matter.org == district["b"]
    with pytest.raises(NotAllowed):
        do(matter, "accept", users["staff_a"], D(2025, 9, 29))
    do(matter, "return", users["staff_b"], D(2025, 9, 30), reason="不属本单位职责")
    assert matter.org == district["a"]
    assert matter.due_on == D(2025, 9, 30)  # transfers do not restart the triage limit


def test_failed_action_writes_nothing(matter, users):
    before = (Step.objects.count(), Matter.objects.get(pk=matter.pk).state)
    with pytest.raises(MissingData):
        do(matter, "refuse", users["staff_a"], D(2025, 9, 29))
    assert (Step.objects.count(), Matter.objects.get(pk=matter.pk).state) == before


def test_full_history_is_kept(concluded, users):
    public(concluded, "rate", D(2025, 10, 13), satisfaction="dissatisfied")
    public(concluded, "request_reopen", D(2025, 10, 13), reason="未解决")
    actions = list(concluded.steps.values_list("action", "state_before", "state_after"))
    assert actions == [
        ("register", "", "received"),
        ("accept", "received", "in_scope"),
        ("conclude", "in_scope", "concluded"),
        ("rate", "concluded", "concluded"),
        ("request_reopen", "concluded", "in_scope"),
    ]
