"""The registry of time limits (shared/spec/time-limits.md)."""

from datetime import date, timedelta

import pytest

from fazhi.workdays import LIMITS, Calendar, LimitKind, TimeLimit, Unit, get_limit, limits
from fazhi.workdays.calendar import CalendarEntry, DayKind
from fazhi.workdays.errors import InvalidDateError, InvalidLengthError
from fazhi.workdays.limits import ANNUAL_DEADLINES
from fazhi.workdays.periods import due_date

REQUIRED = {
    "reconsideration.review": (5, Unit.WORKING),
    "reconsideration.correction_notice": (5, Unit.WORKING),
    "reconsideration.correction_supply": (10, Unit.WORKING),
    "reconsideration.decide": (60, Unit.NATURAL),
    "reconsideration.decide_simplified": (30, Unit.NATURAL),
    "petition.route": (15, Unit.NATURAL),
    "petition.accept": (15, Unit.NATURAL),
    "petition.conclude": (60, Unit.NATURAL),
    "petition.request_review": (30, Unit.NATURAL),
    "petition.review_opinion": (30, Unit.NATURAL),
    "petition.request_rereview": (30, Unit.NATURAL),
    "petition.rereview_opinion": (30, Unit.NATURAL),
    "npc_suggestion.reply": (3, Unit.MONTHS),
    "cppcc_proposal.reply": (3, Unit.MONTHS),
    "procuratorial_suggestion.reply": (2, Unit.MONTHS),
    "judicial_suggestion.reply": (2, Unit.MONTHS),
    "enforcement.publish_license_penalty": (7, Unit.WORKING),
    "enforcement.publish_other": (20, Unit.WORKING),
    "enforcement.withdraw": (3, Unit.WORKING),
    "penalty.decide": (90, Unit.NATURAL),
    "info_request.reply": (20, Unit.WORKING),
    "normative_document.legality_review": (15, Unit.WORKING),
    "normative_document.file": (30, Unit.NATURAL),
    "major_decision.consultation": (30, Unit.NATURAL),
    "major_decision.legality_review": (7, Unit.WORKING),
    "litigation.defend": (15, Unit.NATURAL),
    "business_complaint.triage": (3, Unit.WORKING),
    "help_request.triage": (3, Unit.WORKING),
    "business_complaint.conclude": (15, Unit.WORKING),
    "help_request.conclude": (15, Unit.WORKING),
    "mailbox_letter.reply": (15, Unit.WORKING),
    "hotline_order.sign": (1, Unit.WORKING),
    "hotline_order.conclude": (5, Unit.WORKING),
}


@pytest.mark.parametrize(("code", "expected"), REQUIRED.items())
def test_registered_with_length_and_unit(code, expected):
    limit = get_limit(code)
    assert (limit.length, limit.unit) == expected
    assert limit.code == code
    assert limit.basis and limit.label and limit.runs_from and limit.verified


def test_extensions():
    assert get_limit("reconsideration.decide").extension_max == 30
    assert get_limit("reconsideration.decide").extension_needs_approval
    assert get_limit("npc_suggestion.reply").extension_max == 3
    assert get_limit("info_request.reply").extension_max == 20
    assert get_limit("reconsideration.decide_simplified").extension_max is None


def test_minimums_are_marked():
    assert get_limit("major_decision.consultation").kind is LimitKind.MINIMUM
    assert get_limit("major_decision.legality_review").kind is LimitKind.MINIMUM
    assert get_limit("reconsideration.decide").kind is LimitKind.DEADLINE


def test_working_day_limits_are_those_the_statutes_say():
    # 行政复议法 §88: its 3, 5, 7, 10-day periods are working days; its 30/60 are natural
    for code, limit in LIMITS.items():
        if code.startswith("reconsideration."):
            assert (limit.unit is Unit.WORKING) == (limit.length <= 10), code


