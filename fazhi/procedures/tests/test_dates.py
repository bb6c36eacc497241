"""The engine's one date check (``rules.check_day``), at every edge (issue 19, defect 9).

Before it, a received_on before the calendar's range escaped as ``InvalidDateError`` (a 500 on
the API) and ``mailed_on`` was never checked (9999-12-31 was stored).
"""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core import clock
from fazhi.procedures import rules
from fazhi.procedures.errors import InvalidDate
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act, register_matter
from fazhi.procedures.tests.factories import make_matter

D = dt.date
TODAY = D(2025, 6, 2)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (D(1900, 1, 1), "超出可计算范围"),
        (D(1, 1, 1), "超出可计算范围"),
        (D(2025, 6, 3), "晚于今天"),
        (D(9999, 12, 31), "晚于今天"),
        (dt.datetime(2025, 1, 1, 8, tzinfo=dt.UTC), "格式错误"),
        ("2025-01-01", "格式错误"),
        (None, "格式错误"),
    ],
)
def test_check_day_refuses_with_the_field(value, message):
    with pytest.raises(InvalidDate, match=message) as caught:
        rules.check_day(value, "received_on", "收到日期", today=TODAY)
    assert caught.value.field == "received_on"


def test_check_day_without_today_still_refuses_the_year_9999():
    with pytest.raises(InvalidDate, match="1990-01-01 至 2079-12-31"):
        rules.check_day(D(9999, 12, 31), "on")
    assert rules.check_day(D(1990, 1, 1), "on") == D(1990, 1, 1)


def test_mailed_on_of_the_register_step_is_not_after_receipt():
    assert rules.check_mailed_on(None, TODAY, today=TODAY) is None
    assert rules.check_mailed_on(D(2025, 5, 30), D(2025, 6, 1), today=TODAY, register=True)
    with pytest.raises(InvalidDate, match="晚于收到日期"):
        rules.check_mailed_on(D(2025, 6, 2), D(2025, 6, 1), today=TODAY, register=True)
    with pytest.raises(InvalidDate, match="晚于今天") as caught:
        rules.check_mailed_on(D(9999, 12, 31), D(2025, 6, 1), today=TODAY)
    assert caught.value.field == "mailed_on"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"received_on": D(1900, 1, 1)}, "received_on"),
        ({"received_on": D(1989, 12, 31)}, "received_on"),
        ({"mailed_on": D(9999, 12, 31)}, "mailed_on"),
        ({"mailed_on": D(1900, 1, 1)}, "mailed_on"),
    ],
)
def test_register_matter_refuses_dates_outside_the_range(district, users, extra, field):
    kwargs = {"received_on": clock.today(), **extra}
    with pytest.raises(InvalidDate) as caught:
        register_matter(
            "help_request",
            org=district["a"],
            by=users["staff_a"],
            subject="测试",
            details={"kind": "help"},
            **kwargs,
        )
    assert caught.value.field == field
    assert not Matter.objects.exists()


@pytest.mark.django_db
def test_act_refuses_a_mailed_on_in_the_year_9999(district, users):
    matter = make_matter("help_request", district["a"], users["staff_a"], clock.today())
    with pytest.raises(InvalidDate, match="交邮日期") as caught:
        act(matter, "accept", users["staff_a"], mailed_on=D(9999, 12, 31))
    assert caught.value.field == "mailed_on"
    assert matter.steps.count() == 1


@pytest.mark.parametrize("value", ["1900-01-01", "9999-12-31", dt.date(1, 1, 1)])
def test_a_declared_date_field_refuses_dates_outside_the_range(value):
    from fazhi.procedures.declarations import Field, FieldType
    from fazhi.procedures.errors import InvalidData

    with pytest.raises(InvalidData, match="超出可计算范围") as caught:
        Field("decided_on", "决定日期", FieldType.DATE).clean(value)
    assert caught.value.field == "decided_on"


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", "sNaN"])
def test_a_declared_number_field_refuses_nan_and_infinity(value):
    """Decimal("NaN") < 0 raises InvalidOperation: it must never reach a comparison."""
    from fazhi.procedures.declarations import Field, FieldType
    from fazhi.procedures.errors import InvalidData

    with pytest.raises(InvalidData, match=r"有限的数字|不是有效的"):
        Field("amount", "金额", FieldType.DECIMAL, min_value=0).clean(value)
