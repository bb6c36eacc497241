"""``fazhi backup``: the database and the uploaded files in one archive (fazhi.core.backup).

    fazhi backup [--output PATH]

PATH is a file or a folder; the default is ``var/backups/fazhi-backup-YYYYMMDD-HHMMSS.tar``.
The app may keep running: the database is copied in one read snapshot, then the files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core import backup


class Command(BaseCommand):
    help = "备份数据库和上传的文件（一个 tar 文件，可用 fazhi restore 恢复）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            default="",
            help="备份文件或所在文件夹；默认 var/backups/fazhi-backup-时间.tar",
        )
        parser.add_argument("--database", default="default", help="数据库别名")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backup.backup(
                Path(options["output"]) if options["output"] else None, using=options["database"]
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        for name in done.missing:
            self.stderr.write(f"警告：数据库记载的文件“{name}”在上传文件目录中不存在，未能备份。")
        self.stdout.write(
            f"已备份到 {done.path}：数据库（{done.vendor}）{len(done.tables)} 张表 {done.rows} 行，"
            f"文件 {done.files} 个 {done.file_bytes / 1048576:.1f} MB。"
        )
