"""Every action of the petition procedure 信访, its refusals and its limits (信访工作条例)."""

import datetime as dt

import pytest

from fazhi.core.models import Role
from fazhi.core.tests.factories import staff_user
from fazhi.procedures.errors import (
    InvalidData,
    InvalidTransition,
    MissingData,
    NotAllowed,
    ProcedureError,
)
from fazhi.procedures.models import Matter, MatterLink
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 12, 31)
PETITIONER = {"name": "李四", "id_number": "11010519491231002X", "phone": "13900001111"}


def petition(org, user, received, *, office=True, category="claim", first_time=True, **details):
    return make_matter(
        "petition",
        org,
        user,
        received,
        today=TODAY,
        subject="反映小区供暖不达标问题",
        party=PETITIONER,
        details={"category": category, "first_time": first_time, "office": office, **details},
    )


def do(matter, action, user, on, **data):
    step = act(matter, action, user, on, today=TODAY, **data)
    matter.refresh_from_db()
    return step


def running(matter, limit):
    return matter.clocks.running().get(limit=f"petition.{limit}")


@pytest.fixture
def head_b(district):
    return staff_user(district["b"], Role.HEAD, "t_head_b")


def test_the_office_routes_and_the_organ_then_holds_and_sees_it(district, users, head_b):
    a, b = district["a"], district["b"]
    m = petition(a, users["staff_a"], D(2025, 3, 3))
    assert m.reference.startswith("XF-2025-") and m.state == "received"
    # §22: the office disposes within 15 natural days, start day excluded → 03-18
    assert (m.due_on, m.due_rule) == (D(2025, 3, 18), "petition.route")
    assert "信访工作条例 第二十二条" in m.due_basis
    assert not Matter.objects.for_user(users["staff_b"]).filter(pk=m.pk).exists()
    step = do(m, "route", users["staff_a"], D(2025, 3, 10), mode="assigned", to_org=b.pk)
    assert m.state == "routed" and m.org == b
    assert step.data["from_org"] == a.pk and step.data["to_org_name"] == b.name
    assert step.org == a  # the office took the step
    # the handling organ now sees it; the office keeps sight of it (petitions/sight.py)
    assert Matter.objects.for_user(users["staff_b"]).filter(pk=m.pk).exists()
    assert Matter.objects.for_user(users["staff_a"]).filter(pk=m.pk).exists()
    route_clock = m.clocks.get(limit="petition.route")
    assert route_clock.answered_on == D(2025, 3, 10) and route_clock.in_time
    # §23: the organ's 15 days run from the routing step
    assert (m.due_on, m.due_rule) == (D(2025, 3, 25), "petition.accept")
    with pytest.raises(NotAllowed):
        do(m, "accept", users["staff_a"], D(2025, 3, 12))  # the office no longer holds it
    do(m, "accept", users["staff_b"], D(2025, 3, 12))
    assert m.state == "accepted"
    # §34: the opinion within 60 days of acceptance → 05-11 (Sunday) moves to Monday 05-12
    assert (m.due_on, m.due_rule) == (D(2025, 5, 12), "petition.conclude")
    with pytest.raises(ProcedureError, match="最多可延长30"):
        do(m, "extend", head_b, D(2025, 5, 1), days=31, reason="情况复杂")
    with pytest.raises(NotAllowed):
        do(m, "extend", users["staff_b"], D(2025, 5, 1), days=30, reason="情况复杂")
    do(m, "extend", head_b, D(2025, 5, 1), days=30, reason="情况复杂")
    assert m.due_on == D(2025, 6, 10)  # 90 days from 03-12
    do(m, "conclude", users["staff_b"], D(2025, 6, 5), opinion="责成供热公司限期整改。")
    assert (m.state, m.outcome, m.closed_on, m.due_on) == (
        "concluded",
        "concluded",
        D(2025, 6, 5),
        None,
    )


def test_review_and_rereview_windows(district, users):
    a, b = district["a"], district["b"]
    m = petition(a, users["staff_a"], D(2025, 3, 3), office=False)
    do(m, "accept", users["staff_a"], D(2025, 3, 5))
    do(m, "conclude", users["staff_a"], D(2025, 4, 1), opinion="不予支持。")
    # §35: a review within 30 days of the opinion (→ 05-01, a holiday → 05-06)
    with pytest.raises(ProcedureError, match="请求复查须在收到意见之日起30日内提出"):
        do(m, "request_review", users["staff_a"], D(2025, 5, 7))
    do(m, "request_review", users["staff_a"], D(2025, 5, 6), to_org=b.pk)
    assert m.state == "review_requested" and m.closed_on is None and m.org == b
    assert (m.due_on, m.due_rule) == (D(2025, 6, 5), "petition.review_opinion")
    do(m, "review_opinion", users["staff_b"], D(2025, 6, 3), opinion="维持原处理意见。")
    assert m.state == "reviewed" and m.closed_on == D(2025, 6, 3)
    with pytest.raises(ProcedureError, match="请求复核须在收到意见之日起30日内提出"):
        do(m, "request_rereview", users["staff_b"], D(2025, 7, 4))
    do(m, "request_rereview", users["staff_b"], D(2025, 7, 3))
    assert m.org == b  # no re-review organ named: it stays
    assert m.due_on == D(2025, 8, 2 + 2)  # 30 days → 08-02 (Saturday) → Monday 08-04
    # §36: the hearing's time does not count (entered as a suspension)
    do(m, "suspend", users["staff_b"], D(2025, 7, 10), reason="举行听证")
    do(m, "resume", users["staff_b"], D(2025, 7, 20))
    assert m.due_on == D(2025, 8, 13)  # 07-10..07-20, both days, do not count: 11 days later
    do(m, "rereview_opinion", users["staff_b"], D(2025, 8, 1), opinion="维持。", hearing=True)
    assert (m.state, m.outcome) == ("rereviewed", "rereviewed")
    with pytest.raises(InvalidTransition):
        do(m, "request_review", users["staff_b"], D(2025, 8, 2))


