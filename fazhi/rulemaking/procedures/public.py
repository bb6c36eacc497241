"""The public's comments on a draft decision open for consultation and the opinion mailbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fazhi.core.dates import public_date
from fazhi.procedures.declarations import (
    Action,
    Field,
    FieldType,
    Procedure,
    RegisterCheck,
    register,
)

# --- the public's comments on a draft decision ---------------------------------------------

ADOPTIONS = (
    ("adopted", "采纳"),
    ("partly", "部分采纳"),
    ("not_adopted", "未采纳"),
    ("noted", "已知悉"),
)


def _open_consultations() -> dict[str, tuple[dt.date, dt.date | None, dt.date | None]]:
    """Each decision's consultation: reference → (opened on, closes on, closed on)."""
    from fazhi.procedures.models import Step

    found: dict[str, tuple[dt.date, dt.date | None, dt.date | None]] = {}
    rows = (
        Step.objects.filter(
            matter__procedure="major_decision",
            action__in=("open_consultation", "close_consultation"),
        )
        .order_by("matter_id", "seq")
        .values_list("matter__reference", "action", "on", "data")
    )
    for reference, action, on, data in rows:
        if action == "open_consultation":
            closes = data.get("closes_on")
            found[reference] = (on, dt.date.fromisoformat(closes) if closes else None, None)
        elif reference in found:
            opened, closes, _ = found[reference]
            found[reference] = (opened, closes, on)
    return found


def _comment_window(
    loaded: dict[str, tuple[dt.date, dt.date | None, dt.date | None]],
    details: Mapping[str, Any],
    received_on: dt.date,
    org_id: int,
) -> str | None:
    reference = str(details.get("decision") or "")
    window = loaded.get(reference)
    if window is None:
        return f"没有编号为“{reference[:40]}”的公开征求意见的决策草案。"
    opened, closes, closed = window
    if received_on < opened:
        return f"该草案于{public_date(opened)}起公开征求意见。"  # the public's form
    if (closes is not None and received_on > closes) or (
        closed is not None and received_on > closed
    ):
        end = closes or closed
        return f"该草案的征求意见已于{public_date(end)}截止。"
    return None


DRAFT_COMMENT = register(
    Procedure(
        code="draft_comment",
        label="决策草案公众意见",
        states={"received": "待研处", "considered": "已研处"},
        closed_states=frozenset({"considered"}),
        actions=(
            Action(
                "consider",
                "研处意见",
                frozenset({"received"}),
                "considered",
                fields=(
                    Field("adoption", "采纳情况", FieldType.CHOICE, choices=ADOPTIONS),
                    Field("reply", "说明", FieldType.TEXT, required=False, max_length=2000),
                ),
                outcome="=adoption",
            ),
        ),
        details=(
            Field("decision", "决策事项编号", FieldType.STR, max_length=64),
            Field(
                "article",
                "针对条款",
                FieldType.INT,
                required=False,
                min_value=0,
                max_value=999,
                help="针对草案第几条；不填或填0为对草案整体的意见。",
            ),
            Field("text", "意见内容", FieldType.TEXT, max_length=2000),
        ),
        generic_actions=frozenset({"transfer", "note"}),
        public_submission=True,
        public_trackable=True,
        reference_prefix="YJ",
        register_check=RegisterCheck(_open_consultations, _comment_window),
        description="公众在征求意见期内对重大行政决策草案某一条或整体提出的意见。",
    )
)

# --- the opinion mailbox for major decisions (意见建议征集信箱) -------------------------------

DECISION_OPINION = register(
    Procedure(
        code="decision_opinion",
        label="重大行政决策意见建议",
        states={"received": "待答复", "replied": "已答复"},
        closed_states=frozenset({"replied"}),
        actions=(
            Action(
                "reply",
                "答复",
                frozenset({"received"}),
                "replied",
                fields=(Field("text", "答复内容", FieldType.TEXT, max_length=5000),),
                outcome="replied",
            ),
        ),
        details=(Field("text", "意见建议", FieldType.TEXT, max_length=3000),),
        generic_actions=frozenset({"transfer", "note"}),
        public_submission=True,
        public_trackable=True,
        reference_prefix="JX",
        description="公众通过重大行政决策意见建议征集信箱对政府重大行政决策提出的意见建议。",
    )
)
