"""``fazhi activities import|export``: activities (screening rounds, field supervision …) as
JSON Lines or CSV. Import is all or nothing and skips (kind, reference) pairs already recorded.

    fazhi activities import FILE [--format jsonl|csv]
    fazhi activities export [--kind K] [--org X] [--year Y] [--format jsonl|csv] [-o FILE]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.indicators.activity_io import export_csv, export_jsonl, import_activities, read_records
from fazhi.indicators.management.commands.report import parse_org
from fazhi.procedures.activities import get_kind
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Activity


def _format(path: str | None, given: str | None) -> str:
    if given:
        return given
    return "csv" if path and path.lower().endswith(".csv") else "jsonl"


class Command(BaseCommand):
    help = "活动（排查、督查等）的导入和导出：JSON Lines 或 CSV。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="<import|export>")
        imp = sub.add_parser("import", help="导入活动文件：全部有效才导入，已登记的编号跳过")
        imp.add_argument("file", help="JSON Lines（.jsonl）或 CSV（.csv）文件")
        imp.add_argument("--format", dest="fmt", choices=["jsonl", "csv"])
        exp = sub.add_parser("export", help="导出活动")
        exp.add_argument("--kind", help="活动类别代码，如 dispute_screening")
        exp.add_argument("--org", help="机构（含下级）：行政区划代码、机构编号或全称")
        exp.add_argument("--year", type=int, help="年度（按活动日期）")
        exp.add_argument("--format", dest="fmt", choices=["jsonl", "csv"])
        exp.add_argument("-o", "--output", help="输出文件（默认输出到屏幕）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "import":
            self.do_import(options["file"], _format(options["file"], options.get("fmt")))
        else:
            self.do_export(**options)

    def do_import(self, file: str, fmt: str) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}。")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CommandError(f"文件 {file} 不是 UTF-8 编码。") from None
        result = import_activities(read_records(text, fmt))
        if not result.ok:
            lines = "\n".join(result.errors[:100])
            more = f"\n……另有 {len(result.errors) - 100} 处错误" if len(result.errors) > 100 else ""
            raise CommandError(
                f"导入失败，未导入任何活动（共 {len(result.errors)} 处错误）：\n{lines}{more}"
            )
        self.stdout.write(f"导入完成：新增 {result.created} 项，已存在跳过 {result.skipped} 项。")

    def do_export(self, **options: Any) -> None:
        qs = Activity.objects.select_related("org").order_by("on", "pk")
        kinds = None
        if options.get("kind"):
            try:
                get_kind(options["kind"])
            except ProcedureError as exc:
                raise CommandError(exc.message) from None
            qs = qs.filter(kind=options["kind"])
            kinds = [options["kind"]]
        if options.get("org"):
            qs = qs.filter(org_id__in=parse_org(options["org"]).subtree_ids())
        if options.get("year"):
            qs = qs.in_year(options["year"])
        fmt = _format(options.get("output"), options.get("fmt"))
        chunks = export_csv(qs.iterator(), kinds) if fmt == "csv" else export_jsonl(qs.iterator())
        if options.get("output"):
            with open(options["output"], "w", encoding="utf-8", newline="") as fh:
                fh.writelines(chunks)
            self.stdout.write(f"已导出到 {options['output']}")
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
