"""``fazhi calendar``: import a notice, show a month, compute a due date.

    fazhi calendar import FILE
    fazhi calendar show 2026-10
    fazhi calendar due 2025-09-28 --working 5 [--paused 2025-10-09:2025-10-15 ...]

Bad input never ends in a traceback: it is a ``CommandError`` with the Chinese message.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.workdays.calendar import Calendar, parse_date
from fazhi.workdays.display import describe_due, month_grid
from fazhi.workdays.errors import CalendarError, InvalidPauseError
from fazhi.workdays.limits import get_limit
from fazhi.workdays.notices import parse_notice_file
from fazhi.workdays.periods import Pause, Unit, due_date

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def _pause(text: str) -> Pause:
    begin, sep, end = text.partition(":")
    if not sep:
        msg = f"中止期间格式错误：{text!r}（应为 开始日:恢复日，尚未恢复则写 开始日:）"
        raise InvalidPauseError(msg)
    return parse_date(begin, "中止开始日"), (parse_date(end, "中止恢复日") if end.strip() else None)


class Command(BaseCommand):
    help = "工作日历：导入国务院放假通知、显示月历、计算到期日。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入放假通知文件（CSV 或 JSON），全部有效才导入")
        imp.add_argument("file", help="通知文件路径")
        show = sub.add_parser("show", help="显示一个月的日历，标出休息日和调休上班日")
        show.add_argument("month", help="月份，如 2026-10")
        due = sub.add_parser("due", help="计算到期日")
        due.add_argument("start", help="起算日（事件发生日），如 2025-09-28")
        length = due.add_mutually_exclusive_group(required=True)
        length.add_argument("--working", type=str, help="工作日数")
        length.add_argument("--days", type=str, help="自然日数")
        length.add_argument("--months", type=str, help="月数")
        length.add_argument("--limit", help="已登记的期限规则代码，如 reconsideration.decide")
        due.add_argument(
            "--paused", action="append", default=[], help="中止期间 开始日:恢复日（可重复）"
        )
        due.add_argument("--extension", type=str, default="0", help="延长的期限（同单位）")
        due.add_argument(
            "--strict",
            action="store_true",
            help="涉及尚未导入放假安排的年份时报错，而不是暂估",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "import":
                self._import(options["file"])
            elif options["action"] == "show":
                self._show(options["month"])
            else:
                self._due(options)
        except CalendarError as exc:
            raise CommandError(str(exc)) from exc

    def _import(self, path: str) -> None:
        from fazhi.workdays.services import import_notice

        notice = parse_notice_file(path)
        result = import_notice(notice)
        if result.changed:
            self.stdout.write(
                f"已导入{notice.year}年：{notice.source}。新增 {result.created} 天，"
                f"修改 {result.updated} 天，删除 {result.deleted} 天；相关期限将重算。"
            )
        else:
            self.stdout.write(f"{notice.year}年的安排与已导入的一致，无变化。")

    def _show(self, text: str) -> None:
        match = _MONTH.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            msg = f"月份格式错误：{text!r}（应为 YYYY-MM，如 2026-10）"
            raise CommandError(msg)
        year, month = int(match.group(1)), int(match.group(2))
        parse_date(f"{year:04d}-{month:02d}-01", "月份")
        self.stdout.write(month_grid(Calendar.default(), year, month))

    def _due(self, options: dict[str, Any]) -> None:
        start: date = parse_date(options["start"], "起算日")
        paused = [_pause(p) for p in options["paused"]]
        extension = _int(options["extension"], "延长期限")
        provisional = not options["strict"]
        cal = Calendar.default()
        if options["limit"]:
            due = get_limit(options["limit"]).due(
                start, cal, paused=paused, extension=extension, provisional=provisional
            )
        else:
            unit, text = next(
                (u, options[k])
                for k, u in (
                    ("working", Unit.WORKING),
                    ("days", Unit.NATURAL),
                    ("months", Unit.MONTHS),
                )
                if options[k] is not None
            )
            due = due_date(
                start,
                _int(text, "期限长度"),
                unit,
                cal=cal,
                paused=paused,
                extension=extension,
                provisional=provisional,
            )
        self.stdout.write(describe_due(due, start))


def _int(text: str, what: str) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        from fazhi.workdays.errors import InvalidLengthError

        msg = f"期限长度错误：{what}应为整数，收到 {text!r}"
        raise InvalidLengthError(msg) from None
