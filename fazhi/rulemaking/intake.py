"""What the public may submit of report part (三): comments on a draft decision open for
comment, and letters to the opinion mailbox for major decisions (意见建议征集信箱)."""

from __future__ import annotations

from fazhi.procedures.intake import Intake, PublicField, register_intake

register_intake(
    Intake(
        "draft_comment",
        slug="juece-yijian",
        summary=(
            "对正在公开征求意见的重大行政决策草案提出意见：可针对某一条，也可针对整体。"
            "草案全文见“重大行政决策”栏目。"
        ),
        group="重大行政决策",
        order=40,
        fields=(
            PublicField("name"),
            PublicField("phone"),
            PublicField("subject", "意见标题"),
            PublicField("decision", "决策事项编号", "见草案页面，如 JC-2024-000001。"),
            PublicField("article"),
            PublicField("text"),
        ),
    ),
    Intake(
        "decision_opinion",
        slug="juece-xinxiang",
        summary="重大行政决策意见建议征集信箱：对政府的重大行政决策提出意见建议。",
        group="重大行政决策",
        order=41,
        fields=(
            PublicField("name"),
            PublicField("phone"),
            PublicField("subject", "标题"),
            PublicField("text", "意见建议", "请写明涉及的决策事项和您的意见建议。"),
        ),
    ),
)
