"""Statutory limits of spec/time-limits.md whose domain app is not built yet.

They are registered here so that the calendar command, the API and the tests can read them
(``get_limit``) before their procedures exist. When a domain is built, its limits move into
that domain's ``limits.py`` (as the services, disputes and oversight limits did).
"""

from __future__ import annotations

from fazhi.workdays.limits import LimitKind, TimeLimit, register_limits
from fazhi.workdays.periods import Unit

W, N = Unit.WORKING, Unit.NATURAL

PENDING_LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "penalty.decide",
        "作出行政处罚决定",
        90,
        N,
        "立案之日",
        "行政处罚法 第六十条",
        "yes",
        configurable=True,
        note="法律、法规、规章另有规定的从其规定",
    ),
    TimeLimit(
        "penalty.hearing_request",
        "当事人要求听证",
        5,
        W,
        "收到行政处罚告知之日",
        "行政处罚法 第六十四条、第八十五条",
        "yes",
    ),
    TimeLimit(
        "penalty.hearing_notice",
        "听证通知（听证前）",
        7,
        W,
        "听证通知送达之日（至听证日）",
        "行政处罚法 第六十四条、第八十五条",
        "yes",
        kind=LimitKind.MINIMUM,
        note="听证的七日前通知：听证日不得早于该日",
    ),
    TimeLimit(
        "info_request.reply",
        "答复政府信息公开申请",
        20,
        W,
        "收到申请之日",
        "政府信息公开条例 第三十三条",
        "yes",
        extension_max=20,
        extension_needs_approval=True,
        note="征求第三方意见等时间不计入（作为中止期间录入）",
    ),
    TimeLimit(
        "normative_document.legality_review",
        "规范性文件合法性审核",
        15,
        W,
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
        N,
        "公布之日",
        "本省规范性文件备案规定",
        "partly",
        configurable=True,
    ),
    TimeLimit(
        "major_decision.consultation",
        "公开征求意见期",
        30,
        N,
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
        W,
        "收到送审材料之日",
        "重大行政决策程序暂行条例 第二十六条",
        "yes",
        kind=LimitKind.MINIMUM,
        note="一般不少于7个工作日",
    ),
    TimeLimit(
        "litigation.defend",
        "提交答辩状和证据",
        15,
        N,
        "收到起诉状副本之日",
        "行政诉讼法 第六十七条",
        "yes",
    ),
)

register_limits(*PENDING_LIMITS)
