"""Time limits of the hazards found by safety inspections (事故隐患整改).

安全生产法 第六十五条 lets the inspecting department order a hazard removed at once or within a
period (责令限期改正、责令立即排除); the period is the one the order (责令限期整改指令书) fixes, so
the rectification clock is due on the order's date (``Deadline.until``), and the default below
applies only to an order that names none. The re-inspection after rectification (复查) is set by
local rules: configurable.
"""

from __future__ import annotations

from fazhi.workdays import LOCAL_RULE, TimeLimit, Unit, register_limits

LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "safety.rectify",
        "事故隐患限期整改",
        30,
        Unit.NATURAL,
        "责令整改之日",
        "安全生产法 第六十五条",
        "partly",
        extension_max=30,
        extension_needs_approval=True,
        configurable=True,
        note="整改期限以责令限期整改指令书写明的日期为准；指令未写明的按此默认天数",
    ),
    TimeLimit(
        "safety.verify",
        "整改复查",
        10,
        Unit.WORKING,
        "整改完成报告之日",
        LOCAL_RULE,
        "—",
        configurable=True,
        note="收到整改完成报告后进行复查（现场核查）的期限由地方规定，默认10个工作日",
    ),
)

register_limits(*LIMITS)
