"""What the public may submit of the sample domain: its one public form, in this order."""

from __future__ import annotations

from django import forms

from fazhi.procedures.intake import Intake, PublicField, register_intake


def _amount_widget() -> forms.Widget:
    """The rare custom widget (the declaration's hook): a number input with cents."""
    return forms.NumberInput({"step": "0.01", "min": "0", "class": "amount"})


register_intake(
    Intake(
        "sample_case",
        slug="sample",
        summary="示例领域的公众提交（仅测试）。",
        group="示例分组",
        order=90,
        fields=(
            PublicField("category", help="请选择事项类别。"),
            PublicField("party_kind"),
            PublicField("name", "姓名或单位名称"),
            PublicField("phone"),
            PublicField("id_number"),
            PublicField("venue", "在哪里发生"),
            PublicField("first_time", "这是我第一次反映这个问题"),
            PublicField("urgency"),
            PublicField("amount", help="选填。涉及的金额，单位元。", widget=_amount_widget),
            PublicField("subject"),
            PublicField("content", "具体情况", "请写明经过和您的诉求。", required=True),
            PublicField("attachments"),
        ),
    ),
)
