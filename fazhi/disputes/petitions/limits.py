"""Time limits of petitions 信访 (信访工作条例 2022): natural days, the start day excluded and a
last day on a rest day moved to the next working day (time-limits.md, rules 1 and 2)."""

from __future__ import annotations

from fazhi.workdays import TimeLimit, Unit, register_limits

N = Unit.NATURAL

LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "petition.route",
        "登记并转送、交办或告知不予受理",
        15,
        N,
        "收到信访事项之日",
        "信访工作条例 第二十二条",
        "yes",
    ),
    TimeLimit(
        "petition.accept",
        "告知信访人是否受理",
        15,
        N,
        "收到信访事项之日",
        "信访工作条例 第二十三条",
        "yes",
    ),
    TimeLimit(
        "petition.conclude",
        "出具处理意见（申诉求决类）",
        60,
        N,
        "受理之日",
        "信访工作条例 第三十四条",
        "yes",
        extension_max=30,
        extension_needs_approval=True,
    ),
    TimeLimit(
        "petition.request_review",
        "请求复查",
        30,
        N,
        "收到处理意见之日",
        "信访工作条例 第三十五条",
        "yes",
    ),
    TimeLimit(
        "petition.review_opinion",
        "出具复查意见",
        30,
        N,
        "收到复查请求之日",
        "信访工作条例 第三十五条",
        "yes",
    ),
    TimeLimit(
        "petition.request_rereview",
        "请求复核",
        30,
        N,
        "收到复查意见之日",
        "信访工作条例 第三十六条",
        "yes",
    ),
    TimeLimit(
        "petition.rereview_opinion",
        "出具复核意见",
        30,
        N,
        "收到复核请求之日",
        "信访工作条例 第三十六条",
        "yes",
        note="听证时间不计入期限（作为中止期间录入）",
    ),
)

register_limits(*LIMITS)
