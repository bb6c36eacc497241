"""``fazhi demo``: migrate, build the demo district and its records, then serve the site."""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from fazhi.core import demo
from fazhi.core.progress import progress_bar


class Command(BaseCommand):
    help = "建立演示区（四平市铁西区）及其演示数据，然后在 http://127.0.0.1:8000 运行网站。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="只建立数据，不启动网站。")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="网站监听地址。")
        parser.add_argument("--year", type=int, default=2024, help="演示数据的年度。")
        parser.add_argument(
            "--no-records",
            action="store_true",
            help="只建立机构和登录账号，不生成演示记录（快，用于测试和空白试用）。",
        )

    def _builders(self) -> list[tuple[Any, Any]]:
        """The apps with a ``demo`` module (app config, module), in INSTALLED_APPS order."""
        found = []
        for config in apps.get_app_configs():
            if not config.name.startswith("fazhi.") or config.name == "fazhi.core":
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            found.append((config, module))
        return found

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.stdout.write("正在初始化数据库……")
        # Later domains add their demo year's records: an app's ``demo.build(root, year)``, in
        # one transaction each (all or nothing; on SQLite one commit, not one per record).
        builders = [] if options["no_records"] else self._builders()
        summaries: list[str] = []
        with progress_bar("建立演示数据", unit="步", total=3 + len(builders)) as bar:
            bar.note("数据库迁移")
            call_command("migrate", interactive=False, verbosity=0)
            bar.update(1)
            bar.note("机构")
            root = demo.build_district()
            bar.update(1)
            bar.note("登录账号")
            users = demo.build_users(root)
            bar.update(1)
            for config, module in builders:
                bar.note(str(config.verbose_name))
                with transaction.atomic():
                    summary = module.build(root, options["year"])
                bar.update(1)
                if summary:
                    summaries.append(f"  {config.verbose_name}：{summary}")
        for line in summaries:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"演示数据就绪（{time.monotonic() - started:.1f} 秒）：{root.name}")
        )
        self.stdout.write(f"登录账号（密码均为 {demo.DEMO_PASSWORD}）：")
        for u in users:
            self.stdout.write(
                f"  {u.username:<10} {u.role.label:<8} {u.full_name}（{u.org_short}，{u.position}）"
            )
        if settings.FAZHI_LOCAL_INSTALL:
            self.stdout.write(
                f"本目录是本地单用户安装（配置：{settings.VAR_DIR / 'local.json'}）："
                "在这里运行的 fazhi 命令都使用它。"
            )
        if options["no_serve"]:
            return
        addr = options["addr"]
        self.stdout.write(
            f"网站： http://{addr}/   工作台： http://{addr}/workbench/   按 Ctrl+C 停止。"
        )
        call_command("runserver", addr, use_reloader=False)
