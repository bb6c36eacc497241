"""The official China working-day calendar and its date arithmetic (pure Python, no Django).

A ``Calendar`` is built once from rows (the shipped State Council arrangements, plus any
database overrides) into flat arrays over 1990-2100: whether each day is a working day, the
running count of working days, the positions of all working days, and the running count of
days in years whose notice is not loaded. Every query is then a handful of array look-ups
(O(1)); the ``*_bulk`` forms do the same look-ups with numpy over whole arrays.

Counting rules (``shared/spec/time-limits.md``, "How periods are counted"):

- the start day never counts, whatever day it is;
- ``add_working_days(start, n)`` is the n-th working day after ``start``;
- ``add_days`` / ``add_months`` give the last day of a natural-day / month period, moved to the
  next working day when it is a rest day (民法典 §203);
- a computation that needs a day in a year whose notice is not loaded raises
  ``CalendarNotPublished``, unless ``provisional=True``, which treats such years as plain
  weeks (Saturday and Sunday off). Callers ask ``is_provisional`` to mark the result.
"""

from __future__ import annotations

import calendar as _stdcalendar
import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from fazhi.workdays.errors import (
    CalendarError,
    CalendarNotPublished,
    InvalidDateError,
    InvalidLengthError,
)

SHIPPED_CSV = Path(__file__).with_name("data") / "cn_calendar.csv"

#: First and last day the index holds. Inputs must lie in [FIRST_DAY, LAST_INPUT_DAY], which
#: leaves room for the longest period (MAX_LENGTH) plus suspensions before LAST_DAY.
FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2100, 12, 31)
LAST_INPUT_DAY = date(2079, 12, 31)

#: Longest period accepted per unit ("absurd length" above this is an input error).
MAX_NATURAL_DAYS = 3660
MAX_WORKING_DAYS = 2610
MAX_MONTHS = 120

_LAST_ROLL_DAY = date(2100, 11, 30)  # roll_forward needs a working day after its input
_BASE = FIRST_DAY.toordinal()
_FIRST_ORD = _BASE
_LAST_INPUT_ORD = LAST_INPUT_DAY.toordinal()
_SIZE = LAST_DAY.toordinal() - _BASE + 1
_EPOCH_SHIFT = (FIRST_DAY - date(1970, 1, 1)).days  # datetime64[D] value of FIRST_DAY

DateArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class DayKind(StrEnum):
    """How a listed day differs from an ordinary week."""

    HOLIDAY = "holiday"  # statutory holiday (法定节假日)
    REST = "rest"  # other day off granted by a notice (调休、补休、延长假期)
    WORKDAY = "workday"  # Saturday or Sunday made a working day (调休上班)
    LOCAL_REST_DAY = "local_rest_day"  # local rest day (民族节日、地方决定)

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_working(self) -> bool:
        return self is DayKind.WORKDAY


_KIND_LABELS = {
    DayKind.HOLIDAY: "法定节假日",
    DayKind.REST: "调休放假",
    DayKind.WORKDAY: "调休上班",
    DayKind.LOCAL_REST_DAY: "地方休息日",
}


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One day that differs from an ordinary week, with the notice it comes from."""

    day: date
    kind: DayKind
    name: str = ""
    source: str = ""


def check_date(value: object, what: str = "日期", latest: date = LAST_INPUT_DAY) -> date:
    """Return ``value`` if it is a ``date`` (not a datetime) the calendar can compute with."""
    if isinstance(value, datetime) or not isinstance(value, date):
        shown = repr(value) if not isinstance(value, datetime) else f"{value}（含时刻的 datetime）"
        msg = f"日期格式错误：{what}应为日期（date），收到 {shown}"
        raise InvalidDateError(msg)
    if not FIRST_DAY <= value <= latest:
        msg = (
            f"日期超出可计算范围：{what} {value.isoformat()} 不在 "
            f"{FIRST_DAY.isoformat()} 至 {latest.isoformat()} 之间"
        )
        raise InvalidDateError(msg)
    return value


def parse_date(text: str, what: str = "日期") -> date:
    """Parse an ISO date ``YYYY-MM-DD`` (command line, import files) into a checked date."""
    try:
        value = date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        msg = f"日期格式错误：{what}应为 YYYY-MM-DD，收到 {text!r}"
        raise InvalidDateError(msg) from None
    return check_date(value, what)


def check_length(value: object, maximum: int, what: str = "期限长度") -> int:
    """Return ``value`` if it is an int in [0, maximum]."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = f"期限长度错误：{what}应为整数，收到 {value!r}"
        raise InvalidLengthError(msg)
    n = int(value)
    if n < 0:
        msg = f"期限长度错误：{what}不能为负数，收到 {n}"
        raise InvalidLengthError(msg)
    if n > maximum:
        msg = f"期限长度错误：{what} {n} 过长，最多 {maximum}"
        raise InvalidLengthError(msg)
    return n


