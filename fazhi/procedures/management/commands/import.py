"""``fazhi import FILE``, ``fazhi import template PROCEDURE -o FILE.xlsx`` (docs/import-format.md)
and ``fazhi import runs`` (the latest runs; a run whose process is gone is marked failed first).

Every line is replayed through the engine's rules; a file is imported all-or-nothing unless
``--skip-invalid``, which imports the valid lines and writes a report of the others.

A domain's own list sheet (``importing.lists``: the year's key-task list) is recognised by its
header, or named with ``--procedure``, and handed to the domain's own import, the one its page
runs, as the user ``--user`` names, with the options the domain declares.
"""

# ruff: noqa: N999 the issue names the command `fazhi import`; Django loads it by file name

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fazhi.core import clock
from fazhi.procedures.declarations import all_procedures, get_procedure
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.exporting import write_template
from fazhi.procedures.importing import (
    BATCH_SIZE,
    ImportFileError,
    file_format,
    import_file,
)
from fazhi.procedures.importing.lists import ListSheet, all_lists, list_for
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
        parser.add_argument(
            "--user", help="导入人的用户名：记入导入记录和审计日志（重点任务清单等清单必填）"
        )
        seen: set[str] = set()
        for sheet in all_lists():
            for flag, text in sheet.options:
                if flag not in seen:
                    seen.add(flag)
                    parser.add_argument(flag, help=text)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"] == "template":
            self._template(options)
            return
        if options["file"] == "runs":
            self._runs()
            return
        path = Path(options["file"])
        by = self._user(options["user"])
        if path.suffix.lower() == ".xlsx" and path.is_file():
            sheet = list_for(path, options["procedure"])
            if sheet is not None:
                self._list(sheet, path, by, options)
                return
        progress, bar = self._progress(path, quiet=options["quiet"])
        try:
            report = import_file(
                path,
                skip_invalid=options["skip_invalid"],
                procedure=options["procedure"],
                by=by,
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

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"找不到有效的用户“{username}”（--user 应为平台账号的用户名）。")
        return user

    def _list(self, sheet: ListSheet, path: Path, by: Any, options: dict[str, Any]) -> None:
        """A domain's list sheet through the domain's own import (all or nothing); the
        refused lines as the page shows them, and as a CSV report beside the file."""
        if options["skip_invalid"]:
            raise CommandError(f"{sheet.label}只能整份导入，不能使用 --skip-invalid。")
        values = {
            flag.lstrip("-").replace("-", "_"): options.get(flag.lstrip("-").replace("-", "_"))
            for flag, _text in sheet.options
        }
        try:
            report = sheet.run(path, by, values)
        except sheet.errors as exc:
            raise CommandError(str(exc)) from None
        for error in report.errors[:SHOWN_ERRORS]:
            self.stderr.write(str(error))
        if report.rejected > SHOWN_ERRORS:
            self.stderr.write(f"……另有{report.rejected - SHOWN_ERRORS}行被拒绝，详见报告。")
        if not report.committed:
            target = Path(options["report"] or f"{path}.rejected.csv")
            with target.open("w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["行号", "列", "原因"])
                for e in report.errors:
                    writer.writerow([e.row, e.column, e.message])
            self.stderr.write(f"拒绝行报告：{target}")
            raise CommandError(f"{sheet.label}：{report.summary()}")
        self.stdout.write(f"{sheet.label}：{report.summary()}")

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
        sheet = next((s for s in all_lists() if s.procedure == code), None)
        if sheet is not None and sheet.template is not None:
            if output.suffix.lower() != ".xlsx":
                raise CommandError(f"{sheet.label}的模板只有 .xlsx。")
            output.write_bytes(sheet.template(clock.today().year))
            self.stdout.write(f"已生成“{sheet.label}”导入模板：{output}")
            return
        try:
            fmt = file_format(output)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        if fmt == "jsonl":
            raise CommandError("模板只能是 .xlsx 或 .csv；JSONL 格式见 docs/import-format.md。")
        with output.open("wb") as out:
            write_template(procedure, out, fmt)
        self.stdout.write(f"已生成“{procedure.label}”导入模板：{output}")
