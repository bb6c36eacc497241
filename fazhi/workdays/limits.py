"""Time limits (法定期限) as data: the ``TimeLimit`` type and the registry of limits.

Each ``TimeLimit`` names its length, unit, the event it runs from, its legal basis (law and
article) and whether it may be extended. A domain app declares its limits in its own
``limits.py`` and registers them with ``register_limits`` (imported from its ``ready()``);
limits of spec/time-limits.md whose domain is not built yet are registered by
``fazhi.workdays.statutory``. Procedure declarations refer to limits by code
(``<procedure>.<step>``); ``get_limit`` applies a deployment's overrides to the limits that are
configuration rather than law (``configurable=True``), from the Django setting
``FAZHI_TIME_LIMIT_OVERRIDES = {"hotline_order.conclude": {"length": 3}}`` when Django is set up.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from fazhi.workdays.calendar import Calendar, check_date
from fazhi.workdays.errors import ExtensionNotAllowedError, InvalidLengthError, UnknownLimitError
from fazhi.workdays.periods import (
    Due,
    MomentPause,
    Pause,
    Unit,
    due_date,
    due_moment,
    parse_unit,
)


class LimitKind(StrEnum):
    """Whether the period is a deadline (act by) or a minimum (not before)."""

    DEADLINE = "deadline"  # 期限：最迟于该日
    MINIMUM = "minimum"  # 最短期间：不早于该日（征求意见期、合法性审查期）


@dataclass(frozen=True)
class TimeLimit:
    """One statutory (or configured) time limit."""

    code: str
    label: str
    length: int
    unit: Unit
    runs_from: str
    basis: str
    verified: str
    extension_max: int | None = None
    extension_needs_approval: bool = False
    kind: LimitKind = LimitKind.DEADLINE
    configurable: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", parse_unit(self.unit))
        if isinstance(self.length, bool) or not isinstance(self.length, int) or self.length < 1:
            msg = f"期限长度错误：{self.code} 的长度应为正整数，收到 {self.length!r}"
            raise InvalidLengthError(msg)

    @property
    def description(self) -> str:
        """``60日（自然日），行政复议法 第六十二条``."""
        return f"{self.unit.describe(self.length)}，{self.basis}"

    def due(
        self,
        start: date,
        cal: Calendar | None = None,
        *,
        paused: Iterable[Pause] = (),
        extension: int = 0,
        provisional: bool = False,
    ) -> Due:
        """The due date of this limit for an event on ``start``.

        A period without suspension or extension is memoised (``_plain_dues``): its due date is
        a pure function of the limit, the calendar, the start and ``provisional``, and a replay
        or a recomputation asks for the same few hundred start dates again and again.
        """
        if type(extension) is int and extension == 0 and not paused and type(start) is date:
            cal = cal if cal is not None else Calendar.default()
            if _plain_dues.calendar is not cal:  # another calendar: start over
                _plain_dues.calendar = cal
                _plain_dues.dues.clear()
            key = (id(self), start, provisional)
            hit = _plain_dues.dues.get(key)
            if hit is not None and hit[0] is self and hit[1] is cal:
                return hit[2]
            due = due_date(
                start, self.length, self.unit, cal=cal, provisional=provisional, rule=self
            )
            if len(_plain_dues.dues) >= _PLAIN_DUES_KEEP:
                _plain_dues.dues.clear()
            _plain_dues.dues[key] = (self, cal, due)
            return due
        check_date(start, "起算日")
        self._check_extension(extension)
        return due_date(
            start,
            self.length,
            self.unit,
            cal=cal,
            paused=paused,
            extension=extension,
            provisional=provisional,
            rule=self,
        )

    def due_at(
        self,
        start_at: datetime,
        cal: Calendar | None = None,
        *,
        paused: Iterable[MomentPause] = (),
        extension: int = 0,
        provisional: bool = False,
    ) -> Due:
        """The due moment of this limit (in hours) for an event at ``start_at``."""
        self._check_extension(extension)
        return due_moment(
            start_at,
            self.length,
            self.unit,
            cal=cal,
            paused=paused,
            extension=extension,
            provisional=provisional,
            rule=self,
        )

    def _check_extension(self, extension: int) -> None:
        if not extension:
            return
        if self.extension_max is None:
            msg = f"{self.label}（{self.code}）不允许延长期限"
            raise ExtensionNotAllowedError(msg)
        if isinstance(extension, bool) or not isinstance(extension, int) or extension < 0:
            msg = f"期限长度错误：延长期限应为非负整数，收到 {extension!r}"
            raise InvalidLengthError(msg)
        if extension > self.extension_max:
            msg = (
                f"{self.label}最多延长{self.unit.describe(self.extension_max)}，"
                f"请求延长{self.unit.describe(extension)}"
            )
            raise ExtensionNotAllowedError(msg)


class _PlainDues:
    """The memo of ``TimeLimit.due`` for periods without suspension or extension: (id of a
    limit, start, provisional) → (that limit, the calendar, the due date). Limits and
    calendars are immutable (an override or a new notice makes new objects), the limit kept in
    the value pins its id, and a hit must be of the same limit and calendar objects, so it is
    always current — also when two threads use two calendars around a calendar change. The
    memo holds one calendar's dates: another calendar empties it."""

    def __init__(self) -> None:
        self.calendar: Calendar | None = None
        self.dues: dict[tuple[int, date, bool], tuple[TimeLimit, Calendar, Due]] = {}


