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
)

register_limits(*PENDING_LIMITS)
