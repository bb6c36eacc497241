"""Errors of the working-day calendar. Every message is plain Chinese, fit to show a user."""

from __future__ import annotations

from collections.abc import Sequence


class CalendarError(ValueError):
    """Base of every calendar and time-limit error (bad input, missing calendar data)."""


class CalendarNotPublished(CalendarError):  # noqa: N818 (name fixed by the platform interface)
    """A computation reaches a year whose State Council holiday notice is not loaded."""

    def __init__(self, year: int, what: str = "该期限") -> None:
        self.year = year
        super().__init__(
            f"{year}年的国务院节假日安排尚未导入，无法计算{what}。"
            f"请导入{year}年的放假通知后重算，或按暂估（provisional）计算并标注“暂估”。"
        )


class InvalidDateError(CalendarError):
    """Not a date (or a date outside the range the calendar can compute)."""


class InvalidLengthError(CalendarError):
    """A negative, non-integer or absurd period length or extension."""


class UnknownUnitError(CalendarError):
    """A unit other than natural, working or months."""


class UnknownLimitError(CalendarError):
    """A time-limit code that is not in the registry."""


class ExtensionNotAllowedError(CalendarError):
    """An extension that the rule does not allow, or longer than it allows."""


class InvalidPauseError(CalendarError):
    """A suspension interval that is malformed (resumes before it starts, not dates)."""


class NoticeFileError(CalendarError):
    """A notice file that cannot be imported; ``errors`` lists (line, reason)."""

    def __init__(self, errors: Sequence[tuple[int, str]]) -> None:
        self.errors = list(errors)
        lines = "；".join(
            f"第{line}行：{reason}" if line else reason for line, reason in self.errors
        )
        super().__init__(f"通知文件有误，未导入任何内容。{lines}")
