"""Indicators of the sample procedure (additions: not in spec/indicators.md)."""

from __future__ import annotations

from fazhi.indicators.registry import Balance, Indicator, MatterSet, register, register_check

CODE = "sample_case"

register(
    Indicator(
        code=f"{CODE}.received",
        label="示例事项",
        section="1",
        definition="本年度收到（登记）的示例事项（仅测试）。",
        numerator=MatterSet(CODE),
        addition=True,
        order=901,
    ),
    Indicator(
        code=f"{CODE}.concluded",
        label="示例事项已办结",
        section="1",
        definition="其中截止日处于已办结状态的（仅测试）。",
        numerator=MatterSet(CODE, frozenset({"concluded"})),
        addition=True,
        order=902,
    ),
)

register_check(
    Balance(
        f"{CODE}.balance",
        "示例事项：收到 ≥ 已办结",
        f"{CODE}.received",
        (f"{CODE}.concluded",),
        names=("收到", "已办结"),
        note="（差额 {gap} 件截止日尚未办结）",
    ),
)
