"""The sample procedure ``sample_case`` 示例事项: received → accepted → concluded, or refused.

Public submission with a reference prefix; accept within 3 working days of receipt, conclude
within 10 working days of acceptance (configurable).
"""

from __future__ import annotations

from fazhi.procedures.declarations import (
    Action,
    Deadline,
    Field,
    FieldType,
    Procedure,
    register,
)

CODE = "sample_case"

STATES = {
    "received": "待受理",
    "accepted": "办理中",
    "refused": "不予受理",
    "concluded": "已办结",
}

CATEGORIES = (("goods", "商品"), ("service", "服务"), ("other", "其他"))
VENUES = (("online", "网上"), ("shop", "实体店"), ("market", "集贸市场"))
URGENCIES = (("normal", "一般"), ("urgent", "紧急"))

SAMPLE_CASE = register(
    Procedure(
        code=CODE,
        label="示例事项",
        states=STATES,
        closed_states=frozenset({"refused", "concluded"}),
        actions=(
            Action("accept", "受理", frozenset({"received"}), "accepted"),
            Action(
                "refuse",
                "不予受理",
                frozenset({"received"}),
                "refused",
                fields=(Field("reason", "不予受理理由", FieldType.TEXT, max_length=2000),),
                outcome="refused",
            ),
            Action(
                "conclude",
                "办结",
                frozenset({"accepted"}),
                "concluded",
                fields=(Field("result", "办理结果", FieldType.TEXT, max_length=5000),),
                outcome="concluded",
            ),
        ),
        deadlines=(
            Deadline(f"{CODE}.accept", frozenset({"received"}), ("register",), "受理审查"),
            Deadline(f"{CODE}.conclude", frozenset({"accepted"}), ("accept",), "办结"),
        ),
        details=(
            Field("category", "事项类别", FieldType.CHOICE, choices=CATEGORIES),
            Field("venue", "发生场所", FieldType.CHOICE, choices=VENUES, required=False),
            Field("first_time", "首次反映", FieldType.BOOL, required=False),
            Field("urgency", "紧急程度", FieldType.CHOICE, choices=URGENCIES, required=False),
            Field(
                "amount",
                "涉及金额（元）",
                FieldType.DECIMAL,
                required=False,
                min_value=0,
                max_value=10_000_000,
            ),
            Field("content", "具体情况", FieldType.TEXT, required=False, max_length=5000),
        ),
        public_trackable=True,
        public_submission=True,
        reference_prefix="SP",
        description="示例领域的示例事项（仅测试）：3个工作日内受理审查，受理后10个工作日内办结。",
    )
)
