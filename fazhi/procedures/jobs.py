"""Background jobs of the procedure engine (the job queue: fazhi.core.tasks, run by fazhi worker).

- ``procedures.import``: an uploaded .jsonl, .xlsx or .csv file imported as ``fazhi import``
  does (all-or-nothing unless ``skip_invalid``), by the user who uploaded it; its counts as the
  job's figures and the rejected lines as the job's output file;
- ``procedures.export``: the matters of a procedure (and year) in the user's scope, as the
  job's output file;
- ``procedures.sweep``: the daily deadline sweep (``fazhi sweep --queue`` from a timer).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.utils.text import get_valid_filename

from fazhi.core import audit, clock
from fazhi.core.dbstats import refresh_statistics
from fazhi.core.scope import scope_of
from fazhi.core.tasks import JobContext, JobError, handler
from fazhi.procedures import sweeps
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.exporting import EXPORT_FORMATS, export, matters_for_export
from fazhi.procedures.importing import ImportFileError, file_format, import_file

REJECTED_NAME = "拒绝行报告.csv"


def count_lines(path: Path, fmt: str) -> int | None:
    """The number of data lines of an import file, for the progress bar (None: not known)."""
    if fmt == "jsonl":
        n = 0
        last = b"\n"
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                n += chunk.count(b"\n")
                last = chunk[-1:]
        return n + (last != b"\n")
    if fmt == "csv":
        try:
            with path.open(encoding="utf-8-sig", newline="") as f:
                return max(0, sum(1 for _ in csv.reader(f)) - 1)
        except (UnicodeDecodeError, csv.Error):
            return None  # the import says what is wrong with the file
    return None


def _local_copy(ctx: JobContext) -> Path:
    """The upload under its original name (the import records and reports the name)."""
    stored = ctx.input_path
    name = get_valid_filename(ctx.job.input_name or stored.name) or stored.name
    if Path(name).suffix.lower() != stored.suffix.lower():
        name = stored.name
    link = ctx.scratch / name
    link.symlink_to(stored)
    return link


@handler("procedures.import")
def import_upload(ctx: JobContext) -> None:
    params = ctx.job.params
    path = _local_copy(ctx)
    try:
        fmt = file_format(path)
    except ImportFileError as exc:
        raise JobError(str(exc)) from None
    ctx.progress(0, count_lines(path, fmt), force=True)
    try:
        report = import_file(
            path,
            skip_invalid=bool(params.get("skip_invalid")),
            procedure=params.get("procedure") or None,
            by=ctx.job.created_by,
            progress=ctx.advance,
        )
    except ImportFileError as exc:
        raise JobError(str(exc)) from None
    except ProcedureError as exc:
        raise JobError(exc.message) from None
    ctx.progress(report.lines, report.lines, force=True)
    ctx.result = {
        "run": report.run_id,
        "committed": report.committed,
        "lines": report.lines,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "steps": report.steps,
        "figures": [
            ["行数", report.lines],
            ["新增事项", report.created],
            ["更新进度", report.updated],
            ["已存在", report.unchanged],
            ["拒绝行", report.rejected],
            ["写入步骤", report.steps],
        ],
        "errors": [str(e) for e in report.errors[:20]],
    }
    if report.rejected:
        target = ctx.scratch / REJECTED_NAME
        report.write_csv(target)
        ctx.save_output(REJECTED_NAME, target)
    if not report.committed:
        raise JobError(
            f"{report.summary()}文件中有{report.rejected}行无效，整个文件未导入。"
            "请下载拒绝行报告，改正后重新上传；或勾选“只导入有效的行”。"
        )
    ctx.message = report.summary()


@handler("procedures.export")
def export_matters(ctx: JobContext) -> None:
    params: dict[str, Any] = ctx.job.params
    code, fmt, year = str(params.get("procedure", "")), str(params.get("format", "")), None
    if params.get("year") is not None:
        year = int(params["year"])
    try:
        procedure = get_procedure(code)
    except ProcedureError as exc:
        raise JobError(exc.message) from None
    if fmt not in EXPORT_FORMATS:
        raise JobError("导出格式应为 jsonl、xlsx 或 csv。")
    user = ctx.job.created_by
    qs = matters_for_export(code, year=year, user=user)
    total = qs.count()
    ctx.progress(0, total, force=True)
    audit.record(
        "matter.export",
        ctx.job,
        actor=user,
        org=ctx.job.org,
        data={
            "procedure": code,
            "year": year,
            "format": fmt,
            "count": total,
            "scope": "all" if scope_of(user).all_orgs else "subtree",
            "job": ctx.job.pk,
        },
    )
    target = ctx.scratch / f"export.{fmt}"
    with target.open("wb") as out:
        result = export(qs, code, fmt, out, progress=ctx.advance)
    stamp = clock.today().isoformat()
    ctx.save_output(f"{procedure.code}-{year or '全部'}-{stamp}.{fmt}", target)
    ctx.progress(result.written, total, force=True)
    ctx.result = {
        "written": result.written,
        "figures": [["导出事项", result.written], ["未能写入表格", len(result.left_out)]],
    }
    ctx.message = f"已导出{result.written}件事项。"
    if result.left_out:
        ctx.message += (
            f"{len(result.left_out)}件事项含转办、中止等通用操作或重复操作，无法写入表格，"
            "未导出（请改用 JSONL）。"
        )


@handler("procedures.sweep")
def daily_sweep(ctx: JobContext) -> None:
    day_text = ctx.job.params.get("day")
    day = dt.date.fromisoformat(day_text) if day_text else clock.today()
    ctx.progress(0, 1, force=True)
    counts = sweeps.sweep(day)
    refresh_statistics()
    ctx.progress(1, 1, force=True)
    ctx.result = {"day": day.isoformat(), **counts}
    ctx.message = sweeps.summary(day, counts)