def test_every_limit_computes_a_due_date():
    cal = Calendar.shipped()
    for limit in LIMITS.values():
        assert isinstance(limit, TimeLimit)
        # periods of years (a publicity period) reach past the loaded notices: 暂估
        due = limit.due(date(2025, 3, 3), cal, provisional=True)
        assert due.on is not None and due.on > date(2025, 3, 3)
        assert due.provisional == cal.is_provisional(date(2025, 3, 3), due.on), limit.code
        assert cal.is_working_day(due.on, provisional=True)
        assert due.rule is limit


def test_annual_deadlines():
    assert ANNUAL_DEADLINES["annual_report.publish"].due(2024) == date(2025, 4, 1)
    assert ANNUAL_DEADLINES["enforcement_statistics.publish"].due(2024) == date(2025, 1, 31)


def test_configurable_limit_override(settings):
    settings.FAZHI_TIME_LIMIT_OVERRIDES = {
        "hotline_order.conclude": {"length": 3},
        "reconsideration.decide": {"length": 10},  # law, not configuration: ignored
    }
    assert get_limit("hotline_order.conclude").length == 3
    assert get_limit("reconsideration.decide").length == 60


def test_uninterrupted_periods_are_memoised_per_limit_and_calendar(settings):
    """``TimeLimit.due`` answers a period without suspension or extension from a memo: the same
    dates as the computation itself, for every limit and start, and never another limit's or
    another calendar's answer."""
    cal = Calendar.shipped()
    starts = [date(2024, 1, 1) + timedelta(days=n) for n in range(0, 731, 7)]
    for limit in LIMITS.values():
        for start in starts:
            first = limit.due(start, cal, provisional=True)
            computed = due_date(
                start, limit.length, limit.unit, cal=cal, provisional=True, rule=limit
            )
            assert first == computed
            assert limit.due(start, cal, provisional=True) is first  # from the memo
    # another calendar (2025-03-03 made a holiday): its own answer, not the memo's
    start = date(2025, 2, 28)
    limit = get_limit("business_complaint.conclude")
    before = limit.due(start, cal)
    holiday = CalendarEntry(date(2025, 3, 3), DayKind.HOLIDAY, "测试")
    other = cal.merged([holiday], version="test")
    after = limit.due(start, other)
    assert after.on == other.add_working_days(start, limit.length)
    assert after.on > before.on
    # an override makes a new limit object: its own answer
    settings.FAZHI_TIME_LIMIT_OVERRIDES = {"business_complaint.conclude": {"length": 5}}
    shorter = get_limit("business_complaint.conclude")
    assert shorter.due(start, cal).on == cal.add_working_days(start, 5)
    # a suspension or an extension is computed, never memoised
    again = limit.due(start, cal)
    assert again == before
    paused = limit.due(start, cal, paused=[(date(2025, 3, 4), date(2025, 3, 10))])
    assert paused.on > before.on
    assert limit.due(start, cal) is again
    extensible = next(lim for lim in LIMITS.values() if lim.extension_max)
    plain = extensible.due(start, cal)
    extended = extensible.due(start, cal, extension=extensible.extension_max)
    assert extended.on > plain.on
    assert extensible.due(start, cal) is plain
    # what the computation refuses, the memo refuses too
    with pytest.raises(InvalidLengthError):
        limit.due(start, cal, extension=False)
    with pytest.raises(InvalidDateError):
        limit.due(date(1800, 1, 1), cal)


def test_memo_never_answers_for_another_calendar():
    """Two threads around a calendar change: one stores a due date computed with the old
    calendar after the memo has switched to the new one. The new calendar still gets its own."""
    limit = get_limit("business_complaint.conclude")
    start = date(2025, 2, 28)
    old = Calendar.shipped()
    new = old.merged([CalendarEntry(date(2025, 3, 3), DayKind.HOLIDAY, "测试")], version="race")
    stale = limit.due(start, old)
    limits._plain_dues.calendar = new
    limits._plain_dues.dues[(id(limit), start, False)] = (limit, old, stale)
    fresh = limit.due(start, new)
    assert fresh.on == new.add_working_days(start, limit.length)
    assert fresh.on != stale.on
