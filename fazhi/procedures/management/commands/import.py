"""``fazhi import FILE``, ``fazhi import template PROCEDURE -o FILE.xlsx`` (docs/import-format.md)
and ``fazhi import runs`` (the latest runs; a run whose process is gone is marked failed first).

Every line is replayed through the engine's rules; a file is imported all-or-nothing unless
``--skip-invalid``, which imports the valid lines and writes a report of the others.
"""

# ruff: noqa: N999 the issue names the command `fazhi import`; Django loads it by file name

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fazhi.procedures.declarations import all_procedures, get_procedure
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.exporting import write_template
from fazhi.procedures.importing import (
    BATCH_SIZE,
    ImportFileError,
    file_format,
    import_file,
)
from fazhi.procedures.importing.liveness import mark_stale_runs
from fazhi.procedures.models import ImportRun

SHOWN_ERRORS = 50
RUNS_SHOWN = 20


class Command(BaseCommand):
    help = "导入事项（.jsonl、.xlsx、.csv），按办理规则逐步核验；或生成导入模板。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            help="要导入的文件；或 template（生成模板，后接程序代码和 -o 文件名）；"
            "或 runs（列出最近的导入）",
        )
        parser.add_argument("procedure_code", nargs="?", help="template 的程序代码")
        parser.add_argument("-o", "--output", help="模板输出文件（.xlsx 或 .csv）")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="只导入有效的行，其余写入报告（默认：有任何无效行则全部不导入）",
        )
        parser.add_argument(
            "--report", help="拒绝行报告（CSV）的路径；默认为导入文件名加 .rejected.csv"
        )
        parser.add_argument("--procedure", help="xlsx/csv 的程序代码（默认按表头识别）")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="每批写入的事项数")
        parser.add_argument("--quiet", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"] == "template":
            self._template(options)
            return
        if options["file"] == "runs":
            self._runs()
            return
        path = Path(options["file"])
        progress, bar = self._progress(path, quiet=options["quiet"])
        try:
            report = import_file(
                path,
                skip_invalid=options["skip_invalid"],
                procedure=options["procedure"],
                progress=progress,
                batch_size=max(1, options["batch_size"]),
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        except ProcedureError as exc:
            raise CommandError(exc.message) from None
        finally:
            if bar is not None:
                bar.close()
        for error in report.errors[:SHOWN_ERRORS]:
            self.stderr.write(str(error))
        if report.rejected > SHOWN_ERRORS:
            self.stderr.write(f"……另有{report.rejected - SHOWN_ERRORS}行被拒绝，详见报告。")
        if report.rejected:
            target = Path(options["report"] or f"{path}.rejected.csv")
            report.write_csv(target)
            self.stderr.write(f"拒绝行报告：{target}")
        if not report.committed:
            raise CommandError(
                f"{report.summary()}文件中有{report.rejected}行无效，整个文件未导入。"
                "改正后重新导入，或加 --skip-invalid 只导入有效的行。"
            )
        self.stdout.write(report.summary())

    def _progress(self, path: Path, *, quiet: bool) -> tuple[Any, Any]:
        if quiet or not sys.stderr.isatty() or not path.is_file():
            return None, None
        from tqdm import tqdm

        bar = tqdm(unit="行", file=sys.stderr, desc=path.name, dynamic_ncols=True)
        return bar.update, bar

    def _runs(self) -> None:
        for run in mark_stale_runs():
            self.stderr.write(f"导入 #{run.pk}（{run.file_name}）的进程已不在，已记为未导入。")
        for run in ImportRun.objects.order_by("-started_at", "-pk")[:RUNS_SHOWN]:
            started = timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"#{run.pk}\t{started}\t{run.get_status_display()}\t{run.file_name}\t"
                f"{run.lines}行 新增{run.created} 更新{run.updated} 拒绝{run.rejected}"
            )

    def _template(self, options: dict[str, Any]) -> None:
        code = options["procedure_code"]
        if not code:
            known = "、".join(p.code for p in all_procedures())
            raise CommandError(
                f"请指定程序代码：fazhi import template PROCEDURE -o 文件.xlsx（{known}）"
            )
        try:
            procedure = get_procedure(code)
        except ProcedureError as exc:
            raise CommandError(exc.message) from None
        output = Path(options["output"] or f"{code}.xlsx")
        try:
            fmt = file_format(output)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        if fmt == "jsonl":
            raise CommandError("模板只能是 .xlsx 或 .csv；JSONL 格式见 docs/import-format.md。")
        with output.open("wb") as out:
            write_template(procedure, out, fmt)
        self.stdout.write(f"已生成“{procedure.label}”导入模板：{output}")