class Calendar:
    """Working days of mainland China, from the State Council notices and local overrides."""

    def __init__(
        self,
        entries: Iterable[CalendarEntry],
        covered_years: Iterable[int],
        *,
        version: object = None,
    ) -> None:
        self._entries: dict[date, CalendarEntry] = {}
        for entry in entries:
            self._entries[entry.day] = entry
        self._covered = frozenset(int(y) for y in covered_years)
        self.version = version

        offsets = np.arange(_SIZE, dtype=np.int64)
        work = (offsets + FIRST_DAY.weekday()) % 7 < 5
        for entry in self._entries.values():
            i = entry.day.toordinal() - _BASE
            if 0 <= i < _SIZE:
                work[i] = entry.kind.is_working
        years = np.arange(FIRST_DAY.year, LAST_DAY.year + 1)
        year_starts = np.array(
            [date(int(y), 1, 1).toordinal() - _BASE for y in years], dtype=np.int64
        )
        year_of_day = np.searchsorted(year_starts, offsets, side="right") - 1
        covered = np.isin(years, sorted(self._covered))
        uncovered = ~covered[year_of_day]

        # _w[i]: working days in [0, i); _u[i]: uncovered days in [0, i)
        self._w_np = np.concatenate(([0], np.cumsum(work, dtype=np.int64)))
        self._u_np = np.concatenate(([0], np.cumsum(uncovered, dtype=np.int64)))
        self._work_pos_np = np.flatnonzero(work).astype(np.int64)
        nxt = np.searchsorted(self._work_pos_np, offsets, side="left")
        self._next_np = np.where(
            nxt < len(self._work_pos_np),
            self._work_pos_np[np.minimum(nxt, len(self._work_pos_np) - 1)],
            -1,
        )
        self._uncovered_pos_np = np.flatnonzero(uncovered).astype(np.int64)
        # Python lists for the scalar path: list indexing is several times faster than numpy's.
        self._work: list[bool] = work.tolist()
        self._w: list[int] = self._w_np.tolist()
        self._u: list[int] = self._u_np.tolist()
        self._work_pos: list[int] = self._work_pos_np.tolist()
        self._next: list[int] = self._next_np.tolist()

    # ----------------------------------------------------------------- construction

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[CalendarEntry | Sequence[Any]],
        covered_years: Iterable[int] | None = None,
        *,
        version: object = None,
    ) -> Calendar:
        """Build a calendar from explicit rows: ``CalendarEntry`` or ``(day, kind[, name])``.

        ``covered_years`` defaults to the years that appear in the rows.
        """
        entries = [row if isinstance(row, CalendarEntry) else _entry(row) for row in rows]
        if covered_years is None:
            covered_years = {e.day.year for e in entries}
        return cls(entries, covered_years, version=version)

    @classmethod
    def shipped(cls) -> Calendar:
        """The calendar of the data file shipped in the package (2004-2026), cached."""
        return _shipped()

    @classmethod
    def default(cls) -> Calendar:
        """The shipped calendar plus the database's additions when Django is configured
        (``workdays.loading``, which the package imports, sets where it comes from)."""
        return _default_source()

    def merged(
        self,
        entries: Iterable[CalendarEntry],
        covered_years: Iterable[int] = (),
        *,
        version: object = None,
    ) -> Calendar:
        """A new calendar: these entries override this one's on the same day."""
        combined = dict(self._entries)
        for entry in entries:
            combined[entry.day] = entry
        return Calendar(
            combined.values(), self._covered | frozenset(covered_years), version=version
        )

    # ----------------------------------------------------------------- facts

    @property
    def covered_years(self) -> frozenset[int]:
        return self._covered

    def covers(self, d: date) -> bool:
        """Whether the holiday arrangements of ``d``'s year are loaded."""
        if isinstance(d, datetime) or not isinstance(d, date):
            check_date(d)
        return d.year in self._covered

    def entry(self, d: date) -> CalendarEntry | None:
        """The listed entry of ``d`` (holiday, make-up working day, ...), if any."""
        return self._entries.get(d)

    def entries(self) -> list[CalendarEntry]:
        return [self._entries[d] for d in sorted(self._entries)]

    def is_provisional(self, first: date, last: date) -> bool:
        """Whether any day in [first, last] lies in a year whose notice is not loaded."""
        return self.first_uncovered_year(first, last) is not None

    def first_uncovered_year(self, first: date, last: date) -> int | None:
        """The first year in [first, last] whose notice is not loaded, or None."""
        lo = max(first.toordinal() - _BASE, 0)
        hi = min(last.toordinal() - _BASE, _SIZE - 1)
        if hi < lo or self._u[hi + 1] - self._u[lo] == 0:
            return None
        k = int(np.searchsorted(self._uncovered_pos_np, lo))
        return date.fromordinal(_BASE + int(self._uncovered_pos_np[k])).year

    def _require_covered(self, lo: int, hi: int, what: str) -> None:
        """Raise CalendarNotPublished if a day in offsets [lo, hi] lies in an unloaded year."""
        if hi >= lo and self._u[hi + 1] - self._u[lo] > 0:
            k = int(np.searchsorted(self._uncovered_pos_np, lo))
            year = date.fromordinal(_BASE + int(self._uncovered_pos_np[k])).year
            raise CalendarNotPublished(year, what)

    # ----------------------------------------------------------------- scalar arithmetic

    def is_working_day(self, d: date, *, provisional: bool = False) -> bool:
        i = check_date(d).toordinal() - _BASE
        if not provisional:
            self._require_covered(i, i, f"{d.isoformat()}是否为工作日")
        return self._work[i]

    def add_working_days(self, start: date, n: int, *, provisional: bool = False) -> date:
        """The n-th working day after ``start`` (``start`` itself never counts); n=0: start."""
        # Fast path for the common, valid case (exact types, in range); else full checks.
        if type(start) is not date or not _FIRST_ORD <= start.toordinal() <= _LAST_INPUT_ORD:
            check_date(start, "起算日")
        if type(n) is not int or not 0 < n <= MAX_WORKING_DAYS:
            n = check_length(n, MAX_WORKING_DAYS, "工作日数")
            if n == 0:
                return start
        i = start.toordinal() - _BASE
        r = self._work_pos[self._w[i + 1] + n - 1]
        if not provisional and self._u[r + 1] != self._u[i + 1]:
            self._require_covered(i + 1, r, f"自{start.isoformat()}起{n}个工作日的期限")
        return date.fromordinal(_BASE + r)

    def working_days_between(self, a: date, b: date, *, provisional: bool = False) -> int:
        """Working days in (a, b]; negative (minus those in (b, a]) when b is before a."""
        i = check_date(a).toordinal() - _BASE
        j = check_date(b).toordinal() - _BASE
        if not provisional:
            self._require_covered(min(i, j) + 1, max(i, j), "两日之间的工作日数")
        return self._w[j + 1] - self._w[i + 1]

    def roll_forward(self, d: date, *, provisional: bool = False) -> date:
        """``d`` if it is a working day, else the next working day (民法典 §203)."""
        i = check_date(d, "期限末日", _LAST_ROLL_DAY).toordinal() - _BASE
        return self._roll(i, i, provisional, f"期限末日{d.isoformat()}")

    def _roll(self, i: int, lo: int, provisional: bool, what: str) -> date:
        r = self._next[i]
        if not provisional:
            self._require_covered(lo, r, what)
        return date.fromordinal(_BASE + r)

    def add_days(self, start: date, n: int, *, provisional: bool = False) -> date:
        """Last day of an n-natural-day period from ``start``, rolled to a working day."""
        i = check_date(start, "起算日").toordinal() - _BASE
        n = check_length(n, MAX_NATURAL_DAYS, "天数")
        return self._roll(i + n, i + n, provisional, f"自{start.isoformat()}起{n}日的期限")

    def add_months(self, start: date, n: int, *, provisional: bool = False) -> date:
        """Same day-of-month n months on (month end where none), rolled to a working day."""
        end = months_later(check_date(start, "起算日"), check_length(n, MAX_MONTHS, "月数"))
        i = end.toordinal() - _BASE
        return self._roll(i, i, provisional, f"自{start.isoformat()}起{n}个月的期限")

    # ----------------------------------------------------------------- bulk (numpy)

    def _offsets(self, days: npt.ArrayLike) -> IntArray:
        arr = np.asarray(days)
        if not np.issubdtype(arr.dtype, np.datetime64):
            msg = f"日期格式错误：批量计算需要 datetime64[D] 数组，收到 {arr.dtype}"
            raise InvalidDateError(msg)
        off = arr.astype("datetime64[D]").astype(np.int64) - _EPOCH_SHIFT
        if off.size and (off.min() < 0 or off.max() > LAST_INPUT_DAY.toordinal() - _BASE):
            msg = (
                f"日期超出可计算范围：批量日期须在 {FIRST_DAY.isoformat()} 至 "
                f"{LAST_INPUT_DAY.isoformat()} 之间"
            )
            raise InvalidDateError(msg)
        return off

    @staticmethod
    def _lengths(n: npt.ArrayLike, maximum: int) -> IntArray:
        arr = np.asarray(n)
        if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
            msg = f"期限长度错误：批量计算的长度应为整数，收到 {arr.dtype}"
            raise InvalidLengthError(msg)
        arr = arr.astype(np.int64)
        if arr.size and (arr.min() < 0 or arr.max() > maximum):
            msg = f"期限长度错误：批量计算的长度须在 0 至 {maximum} 之间"
            raise InvalidLengthError(msg)
        return arr

    def _require_covered_bulk(self, lo: IntArray, hi: IntArray, what: str) -> None:
        bad = (self._u_np[hi + 1] - self._u_np[lo]) > 0
        bad &= hi >= lo
        if bad.any():
            first = int(lo[bad].min())
            k = int(np.searchsorted(self._uncovered_pos_np, first))
            year = date.fromordinal(_BASE + int(self._uncovered_pos_np[k])).year
            raise CalendarNotPublished(year, what)

    @staticmethod
    def _dates(off: IntArray) -> DateArray:
        return (off + _EPOCH_SHIFT).astype("datetime64[D]")

    def add_working_days_bulk(
        self, starts: npt.ArrayLike, n: npt.ArrayLike, *, provisional: bool = False
    ) -> DateArray:
        """``add_working_days`` over arrays (``starts`` datetime64[D]; ``n`` int or array)."""
        off = self._offsets(starts)
        k = self._lengths(n, MAX_WORKING_DAYS)
        idx = self._w_np[off + 1] + k - 1
        res = np.where(k == 0, off, self._work_pos_np[np.maximum(idx, 0)])
        if not provisional:
            self._require_covered_bulk(off + 1, res, "批量工作日期限")
        return self._dates(res)

    def add_days_bulk(
        self, starts: npt.ArrayLike, n: npt.ArrayLike, *, provisional: bool = False
    ) -> DateArray:
        """``add_days`` over arrays: natural days, last day rolled to a working day."""
        end = self._offsets(starts) + self._lengths(n, MAX_NATURAL_DAYS)
        res = self._next_np[end]
        if not provisional:
            self._require_covered_bulk(end, res, "批量自然日期限")
        return self._dates(res)

    def add_months_bulk(
        self, starts: npt.ArrayLike, n: npt.ArrayLike, *, provisional: bool = False
    ) -> DateArray:
        """``add_months`` over arrays."""
        off = self._offsets(starts)
        k = self._lengths(n, MAX_MONTHS)
        days = self._dates(off)
        month = days.astype("datetime64[M]")
        dom = (days - month.astype("datetime64[D]")).astype(np.int64)
        target = month + k.astype("timedelta64[M]")
        length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
            np.int64
        )
        end_days = target.astype("datetime64[D]") + np.minimum(dom, length - 1)
        end = end_days.astype(np.int64) - _EPOCH_SHIFT
        res = self._next_np[end]
        if not provisional:
            self._require_covered_bulk(end, res, "批量按月期限")
        return self._dates(res)

    def provisional_mask(self, first: npt.ArrayLike, last: npt.ArrayLike) -> BoolArray:
        """Per element: whether any day in [first, last] lies in a year not loaded."""
        lo = np.clip(
            np.asarray(first).astype("datetime64[D]").astype(np.int64) - _EPOCH_SHIFT, 0, _SIZE - 1
        )
        hi = np.clip(
            np.asarray(last).astype("datetime64[D]").astype(np.int64) - _EPOCH_SHIFT, 0, _SIZE - 1
        )
        result: BoolArray = (self._u_np[hi + 1] - self._u_np[lo]) > 0
        return result

    def __repr__(self) -> str:
        years = sorted(self._covered)
        span = f"{years[0]}-{years[-1]}" if years else "none"
        return f"<Calendar years={span} entries={len(self._entries)} version={self.version!r}>"


