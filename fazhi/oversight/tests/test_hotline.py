"""12345 hotline work orders (接诉即办): every action, the refusals, the limits by urgency tier,
returns with the dispatcher's approval, extensions with approval, and the three rates on a
hand-built set whose figures are counted here by hand."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from fazhi.core.models import Role
from fazhi.core.tests.factories import staff_user
from fazhi.indicators.engine import compute_indicators, drill_down
from fazhi.oversight.hotline import stats
from fazhi.procedures.errors import InvalidData, InvalidTransition, MissingData, NotAllowed
from fazhi.procedures.models import Clock, Matter
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date
SH = ZoneInfo("Asia/Shanghai")
TODAY = D(2025, 6, 30)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def order(org, by, received_on, *, received_at=None, urgent=False, category="噪音扰民"):
    return register_matter(
        "hotline_order",
        org=org,
        received_on=received_on,
        received_at=received_at,
        subject="夜间施工噪音扰民",
        by=by,
        channel="hotline",
        party={"name": "王女士", "phone": "13912345678"},
        details={
            "urgency": "urgent" if urgent else "ordinary",
            "category": category,
            "address": "铁西区北沟街道某小区",
        },
        today=TODAY,
    )


def do(matter, action, user, on, **data):
    return act(matter, action, user, on, today=TODAY, **data)


def clock(matter, limit):
    return Clock.objects.filter(matter=matter, limit=limit).order_by("-seq").first()


# --- actions and refusals -------------------------------------------------------------------


def test_the_whole_path_sign_conclude_revisit_reopen(district, users):
    m = order(district["a"], users["staff_a"], D(2024, 5, 6))
    assert m.state == "received"
    do(m, "sign", users["staff_a"], D(2024, 5, 6))
    assert m.state == "signed"
    do(m, "conclude", users["staff_a"], D(2024, 5, 8), result="已协调停工", resolved="yes")
    assert (m.state, m.outcome, m.closed_on) == ("concluded", "yes", D(2024, 5, 8))
    do(m, "revisit", users["staff_a"], D(2024, 5, 9), resolved="partly", satisfaction="satisfied")
    # the callback's satisfaction is the step's, not the matter's rating (the caller's alone)
    assert (m.state, m.outcome, m.satisfaction) == ("revisited", "partly", "")
    assert m.steps.get(action="revisit").data["satisfaction"] == "satisfied"
    do(m, "reopen", users["staff_a"], D(2024, 5, 10), reason="来电人反映仍有噪音")
    assert m.state == "signed" and m.closed_on is None
    # the conclusion's clock starts again from the reopening
    assert clock(m, "hotline_order.conclude").started_on == D(2024, 5, 10)
    do(m, "conclude", users["staff_a"], D(2024, 5, 13), result="已处罚", resolved="yes")
    assert m.state == "concluded"


def test_refusals(district, users):
    m = order(district["a"], users["staff_a"], D(2024, 5, 6))
    with pytest.raises(InvalidTransition, match="待签收"):
        do(m, "conclude", users["staff_a"], D(2024, 5, 7), result="x", resolved="yes")
    with pytest.raises(NotAllowed, match="承办"):  # another department's order
        do(m, "sign", users["staff_b"], D(2024, 5, 6))
    do(m, "sign", users["staff_a"], D(2024, 5, 6))
    with pytest.raises(MissingData, match="是否解决"):
        do(m, "conclude", users["staff_a"], D(2024, 5, 7), result="已处理")
    with pytest.raises(InvalidData, match="可选范围"):
        do(m, "conclude", users["staff_a"], D(2024, 5, 7), result="已处理", resolved="maybe")
    with pytest.raises(InvalidTransition, match="办理中"):
        do(m, "revisit", users["staff_a"], D(2024, 5, 7), resolved="yes", satisfaction="satisfied")
    do(m, "conclude", users["staff_a"], D(2024, 5, 7), result="已处理", resolved="yes")
    with pytest.raises(InvalidData, match="满意度"):
        do(m, "revisit", users["staff_a"], D(2024, 5, 8), resolved="yes", satisfaction="ok")
    with pytest.raises(InvalidTransition):  # a concluded order cannot be returned
        do(m, "request_return", users["staff_a"], D(2024, 5, 8), reason="不属本单位")


# --- returns with the dispatcher's approval ---------------------------------------------------


def test_a_return_is_requested_by_the_unit_and_approved_by_the_dispatcher(district, users):
    m = order(district["a"], users["staff_a"], D(2024, 5, 6))
    # no return without the unit's request, even by the dispatcher
    with pytest.raises(InvalidTransition, match="申请"):
        do(m, "return", users["office"], D(2024, 5, 6), reason="不属本单位职责")
    do(m, "request_return", users["staff_a"], D(2024, 5, 6), reason="不属本单位职责")
    assert m.state == "received"  # the request changes nothing yet
    with pytest.raises(InvalidTransition, match="等待"):
        do(m, "request_return", users["staff_a"], D(2024, 5, 6), reason="再次申请")
    # the unit cannot approve its own return: neither its staff nor its head
    for user in (users["staff_a"], users["head_a"]):
        with pytest.raises(NotAllowed, match="角色"):
            do(m, "return", user, D(2024, 5, 6), reason="不属本单位职责")
    do(m, "return", users["office"], D(2024, 5, 7), reason="不属本单位职责", approved_by="派单员甲")
    assert (m.state, m.outcome) == ("returned", "returned")
    assert m.closed_on == D(2024, 5, 7)
    step = m.steps.get(action="return")
    assert step.data["approved_by"] == "派单员甲"


def test_a_refused_return_leaves_the_order_with_the_unit(district, users):
    m = order(district["a"], users["staff_a"], D(2024, 5, 6))
    do(m, "sign", users["staff_a"], D(2024, 5, 6))
    do(m, "request_return", users["staff_a"], D(2024, 5, 7), reason="不属本单位职责")
    do(m, "refuse_return", users["office"], D(2024, 5, 7), reason="属于本单位职责")
    assert m.state == "signed"
    with pytest.raises(InvalidTransition, match="申请"):
        do(m, "return", users["office"], D(2024, 5, 8), reason="x")
    do(m, "request_return", users["staff_a"], D(2024, 5, 8), reason="补充理由")  # may ask again
    do(m, "return", users["leader"], D(2024, 5, 8), reason="补充理由")
    assert m.state == "returned"


# --- limits ---------------------------------------------------------------------------------


def test_an_ordinary_orders_last_day_on_a_holiday_moves(district, users):
    # dispatched Monday 2024-09-30; 10-01..10-07 National Day (09-29 and 10-12 make-up days):
    # 1 working day to sign ends on 10-08, not on 10-01
    m = order(district["a"], users["staff_a"], D(2024, 9, 30))
    assert m.due_on == D(2024, 10, 8)
    do(m, "sign", users["staff_a"], D(2024, 10, 8))
    assert clock(m, "hotline_order.sign").in_time is True
    # 5 working days from signing: 10-09, 10, 11, 12 (Saturday, a working day), 14
    assert m.due_on == D(2024, 10, 14)
    do(m, "conclude", users["staff_a"], D(2024, 10, 15), result="已处理", resolved="yes")
    assert clock(m, "hotline_order.conclude").in_time is False


def test_an_urgent_orders_hours_run_across_the_weekend(district, users):
    # dispatched Friday 2024-03-15 22:30: 2 hours to sign, through the night
    m = order(
        district["a"],
        users["staff_a"],
        D(2024, 3, 15),
        received_at=at(2024, 3, 15, 22, 30),
        urgent=True,
    )
    sign = clock(m, "hotline_order.sign_urgent")
    assert sign.due_at == at(2024, 3, 16, 0, 30)
    assert clock(m, "hotline_order.sign") is None  # one tier only
    do(m, "sign", users["staff_a"], D(2024, 3, 16), at=at(2024, 3, 16, 0, 10))
    assert clock(m, "hotline_order.sign_urgent").in_time is True
    # 24 hours to conclude from signing, counted through Saturday and Sunday
    conclude = clock(m, "hotline_order.conclude_urgent")
    assert conclude.due_at == at(2024, 3, 17, 0, 10)
    assert m.due_on == D(2024, 3, 17)
    do(
        m,
        "conclude",
        users["staff_a"],
        D(2024, 3, 17),
        at=at(2024, 3, 17, 0, 30),
        result="已处理",
        resolved="yes",
    )
    assert clock(m, "hotline_order.conclude_urgent").in_time is False  # 20 minutes late


def test_an_urgent_sign_two_and_a_half_hours_later_is_late(district, users):
    m = order(
        district["a"],
        users["staff_a"],
        D(2024, 3, 15),
        received_at=at(2024, 3, 15, 22, 30),
        urgent=True,
    )
    do(m, "sign", users["staff_a"], D(2024, 3, 16), at=at(2024, 3, 16, 1, 0))
    assert clock(m, "hotline_order.sign_urgent").in_time is False


def test_the_tiers_are_configuration(district, users, settings):
    # a deployment counts the urgent conclusion in working hours: Saturday and Sunday stop it
    settings.FAZHI_TIME_LIMIT_OVERRIDES = {
        "hotline_order.conclude_urgent": {"unit": "working_hours"},
        "hotline_order.sign": {"length": 2},
    }
    m = order(
        district["a"],
        users["staff_a"],
        D(2024, 3, 15),
        received_at=at(2024, 3, 15, 18, 0),
        urgent=True,
    )
    do(m, "sign", users["staff_a"], D(2024, 3, 15), at=at(2024, 3, 15, 20, 0))
    # Friday 20:00 + 4 hours to midnight, then Monday 00:00 + 20 hours
    assert clock(m, "hotline_order.conclude_urgent").due_at == at(2024, 3, 18, 20, 0)
    ordinary = order(district["a"], users["staff_a"], D(2024, 3, 15))
    assert ordinary.due_on == D(2024, 3, 19)  # 2 working days: Monday and Tuesday


def test_an_extension_needs_approval_and_has_a_ceiling(district, users):
    m = order(district["a"], users["staff_a"], D(2024, 5, 6))
    with pytest.raises(InvalidTransition, match="不能延长"):  # signing cannot be extended
        do(m, "request_extend", users["staff_a"], D(2024, 5, 6), days=2, reason="x")
    do(m, "sign", users["staff_a"], D(2024, 5, 6))
    assert m.due_on == D(2024, 5, 11)  # 5 working days: 7, 8, 9, 10, 11 (a make-up Saturday)
    with pytest.raises(NotAllowed, match="角色"):
        do(m, "extend", users["staff_a"], D(2024, 5, 8), days=3, reason="需现场勘查")
    do(m, "request_extend", users["staff_a"], D(2024, 5, 8), days=3, reason="需现场勘查")
    do(m, "extend", users["head_a"], D(2024, 5, 8), days=3, reason="需现场勘查")
    assert m.due_on == D(2024, 5, 15)  # 3 more: 13, 14, 15
    with pytest.raises(InvalidTransition, match="最多可延长"):
        do(m, "extend", users["head_a"], D(2024, 5, 9), days=8, reason="再延")
    do(m, "conclude", users["staff_a"], D(2024, 5, 15), result="已处理", resolved="yes")
    assert clock(m, "hotline_order.conclude").in_time is True


# --- the three rates on a hand-built set ---------------------------------------------------


@pytest.fixture
def year_2024(district, users):
    a, b, street = district["a"], district["b"], district["street"]
    street_staff = staff_user(street, Role.STAFF, "t_street")
    sa, sb = users["staff_a"], users["staff_b"]
    o = {}
    # o1: signed in time, concluded yes, revisited satisfied
    o[1] = order(a, sa, D(2024, 3, 4))
    do(o[1], "sign", sa, D(2024, 3, 5))
    do(o[1], "conclude", sa, D(2024, 3, 8), result="r", resolved="yes")
    do(o[1], "revisit", sa, D(2024, 3, 11), resolved="yes", satisfaction="satisfied")
    # o2: signed late, concluded partly, revisited: not resolved, dissatisfied
    o[2] = order(a, sa, D(2024, 3, 4), category="道路破损")
    do(o[2], "sign", sa, D(2024, 3, 7))
    do(o[2], "conclude", sa, D(2024, 3, 8), result="r", resolved="partly")
    do(o[2], "revisit", sa, D(2024, 3, 11), resolved="no", satisfaction="dissatisfied")
    # o3 (a street, urgent): signed within the 2 hours, concluded "no", the revisit finds it
    # resolved and the caller basically satisfied: the latest "resolved" counts
    o[3] = order(street, street_staff, D(2024, 4, 1), received_at=at(2024, 4, 1, 9, 0), urgent=True)
    do(o[3], "sign", street_staff, D(2024, 4, 1), at=at(2024, 4, 1, 10, 0))
    do(
        o[3],
        "conclude",
        street_staff,
        D(2024, 4, 1),
        at=at(2024, 4, 1, 18, 0),
        result="r",
        resolved="no",
    )
    do(
        o[3],
        "revisit",
        street_staff,
        D(2024, 4, 2),
        resolved="yes",
        satisfaction="basically_satisfied",
    )
    # o4: returned (left out of the response rate)
    o[4] = order(b, sb, D(2024, 5, 6))
    do(o[4], "request_return", sb, D(2024, 5, 6), reason="不属本单位")
    do(o[4], "return", users["office"], D(2024, 5, 7), reason="不属本单位")
    # o5: received 30 December, its day to sign not over at the cut-off: in neither
    o[5] = order(b, sb, D(2024, 12, 30))
    # o6: never signed, its limit over before the cut-off: counts against
    o[6] = order(b, sb, D(2024, 12, 2))
    # o7: concluded, then reopened (signed again at the cut-off: not in the resolution rate)
    o[7] = order(a, sa, D(2024, 6, 3))
    do(o[7], "sign", sa, D(2024, 6, 3))
    do(o[7], "conclude", sa, D(2024, 6, 5), result="r", resolved="yes")
    do(o[7], "reopen", sa, D(2024, 6, 7))
    # o8: received in 2023, concluded in 2024: concluded in 2024, not received in 2024
    o[8] = order(a, sa, D(2023, 12, 20))
    do(o[8], "sign", sa, D(2023, 12, 20))
    do(o[8], "conclude", sa, D(2024, 1, 5), result="r", resolved="yes")
    # o9: revisited only after the cut-off
    o[9] = order(a, sa, D(2024, 12, 23))
    do(o[9], "sign", sa, D(2024, 12, 23))
    do(o[9], "conclude", sa, D(2024, 12, 27), result="r", resolved="no")
    do(o[9], "revisit", sa, D(2025, 1, 3), resolved="yes", satisfaction="satisfied")
    return o


def test_the_three_rates_on_a_hand_built_set(district, year_2024):
    for source in ("tally", "base"):
        values = compute_indicators(district["root"], 2024, source=source).values
        assert values["hotline_order.received"] == 8  # o1–o7, o9
        assert values["hotline_order.concluded"] == 6  # o1, o2, o3, o7, o8, o9
        # response: o1, o3, o7, o9 in time; o2 late; o6 waiting past its day; o4, o5 not
        assert values["hotline_order.response_rate"] == Decimal("66.67")  # 4 / 6
        # resolution: concluded or revisited at the cut-off o1, o2, o3, o9; resolved o1, o3
        assert values["hotline_order.resolution_rate"] == Decimal(50)  # 2 / 4
        # satisfaction: revisited by the cut-off o1, o2, o3; satisfied o1, o3 (basically)
        assert values["hotline_order.satisfaction_rate"] == Decimal("66.67")  # 2 / 3
    later = compute_indicators(district["root"], 2024, D(2025, 1, 31)).values
    assert later["hotline_order.satisfaction_rate"] == Decimal(75)  # o9's revisit counts now
    assert later["hotline_order.resolution_rate"] == Decimal(75)  # and says resolved: 3 / 4


def test_the_records_behind_the_rates(district, year_2024):
    o = year_2024
    late = drill_down("hotline_order.response_rate", district["root"], 2024, part="denominator")
    assert {m.pk for m in late} == {o[i].pk for i in (1, 2, 3, 6, 7, 9)}
    resolved = drill_down("hotline_order.resolution_rate", district["root"], 2024)
    assert {m.pk for m in resolved} == {o[1].pk, o[3].pk}


def test_the_rates_per_unit_and_per_street(district, year_2024):
    rows = {r.unit.pk: r for r in stats.rates_by_unit(district["root"], 2024)}
    street = rows[district["street"].pk]
    assert street.is_street
    assert street.values["hotline_order.response_rate"] == Decimal(100)
    assert street.values["hotline_order.satisfaction_rate"] == Decimal(100)
    a = rows[district["a"].pk].values
    assert a["hotline_order.received"] == 4  # o1, o2, o7, o9
    assert a["hotline_order.response_rate"] == Decimal(75)  # o1, o7, o9 of o1, o2, o7, o9
    b = rows[district["b"].pk].values
    assert b["hotline_order.response_rate"] == Decimal(0)  # o6 only (o4 returned, o5 not due)
    assert b["hotline_order.resolution_rate"] is None  # no denominator: "—"


def test_the_months_common_categories(district, users, year_2024):
    cats = stats.top_categories(users["admin"], D(2024, 3, 1))
    assert cats == [("噪音扰民", 1), ("道路破损", 1)]
    # a department sees its own orders only
    assert stats.top_categories(users["staff_b"], D(2024, 3, 1)) == []


def test_the_callers_phone_is_masked_on_the_page(client, district, users, year_2024):
    from django.urls import reverse

    client.force_login(users["admin"])
    page = client.get(reverse("oversight-hotline:home"), {"year": 2024, "month": "2024-03"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "噪音扰民" in text and "测试街道办事处" in text
    assert "13912345678" not in text
    bad = client.get(reverse("oversight-hotline:home"), {"year": "20x4", "month": "2024-13"})
    assert bad.status_code == 200
    assert "年度“20x4”无效" in bad.content.decode()
    assert "月份“2024-13”无效" in bad.content.decode()
    assert Matter.objects.filter(procedure="hotline_order").count() == 9


def test_the_callers_phone_is_masked_for_staff_too(client, district, users):
    from django.urls import reverse

    m = order(district["a"], users["staff_a"], D(2024, 5, 6))
    client.force_login(users["staff_a"])
    page = client.get(reverse("workbench:matter-detail", args=[m.pk])).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    assert "签收" in page and "申请退单" in page  # the clerk's actions, from the declaration
    api = client.get(f"/api/v1/matters/{m.pk}/").json()
    assert api["party"]["phone"] == "139****5678"
    # staff still find the order by the caller's number
    found = Matter.objects.for_user(users["staff_a"]).filtered(today=TODAY, q="13912345678")
    assert list(found) == [m]
