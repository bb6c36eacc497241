"""Hand-checked cases from issue 3 ("Done when"), one behaviour per test."""

from datetime import date

import pytest

from fazhi.workdays import Calendar, CalendarNotPublished, due_date, get_limit

CAL = Calendar.shipped()


def test_start_on_a_saturday_counts_from_monday():
    # chinesecalendar.find_workday(5, 2025-03-08) answers 03-17: off by one from a rest day
    assert CAL.add_working_days(date(2025, 3, 8), 5) == date(2025, 3, 14)


def test_start_inside_the_national_day_block():
    # 2025-10-03 is inside 1-8 October; 9 Oct (Thu) is the 1st, 11 Oct (make-up Sat) the 3rd
    assert CAL.add_working_days(date(2025, 10, 3), 1) == date(2025, 10, 9)
    assert CAL.add_working_days(date(2025, 10, 3), 3) == date(2025, 10, 11)
    assert CAL.add_working_days(date(2025, 10, 3), 5) == date(2025, 10, 14)


def test_start_on_a_make_up_saturday():
    # 2025-09-28 (Sunday) is a working day, but the start day never counts
    assert CAL.is_working_day(date(2025, 9, 28))
    assert CAL.add_working_days(date(2025, 9, 28), 1) == date(2025, 9, 29)
    assert CAL.add_working_days(date(2025, 9, 28), 5) == date(2025, 10, 11)


def test_make_up_saturday_counts_as_a_working_day():
    assert CAL.is_working_day(date(2025, 10, 11))
    assert not CAL.is_working_day(date(2025, 10, 8))  # Wednesday off in lieu
    assert CAL.working_days_between(date(2025, 9, 30), date(2025, 10, 11)) == 3


def test_month_end_where_the_day_does_not_exist():
    assert CAL.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert CAL.add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert CAL.add_months(date(2024, 8, 31), 1) == date(2024, 9, 30)


def test_last_day_on_a_holiday_moves_to_the_next_working_day():
    # 15 natural days from 2025-09-16 end 10-01 (National Day) -> 10-09
    assert CAL.add_days(date(2025, 9, 16), 15) == date(2025, 10, 9)
    # a last day on a make-up working Saturday stays
    assert CAL.add_days(date(2025, 9, 26), 15) == date(2025, 10, 11)
    # an ordinary weekend moves to Monday
    assert CAL.add_days(date(2025, 3, 3), 5) == date(2025, 3, 10)


def test_month_period_ending_on_a_holiday_rolls_forward():
    # 2 months from 2025-08-01 is 2025-10-01 -> first working day 10-09
    assert CAL.add_months(date(2025, 8, 1), 2) == date(2025, 10, 9)


def test_fifteen_days_from_3_march_end_18_march():
    assert CAL.add_days(date(2025, 3, 3), 15) == date(2025, 3, 18)


def test_suspension_spanning_a_holiday_working_days():
    # info request received 2025-09-22 (Mon), 20 working days; third-party consultation
    # 2025-09-26 .. 2025-10-10 (spans National Day). Counted: 23, 24, 25 = 3 days before;
    # resumes the day after 10-10: 10-11 (make-up Sat) = 4th ... 20th working day = 11-03.
    due = due_date(
        date(2025, 9, 22), 20, "working", cal=CAL, paused=[(date(2025, 9, 26), date(2025, 10, 10))]
    )
    assert due.on == date(2025, 11, 3)
    assert CAL.working_days_between(date(2025, 9, 22), date(2025, 9, 25)) == 3
    assert CAL.working_days_between(date(2025, 10, 10), date(2025, 11, 3)) == 17


def test_suspension_spanning_a_holiday_natural_days():
    # reconsideration accepted 2025-09-01, 60 days -> 10-31; correction pause 09-25..10-08
    # (14 calendar days, over National Day) adds 14 days -> 11-14 (Friday)
    rule = get_limit("reconsideration.decide")
    assert rule.due(date(2025, 9, 1), CAL).on == date(2025, 10, 31)
    due = rule.due(date(2025, 9, 1), CAL, paused=[(date(2025, 9, 25), date(2025, 10, 8))])
    assert due.on == date(2025, 11, 14)


def test_a_date_in_2027_before_its_notice_is_loaded():
    with pytest.raises(CalendarNotPublished, match="2027年的国务院节假日安排尚未导入"):
        CAL.add_working_days(date(2026, 12, 20), 10)
    with pytest.raises(CalendarNotPublished) as info:
        CAL.is_working_day(date(2027, 3, 1))
    assert info.value.year == 2027
    assert not CAL.covers(date(2027, 1, 1))
    assert CAL.covers(date(2026, 12, 31))


def test_a_date_in_2027_with_provisional_is_marked():
    due = due_date(date(2026, 12, 20), 10, "working", cal=CAL, provisional=True)
    assert due.provisional
    assert due.on == date(2027, 1, 1)  # plain weeks assumed: 1 January 2027 is a Friday
    assert CAL.add_working_days(date(2026, 12, 20), 10, provisional=True) == date(2027, 1, 1)


def test_result_within_published_years_is_not_provisional():
    due = due_date(date(2026, 12, 1), 10, "working", cal=CAL)
    assert not due.provisional
    assert due.on == date(2026, 12, 15)
