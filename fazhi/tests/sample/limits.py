"""Time limits of the sample procedure: a statutory-style one and a configurable one."""

from __future__ import annotations

from fazhi.workdays import LOCAL_RULE, TimeLimit, Unit, register_limits

LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "sample_case.accept",
        "示例事项受理审查",
        3,
        Unit.WORKING,
        "收到示例事项之日",
        "示例条例 第一条（仅测试）",
        "yes",
    ),
    TimeLimit(
        "sample_case.conclude",
        "示例事项办结",
        10,
        Unit.WORKING,
        "受理之日",
        LOCAL_RULE,
        "—",
        extension_max=5,
        configurable=True,
    ),
)

register_limits(*LIMITS)
