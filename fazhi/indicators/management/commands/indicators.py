"""``fazhi indicators verify|rebuild|list``: the indicator tally and the registry.

- ``verify``: compare the tallies (StateTally, and SourceTally for the built conditional
  sources) key by key with what the Matter, Step and Clock tables give, list the declared
  sources not built yet, and (with --org/--year) compare the indicator values computed from
  the tallies and from the base tables; exit 1 on a difference.
- ``rebuild``: recompute both tallies from the base tables (every declared conditional source
  built).
- ``list``: every indicator with its code, unit, target and definition or pending reason.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.progress import progress_bar
from fazhi.indicators import rollup
from fazhi.indicators.engine import IndicatorError, compute_indicators
from fazhi.indicators.management.commands.report import parse_date, parse_org
from fazhi.indicators.registry import all_indicators
from fazhi.indicators.sources import maintain


class Command(BaseCommand):
    help = "指标：核对（verify）、重建（rebuild）指标计数表，列出（list）全部指标。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="<verify|rebuild|list>")
        verify = sub.add_parser("verify", help="核对指标计数表与事项、步骤基础表是否一致")
        verify.add_argument("--org", help="另按该机构比较两种算法的指标值")
        verify.add_argument("--year", type=int, help="与 --org 一起使用的年度")
        verify.add_argument("--as-of", dest="as_of", help="截止日期 YYYY-MM-DD")
        sub.add_parser("rebuild", help="由基础表重建指标计数表")
        sub.add_parser("list", help="列出全部指标")

    def handle(self, *args: Any, **options: Any) -> None:
        what = options["what"]
        if what == "rebuild":
            started = time.monotonic()
            with progress_bar("重建指标计数表", unit="件") as bar:
                n = rollup.rebuild(bar)
            with progress_bar("重建条件指标计数表", unit="件") as bar:
                n_sources = maintain.rebuild(progress=bar)
            self.stdout.write(
                f"已重建指标计数表：{n} 行，条件指标计数表：{n_sources} 行"
                f"（{time.monotonic() - started:.1f} 秒）。"
            )
        elif what == "list":
            for ind in all_indicators():
                state = f"未计算：{ind.pending}" if ind.is_pending else ind.definition
                target = f"  目标 {ind.target}" if ind.target else ""
                self.stdout.write(f"{ind.code}\t{ind.label}（{ind.unit}）{target}\t{state}")
        else:
            self.verify(**options)

    def verify(self, **options: Any) -> None:
        problems: list[str] = []
        keys, bad_keys = rollup.tally_differences()
        if bad_keys:
            shown = "; ".join(
                f"{year}年 {grain} {procedure} {on.isoformat()} 机构{org} {state}"
                + (f"/{sat}" if sat else "")
                for grain, year, procedure, on, org, state, sat in bad_keys
            )
            problems.append(
                f"指标计数表与事项、步骤基础表不一致（前 {len(bad_keys)} 项）：{shown}。"
                "请运行 fazhi indicators rebuild。"
            )
        compared, bad_sources = maintain.differences()
        keys += compared
        if bad_sources:
            shown = "; ".join(
                f"{year}年 {grain} 来源{source} {on.isoformat()} 机构{org}"
                for year, grain, source, on, org in bad_sources
            )
            problems.append(
                f"条件指标计数表与基础表不一致（前 {len(bad_sources)} 项）：{shown}。"
                "请运行 fazhi indicators rebuild。"
            )
        unbuilt = maintain.unbuilt_sources()
        if unbuilt:
            self.stdout.write(
                f"提示：{len(unbuilt)} 个条件指标来源尚未建立计数，暂按基础表计算；"
                "运行 fazhi indicators rebuild 建立。"
            )
        if options.get("org"):
            if not options.get("year"):
                raise CommandError("使用 --org 时须同时给出 --year。")
            org = parse_org(options["org"])
            as_of = parse_date(options.get("as_of"))
            try:
                fast = compute_indicators(org, options["year"], as_of)
                base = compute_indicators(org, options["year"], as_of, source="base")
            except IndicatorError as exc:
                raise CommandError(str(exc)) from None
            for code, value in fast.values.items():
                if base.values.get(code) != value:
                    problems.append(f"{code}：计数表 {value}，基础表 {base.values.get(code)}")
        if problems:
            raise CommandError("核对未通过：\n" + "\n".join(problems))
        self.stdout.write(f"核对通过：比较了指标计数 {keys} 项。")
