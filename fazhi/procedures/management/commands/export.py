"""``fazhi export --procedure P [--year Y] --format jsonl|xlsx|csv [-o FILE] [--org CODE]``.

Writes what ``fazhi import`` reads back to the same records (JSONL losslessly).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.progress import progress_bar
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.exporting import EXPORT_FORMATS, export, matters_for_export
from fazhi.procedures.services import resolve_org


class Command(BaseCommand):
    help = "导出事项（jsonl、xlsx、csv），可由 fazhi import 重新导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--procedure", required=True, help="程序代码，如 reconsideration")
        parser.add_argument("--year", type=int, help="收到年度（默认全部）")
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="jsonl", help="导出格式")
        parser.add_argument("-o", "--output", help="输出文件（jsonl、csv 默认输出到标准输出）")
        parser.add_argument("--org", help="只导出该机构及其下级的事项（行政区划代码、编号或全称）")
        parser.add_argument("--quiet", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        try:
            org = resolve_org(options["org"]) if options["org"] else None
            qs = matters_for_export(
                options["procedure"], year=options["year"], org=org, scoped=False
            )
        except ProcedureError as exc:
            raise CommandError(exc.message) from None
        output = options["output"]
        if output is None and fmt == "xlsx":
            raise CommandError("导出 xlsx 须用 -o 指定输出文件。")
        with progress_bar(
            f"导出 {options['procedure']}", unit="件", total=qs.count(), quiet=options["quiet"]
        ) as bar:
            if output:
                with Path(output).open("wb") as out:
                    result = export(qs, options["procedure"], fmt, out, progress=bar.update)
            else:
                result = export(
                    qs, options["procedure"], fmt, sys.stdout.buffer, progress=bar.update
                )
                sys.stdout.buffer.flush()
        self.stderr.write(f"已导出{result.written}件事项。")
        if result.left_out:
            self.stderr.write(
                f"{len(result.left_out)}件事项含转办、中止等通用操作或重复操作，无法写入表格，"
                f"未导出（请改用 --format jsonl）：{'、'.join(result.left_out[:20])}"
            )
