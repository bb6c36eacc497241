"""``fazhi report annual`` (also ``fazhi report_annual``): the annual rule-of-law report.

fazhi report annual --org 220302 --year 2024 [--as-of 2024-12-31]
                    [--format json,md,html,docx,pdf] [-o DIR] [--issued]

Without ``-o`` a single text format (json, md, html) is written to the screen; docx and pdf
need ``-o DIR``. The draft uses the texts stored in the workbench (the template's where none
is stored) and the figures computed now; ``--issued`` renders the latest issued version with
the figures frozen when it was issued.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.progress import progress_bar
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.services import resolve_org
from fazhi.reports import services
from fazhi.reports.assembly import AnnualReport, ReportError
from fazhi.reports.renderers import FORMATS, RendererUnavailableError, file_name, render


def parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise CommandError(f"格式“{value}”无效，应为 {'、'.join(FORMATS)} 之一或以逗号分隔的几种。")
    return formats


def summary(report: AnnualReport) -> list[str]:
    """The pre-issue check in a few lines (to stderr, so json on stdout stays clean)."""
    lines = []
    if report.placeholders:
        codes = "、".join(p.code for p in report.placeholders)
        lines.append(f"待补数字 {len(report.placeholders)} 项（尚未建立相应程序）：{codes}")
    if report.missing_sections:
        heads = "、".join(s.heading or "前言" for s in report.missing_sections)
        lines.append(f"未撰写完的部分 {len(report.missing_sections)} 个：{heads}")
    for check in report.failures:
        lines.append(f"一致性检查未通过：{check.label}（{check.detail}）")
    return lines


class Command(BaseCommand):
    help = "生成某机关某年度的法治政府建设年度报告（json、md、html、docx、pdf）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="机构：行政区划代码、机构编号或全称。")
        parser.add_argument("--year", required=True, type=int, help="年度，如 2024。")
        parser.add_argument(
            "--as-of", dest="as_of", help="截止日期 YYYY-MM-DD（默认该年12月31日）。"
        )
        parser.add_argument(
            "--format",
            dest="fmt",
            default="md",
            help="格式：json、md、html、docx、pdf，可用逗号分隔多种（默认 md）。",
        )
        parser.add_argument("-o", "--output", help="输出目录（docx、pdf 或多种格式时必填）。")
        parser.add_argument(
            "--issued", action="store_true", help="输出最近一次印发的版本（印发时的数字）。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        formats = parse_formats(options["fmt"])
        try:
            org = resolve_org(options["org"])
        except ProcedureError as exc:
            raise CommandError(exc.message) from None
        as_of = None
        if options.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    f"截止日期“{options['as_of']}”格式错误，应为 YYYY-MM-DD，如 2024-12-31。"
                ) from None
        output = options.get("output")
        if not output and (len(formats) > 1 or formats[0] in ("docx", "pdf")):
            raise CommandError("docx、pdf 或多种格式需要用 -o 指定输出目录。")
        # the bar only when the report goes to files (on stdout it would be mixed with it)
        with progress_bar(
            "生成年度报告", unit="步", total=1 + len(formats), quiet=not output
        ) as bar:
            bar.note("汇总指标")
            try:
                report = self._report(org, options["year"], as_of, issued=options["issued"])
            except ReportError as exc:
                raise CommandError(str(exc)) from None
            bar.update(1)
            if not output:
                self.stdout.write(render(report, formats[0]).decode(), ending="")
            else:
                folder = Path(output)
                if folder.exists() and not folder.is_dir():
                    raise CommandError(f"输出目录“{output}”是一个文件，请指定目录。")
                folder.mkdir(parents=True, exist_ok=True)
                for fmt in formats:
                    bar.note(fmt)
                    try:
                        data = render(report, fmt)
                    except RendererUnavailableError as exc:
                        raise CommandError(str(exc)) from None
                    path = folder / file_name(report, fmt)
                    path.write_bytes(data)
                    bar.update(1)
                    self.stdout.write(f"已写入 {path}")
        for line in summary(report):
            sys.stderr.write(f"注意：{line}\n")

    def _report(self, org: Any, year: int, as_of: dt.date | None, *, issued: bool) -> AnnualReport:
        if not issued:
            return services.draft(org, year, as_of)
        found = services.find_report(org, year)
        issue = found.latest_issue() if found is not None else None
        if issue is None:
            raise CommandError(f"{org.name}{year}年度报告尚未印发。")
        return services.issued(issue)
