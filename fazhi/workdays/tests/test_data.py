"""The shipped data file: reproducible from the notices, internally consistent."""

from datetime import date

import pytest
from holidays.calendars.chinese import _ChineseLunisolar

from fazhi.workdays.calendar import SHIPPED_CSV, SHIPPED_YEARS, DayKind, read_shipped_entries
from fazhi.workdays.data import build_cn_calendar


def test_csv_is_exactly_what_the_notices_build():
    assert SHIPPED_CSV.read_text(encoding="utf-8") == build_cn_calendar.render_csv()


def test_covers_2004_to_2026():
    assert frozenset(range(2004, 2027)) == SHIPPED_YEARS
    years = {e.day.year for e in read_shipped_entries()}
    assert years == set(range(2004, 2027))


@pytest.mark.parametrize("year", range(2004, 2027))
def test_festival_dates_agree_with_an_independent_lunisolar_calendar(year):
    lunar = _ChineseLunisolar()
    expected = (
        lunar.lunar_new_year_date(year)[0],
        lunar.qingming_date(year)[0],
        lunar.dragon_boat_date(year)[0],
        lunar.mid_autumn_date(year)[0],
    )
    got = tuple(date.fromisoformat(f"{year}-{t}") for t in build_cn_calendar.FESTIVALS[year])
    assert got == expected


def test_every_row_is_consistent_with_its_kind():
    for entry in read_shipped_entries():
        assert entry.source.startswith("国务院")
        assert entry.name
        if entry.kind is DayKind.WORKDAY:
            assert entry.day.weekday() >= 5, entry
        if entry.kind is DayKind.REST:
            assert entry.day.weekday() < 5, entry


def test_statutory_days_follow_the_rules_in_force():
    rows = {e.day: e for e in read_shipped_entries()}
    # 2007 text: New Year's Eve is statutory 2008-2013, not 2014-2024, again from 2025
    assert rows[date(2008, 2, 6)].kind is DayKind.HOLIDAY
    assert date(2014, 1, 30) not in rows  # 2014 除夕 was a working Thursday
    assert rows[date(2025, 1, 28)].kind is DayKind.HOLIDAY
    # Labour Day: 3 statutory days to 2007, 1 day 2008-2024, 2 days from 2025
    assert rows[date(2007, 5, 3)].kind is DayKind.HOLIDAY
    assert rows[date(2024, 5, 2)].kind is DayKind.REST
    assert rows[date(2025, 5, 2)].kind is DayKind.HOLIDAY
    # 2005-12-31 is a make-up working Saturday (2006 notice, 国办发明电〔2005〕35号)
    assert rows[date(2005, 12, 31)].kind is DayKind.WORKDAY
    assert "〔2005〕35号" in rows[date(2005, 12, 31)].source
