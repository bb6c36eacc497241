"""Normative documents 行政规范性文件 and major administrative decisions 重大行政决策
(spec/procedures.md), with the public's comments on draft decisions and the opinion mailbox.

A normative document is drafted, reviewed for legality (5–15 working days) and fair
competition, adopted collectively, published with its validity (default 5 years), filed with
the body above within 30 days, evaluated after implementation and cleaned up (kept, amended,
repealed or declared expired). A major decision enters the year's catalog and walks its gates
in order — public consultation of at least 30 days, expert argument, risk assessment, legality
review of at least 7 working days, collective decision, publication, post-decision evaluation
—; a gate the law lets a decision skip is skipped with a recorded reason. The order is the
state machine: a collective decision before the legality review is refused by the engine, a
consultation shorter than 30 days cannot close (a minimum period: ``Deadline``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fazhi.core.dates import public_date
from fazhi.procedures.declarations import (
    Action,
    Deadline,
    Field,
    FieldType,
    Procedure,
    RegisterCheck,
    register,
)
from fazhi.procedures.rules import MatterSnapshot
from fazhi.workdays import get_limit

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

# --- major_decision -------------------------------------------------------------------------

DECISION_RESULTS = (("adopted", "通过"), ("not_adopted", "不予通过"))
RISK_LEVELS = (("low", "低风险"), ("medium", "中风险"), ("high", "高风险"))
GATE_STATES = (
    "cataloged",
    "consulting",
    "consulted",
    "argued",
    "assessed",
    "in_legality_review",
    "reviewed",
)
SKIPS = ("skip_consultation", "skip_expert_argument", "skip_risk_assessment")


def _day(value: object) -> dt.date | None:
    """A date from a step's data: cleaned (a date) or as stored (ISO text)."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _consultation_window(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    closes_on = _day(data.get("closes_on"))
    if closes_on is None:
        return None
    ends = get_limit("major_decision.consultation").due(on, provisional=True).on
    if ends is not None and closes_on < ends:
        return (
            f"征求意见期一般不少于30日：自{on.isoformat()}公开，截止日期不得早于"
            f"{ends.isoformat()}（填写的是{closes_on.isoformat()}）。"
        )
    return None