_plain_dues = _PlainDues()
_PLAIN_DUES_KEEP = 100_000  # entries (≈ 20 MB at most); emptied when full


#: Local rules, not statute: the basis of a configurable limit (defaults of spec/procedures.md).
#: Shown as the deployment names its rules (``local_rule_name``), never as a file path.
LOCAL_RULE = "本地规定"


def local_rule_name() -> str:
    """The deployment's name for its local rules (``FAZHI_LOCAL_RULE_NAME``), or 本地规定."""
    if "django" in sys.modules:
        from django.conf import settings

        if settings.configured:
            name = str(getattr(settings, "FAZHI_LOCAL_RULE_NAME", "") or "").strip()
            if name:
                return name
    return LOCAL_RULE


def basis_words(limit: TimeLimit) -> str:
    """The legal basis in words: the law and article, or the local rule as configured."""
    return local_rule_name() if limit.basis == LOCAL_RULE else limit.basis


def limit_words(limit: TimeLimit) -> str:
    """``“办不成事”求助受理审查，3个工作日，依据《铁西区……制度》``: name, length, basis."""
    return f"{limit.label}，{limit.unit.describe(limit.length)}，依据{basis_words(limit)}"


#: Every registered limit by code (filled by ``register_limits``).
LIMITS: dict[str, TimeLimit] = {}


def register_limits(*limits: TimeLimit) -> None:
    """Register time limits (a domain's ``limits.py``). Registering the same limit again is a
    no-op; the same code with different contents is a programming error."""
    for limit in limits:
        if not isinstance(limit, TimeLimit):
            raise TypeError(f"register_limits: not a TimeLimit: {limit!r}")
        existing = LIMITS.get(limit.code)
        if existing is not None and existing != limit:
            raise ValueError(f"time limit {limit.code} registered twice with different contents")
        LIMITS[limit.code] = limit
        _RESOLVED.pop(limit.code, None)


@dataclass(frozen=True)
class AnnualDeadline:
    """A fixed date in the year after the reported year (annual reports)."""

    code: str
    label: str
    month: int
    day: int
    basis: str
    verified: str
    configurable: bool = False

    def due(self, reported_year: int) -> date:
        return date(reported_year + 1, self.month, self.day)


ANNUAL_DEADLINES: dict[str, AnnualDeadline] = {
    d.code: d
    for d in (
        AnnualDeadline(
            "annual_report.publish",
            "公开上一年度法治政府建设情况报告",
            4,
            1,
            "法治政府建设与责任落实督察工作规定",
            "via secondary source",
            configurable=True,
        ),
        AnnualDeadline(
            "enforcement_statistics.publish",
            "公开上一年度行政执法数据",
            1,
            31,
            "国办发〔2018〕118号",
            "via secondary source",
        ),
    )
}


def _overrides() -> dict[str, dict[str, Any]]:
    """``settings.FAZHI_TIME_LIMIT_OVERRIDES`` when Django is configured, else nothing."""
    if "django" not in sys.modules:
        return {}
    from django.conf import settings

    if not settings.configured:
        return {}
    value = getattr(settings, "FAZHI_TIME_LIMIT_OVERRIDES", {})
    return dict(value) if isinstance(value, dict) else {}


_OVERRIDABLE = {"length", "unit", "extension_max", "extension_needs_approval", "basis", "label"}


# code → (the overrides object it was computed from, the limit): a hot path of every replay.
_RESOLVED: dict[str, tuple[object, TimeLimit]] = {}


def _raw_overrides() -> object:
    if "django" not in sys.modules:
        return None
    from django.conf import settings

    if not settings.configured:
        return None
    return getattr(settings, "FAZHI_TIME_LIMIT_OVERRIDES", None)


def get_limit(code: str) -> TimeLimit:
    """The limit registered under ``code``, with the deployment's overrides if configurable.

    Memoised per code while the settings object holding the overrides stays the same object
    (``override_settings`` and a restart replace it, so a change is always seen).
    """
    raw = _raw_overrides()
    cached = _RESOLVED.get(code) if isinstance(code, str) else None
    if cached is not None and cached[0] is raw:
        return cached[1]
    limit = _resolve_limit(code)
    if isinstance(code, str):
        _RESOLVED[code] = (raw, limit)
    return limit


def _resolve_limit(code: str) -> TimeLimit:
    try:
        limit = LIMITS[code]
    except (KeyError, TypeError):
        msg = f"未登记的期限规则：{code!r}"
        raise UnknownLimitError(msg) from None
    override = _overrides().get(code)
    if override and limit.configurable:
        unknown = set(override) - _OVERRIDABLE
        if unknown:
            msg = f"期限配置错误：{code} 不能配置 {sorted(unknown)}"
            raise UnknownLimitError(msg)
        limit = replace(limit, **override)
    return limit
