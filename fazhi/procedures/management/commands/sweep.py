"""``fazhi sweep``: record each open matter's crossing into warning and overdue, and notify.

    fazhi sweep                  # today (Asia/Shanghai)
    fazhi sweep --date 2025-06-16
    fazhi sweep --queue          # queue it for ``fazhi worker`` (a daily systemd timer)

Run it daily (cron or a scheduler; docs/deployment.md). Running it twice the same day adds nothing: each matter's
crossing is recorded once per due date (``sweeps.sweep``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core import clock
from fazhi.core.dbstats import refresh_statistics
from fazhi.procedures import sweeps


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"日期格式错误：{text!r} 不是有效的日期，应为 YYYY-MM-DD，如 2025-06-16。"
        ) from None


class Command(BaseCommand):
    help = "期限巡检：记录进入临期（3个工作日内到期）和逾期的未办结事项，并提醒承办机构。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            dest="day",
            help="按此日期巡检（YYYY-MM-DD），默认今天；不能晚于今天。",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="不在本进程巡检，而是排入后台任务队列，由 fazhi worker 执行。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        day = parse_day(options["day"]) if options.get("day") else today
        if day > today:
            raise CommandError(f"巡检日期 {day.isoformat()} 晚于今天 {today.isoformat()}。")
        if options.get("queue"):
            from fazhi.core.tasks import enqueue

            job = enqueue(
                "procedures.sweep",
                label=f"{day.isoformat()} 期限巡检",
                params={"day": day.isoformat()},
            )
            self.stdout.write(f"{day.isoformat()} 期限巡检已排入后台任务队列（任务 {job.pk}）。")
            return
        counts = sweeps.sweep(day)
        refresh_statistics()  # SQLite has no autoanalyze: the daily sweep keeps plans good
        self.stdout.write(sweeps.summary(day, counts))