def test_direct_receipt_runs_the_organs_15_days_with_the_last_day_rule(district, users):
    # 2025-09-16 + 15 = 10-01, inside the National Day holiday (10-01..10-08) → 10-09
    m = petition(district["a"], users["staff_a"], D(2025, 9, 16), office=False)
    assert (m.due_on, m.due_rule) == (D(2025, 10, 9), "petition.accept")
    assert "第二十三条" in m.due_basis
    with pytest.raises(InvalidTransition):
        do(m, "conclude", users["staff_a"], D(2025, 9, 20), opinion="x")
    with pytest.raises(InvalidTransition):
        do(m, "divert", users["staff_a"], D(2025, 9, 20), channel="arbitration")
    do(m, "accept", users["staff_a"], D(2025, 10, 9))
    clock = m.clocks.get(limit="petition.accept")
    assert clock.in_time and clock.due_on == D(2025, 10, 9)


def test_refusals_by_the_office_and_by_the_organ(district, users):
    a, b = district["a"], district["b"]
    by_office = petition(a, users["staff_a"], D(2025, 1, 14))
    # 01-14 + 15 = 01-29, in the Spring Festival holiday (01-28..02-04) → 02-05
    assert by_office.due_on == D(2025, 2, 5)
    with pytest.raises(MissingData):
        do(by_office, "refuse", users["staff_a"], D(2025, 2, 5))
    do(
        by_office,
        "refuse",
        users["staff_a"],
        D(2025, 2, 6),
        reason="已经或者依法应当通过诉讼解决。",
    )
    assert (by_office.state, by_office.outcome) == ("refused", "refused")
    late = by_office.clocks.get(limit="petition.route")
    assert late.in_time is False  # a day after the due date
    routed = petition(a, users["staff_a"], D(2025, 3, 3))
    do(routed, "route", users["staff_a"], D(2025, 3, 4), mode="forwarded", to_org=b.pk)
    with pytest.raises(InvalidTransition):
        do(routed, "route", users["staff_b"], D(2025, 3, 4), mode="forwarded", to_org=b.pk)
    do(routed, "refuse", users["staff_b"], D(2025, 3, 19), reason="不属于本机关职权范围。")
    assert routed.clocks.get(limit="petition.accept").in_time is True  # 03-04 + 15 = 03-19


def test_route_needs_mode_and_organ(district, users):
    m = petition(district["a"], users["staff_a"], D(2025, 3, 3))
    with pytest.raises(MissingData):
        do(m, "route", users["staff_a"], D(2025, 3, 4), mode="assigned")
    with pytest.raises(InvalidData, match="不在可选范围内"):
        do(m, "route", users["staff_a"], D(2025, 3, 4), mode="sent", to_org=district["b"].pk)


def test_only_claims_run_the_60_days(district, users):
    m = petition(
        district["a"], users["staff_a"], D(2025, 3, 3), office=False, category="suggestion"
    )
    do(m, "accept", users["staff_a"], D(2025, 3, 4))
    assert m.due_on is None and not m.clocks.running().exists()
    do(m, "conclude", users["staff_a"], D(2025, 9, 1), opinion="建议已转有关部门参考。")
    assert m.state == "concluded"


def test_registration_needs_the_declared_fields(district, users):
    with pytest.raises(MissingData):
        make_matter(
            "petition",
            district["a"],
            users["staff_a"],
            D(2025, 3, 3),
            party=PETITIONER,
            details={"first_time": True},
        )
    with pytest.raises(MissingData):  # the petitioner is required
        make_matter(
            "petition",
            district["a"],
            users["staff_a"],
            D(2025, 3, 3),
            details={"category": "claim", "first_time": True},
        )
    with pytest.raises(InvalidData, match="不在可选范围内"):
        petition(district["a"], users["staff_a"], D(2025, 3, 3), category="complaint")
    assert not Matter.objects.of("petition").exists()


# --- repeats ----------------------------------------------------------------------------------


