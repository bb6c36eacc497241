"""Time limits of 12345 hotline work orders (接诉即办): local rules, one pair per urgency tier.

The tiers are configuration (spec/time-limits.md: "tiers set by local rules"): a deployment
sets lengths, units and extensions through ``FAZHI_TIME_LIMIT_OVERRIDES`` (e.g.
``{"hotline_order.conclude": {"length": 3}}``, or ``{"hotline_order.conclude_urgent":
{"unit": "working_hours"}}``). Defaults (spec/procedures.md): an urgent order is signed within 2
hours and concluded within 24, counted continuously through nights and rest days; an ordinary
one is signed within 1 working day and concluded within 5 working days of signing. The
conclusion may be extended once approved (``request_extend`` → ``extend``).
"""

from __future__ import annotations

from fazhi.workdays import LOCAL_RULE, TimeLimit, Unit, register_limits

W = Unit.WORKING
H = Unit.HOURS

SIGN = "hotline_order.sign"
SIGN_URGENT = "hotline_order.sign_urgent"
CONCLUDE = "hotline_order.conclude"
CONCLUDE_URGENT = "hotline_order.conclude_urgent"
SIGN_LIMITS = (SIGN, SIGN_URGENT)
CONCLUDE_LIMITS = (CONCLUDE, CONCLUDE_URGENT)

LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        SIGN,
        "签收12345工单（普通）",
        1,
        W,
        "派单之日",
        LOCAL_RULE,
        "—",
        configurable=True,
        note="紧急工单见 hotline_order.sign_urgent（按小时计）",
    ),
    TimeLimit(
        SIGN_URGENT,
        "签收12345工单（紧急）",
        2,
        H,
        "派单时刻",
        LOCAL_RULE,
        "—",
        configurable=True,
        note="连续计算，不扣除夜间和休息日",
    ),
    TimeLimit(
        CONCLUDE,
        "办结12345工单（普通）",
        5,
        W,
        "签收之日",
        LOCAL_RULE,
        "—",
        extension_max=10,
        extension_needs_approval=True,
        configurable=True,
        note="经派单机构批准可延期，累计不超过10个工作日",
    ),
    TimeLimit(
        CONCLUDE_URGENT,
        "办结12345工单（紧急）",
        24,
        H,
        "签收时刻",
        LOCAL_RULE,
        "—",
        extension_max=24,
        extension_needs_approval=True,
        configurable=True,
        note="连续计算，不扣除夜间和休息日；经批准可延期，累计不超过24小时",
    ),
)

register_limits(*LIMITS)
