"""``fazhi report <what>``: reports computed from the records: ``indicators`` and ``annual``.

fazhi report indicators --org 220302 --year 2024 [--as-of 2024-12-31]
                        [--format json|table|xlsx] [-o FILE] [--approx]
fazhi report annual --org 220302 --year 2024 --format json|md|html|docx|pdf -o DIR

``annual`` is the annual report, assembled by the reports app (an upper layer): this command
loads the ``report_annual`` command by name (Django's command registry, no import of the upper
layer), takes its arguments from it and hands them on.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.models import OrgUnit
from fazhi.indicators.engine import IndicatorError, IndicatorResult, compute_indicators
from fazhi.indicators.formatting import format_value
from fazhi.indicators.registry import all_indicators
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.services import resolve_org


def parse_org(value: str) -> OrgUnit:
    try:
        return resolve_org(value)
    except ProcedureError as exc:
        raise CommandError(exc.message) from None


def parse_date(value: str | None, what: str = "截止日期") -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CommandError(f"{what}“{value}”格式错误，应为 YYYY-MM-DD，如 2024-12-31。") from None


def compute(org: OrgUnit, year: int, as_of: dt.date | None) -> IndicatorResult:
    try:
        return compute_indicators(org, year, as_of)
    except IndicatorError as exc:
        raise CommandError(str(exc)) from None


def table_lines(result: IndicatorResult, *, approx: bool = False) -> list[str]:
    """Aligned Chinese table: section, label, value, target; failed checks at the end."""
    rows = [("部分", "指标", "数值", "目标", "代码")]
    for ind in all_indicators():
        value = result.values.get(ind.code)
        mark = "  ✗" if ind.misses(value) else ""
        rows.append(
            (
                ind.section_label,
                ind.label + ("（补充）" if ind.addition else ""),
                format_value(ind, value, approx=approx) + mark,
                ind.target or "",
                ind.code,
            )
        )

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    widths = [max(width(r[i]) for r in rows) for i in range(5)]
    lines = [
        f"{result.org.name}　{result.year}年　截止 {result.as_of.isoformat()}",
        "",
    ]
    for r in rows:
        lines.append(
            "  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(r)).rstrip()
        )
    failures = result.failures
    lines.append("")
    if failures:
        lines.append(f"一致性检查未通过 {len(failures)} 项：")
        lines.extend(f"  ✗ {c.label}：{c.detail}" for c in failures)
    else:
        lines.append(f"一致性检查：{len(result.checks)} 项全部通过。")
    return lines


def write_xlsx(result: IndicatorResult, path: Path, *, approx: bool = False) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101  a new workbook always has its first sheet  # nosec B101
    sheet.title = "指标"
    sheet.append([f"{result.org.name} {result.year}年 指标（截止 {result.as_of.isoformat()}）"])
    sheet.append(["部分", "代码", "指标", "数值", "显示", "单位", "目标", "未达目标", "定义"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for ind in all_indicators():
        value = result.values.get(ind.code)
        sheet.append(
            [
                ind.section_label,
                ind.code,
                ind.label,
                None if value is None else float(value) if ind.is_rate else int(value),
                format_value(ind, value, approx=approx),
                ind.unit,
                ind.target,
                "是" if ind.misses(value) else "",
                ind.pending or ind.definition,
            ]
        )
    checks = book.create_sheet("一致性检查")
    checks.append(["规则", "结果", "说明"])
    for c in result.checks:
        checks.append([c.label, "通过" if c.ok else "未通过", c.detail])
    for ws, widths in ((sheet, [16, 36, 30, 10, 18, 6, 8, 8, 60]), (checks, [40, 8, 60])):
        for i, w in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = w
    book.save(path)


def _annual_command() -> BaseCommand | None:
    """The ``report_annual`` command of the app that provides it, if one is installed."""
    app = get_commands().get("report_annual")
    if app is None:
        return None
    command = load_command_class(app, "report_annual")
    return command if isinstance(command, BaseCommand) else None


class Command(BaseCommand):
    help = (
        "生成报告。fazhi report indicators：某机构及其下级某年度的全部指标；"
        "fazhi report annual：法治政府建设年度报告。"
    )
    _annual: tuple[BaseCommand, list[str]]

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="<报告>")
        ind = sub.add_parser("indicators", help="某机构（含下级）某年度截至某日的全部指标")
        ind.add_argument("--org", required=True, help="机构：行政区划代码、机构编号或全称。")
        ind.add_argument("--year", required=True, type=int, help="年度，如 2024。")
        ind.add_argument("--as-of", dest="as_of", help="截止日期 YYYY-MM-DD（默认该年12月31日）。")
        ind.add_argument("--format", dest="fmt", choices=["json", "table", "xlsx"], default="table")
        ind.add_argument("-o", "--output", help="输出文件（xlsx 必填；其他默认输出到屏幕）。")
        ind.add_argument(
            "--approx",
            action="store_true",
            help="表格中较大的件数写作“13000余”（JSON 始终为精确值）。",
        )

        annual_command = _annual_command()
        if annual_command is not None:
            annual = sub.add_parser(
                "annual", help="法治政府建设年度报告（json、md、html、docx、pdf）"
            )
            annual_command.add_arguments(annual)
            self._annual = (annual_command, [a.dest for a in annual._actions if a.dest != "help"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "indicators":
            self.indicators(**options)
        elif options["what"] == "annual":
            command, dests = self._annual
            call_command(
                command,
                **{d: options[d] for d in dests if d in options},
                stdout=self.stdout._out,
                stderr=self.stderr._out,
            )

    def indicators(self, **options: Any) -> None:
        org = parse_org(options["org"])
        result = compute(org, options["year"], parse_date(options.get("as_of")))
        fmt, output = options["fmt"], options.get("output")
        if fmt == "xlsx":
            if not output:
                raise CommandError("xlsx 格式需要用 -o 指定输出文件。")
            write_xlsx(result, Path(output), approx=options["approx"])
            self.stdout.write(f"已写入 {output}")
            return
        if fmt == "json":
            text = json.dumps(result.as_json(), ensure_ascii=False, indent=2)
        else:
            text = "\n".join(table_lines(result, approx=options["approx"]))
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"已写入 {output}")
        else:
            self.stdout.write(text)
        if result.failures:
            sys.stderr.write(f"注意：{len(result.failures)} 项一致性检查未通过。\n")
