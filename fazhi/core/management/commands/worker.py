"""``fazhi worker``: run the background jobs (imports, exports, reports) as they are queued.

It is django-tasks-db's worker (``db_worker``) with Fazhi's defaults: every queue, and no
code reloading unless asked. Run one or more beside ``fazhi serve`` (docs/deployment.md);
``--batch`` runs what is queued and exits (cron, tests).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = "运行后台任务（网页导入、导出、报告生成）：从数据库队列中逐个取出执行。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] >= 1 and not options["batch"]:
            self.stdout.write("后台任务进程已启动，按 Ctrl+C 停止。")
        super().handle(*args, **options)
