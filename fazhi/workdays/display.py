"""Text renderings of the calendar for the ``fazhi calendar`` command (pure)."""

from __future__ import annotations

import calendar as _stdcalendar
from datetime import date

from fazhi.workdays.calendar import Calendar, DayKind
from fazhi.workdays.periods import Due

WEEKDAYS = "一二三四五六日"


def month_grid(cal: Calendar, year: int, month: int) -> str:
    """A month as a grid, Monday first: 休 rest day, 班 make-up working day, then the names."""
    first = date(year, month, 1)
    covered = cal.covers(first)
    lines = [f"{year}年{month}月"]
    if not covered:
        lines.append(f"（{year}年的国务院放假安排尚未导入：以下按普通周显示，仅供暂估）")
    lines.append("  ".join(f" {w} " for w in WEEKDAYS))
    weeks = _stdcalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    for week in weeks:
        cells = []
        for day in week:
            if day.month != month:
                cells.append("    ")
                continue
            working = cal.is_working_day(day, provisional=True)
            entry = cal.entry(day)
            if entry is not None and entry.kind is DayKind.WORKDAY:
                mark = "班"
            elif not working:
                mark = "休"
            else:
                mark = "  "
            cells.append(f"{day.day:>2}{mark}")
        lines.append("  ".join(cells).rstrip())
    lines.append("休＝休息日（周末、节假日）  班＝调休上班日")
    for day in (d for week in weeks for d in week if d.month == month):
        entry = cal.entry(day)
        if entry is not None:
            lines.append(
                f"{day.isoformat()} 星期{WEEKDAYS[day.weekday()]} {entry.kind.label}"
                f"：{entry.name}（{entry.source}）"
            )
    return "\n".join(lines)


def describe_due(due: Due, start: date) -> str:
    """Several lines: the due date, the rule, whether it is provisional."""
    lines = []
    if due.on is None:
        lines.append("到期日：无（期限中止，尚未恢复计算）")
    else:
        lines.append(f"到期日：{due.on.isoformat()}（星期{WEEKDAYS[due.on.weekday()]}）")
    lines.append(f"规则：{due.description}；自 {start.isoformat()} 起算（起算日不计入）")
    if due.rule is not None:
        lines.append(f"期限规则：{due.rule.code} {due.rule.label}")
    lines.append("暂估：" + ("是（涉及尚未导入国务院放假安排的年份）" if due.provisional else "否"))
    return "\n".join(lines)
