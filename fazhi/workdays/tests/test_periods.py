"""due_date: suspension convention, extensions, provisional results, bad input."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.workdays import (
    Calendar,
    CalendarError,
    ExtensionNotAllowedError,
    InvalidDateError,
    InvalidLengthError,
    InvalidPauseError,
    Unit,
    UnknownLimitError,
    UnknownUnitError,
    due_date,
    get_limit,
)

CAL = Calendar.shipped()
ONE = timedelta(days=1)


def test_no_pause_equals_plain_arithmetic():
    start = date(2025, 6, 3)
    assert due_date(start, 5, Unit.WORKING, cal=CAL).on == CAL.add_working_days(start, 5)
    assert due_date(start, 30, Unit.NATURAL, cal=CAL).on == CAL.add_days(start, 30)
    assert due_date(start, 3, Unit.MONTHS, cal=CAL).on == CAL.add_months(start, 3)


def test_pause_days_are_closed_at_both_ends_for_working_days():
    # 2025-03-03 (Mon) + 5 working days = 03-10. Pause 03-05..03-05 removes one working day.
    start = date(2025, 3, 3)
    assert due_date(start, 5, "working", cal=CAL).on == date(2025, 3, 10)
    one_day = due_date(start, 5, "working", cal=CAL, paused=[(date(2025, 3, 5), date(2025, 3, 5))])
    assert one_day.on == date(2025, 3, 11)


def test_pause_over_a_weekend_does_not_move_a_working_day_period():
    start = date(2025, 3, 3)
    due = due_date(start, 5, "working", cal=CAL, paused=[(date(2025, 3, 8), date(2025, 3, 9))])
    assert due.on == date(2025, 3, 10)


def test_pause_over_a_weekend_moves_a_natural_day_period():
    start = date(2025, 3, 3)
    due = due_date(start, 10, "natural", cal=CAL, paused=[(date(2025, 3, 8), date(2025, 3, 9))])
    assert due.on == date(2025, 3, 17)  # 03-13 + 2 days = 03-15 (Sat) -> Monday 03-17


def test_pause_after_the_due_date_changes_nothing():
    start = date(2025, 3, 3)
    due = due_date(start, 5, "working", cal=CAL, paused=[(date(2025, 4, 1), None)])
    assert due.on == date(2025, 3, 10)
    assert not due.paused


def test_pause_ending_before_the_start_changes_nothing():
    start = date(2025, 3, 3)
    due = due_date(start, 5, "working", cal=CAL, paused=[(date(2025, 2, 1), date(2025, 3, 3))])
    assert due.on == date(2025, 3, 10)


def test_open_pause_means_no_running_due_date():
    due = due_date(date(2025, 3, 3), 20, "working", cal=CAL, paused=[(date(2025, 3, 5), None)])
    assert due.on is None
    assert due.paused
    assert not due.provisional


def test_overlapping_pauses_are_merged():
    start = date(2025, 3, 3)
    a = due_date(
        start,
        10,
        "natural",
        cal=CAL,
        paused=[(date(2025, 3, 5), date(2025, 3, 8)), (date(2025, 3, 7), date(2025, 3, 10))],
    )
    b = due_date(start, 10, "natural", cal=CAL, paused=[(date(2025, 3, 5), date(2025, 3, 10))])
    assert a.on == b.on == date(2025, 3, 19)


def naive_paused_working(start, n, pauses):
    excluded = set()
    for p, r in pauses:
        d = p
        while d <= r:
            excluded.add(d)
            d += ONE
    d, k = start, 0
    while k < n:
        d += ONE
        if d not in excluded and CAL.is_working_day(d, provisional=True):
            k += 1
    return d


def naive_paused_natural(start, n, pauses):
    excluded = set()
    for p, r in pauses:
        d = p
        while d <= r:
            excluded.add(d)
            d += ONE
    d, k = start, 0
    while k < n:
        d += ONE
        if d not in excluded:
            k += 1
    while not CAL.is_working_day(d, provisional=True):
        d += ONE
    return d


pause = st.tuples(st.integers(0, 80), st.integers(0, 30))


@settings(max_examples=200, deadline=None)
@given(
    st.dates(date(2005, 1, 1), date(2025, 12, 31)), st.integers(1, 60), st.lists(pause, max_size=3)
)
def test_suspension_matches_a_day_by_day_count(start, n, raw):
    pauses = [(start + timedelta(days=a), start + timedelta(days=a + b)) for a, b in raw]
    got_w = due_date(start, n, "working", cal=CAL, paused=pauses, provisional=True).on
    got_n = due_date(start, n, "natural", cal=CAL, paused=pauses, provisional=True).on
    assert got_w == naive_paused_working(start, n, pauses)
    assert got_n == naive_paused_natural(start, n, pauses)


def test_extension_within_the_rule():
    rule = get_limit("reconsideration.decide")
    due = rule.due(date(2025, 3, 3), CAL, extension=30)
    assert due.on == CAL.add_days(date(2025, 3, 3), 90)
    assert due.extension == 30
    assert "含延长30日" in due.description


def test_extension_beyond_the_rule_is_refused():
    with pytest.raises(ExtensionNotAllowedError, match="最多延长30日"):
        get_limit("reconsideration.decide").due(date(2025, 3, 3), CAL, extension=31)
    with pytest.raises(ExtensionNotAllowedError, match="不允许延长"):
        get_limit("litigation.defend").due(date(2025, 3, 3), CAL, extension=1)


def test_months_with_extension():
    due = get_limit("npc_suggestion.reply").due(date(2025, 3, 3), CAL, extension=3)
    assert due.on == CAL.add_months(date(2025, 3, 3), 6)


@pytest.mark.parametrize(
    "bad",
    ["2025-03-03", 20250303, None, datetime(2025, 3, 3, tzinfo=UTC), np.datetime64("2025-03-03")],
)
def test_non_date_is_a_clear_error(bad):
    with pytest.raises(InvalidDateError, match="日期格式错误"):
        CAL.add_working_days(bad, 5)
    with pytest.raises(InvalidDateError, match="日期格式错误"):
        due_date(bad, 5, "working", cal=CAL)


def test_date_outside_the_computable_range():
    with pytest.raises(InvalidDateError, match="超出可计算范围"):
        CAL.add_days(date(1900, 1, 1), 5)


@pytest.mark.parametrize("n", [-1, 5000, 2.5, "5", True])
def test_negative_or_absurd_length_is_a_clear_error(n):
    with pytest.raises(InvalidLengthError, match="期限长度错误"):
        CAL.add_working_days(date(2025, 3, 3), n)
    with pytest.raises(InvalidLengthError, match="期限长度错误"):
        due_date(date(2025, 3, 3), n, "natural", cal=CAL)


def test_absurd_months():
    with pytest.raises(InvalidLengthError):
        CAL.add_months(date(2025, 3, 3), 121)


def test_unknown_unit():
    with pytest.raises(UnknownUnitError, match="未知的期限单位"):
        due_date(date(2025, 3, 3), 5, "fortnights", cal=CAL)


def test_unknown_limit_code():
    with pytest.raises(UnknownLimitError, match="未登记的期限规则"):
        get_limit("reconsideration.nope")


def test_bad_pause():
    with pytest.raises(InvalidPauseError, match="早于开始日"):
        due_date(
            date(2025, 3, 3), 5, "working", cal=CAL, paused=[(date(2025, 3, 9), date(2025, 3, 5))]
        )
    with pytest.raises(InvalidPauseError):
        due_date(date(2025, 3, 3), 5, "working", cal=CAL, paused=[date(2025, 3, 9)])


def test_every_error_is_a_value_error():
    assert issubclass(CalendarError, ValueError)


def test_bulk_rejects_bad_input():
    with pytest.raises(InvalidDateError):
        CAL.add_working_days_bulk(np.array([1, 2]), 5)
    with pytest.raises(InvalidLengthError):
        CAL.add_days_bulk(np.array(["2025-01-01"], dtype="datetime64[D]"), -1)


def test_bulk_raises_for_unpublished_years_unless_provisional():
    starts = np.array(["2025-01-01", "2026-12-25"], dtype="datetime64[D]")
    with pytest.raises(CalendarError, match="2027年"):
        CAL.add_working_days_bulk(starts, 10)
    out = CAL.add_working_days_bulk(starts, 10, provisional=True)
    assert CAL.provisional_mask(starts, out).tolist() == [False, True]


def test_due_str_and_description():
    due = get_limit("reconsideration.decide").due(date(2025, 3, 3), CAL)
    assert due.description == "60日（自然日），行政复议法 第六十二条"
    assert str(due).startswith(due.on.isoformat())
    assert due.code == "reconsideration.decide"
