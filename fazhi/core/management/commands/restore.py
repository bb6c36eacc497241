"""``fazhi restore``: put back the database and the uploaded files of a ``fazhi backup``.

    fazhi restore PATH [--noinput]

Stop the app servers and workers first. The archive is checked whole before anything changes;
the database is then replaced (all or nothing) and files the backup does not hold are moved
aside to ``<MEDIA_ROOT>.displaced-…``, never deleted. Run ``fazhi migrate`` afterwards when the
backup comes from an older version.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core import backup
from fazhi.core.dburl import describe_database


class Command(BaseCommand):
    help = "从 fazhi backup 的备份恢复数据库和上传的文件（替换现有数据）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="fazhi backup 生成的备份文件")
        parser.add_argument(
            "--noinput", "--no-input", action="store_true", help="不询问，直接替换现有数据"
        )
        parser.add_argument("--database", default="default", help="数据库别名")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        try:
            manifest = backup.read_manifest(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        if not options["noinput"]:
            if not sys.stdin.isatty():
                raise CommandError("恢复会替换现有的数据库和文件：确认无误后加 --noinput 运行。")
            answer = input(
                f"将用 {manifest['created_at']} 的备份替换数据库（{describe_database()}）和上传的文件，"
                "请先停止应用服务和后台任务。输入 yes 继续："
            )
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，未作任何改动。")
        try:
            done = backup.restore(path, using=options["database"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已从 {done.path} 恢复：数据库 {len(done.tables)} 张表 {done.rows} 行（逐表核对行数一致），"
            f"文件 {done.files} 个。"
        )
        if done.displaced:
            self.stdout.write(f"备份中没有的文件已移到 {done.displaced}（未删除）。")
        if done.missing:
            self.stderr.write(f"注意：备份时已缺少 {len(done.missing)} 个数据库记载的文件。")
        self.stdout.write("如备份来自较早的版本，请接着运行 fazhi migrate。")