def months_later(start: date, n: int) -> date:
    """Same day-of-month ``n`` months after ``start``; the month's last day where none."""
    month0 = start.month - 1 + n
    year, month = start.year + month0 // 12, month0 % 12 + 1
    last = _stdcalendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def _entry(row: Sequence[Any]) -> CalendarEntry:
    if len(row) < 2:
        msg = f"日历数据错误：每行至少需要日期和类型，收到 {row!r}"
        raise CalendarError(msg)
    day = row[0] if isinstance(row[0], date) else parse_date(str(row[0]))
    try:
        kind = DayKind(str(row[1]))
    except ValueError:
        msg = f"日历数据错误：未知的日期类型 {row[1]!r}（应为 {'、'.join(DayKind)}）"
        raise CalendarError(msg) from None
    name = str(row[2]) if len(row) > 2 else ""
    source = str(row[3]) if len(row) > 3 else ""
    return CalendarEntry(day, kind, name, source)


def read_shipped_entries(path: Path = SHIPPED_CSV) -> list[CalendarEntry]:
    """The rows of the shipped data file."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            CalendarEntry(date.fromisoformat(r["date"]), DayKind(r["kind"]), r["name"], r["source"])
            for r in csv.DictReader(fh)
        ]


#: Years whose State Council notice the shipped file holds.
SHIPPED_YEARS = frozenset(range(2004, 2027))


@cache
def _shipped() -> Calendar:
    return Calendar(read_shipped_entries(), SHIPPED_YEARS, version="shipped")


_default_source: Callable[[], Calendar] = _shipped


def set_default_source(source: Callable[[], Calendar]) -> None:
    """Where ``Calendar.default()`` comes from (``workdays.loading``: the shipped calendar merged
    with the database's overrides); this module itself imports no Django code."""
    global _default_source
    _default_source = source
