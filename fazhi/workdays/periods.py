"""Due dates of periods: units, suspension (中止/扣除) and provisional results.

``due_date(start, length, unit, paused=[...])`` is the one function that turns a period into a
due date. Suspension convention (docs/calendar.md, "Suspension"):

- a pause is a closed interval ``(from_on, to_on)``: the day the period is suspended and the day
  it resumes (for a correction: the day the notice goes out and the day the corrections arrive).
  None of those days count; counting resumes the day after ``to_on``, as it starts the day
  after the start event (rule 1);
- working-day periods skip only the working days inside a pause; natural-day and month periods
  are prolonged by every calendar day of the pause (months are first turned into the natural
  days they span from the start), and only the final day is rolled to a working day;
- pauses that end on or before the start day change nothing; overlapping pauses are merged;
- an open pause (``to_on`` None) reached before the period runs out means the matter has no
  running due date: ``Due(on=None, paused=True)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from fazhi.workdays.calendar import (
    MAX_MONTHS,
    MAX_NATURAL_DAYS,
    MAX_WORKING_DAYS,
    Calendar,
    check_date,
    check_length,
    months_later,
)
from fazhi.workdays.errors import CalendarNotPublished, InvalidPauseError, UnknownUnitError

if TYPE_CHECKING:
    from fazhi.workdays.limits import TimeLimit

ONE_DAY = timedelta(days=1)
#: Statutory dates and moments are Asia/Shanghai ones (STYLE.md, "Time").
SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_HOURS = 24 * 366


class Unit(StrEnum):
    """The unit a period is counted in."""

    NATURAL = "natural"  # 自然日
    WORKING = "working"  # 工作日
    MONTHS = "months"  # 月
    HOURS = "hours"  # 小时（连续计算）
    WORKING_HOURS = "working_hours"  # 工作日的小时（休息日不计）

    @property
    def label(self) -> str:
        return _UNIT_LABELS[self.value]

    @property
    def is_hours(self) -> bool:
        """Counted in hours from a moment (``due_moment``), not in days from a date."""
        return self in (Unit.HOURS, Unit.WORKING_HOURS)

    def describe(self, length: int) -> str:
        """``60日（自然日）``, ``5个工作日``, ``3个月``, ``2小时``, ``8个工作小时``."""
        if self is Unit.NATURAL:
            return f"{length}日（自然日）"
        if self is Unit.WORKING:
            return f"{length}个工作日"
        if self is Unit.HOURS:
            return f"{length}小时"
        if self is Unit.WORKING_HOURS:
            return f"{length}小时（工作日）"
        return f"{length}个月"

    @property
    def max_length(self) -> int:
        return {
            "natural": MAX_NATURAL_DAYS,
            "working": MAX_WORKING_DAYS,
            "months": MAX_MONTHS,
            "hours": MAX_HOURS,
            "working_hours": MAX_HOURS,
        }[self.value]


_UNIT_LABELS = {
    "natural": "自然日",
    "working": "工作日",
    "months": "月",
    "hours": "小时",
    "working_hours": "工作日小时",
}


def parse_unit(value: object) -> Unit:
    """A ``Unit`` from a Unit or its value; ``UnknownUnitError`` otherwise."""
    if isinstance(value, Unit):
        return value
    try:
        return Unit(str(value))
    except ValueError:
        msg = (
            f"未知的期限单位：{value!r}（应为 natural 自然日、working 工作日、months 月、"
            "hours 小时 或 working_hours 工作日小时）"
        )
        raise UnknownUnitError(msg) from None


Pause = tuple[date, date | None]


@dataclass(frozen=True)
class Due:
    """A computed due date with what produced it.

    ``on`` is None only when the period is suspended with no resume date (``paused``).
    ``provisional`` is True when the count used a year whose notice is not loaded (暂估).
    ``at`` is the due moment (Asia/Shanghai) of a period in hours; ``on`` is then its date.
    """

    on: date | None
    provisional: bool = False
    paused: bool = False
    length: int = 0
    unit: Unit = Unit.NATURAL
    extension: int = 0
    rule: TimeLimit | None = None
    at: datetime | None = None

    @property
    def code(self) -> str | None:
        return self.rule.code if self.rule else None

    @cached_property
    def description(self) -> str:
        """``60日（自然日），行政复议法 第六十二条``, with the extension and 暂估 if any
        (computed once: ``TimeLimit.due`` hands out the same object for the same period)."""
        text = self.unit.describe(self.length)
        if self.extension:
            text += f"（含延长{self.unit.describe(self.extension)}）"
        if self.rule:
            text += f"，{self.rule.basis}"
        return text

    def __str__(self) -> str:
        if self.at is not None:
            shown = self.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        else:
            shown = self.on.isoformat() if self.on else "中止中，恢复计算前无到期日"
        flag = "，暂估" if self.provisional else ""
        return f"{shown}（{self.description}{flag}）"


def _normalise_pauses(paused: Iterable[Pause], start: date) -> list[Pause]:
    """Validate, drop pauses ending on or before ``start``, sort and merge."""
    items: list[Pause] = []
    for item in paused:
        try:
            begin, end = item
        except (TypeError, ValueError):
            msg = f"中止期间格式错误：应为（开始日, 恢复日或空），收到 {item!r}"
            raise InvalidPauseError(msg) from None
        begin = check_date(begin, "中止开始日")
        if end is not None:
            end = check_date(end, "中止恢复日")
            if end < begin:
                msg = f"中止期间错误：恢复日 {end.isoformat()} 早于开始日 {begin.isoformat()}"
                raise InvalidPauseError(msg)
            if end <= start:
                continue
        items.append((max(begin, start + ONE_DAY), end))
    items.sort(key=lambda p: p[0])
    merged: list[Pause] = []
    for begin, end in items:
        if merged:
            last_begin, last_end = merged[-1]
            if last_end is None:
                break  # an open pause swallows everything after it
            if begin <= last_end + ONE_DAY:
                merged[-1] = (last_begin, None if end is None else max(end, last_end))
                continue
        merged.append((begin, end))
    return merged


def due_date(
    start: date,
    length: int,
    unit: Unit | str,
    *,
    cal: Calendar | None = None,
    paused: Iterable[Pause] = (),
    extension: int = 0,
    provisional: bool = False,
    rule: TimeLimit | None = None,
) -> Due:
    """The due date of a period of ``length`` (+ ``extension``) ``unit`` from ``start``.

    Raises ``CalendarNotPublished`` when the count needs a year whose notice is not loaded,
    unless ``provisional=True`` (then plain weeks are assumed and ``Due.provisional`` is set).
    """
    start = check_date(start, "起算日")
    unit = parse_unit(unit)
    if unit.is_hours:  # from a date only: counting starts when the start day ends (rule 1)
        return due_moment(
            start_of_day(start + ONE_DAY),
            length,
            unit,
            cal=cal,
            paused=[
                (start_of_day(b), None if e is None else start_of_day(e + ONE_DAY))
                for b, e in paused
            ],
            extension=extension,
            provisional=provisional,
            rule=rule,
        )
    length = check_length(length, unit.max_length, "期限长度")
    extension = check_length(extension, unit.max_length, "延长期限")
    total = check_length(length + extension, unit.max_length, "期限长度（含延长）")
    pauses = _normalise_pauses(paused, start)
    cal = cal if cal is not None else Calendar.default()

    def result(on: date | None, first: date | None = None, *, is_paused: bool = False) -> Due:
        flag = False
        if on is not None and first is not None:
            year = cal.first_uncovered_year(first, on)
            if year is not None:
                if not provisional:
                    raise CalendarNotPublished(year, f"自{start.isoformat()}起的期限")
                flag = True
        return Due(on, flag, is_paused, length, unit, extension, rule)

    if unit is Unit.WORKING:
        cur, remaining = start, total
        for begin, end in pauses:
            available = max(cal.working_days_between(cur, begin - ONE_DAY, provisional=True), 0)
            if available >= remaining:
                break
            remaining -= available
            if end is None:
                return result(None, is_paused=True)
            cur = end
        on = cal.add_working_days(cur, remaining, provisional=True)
        return result(on, start + ONE_DAY)

    if unit is Unit.MONTHS:
        total = (months_later(start, total) - start).days
    cur, remaining = start, total
    for begin, end in pauses:
        available = max((begin - cur).days - 1, 0)
        if available >= remaining:
            break
        remaining -= available
        if end is None:
            return result(None, is_paused=True)
        cur = end
    last = cur + timedelta(days=remaining)
    return result(cal.roll_forward(last, provisional=True), last)


# --- periods in hours ------------------------------------------------------------------------

MomentPause = tuple[datetime, datetime | None]


def start_of_day(d: date) -> datetime:
    """00:00 of ``d`` in Asia/Shanghai."""
    return datetime.combine(d, time(0), SHANGHAI)


def due_moment(
    start_at: datetime,
    length: int,
    unit: Unit | str,
    *,
    cal: Calendar | None = None,
    paused: Iterable[MomentPause] = (),
    extension: int = 0,
    provisional: bool = False,
    rule: TimeLimit | None = None,
) -> Due:
    """The due moment of a period of ``length`` (+ ``extension``) hours from ``start_at``.

    ``hours`` run continuously (an urgent hotline order's 2 hours run through the night and
    the weekend); ``working_hours`` run only on working days of the official calendar
    (weekends, holidays and days off in lieu do not count; a make-up working Saturday does).
    A pause ``(from_at, to_at)`` stops the count between the two moments; an open one that is
    reached before the period runs out leaves no due moment (``Due(on=None, paused=True)``).
    A due moment is not moved off a rest day: rule 2 is about periods of days.
    """
    if not isinstance(start_at, datetime) or start_at.tzinfo is None:
        msg = f"时刻格式错误：起算时刻应为带时区的 datetime，收到 {start_at!r}"
        raise InvalidPauseError(msg)
    unit = parse_unit(unit)
    if not unit.is_hours:
        raise UnknownUnitError(f"{unit.label}期限按日期计算，不按时刻计算")
    length = check_length(length, MAX_HOURS, "期限长度")
    extension = check_length(extension, MAX_HOURS, "延长期限")
    total = check_length(length + extension, MAX_HOURS, "期限长度（含延长）")
    cal = cal if cal is not None else Calendar.default()
    cur = start_at.astimezone(SHANGHAI)
    check_date(cur.date(), "起算日")
    stops = sorted(
        (
            (b.astimezone(SHANGHAI), None if e is None else e.astimezone(SHANGHAI))
            for b, e in paused
        ),
        key=lambda p: p[0],
    )
    working = unit is Unit.WORKING_HOURS
    remaining = timedelta(hours=total)
    flag = False

    def result(at: datetime | None, *, is_paused: bool = False) -> Due:
        return Due(
            None if at is None else at.date(), flag, is_paused, length, unit, extension, rule, at
        )

    while True:
        inside = next(
            (stop for begin, stop in stops if begin <= cur and (stop is None or cur < stop)),
            cur,
        )
        if inside is None:  # an open pause reached before the period ran out
            return result(None, is_paused=True)
        if inside != cur:  # inside a pause: counting resumes when it ends
            cur = inside
            continue
        day = cur.date()
        end = start_of_day(day + ONE_DAY)
        for begin, _stop in stops:
            if cur < begin < end:
                end = begin
        if working:
            if not cal.covers(day):
                if not provisional:
                    raise CalendarNotPublished(day.year, f"自{start_at:%Y-%m-%d %H:%M}起的期限")
                flag = True
            counts = cal.is_working_day(day, provisional=True)
        else:
            counts = True
        if counts:
            available = end - cur
            if available >= remaining:
                return result(cur + remaining)
            remaining -= available
        cur = end
