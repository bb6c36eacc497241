"""Procuratorial and judicial suggestions: the issuing organ, the reply with the measures taken
within 2 months or the suggestion's own limit (15 days in an urgent public-interest case), the
refusals."""

import datetime as dt

import pytest

from fazhi.procedures.errors import InvalidTransition, MissingData, NotAllowed
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 12, 31)
MARCH_31 = D(2025, 3, 31)


def suggestion(district, users, procedure="procuratorial_suggestion", on=MARCH_31, **extra):
    issuer = "铁西区人民检察院" if procedure == "procuratorial_suggestion" else "铁西区人民法院"
    return register_matter(
        procedure,
        org=district["a"],
        received_on=on,
        by=users["staff_a"],
        subject="关于规范行政执法程序的建议",
        details={"issuer": issuer, "document_number": "铁检建〔2025〕7号", **extra},
        today=TODAY,
    )


def do(matter, action, user, on, **data):
    return act(matter, action, user, on, today=TODAY, **data)


@pytest.mark.parametrize("procedure", ["procuratorial_suggestion", "judicial_suggestion"])
def test_two_months_by_the_month_rule_then_reply_with_measures_and_close(
    district, users, procedure
):
    m = suggestion(district, users, procedure)
    # 31 March + 2 months = 31 May, a Saturday: moved to Tuesday 3 June (2 June: Dragon Boat)
    assert m.due_on == D(2025, 6, 3)
    with pytest.raises(MissingData):
        do(m, "reply", users["staff_a"], D(2025, 5, 20))
    with pytest.raises(InvalidTransition):
        do(m, "close", users["staff_a"], D(2025, 5, 20))
    do(m, "reply", users["staff_a"], D(2025, 5, 20), measures="已修订执法程序规定并组织培训")
    assert (m.state, m.outcome) == ("replied", "replied")
    reply = m.steps.get(action="reply")
    assert reply.data["measures"] == "已修订执法程序规定并组织培训"
    assert m.clocks.get(limit=f"{procedure}.reply").in_time is True
    do(m, "close", users["staff_a"], D(2025, 5, 21))
    assert m.state == "closed" and m.closed_on == D(2025, 5, 21)


def test_the_suggestions_own_limit_replaces_two_months(district, users):
    m = suggestion(district, users, on=D(2025, 3, 3), reply_months=3)
    assert m.due_on == D(2025, 6, 3)
    do(m, "reply", users["staff_a"], D(2025, 5, 30), measures="已整改")
    assert m.clocks.get(limit="procuratorial_suggestion.reply").in_time is True


def test_an_urgent_public_interest_case_has_fifteen_days(district, users):
    m = suggestion(district, users, on=D(2025, 9, 1), urgent=True)
    assert m.due_on == D(2025, 9, 16)
    do(m, "reply", users["staff_a"], D(2025, 9, 18), measures="已责令停止排污")
    urgent = m.clocks.get(limit="procuratorial_suggestion.reply_urgent")
    assert urgent.in_time is False  # late on the urgent limit


def test_a_late_reply_is_not_in_time(district, users):
    m = suggestion(district, users, "judicial_suggestion", on=D(2025, 1, 6))
    do(m, "reply", users["staff_a"], D(2025, 3, 10), measures="已完善制度")
    assert m.clocks.get(limit="judicial_suggestion.reply").in_time is False


def test_another_department_cannot_reply_and_the_issuer_is_required(district, users):
    m = suggestion(district, users)
    with pytest.raises(NotAllowed):
        do(m, "reply", users["staff_b"], D(2025, 4, 10), measures="x")
    with pytest.raises(MissingData):
        register_matter(
            "judicial_suggestion",
            org=district["a"],
            received_on=D(2025, 3, 3),
            by=users["staff_a"],
            subject="无发出机关",
            details={},
            today=TODAY,
        )
