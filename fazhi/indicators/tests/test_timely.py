"""Timely rates (spec/indicators.md, "Timely rates") on real clocks: the ``Timely`` source over
the ``Clock`` rows that ``act()`` writes for the test-only sample domain's ``sample_case``
(accept within 3 working days of receipt; conclude within 10 working days of acceptance)."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.indicators.engine import Facts, evaluate, gather, period_of, source_records
from fazhi.indicators.registry import Indicator, Matters, Timely, timely
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)
Y = 2024
P = "sample_case"


def case(org, user, received, *steps):
    m = make_matter(P, org, user, received, today=TODAY, details={"category": "goods"})
    for action, on, *data in steps:
        act(m, action, user, on, today=TODAY, **(data[0] if data else {}))
    return m


def rate(org, num, den, as_of=None):
    ind = Indicator("t", "t", "6", "", "%", numerator=num, denominator=den)
    facts: Facts = gather(org, period_of(Y, as_of), [ind])
    return evaluate([ind], facts)["t"]


def records(src, org, as_of=None):
    return {m.pk for m in source_records(src, org, period_of(Y, as_of))}


@pytest.fixture
def cases(district, users):
    a, s = district["a"], users["staff_a"]
    return {
        # Friday 1 March: 3 working days → Wednesday 6 March
        "in_time": case(a, s, D(2024, 3, 1), ("accept", D(2024, 3, 4))),
        "late": case(a, s, D(2024, 3, 1), ("accept", D(2024, 3, 11))),
        "refused_in_time": case(
            a, s, D(2024, 3, 1), ("refuse", D(2024, 3, 6), {"reason": "不属于受理范围"})
        ),
        # received 30 December, due 3 January 2025 (New Year's Day off), handled then:
        # at the year's end it counts in neither the numerator nor the denominator
        "handled_after": case(a, s, D(2024, 12, 30), ("accept", D(2025, 1, 3))),
        # due 5 December, accepted only in January: waiting past its limit at the year's end
        "waiting_then_late": case(a, s, D(2024, 12, 2), ("accept", D(2025, 1, 6))),
        # due 5 December, never handled
        "waiting": case(a, s, D(2024, 12, 2)),
    }


def test_timely_rate_at_the_years_end(district, cases):
    num, den = timely(Matters(P), "sample_case.accept")
    root = district["root"]
    # in time: in_time, refused_in_time; against: late, waiting_then_late, waiting
    assert rate(root, num, den) == Decimal("40.00")
    assert records(num, root) == {cases["in_time"].pk, cases["refused_in_time"].pk}
    assert records(den, root) == {
        cases["in_time"].pk,
        cases["late"].pk,
        cases["refused_in_time"].pk,
        cases["waiting_then_late"].pk,
        cases["waiting"].pk,
    }
    assert cases["handled_after"].pk not in records(den, root)


def test_a_later_cut_off_sees_the_steps_taken_after_the_year(district, cases):
    num, den = timely(Matters(P), "sample_case.accept")
    root = district["root"]
    # by 10 January 2025: handled_after answered in time, waiting_then_late answered late
    assert records(num, root, D(2025, 1, 10)) == {
        cases["in_time"].pk,
        cases["refused_in_time"].pk,
        cases["handled_after"].pk,
    }
    assert len(records(den, root, D(2025, 1, 10))) == 6
    assert rate(root, num, den, D(2025, 1, 10)) == Decimal("50.00")


def test_only_the_answers_by_some_actions(district, cases):
    num, den = timely(Matters(P), "sample_case.accept", frozenset({"accept"}))
    # the refusal is left out; clocks still waiting stay in the denominator
    assert rate(district["root"], num, den) == Decimal("25.00")
    assert records(num, district["root"]) == {cases["in_time"].pk}


def test_the_late_and_the_overdue_parts_of_the_denominator(district, cases):
    """``only``: the clocks answered out of time by the cut-off, and those still waiting past
    their limit at the cut-off (a document filed late, one not filed)."""
    root = district["root"]
    late = Timely(Matters(P), "sample_case.accept", only="late")
    overdue = Timely(Matters(P), "sample_case.accept", only="overdue")
    assert records(late, root) == {cases["late"].pk}
    assert records(overdue, root) == {cases["waiting_then_late"].pk, cases["waiting"].pk}
    ind = Indicator("n", "n", "6", "", numerator=late)
    assert evaluate([ind], gather(root, period_of(Y, None), [ind]))["n"] == 1
    # by 10 January 2025 the one accepted in January is late, no longer waiting
    assert records(late, root, D(2025, 1, 10)) == {cases["late"].pk, cases["waiting_then_late"].pk}
    assert records(overdue, root, D(2025, 1, 10)) == {cases["waiting"].pk}
    # ``missed``: both parts, the denominator less the numerator
    missed = Timely(Matters(P), "sample_case.accept", only="missed")
    assert records(missed, root) == {
        cases["late"].pk,
        cases["waiting_then_late"].pk,
        cases["waiting"].pk,
    }
    ind = Indicator("m", "m", "6", "", numerator=missed)
    assert evaluate([ind], gather(root, period_of(Y, None), [ind]))["m"] == 3


def test_the_second_limit_starts_at_acceptance(district, users, cases):
    a, s = district["a"], users["staff_a"]
    concluded = case(
        a,
        s,
        D(2024, 5, 6),
        ("accept", D(2024, 5, 6)),
        ("conclude", D(2024, 5, 17), {"result": "已办"}),
    )
    num, den = timely(Matters(P), "sample_case.conclude")
    # 10 working days after Monday 6 May: 20 May; "in_time" (accepted 4 March, not concluded)
    # and "late" (accepted 11 March) wait past theirs at the year's end
    assert records(num, district["root"]) == {concluded.pk}
    assert records(den, district["root"]) == {
        concluded.pk,
        cases["in_time"].pk,
        cases["late"].pk,
    }
    assert cases["waiting_then_late"].pk not in records(den, district["root"])


def test_a_unit_sees_its_own_clocks_only(district, users, cases):
    case(district["b"], users["staff_b"], D(2024, 3, 1), ("accept", D(2024, 3, 1)))
    num, den = timely(Matters(P), "sample_case.accept")
    assert rate(district["b"], num, den) == Decimal(100)
    assert rate(district["a"], num, den) == Decimal("40.00")


def test_a_reopened_help_request_runs_its_conclusion_clock_again(district, users):
    a, s = district["a"], users["staff_a"]
    m = make_matter("help_request", a, s, D(2024, 4, 1), today=TODAY)
    act(m, "accept", s, D(2024, 4, 2), today=TODAY)
    act(m, "conclude", s, D(2024, 4, 8), today=TODAY, result="已办")  # in time
    act(m, "reopen", s, D(2024, 4, 10), today=TODAY, reason="群众不满意")
    act(m, "conclude", s, D(2024, 5, 30), today=TODAY, result="再办")  # late: due 5 May
    runs = list(m.clocks.filter(limit="help_request.conclude").order_by("seq"))
    assert [(c.started_on, c.in_time) for c in runs] == [
        (D(2024, 4, 2), True),
        (D(2024, 4, 10), False),
    ]
    num, den = timely(Matters("help_request"), "help_request.conclude")
    assert rate(district["root"], num, den) == Decimal("50.00")
