"""Indicators of report section 三: the heads' law reports and their coverage, and the
activities by which the heads lead the rule-of-law work (additions)."""

from __future__ import annotations

from fazhi.accountability import activities
from fazhi.indicators.catalog import from_catalog
from fazhi.indicators.registry import ActivityCount, Entries, Indicator, Matters, register

EVALUATED = Matters("law_report", frozenset({"evaluated"}))
HEADS = Entries("accountability.Head")

_reports = from_catalog(
    "accountability.law_reports",
    "本年度述法并经评议（截止日前评议）的党政主要负责人（每人每年度一次）。",
    EVALUATED,
)
register(
    _reports,
    from_catalog(
        "accountability.law_report_coverage",
        "本年度述法并经评议的 / 截止日在任的党政主要负责人（负责人名册）。",
        EVALUATED,
        HEADS,
    ),
    Indicator(
        code="accountability.heads_in_office",
        label="在任党政主要负责人",
        section="duty",
        unit="名",
        definition="截止日在任的党政主要负责人（负责人名册）。（指标目录之外的补充指标）",
        numerator=HEADS,
        addition=True,
        order=_reports.order,
    ),
    *(
        Indicator(
            code=f"accountability.{kind.code}",
            label=kind.label,
            section="duty",
            unit="次",
            definition=f"本年度截止日前的{kind.label}。（指标目录之外的补充指标）",
            numerator=ActivityCount(kind.code),
            addition=True,
            order=_reports.order,
        )
        for kind in activities.KINDS
    ),
)
