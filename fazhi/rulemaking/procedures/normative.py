"""Normative documents 行政规范性文件 (spec/procedures.md): drafted, reviewed for legality
(5–15 working days) and fair competition, adopted collectively, published with its validity
(default 5 years), filed with the body above within 30 days, evaluated after implementation
and cleaned up (kept, amended, repealed or declared expired).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fazhi.procedures.declarations import (
    Action,
    Deadline,
    Field,
    FieldType,
    Procedure,
    register,
)
from fazhi.procedures.rules import MatterSnapshot

OPINIONS = (("approve", "同意"), ("modify", "修改后同意"), ("reject", "不同意"))
CLEANUP_OUTCOMES = (
    ("keep", "继续有效"),
    ("amend", "需要修改"),
    ("repeal", "废止"),
    ("expire", "宣布失效"),
)
DEFAULT_VALIDITY_YEARS = 5
LAW_OFFICE = frozenset({"admin", "law_office"})

# --- normative_document ---------------------------------------------------------------------

IN_FORCE = frozenset({"published", "filed", "evaluated", "kept", "amended"})


def _latest_data(snap: MatterSnapshot, action: str, key: str) -> Any:
    step = snap.latest(action)
    return None if step is None else step.data.get(key)


def _may_adopt(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    if _latest_data(snap, "review_opinion", "opinion") == "reject":
        return "合法性审核意见为不同意，须修改后重新提请审核。"
    if not snap.details.get("no_market_impact"):
        passed = _latest_data(snap, "fair_competition_review", "passed")
        if passed is None:
            return "涉及市场主体经济活动的文件须先经公平竞争审查。"
        if not passed:
            return "公平竞争审查未通过，须修改后重新审查。"
    return None


def validity_years(details: Mapping[str, Any]) -> int:
    value = details.get("validity_years")
    return value if isinstance(value, int) and value > 0 else DEFAULT_VALIDITY_YEARS


def valid_until(published_on: dt.date, years: int) -> dt.date:
    """The last day of a validity of ``years`` from ``published_on`` (29 Feb → 28 Feb)."""
    try:
        end = published_on.replace(year=published_on.year + years)
    except ValueError:
        end = published_on.replace(year=published_on.year + years, day=28)
    return end - dt.timedelta(days=1)


def _validity_ended(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    published = snap.latest("publish")
    if published is None:  # pragma: no cover - lapse is only allowed once published
        return "该文件尚未公布。"
    ends = valid_until(published.on, validity_years(snap.details))
    if on <= ends:
        return f"有效期至{ends.isoformat()}，尚未届满。"
    return None


NORMATIVE_DOCUMENT = register(
    Procedure(
        code="normative_document",
        label="行政规范性文件",
        states={
            "drafting": "起草中",
            "legality_review": "合法性审核中",
            "reviewed": "已审核",
            "adopted": "已集体审议通过",
            "published": "已公布待备案",
            "filed": "已备案",
            "evaluated": "已后评估",
            "kept": "清理后继续有效",
            "amended": "清理后需修改",
            "repealed": "已废止",
            "expired": "已失效",
            "abandoned": "已终止起草",
        },
        closed_states=frozenset({"repealed", "expired", "abandoned"}),
        initial_state="drafting",
        actions=(
            Action(
                "submit_review",
                "提请合法性审核",
                frozenset({"drafting", "reviewed"}),
                "legality_review",
                fields=(Field("materials", "送审材料", FieldType.TEXT, required=False),),
            ),
            Action(
                "review_opinion",
                "出具合法性审核意见",
                frozenset({"legality_review"}),
                "reviewed",
                fields=(
                    Field("opinion", "审核意见", FieldType.CHOICE, choices=OPINIONS),
                    Field("text", "审核意见书", FieldType.TEXT, max_length=10000),
                ),
                roles=LAW_OFFICE,
            ),
            Action(
                "fair_competition_review",
                "公平竞争审查",
                frozenset({"drafting", "legality_review", "reviewed"}),
                None,
                fields=(
                    Field("passed", "审查通过", FieldType.BOOL, required=False),
                    Field("text", "审查结论", FieldType.TEXT, required=False),
                ),
            ),
            Action(
                "adopt",
                "集体审议通过",
                frozenset({"reviewed"}),
                "adopted",
                fields=(Field("meeting", "审议会议", FieldType.STR, max_length=200),),
                guard=_may_adopt,
            ),
            Action(
                "publish",
                "公布",
                frozenset({"adopted"}),
                "published",
                fields=(
                    Field("document_number", "文号", FieldType.STR, max_length=100),
                    Field(
                        "validity_years",
                        "有效期（年）",
                        FieldType.INT,
                        required=False,
                        min_value=1,
                        max_value=5,
                        help="不填为5年（国办发〔2018〕115号：有效期一般不超过5年）。",
                    ),
                ),
                sets_details=("document_number", "validity_years"),
            ),
            Action(
                "file",
                "报送备案",
                frozenset({"published"}),
                "filed",
                fields=(
                    Field("filed_with", "备案机关", FieldType.STR, max_length=200),
                    Field("filing_number", "备案号", FieldType.STR, required=False, max_length=100),
                ),
            ),
            Action(
                "post_evaluate",
                "后评估",
                frozenset({"filed", "evaluated", "kept", "amended"}),
                "evaluated",
                fields=(Field("text", "评估结论", FieldType.TEXT, max_length=10000),),
            ),
            Action(
                "list_for_cleanup",
                "纳入清理",
                IN_FORCE,
                None,
                fields=(Field("campaign", "清理批次", FieldType.STR, max_length=64),),
            ),
            Action(
                "cleanup",
                "清理",
                IN_FORCE,
                None,
                fields=(
                    Field("outcome", "清理结果", FieldType.CHOICE, choices=CLEANUP_OUTCOMES),
                    Field("campaign", "清理批次", FieldType.STR, required=False, max_length=64),
                    Field("reason", "理由", FieldType.TEXT, required=False),
                ),
                outcome="=outcome",
                target_by="outcome",
                targets=(
                    ("keep", "kept"),
                    ("amend", "amended"),
                    ("repeal", "repealed"),
                    ("expire", "expired"),
                ),
            ),
            Action(
                "lapse",
                "有效期届满失效",
                IN_FORCE,
                "expired",
                guard=_validity_ended,
                outcome="expire",
            ),
            Action(
                "abandon",
                "终止起草",
                frozenset({"drafting", "legality_review", "reviewed", "adopted"}),
                "abandoned",
                fields=(Field("reason", "理由", FieldType.TEXT),),
                outcome="abandoned",
            ),
        ),
        deadlines=(
            Deadline(
                "normative_document.legality_review",
                frozenset({"legality_review"}),
                ("submit_review",),
                "合法性审核",
            ),
            Deadline(
                "normative_document.legality_review_min",
                frozenset({"legality_review"}),
                ("submit_review",),
                "合法性审核（最短期间）",
                answered_by=("review_opinion",),
            ),
            Deadline(
                "normative_document.file",
                frozenset({"published"}),
                ("publish",),
                "报送备案",
            ),
        ),
        details=(
            Field(
                "no_market_impact",
                "不涉及市场主体经济活动",
                FieldType.BOOL,
                required=False,
                help="涉及市场主体经济活动的文件，集体审议前须经公平竞争审查。",
            ),
            Field("document_number", "文号", FieldType.STR, required=False, max_length=100),
            Field(
                "validity_years",
                "有效期（年）",
                FieldType.INT,
                required=False,
                min_value=1,
                max_value=5,
            ),
        ),
        generic_actions=frozenset({"transfer", "extend", "suspend", "resume", "note"}),
        reference_prefix="GF",
        description=(
            "起草单位起草，本级司法行政部门5至15个工作日内出具合法性审核意见，经公平竞争审查"
            "和集体审议后公布，公布之日起30日内报送备案；定期后评估和清理。"
        ),
    )
)