def test_a_repeat_names_the_earlier_petition(district, users):
    a, s = district["a"], users["staff_a"]
    first = petition(a, s, D(2025, 3, 3))
    repeat = petition(a, s, D(2025, 5, 6), first_time=False, repeat_of=first.reference)
    link = MatterLink.objects.get()
    assert (link.source, link.target, link.kind) == (repeat, first, "repeat_of")
    with pytest.raises(InvalidData, match="不能同时标为初次信访"):
        petition(a, s, D(2025, 5, 7), first_time=True, repeat_of=first.reference)
    with pytest.raises(InvalidData, match="找不到编号"):
        petition(a, s, D(2025, 5, 7), first_time=False, repeat_of="XF-2025-999999")


def test_staff_confirm_a_repeat_later(district, users):
    a, s = district["a"], users["staff_a"]
    first = petition(a, s, D(2025, 3, 3))
    later = petition(a, s, D(2025, 5, 6))
    do(later, "confirm_repeat", s, D(2025, 5, 7), repeat_of=first.reference)
    assert later.details["repeat_of"] == first.reference and later.details["first_time"] is False
    link = MatterLink.objects.get()
    assert (link.source, link.target, link.kind, link.created_on) == (
        later,
        first,
        "repeat_of",
        D(2025, 5, 7),
    )
    with pytest.raises(InvalidData, match="不能关联到自身"):
        do(first, "confirm_repeat", s, D(2025, 5, 7), repeat_of=first.reference)


# --- diversion ----------------------------------------------------------------------------------


def test_a_diversion_into_reconsideration_opens_it_and_links_both(district, users):
    a, b, s = district["a"], district["b"], users["staff_a"]
    m = petition(b, users["staff_b"], D(2025, 3, 3), office=False)
    do(m, "accept", users["staff_b"], D(2025, 3, 5))
    with pytest.raises(ProcedureError, match="导入行政复议未能登记：缺少“被申请人”"):
        do(m, "divert", users["staff_b"], D(2025, 3, 7), channel="reconsideration", to_org=a.pk)
    assert m.state == "accepted" and not Matter.objects.of("reconsideration").exists()
    step = do(
        m,
        "divert",
        users["staff_b"],
        D(2025, 3, 7),
        channel="reconsideration",
        to_org=a.pk,
        respondent="测试区市场监督管理局",
        contested_act="行政处罚决定",
    )
    assert (m.state, m.outcome, m.closed_on) == ("diverted", "reconsideration", D(2025, 3, 7))
    opened = Matter.objects.of("reconsideration").get()
    assert opened.org == a and opened.received_on == D(2025, 3, 7)
    assert opened.party_name == "李四" and opened.details["respondent"] == "测试区市场监督管理局"
    assert opened.state == "received" and opened.due_rule == "reconsideration.review"
    link = MatterLink.objects.get()
    assert (link.source, link.target, link.kind, link.step) == (m, opened, "diverted_to", step)
    # the reconsideration organ sees the opened matter, not the petition
    assert Matter.objects.for_user(s).filter(pk=opened.pk).exists()
    assert not Matter.objects.for_user(s).filter(pk=m.pk).exists()


def test_a_diversion_to_an_existing_matter_and_to_arbitration(district, users):
    a, s = district["a"], users["staff_a"]
    existing = make_matter("reconsideration", a, s, D(2025, 3, 6))
    m = petition(a, s, D(2025, 3, 3), office=False)
    do(m, "accept", s, D(2025, 3, 5))
    do(
        m,
        "divert",
        s,
        D(2025, 3, 7),
        channel="reconsideration",
        target_reference=existing.reference,
    )
    assert Matter.objects.of("reconsideration").count() == 1
    assert MatterLink.objects.get().target == existing
    other = petition(a, s, D(2025, 3, 3), office=False)
    do(other, "accept", s, D(2025, 3, 5))
    do(other, "divert", s, D(2025, 3, 7), channel="arbitration")
    assert other.state == "diverted" and MatterLink.objects.count() == 1


def test_the_declaration_is_confidential():
    from fazhi.procedures.declarations import get_procedure

    p = get_procedure("petition")
    assert p.confidential and not p.public_submission and not p.public_trackable


@pytest.mark.parametrize(
    ("channel", "data", "state"),
    [("mediation", {"venue": "people"}, "received"), ("litigation", {}, "served")],
)
def test_a_diversion_into_mediation_or_litigation_opens_it(district, users, channel, data, state):
    """The channels helper lit declares (fazhi/disputes/procedures): run once they are on main."""
    from fazhi.procedures.declarations import all_procedures

    if channel not in {p.code for p in all_procedures()}:
        pytest.skip(f"the {channel} procedure is not declared yet")
    b, s = district["b"], users["staff_a"]
    m = petition(district["a"], s, D(2025, 3, 3), office=False)
    do(m, "accept", s, D(2025, 3, 5))
    step = do(m, "divert", s, D(2025, 3, 7), channel=channel, to_org=b.pk, **data)
    opened = Matter.objects.of(channel).get()
    assert (opened.org, opened.state, opened.party_name) == (b, state, "李四")
    for key, value in data.items():
        assert opened.details[key] == value
    link = MatterLink.objects.get()
    assert (link.source, link.target, link.kind, link.step) == (m, opened, "diverted_to", step)
    assert not Matter.objects.for_user(users["staff_b"]).filter(pk=m.pk).exists()
