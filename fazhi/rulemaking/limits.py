"""Time limits of rulemaking (spec/time-limits.md, 规范性文件 and 重大行政决策).

The legality review's 15 working days, the filing's 30 days, the consultation's 30 days and
the decision's legality review of 7 working days; the review's shortest period, 5 working
days (国办发〔2018〕115号: "原则上不少于5个工作日"), as a minimum period.
"""

from __future__ import annotations

from fazhi.workdays import LimitKind, TimeLimit, Unit, register_limits

LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "normative_document.legality_review",
        "规范性文件合法性审核",
        15,
        Unit.WORKING,
        "收到送审材料之日",
        "国办发〔2018〕115号",
        "via secondary source",
        configurable=True,
        note="原则上不少于5个工作日、最长不超过15个工作日",
    ),
    TimeLimit(
        "normative_document.file",
        "公布后报送备案",
        30,
        Unit.NATURAL,
        "公布之日",
        "本省规范性文件备案规定",
        "partly",
        configurable=True,
    ),
    TimeLimit(
        "major_decision.consultation",
        "公开征求意见期",
        30,
        Unit.NATURAL,
        "公开征求意见之日",
        "重大行政决策程序暂行条例 第十五条",
        "yes",
        kind=LimitKind.MINIMUM,
        note="一般不少于30日：截止日不得早于该日",
    ),
    TimeLimit(
        "major_decision.legality_review",
        "重大行政决策合法性审查",
        7,
        Unit.WORKING,
        "收到送审材料之日",
        "重大行政决策程序暂行条例 第二十六条",
        "yes",
        kind=LimitKind.MINIMUM,
        note="一般不少于7个工作日",
    ),
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