def _may_close(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    opened = snap.latest("open_consultation")
    closes_on = None if opened is None else _day(opened.data.get("closes_on"))
    if closes_on is not None and on <= closes_on:
        return f"征求意见截止日期为{closes_on.isoformat()}，截止后方可结束征求意见。"
    return None


def _may_decide(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    if _latest_data(snap, "legality_review", "opinion") == "reject":
        return "合法性审查意见为不同意，不得提交集体讨论（重大行政决策程序暂行条例第二十八条）。"
    return None


def _skip(name: str, label: str, source: str, target: str) -> Action:
    return Action(
        name,
        label,
        frozenset({source}),
        target,
        fields=(Field("reason", "不适用的理由和依据", FieldType.TEXT, max_length=2000),),
    )


MAJOR_DECISION = register(
    Procedure(
        code="major_decision",
        label="重大行政决策",
        states={
            "cataloged": "已列入目录",
            "consulting": "公开征求意见中",
            "consulted": "征求意见已结束",
            "argued": "专家论证已完成",
            "assessed": "风险评估已完成",
            "in_legality_review": "合法性审查中",
            "reviewed": "合法性审查已完成",
            "decided": "已集体讨论决定",
            "not_adopted": "集体讨论未通过",
            "published": "已公布",
            "evaluated": "已后评估",
            "withdrawn": "已调出目录",
        },
        closed_states=frozenset({"not_adopted", "evaluated", "withdrawn"}),
        initial_state="cataloged",
        actions=(
            Action(
                "open_consultation",
                "公开征求意见",
                frozenset({"cataloged"}),
                "consulting",
                fields=(
                    Field("closes_on", "征求意见截止日期", FieldType.DATE),
                    Field(
                        "draft",
                        "决策草案（逐条）",
                        FieldType.TEXT,
                        max_length=100_000,
                        help="每条一段，以“第一条”等开头；公众可对某一条或整体提出意见。",
                    ),
                    Field("explanation", "起草说明", FieldType.TEXT, required=False),
                ),
                guard=_consultation_window,
                sets_details=("closes_on",),
            ),
            Action(
                "close_consultation",
                "结束征求意见",
                frozenset({"consulting"}),
                "consulted",
                fields=(
                    Field("adoption_note", "意见采纳情况", FieldType.TEXT, max_length=20000),
                    Field("comments", "收到意见（条）", FieldType.INT, required=False, min_value=0),
                ),
                guard=_may_close,
            ),
            _skip("skip_consultation", "不公开征求意见（记录理由）", "cataloged", "consulted"),
            Action(
                "expert_argument",
                "专家论证",
                frozenset({"consulted"}),
                "argued",
                fields=(
                    Field("experts", "论证专家或机构", FieldType.STR, max_length=300),
                    Field("opinion", "论证意见", FieldType.TEXT, max_length=10000),
                ),
            ),
            _skip("skip_expert_argument", "不需专家论证（记录理由）", "consulted", "argued"),
            Action(
                "risk_assessment",
                "风险评估",
                frozenset({"argued"}),
                "assessed",
                fields=(
                    Field("level", "风险等级", FieldType.CHOICE, choices=RISK_LEVELS),
                    Field("text", "评估报告摘要", FieldType.TEXT, max_length=10000),
                ),
            ),
            _skip("skip_risk_assessment", "不需风险评估（记录理由）", "argued", "assessed"),
            Action(
                "submit_legality_review",
                "提请合法性审查",
                frozenset({"assessed"}),
                "in_legality_review",
            ),
            Action(
                "legality_review",
                "合法性审查",
                frozenset({"in_legality_review"}),
                "reviewed",
                fields=(
                    Field("opinion", "审查意见", FieldType.CHOICE, choices=OPINIONS),
                    Field("text", "审查意见书", FieldType.TEXT, max_length=10000),
                ),
                roles=LAW_OFFICE,
            ),
            Action(
                "collective_decision",
                "集体讨论决定",
                frozenset({"reviewed"}),
                "decided",
                fields=(
                    Field("result", "决定结果", FieldType.CHOICE, choices=DECISION_RESULTS),
                    Field("meeting", "会议", FieldType.STR, max_length=200),
                ),
                guard=_may_decide,
                target_by="result",
                targets=(("not_adopted", "not_adopted"),),
                outcome="=result",
            ),
            Action(
                "publish",
                "公布",
                frozenset({"decided"}),
                "published",
                fields=(
                    Field("document_number", "文号", FieldType.STR, required=False, max_length=100),
                    Field("text", "公布内容", FieldType.TEXT, required=False, max_length=20000),
                ),
            ),
            Action(
                "post_evaluate",
                "决策后评估",
                frozenset({"published"}),
                "evaluated",
                fields=(Field("text", "评估结论", FieldType.TEXT, max_length=10000),),
            ),
            Action(
                "withdraw",
                "调出目录",
                frozenset(GATE_STATES),
                "withdrawn",
                fields=(Field("reason", "理由", FieldType.TEXT),),
                outcome="withdrawn",
            ),
        ),
        deadlines=(
            Deadline(
                "major_decision.consultation",
                frozenset({"consulting"}),
                ("open_consultation",),
                "公开征求意见期",
                answered_by=("close_consultation",),
            ),
            Deadline(
                "major_decision.legality_review",
                frozenset({"in_legality_review"}),
                ("submit_legality_review",),
                "合法性审查（最短期间）",
                answered_by=("legality_review",),
            ),
        ),
        details=(
            Field("catalog_year", "目录年度", FieldType.INT, min_value=2000, max_value=2100),
            Field(
                "standard_item",
                "属于重大行政决策的依据",
                FieldType.STR,
                required=False,
                max_length=300,
                help="《重大行政决策事项标准》中的对应条目。",
            ),
            Field("closes_on", "征求意见截止日期", FieldType.DATE, required=False),
        ),
        generic_actions=frozenset({"transfer", "suspend", "resume", "note"}),
        reference_prefix="JC",
        description=(
            "列入年度目录的重大行政决策事项：公众参与（征求意见不少于30日）、专家论证、"
            "风险评估、合法性审查（不少于7个工作日）、集体讨论决定、公布、决策后评估。"
        ),
    )
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
