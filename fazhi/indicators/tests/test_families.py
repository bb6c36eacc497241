"""Conditional sources are grouped in one query per table, procedure and cohort (never one per
indicator), and each source counts only its own procedure's records."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.indicators.engine import Facts, evaluate, gather, period_of, source_records
from fazhi.indicators.engine.conditional import query_families
from fazhi.indicators.registry import Indicator, Matters, Steps, step, timely
from fazhi.procedures.declarations import Action, Deadline, Procedure, register
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter
from fazhi.workdays import TimeLimit, Unit, register_limits

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)
Y = 2024
CODES = ("family_one", "family_two")

register_limits(
    *(
        TimeLimit(f"{code}.answer", "答复", 10, Unit.NATURAL, "收到之日", "测试", "—")
        for code in CODES
    )
)
for _code in CODES:
    register(
        Procedure(
            code=_code,
            label=f"分组测试{_code}",
            states={"received": "待办", "answered": "已答复"},
            closed_states=frozenset({"answered"}),
            actions=(
                Action("answer", "答复", frozenset({"received"}), "answered"),
                Action("hear", "听取意见", frozenset({"received"}), None),
            ),
            deadlines=(Deadline(f"{_code}.answer", frozenset({"received"})),),
            reference_prefix="F1" if _code.endswith("one") else "F2",
        )
    )


def ind(code, num, den=None):
    return Indicator(code, code, "6", "", "%" if den else "件", numerator=num, denominator=den)


def matter(code, org, user, received, *steps):
    m = make_matter(code, org, user, received, today=TODAY)
    for action, on in steps:
        act(m, action, user, on, today=TODAY)
    return m


@pytest.fixture
def records(district, users):
    a, s = district["a"], users["staff_a"]
    return [
        matter(
            "family_one", a, s, D(2024, 3, 1), ("hear", D(2024, 3, 2)), ("answer", D(2024, 3, 5))
        ),
        matter("family_one", a, s, D(2024, 3, 1), ("answer", D(2024, 3, 20))),  # late
        matter("family_one", a, s, D(2024, 5, 1)),
        matter("family_two", a, s, D(2024, 4, 1), ("answer", D(2024, 4, 3))),
        matter("family_two", a, s, D(2023, 4, 1), ("answer", D(2023, 4, 3))),  # not in Y
    ]


def test_sources_of_two_procedures_one_query_per_table_and_procedure(
    district, records, django_assert_max_num_queries
):
    inds = []
    for code in CODES:
        on_time, base = timely(Matters(code), f"{code}.answer")
        inds += [
            ind(f"{code}.all", Matters(code)),
            ind(f"{code}.answered", Matters(code, frozenset({"answered"}))),
            ind(f"{code}.heard", Matters(code, where=(step("hear"),))),
            ind(f"{code}.hearings", Steps(Matters(code), frozenset({"hear"}))),
            ind(f"{code}.on_time", on_time, base),
        ]
    period = period_of(Y, None)
    # the matters, the steps, the clocks of each procedure: six grouped queries for ten figures
    assert query_families(s for i in inds for s in (i.numerator, i.denominator) if s) == 6
    with django_assert_max_num_queries(6):
        facts: Facts = gather(district["root"], period, inds)
    got = evaluate(inds, facts)
    assert got == {
        "family_one.all": 3,
        "family_one.answered": 2,
        "family_one.heard": 1,
        "family_one.hearings": 1,
        "family_one.on_time": Decimal("33.33"),  # one in time, one late, one waiting past its limit
        "family_two.all": 1,
        "family_two.answered": 1,
        "family_two.heard": 0,
        "family_two.hearings": 0,
        "family_two.on_time": Decimal(100),
    }
    # each figure is its drill-down's length
    for i in inds:
        if not i.is_rate:
            assert len(list(source_records(i.numerator, district["root"], period))) == got[i.code]
