"""``fazhi serve``: the production web server (gunicorn, fazhi/gunicorn_conf.py).

    fazhi serve                              # 127.0.0.1:8000, workers by CPU count
    fazhi serve --bind 0.0.0.0:8000 --workers 4 --threads 4

It serves the app and its static files (whitenoise, from the app itself). Before it starts it
refuses what would serve a broken site: debug mode (use ``fazhi runserver``), a database that
is not migrated, and failed system checks; a missing production configuration has already
stopped the ``fazhi`` command (fail closed, fazhi/settings.py). Background work runs in
``fazhi worker`` beside it (docs/deployment.md).
"""

from __future__ import annotations

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

CONFIG = "python:fazhi.gunicorn_conf"


def gunicorn_argv() -> list[str]:
    return [sys.executable, "-m", "gunicorn", "--config", CONFIG, "fazhi.wsgi:application"]


class Command(BaseCommand):
    help = "启动生产环境网页服务（gunicorn）：网站、工作台、接口和静态文件。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", help="监听地址，如 127.0.0.1:8000（默认 FAZHI_BIND 或该值）")
        parser.add_argument(
            "--workers", type=int, help="进程数（默认按 CPU 数，FAZHI_WEB_WORKERS）"
        )
        parser.add_argument("--threads", type=int, help="每个进程的线程数（默认 4）")
        parser.add_argument(
            "--check", action="store_true", help="只检查能否启动并显示 gunicorn 命令，不启动"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            raise CommandError(
                "fazhi serve 是生产环境服务器，不能在调试模式（FAZHI_DEBUG=1）下运行；"
                "开发调试请用 fazhi runserver。"
            )
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise CommandError(
                f"数据库尚未迁移（{len(plan)} 项待执行）：请先运行 fazhi migrate，再启动服务。"
            )
        connections.close_all()  # gunicorn's processes open their own
        env = dict(os.environ)
        for option, name in (
            ("bind", "FAZHI_BIND"),
            ("workers", "FAZHI_WEB_WORKERS"),
            ("threads", "FAZHI_WEB_THREADS"),
        ):
            if options[option] is not None:
                env[name] = str(options[option])
        env.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
        argv = gunicorn_argv()
        if options["check"]:
            self.stdout.write(
                f"可以启动：{' '.join(argv)}（监听 {env.get('FAZHI_BIND', '127.0.0.1:8000')}）"
            )
            return
        if options["verbosity"] >= 1:
            self.stdout.write(f"网页服务启动中：http://{env.get('FAZHI_BIND', '127.0.0.1:8000')}/")
            self.stdout.flush()
        os.execve(sys.executable, argv, env)  # noqa: S606 our own interpreter, fixed arguments  # nosec B606
