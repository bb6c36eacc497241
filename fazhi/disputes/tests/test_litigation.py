"""Every action and refusal of litigation (行政应诉), its 15-day defence with the last-day rule,
the performance clock a judgment sets, and the litigation.* indicators with their drill-down."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core import clock
from fazhi.indicators.engine import compute_indicators, drill_down
from fazhi.procedures.errors import InvalidTransition, MissingData
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 12, 31)


def do(matter, action, user, on, **data):
    with clock.frozen(TODAY):
        return act(matter, action, user, on, today=TODAY, **data)


def case(district, users, served, **details):
    return make_matter(
        "litigation", district["b"], users["staff_b"], served, today=TODAY, details=details
    )


def values(district, year=2025, as_of=None):
    out = {}
    for source in ("tally", "base"):
        got = compute_indicators(district["root"], year, as_of, source=source).values
        if out:
            assert got == out, "tally and base disagree"
        out = got
    return out


def test_defence_is_due_in_15_natural_days_moved_off_a_rest_day(district, users):
    # served Wed 2025-09-17: 15 days end Thu 10-02, inside the National Day holiday
    # (10-01..10-08): the period ends on the next working day, Thu 10-09 (民法典 §203)
    m = case(district, users, D(2025, 9, 17))
    assert m.state == "served"
    assert (m.due_on, m.due_rule) == (D(2025, 10, 9), "litigation.defend")
    assert "行政诉讼法 第六十七条" in m.due_basis
    # served Mon 2025-03-03: ends Tue 03-18, a working day
    assert case(district, users, D(2025, 3, 3)).due_on == D(2025, 3, 18)


def test_walk_defend_hear_judge_appeal_judge_perform(district, users):
    s = users["staff_b"]
    m = case(
        district, users, D(2025, 3, 3), court="铁西区人民法院", case_number="（2025）吉0302行初1号"
    )
    with pytest.raises(InvalidTransition):
        do(m, "hear", s, D(2025, 3, 10), head_appeared=True)  # not before the defence
    with pytest.raises(InvalidTransition):
        do(m, "judge", s, D(2025, 3, 10), outcome="organ_won", effective=False)
    do(m, "defend", s, D(2025, 3, 18))  # the last day: in time
    assert m.state == "defended" and m.due_on is None
    with pytest.raises(MissingData):
        do(m, "hear", s, D(2025, 4, 1))  # head_appeared is required
    with pytest.raises(InvalidTransition):
        do(m, "hear", s, D(2025, 4, 1), head_appeared=True, hearing_on="2025-04-02")
    do(m, "hear", s, D(2025, 4, 1), head_appeared=True, hearing_on="2025-04-01")
    do(m, "hear", s, D(2025, 5, 6), head_appeared=False)
    assert m.state == "defended"
    with pytest.raises(InvalidTransition):  # a time to perform only for an effective judgment lost
        do(m, "judge", s, D(2025, 6, 3), outcome="organ_won", effective=False, perform_days=30)
    do(m, "judge", s, D(2025, 6, 3), outcome="organ_lost", effective=False)
    assert m.state == "judged" and m.outcome == "organ_lost" and m.due_on is None
    with pytest.raises(InvalidTransition):  # nothing to perform yet
        do(m, "perform", s, D(2025, 6, 10))
    with pytest.raises(InvalidTransition):  # not effective: not concluded
        do(m, "conclude", s, D(2025, 6, 10))
    do(m, "appeal", s, D(2025, 6, 15), appellant="organ")
    assert m.state == "appealed"
    do(m, "hear", s, D(2025, 8, 1), head_appeared=True)
    do(m, "judge", s, D(2025, 9, 1), outcome="organ_lost", effective=True, perform_days=30)
    assert (m.due_on, m.due_rule) == (D(2025, 10, 9), "litigation.perform")  # 10-01 holiday
    with pytest.raises(InvalidTransition):
        do(m, "conclude", s, D(2025, 9, 5))  # there is something to perform
    do(m, "petition_retrial", s, D(2025, 9, 20), petitioner="organ")
    assert m.state == "retrial_petitioned" and m.due_on == D(2025, 10, 9)  # still runs (§90)
    do(m, "perform", s, D(2025, 10, 9), result="已重新作出决定")
    assert m.state == "performed" and m.closed_on == D(2025, 10, 9)
    perform = m.clocks.get(limit="litigation.perform")
    assert perform.in_time is True and perform.answered_action == "perform"
    v = values(district)
    assert v["litigation.cases"] == 1
    assert v["litigation.hearings"] == 3
    assert v["litigation.head_appearance_rate"] == Decimal("66.67")
    assert v["litigation.appeals"] == 1
    assert v["litigation.retrial_petitions"] == 1
    assert v["litigation.unperformed_judgments"] == 0
    assert v["litigation.defence_timely_rate"] == Decimal(100)


def test_unperformed_judgments_count_late_and_overdue_ones(district, users):
    s = users["staff_b"]
    late, waiting, on_time, won = (case(district, users, D(2025, 2, 3)) for _ in range(4))
    for m in (late, waiting, on_time, won):
        do(m, "defend", s, D(2025, 2, 10))
    for m in (late, waiting, on_time):
        do(m, "judge", s, D(2025, 5, 5), outcome="organ_lost", effective=True, perform_days=10)
    do(won, "judge", s, D(2025, 5, 5), outcome="organ_won", effective=True)
    do(won, "conclude", s, D(2025, 5, 30))
    do(on_time, "perform", s, D(2025, 5, 15))
    do(late, "perform", s, D(2025, 6, 20))  # due 05-15
    assert late.clocks.get(limit="litigation.perform").in_time is False
    v = values(district)
    assert v["litigation.unperformed_judgments"] == 2
    assert {
        m.pk for m in drill_down("litigation.unperformed_judgments", district["root"], 2025)
    } == {
        late.pk,
        waiting.pk,
    }
    # on 05-15 nothing was late yet; on 06-01 two were (the late one not performed yet)
    assert values(district, as_of=D(2025, 5, 15))["litigation.unperformed_judgments"] == 0
    assert values(district, as_of=D(2025, 6, 1))["litigation.unperformed_judgments"] == 2
    assert v["litigation.cases"] == 4


def test_second_instance_cases_are_not_counted_as_cases(district, users):
    case(district, users, D(2025, 4, 1), instance="second")
    case(district, users, D(2025, 4, 1), instance="first")
    case(district, users, D(2025, 4, 1))
    v = values(district)
    assert v["litigation.cases"] == 2
    assert v["litigation.head_appearance_rate"] is None  # no hearing: "—", not 0% or 100%
    assert drill_down("litigation.cases", district["root"], 2025).count() == 2


def test_late_defence_counts_against_the_rate_even_before_it_is_filed(district, users):
    s = users["staff_b"]
    a = case(district, users, D(2025, 3, 3))
    b = case(district, users, D(2025, 3, 3))
    case(district, users, D(2025, 12, 29))  # its 15 days have not ended by the cut-off
    do(a, "defend", s, D(2025, 3, 19))  # a day late
    assert values(district)["litigation.defence_timely_rate"] == Decimal(0)
    do(b, "defend", s, D(2025, 3, 10))
    assert values(district)["litigation.defence_timely_rate"] == Decimal(50)
