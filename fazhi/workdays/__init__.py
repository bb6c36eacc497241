"""The official China working-day calendar and the statutory time-limit engine (法定期限).

Pure Python (numpy, no Django needed to compute); ``Calendar.default()`` adds the database's
overrides when Django is configured. See docs/calendar.md.
"""

from fazhi.workdays import (
    loading,  # noqa: F401  Calendar.default() with the database's overrides
    statutory,  # noqa: F401  registers the pending limits
)
from fazhi.workdays.calendar import (
    FIRST_DAY,
    LAST_INPUT_DAY,
    Calendar,
    CalendarEntry,
    DayKind,
    check_date,
)
from fazhi.workdays.errors import (
    CalendarError,
    CalendarNotPublished,
    ExtensionNotAllowedError,
    InvalidDateError,
    InvalidLengthError,
    InvalidPauseError,
    NoticeFileError,
    UnknownLimitError,
    UnknownUnitError,
)
from fazhi.workdays.limits import (
    ANNUAL_DEADLINES,
    LIMITS,
    LOCAL_RULE,
    AnnualDeadline,
    LimitKind,
    TimeLimit,
    basis_words,
    get_limit,
    limit_words,
    local_rule_name,
    register_limits,
)
from fazhi.workdays.periods import (
    SHANGHAI,
    Due,
    MomentPause,
    Pause,
    Unit,
    due_date,
    due_moment,
    start_of_day,
)

__all__ = [
    "ANNUAL_DEADLINES",
    "FIRST_DAY",
    "LAST_INPUT_DAY",
    "LIMITS",
    "LOCAL_RULE",
    "SHANGHAI",
    "AnnualDeadline",
    "Calendar",
    "CalendarEntry",
    "CalendarError",
    "CalendarNotPublished",
    "DayKind",
    "Due",
    "ExtensionNotAllowedError",
    "InvalidDateError",
    "InvalidLengthError",
    "InvalidPauseError",
    "LimitKind",
    "MomentPause",
    "NoticeFileError",
    "Pause",
    "TimeLimit",
    "Unit",
    "UnknownLimitError",
    "UnknownUnitError",
    "basis_words",
    "check_date",
    "due_date",
    "due_moment",
    "get_limit",
    "limit_words",
    "local_rule_name",
    "register_limits",
    "start_of_day",
]
