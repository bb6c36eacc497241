"""Time limits of rulemaking (spec/time-limits.md, 规范性文件 and 重大行政决策).

The legality review's 15 working days, the filing's 30 days, the consultation's 30 days and
the decision's legality review of 7 working days are statutory limits of the platform's
calendar (``fazhi.workdays.statutory``); the review's shortest period, 5 working days
(国办发〔2018〕115号: "原则上不少于5个工作日"), is declared here as a minimum period.
"""

from __future__ import annotations

from fazhi.workdays import LimitKind, TimeLimit, Unit, register_limits

LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "normative_document.legality_review_min",
        "规范性文件合法性审核（最短期间）",
        5,
        Unit.WORKING,
        "收到送审材料之日",
        "国办发〔2018〕115号",
        "via secondary source",
        kind=LimitKind.MINIMUM,
        configurable=True,
        note="原则上不少于5个工作日：审核意见不得早于该日出具",
    ),
)

register_limits(*LIMITS)
