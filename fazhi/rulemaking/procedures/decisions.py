"""Major administrative decisions 重大行政决策 (spec/procedures.md): the year's catalog and
its gates in order — public consultation of at least 30 days, expert argument, risk
assessment, legality review of at least 7 working days, collective decision, publication,
post-decision evaluation —; a gate the law lets a decision skip is skipped with a recorded
reason. The order is the state machine; a consultation shorter than 30 days cannot close (a
minimum period: ``Deadline``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from fazhi.procedures import publicity
from fazhi.procedures.declarations import (
    Action,
    Deadline,
    Field,
    FieldType,
    Procedure,
    register,
)
from fazhi.procedures.rules import MatterSnapshot
from fazhi.rulemaking.procedures.normative import LAW_OFFICE, OPINIONS, _latest_data
from fazhi.workdays import get_limit

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
                    Field(
                        "experts", "论证专家或机构", FieldType.STR, max_length=300, personal=True
                    ),
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


def _commenters(matters: Sequence[Any]) -> dict[int, list[str]]:
    """The people who commented on each decision's draft (their name is asked and never
    published): every public text of the decision hides them — staff may quote a comment."""
    from fazhi.procedures.models import Matter

    by_reference = {m.reference: m.pk for m in matters}
    out: dict[int, list[str]] = {m.pk: [] for m in matters}
    for reference, name in Matter.objects.filter(
        procedure="draft_comment", details__decision__in=list(by_reference)
    ).values_list("details__decision", "party_name"):
        if reference in by_reference and name:
            out[by_reference[reference]].append(name)
    return out


publicity.register_people("major_decision", _commenters)
