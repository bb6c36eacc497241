"""The calendar against independent oracles: chinesecalendar, holidays (CN), naive counts."""

from datetime import date, timedelta

import chinese_calendar
import holidays
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.workdays import Calendar
from fazhi.workdays.calendar import months_later

CAL = Calendar.shipped()
FIRST, LAST = date(2004, 1, 1), date(2026, 12, 31)
ONE = timedelta(days=1)

#: Days where chinesecalendar 1.11.0 is wrong (docs/calendar.md, "Differences"):
#: 2005-12-31 (Saturday) was a working day under the 2006 notice, 国办发明电〔2005〕35号
#: ("12月31日（星期六）上班"); chinesecalendar lists it as an ordinary Saturday.
CHINESECALENDAR_ERRORS = {date(2005, 12, 31): True}

#: Days where holidays (CN) differs from the notices: none for 2004-2026.
HOLIDAYS_ERRORS: dict[date, bool] = {}


def all_days(first=FIRST, last=LAST):
    d = first
    while d <= last:
        yield d
        d += ONE


def test_every_day_2004_2026_agrees_with_chinesecalendar_except_documented_errors():
    differences = {}
    for d in all_days():
        ours = CAL.is_working_day(d)
        if ours != chinese_calendar.is_workday(d):
            differences[d] = ours
    assert differences == CHINESECALENDAR_ERRORS


def test_every_day_2004_2026_agrees_with_holidays_cn():
    cn = holidays.China(years=range(2004, 2027))
    differences = {
        d: CAL.is_working_day(d)
        for d in all_days()
        if CAL.is_working_day(d) != cn.is_working_day(d)
    }
    assert differences == HOLIDAYS_ERRORS


# --- naive day-by-day oracles -------------------------------------------------------------


def naive_add_working(start, n):
    d, k = start, 0
    while k < n:
        d += ONE
        if CAL.is_working_day(d, provisional=True):
            k += 1
    return d


def naive_between(a, b):
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    return sign * sum(CAL.is_working_day(d, provisional=True) for d in all_days(lo + ONE, hi))


def naive_roll(d):
    while not CAL.is_working_day(d, provisional=True):
        d += ONE
    return d


def naive_add_months(start, n):
    y, m = divmod(start.month - 1 + n, 12)
    year, month = start.year + y, m + 1
    day = start.day
    while True:
        try:
            return naive_roll(date(year, month, day))
        except ValueError:
            day -= 1


days = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30))


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=0, max_value=120))
def test_add_working_days_matches_a_day_by_day_count(start, n):
    assert CAL.add_working_days(start, n, provisional=True) == naive_add_working(start, n)


@settings(max_examples=300, deadline=None)
@given(days, days)
def test_working_days_between_matches_a_day_by_day_count(a, b):
    if abs((b - a).days) > 800:
        b = a + timedelta(days=(b - a).days % 800)
    assert CAL.working_days_between(a, b, provisional=True) == naive_between(a, b)


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=0, max_value=400))
def test_add_days_matches_naive_roll_forward(start, n):
    assert CAL.add_days(start, n, provisional=True) == naive_roll(start + timedelta(days=n))


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=0, max_value=24))
def test_add_months_matches_naive(start, n):
    assert CAL.add_months(start, n, provisional=True) == naive_add_months(start, n)
    assert months_later(start, n).day <= start.day


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=1, max_value=200))
def test_add_working_days_and_between_are_inverse(start, n):
    end = CAL.add_working_days(start, n, provisional=True)
    assert CAL.working_days_between(start, end, provisional=True) == n
    assert CAL.is_working_day(end, provisional=True)


# --- bulk forms agree with the scalar forms --------------------------------------------------

any_days = st.dates(min_value=date(1995, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=60, deadline=None)
@given(st.lists(any_days, min_size=1, max_size=40), st.integers(min_value=0, max_value=300))
def test_bulk_forms_match_scalar_forms(starts, n):
    arr = np.array(starts, dtype="datetime64[D]")
    ns = np.array([(n * (i + 1)) % 301 for i in range(len(starts))])
    working = CAL.add_working_days_bulk(arr, ns, provisional=True)
    natural = CAL.add_days_bulk(arr, ns, provisional=True)
    months = CAL.add_months_bulk(arr, ns % 121, provisional=True)
    for i, s in enumerate(starts):
        k = int(ns[i])
        assert working[i].astype(date) == CAL.add_working_days(s, k, provisional=True)
        assert natural[i].astype(date) == CAL.add_days(s, k, provisional=True)
        assert months[i].astype(date) == CAL.add_months(s, k % 121, provisional=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(any_days, min_size=1, max_size=20))
def test_provisional_mask_matches_is_provisional(starts):
    arr = np.array(starts, dtype="datetime64[D]")
    ends = CAL.add_working_days_bulk(arr, 30, provisional=True)
    mask = CAL.provisional_mask(arr, ends)
    for i, s in enumerate(starts):
        assert bool(mask[i]) == CAL.is_provisional(s, ends[i].astype(date))
