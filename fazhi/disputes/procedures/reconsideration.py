"""Administrative reconsideration 行政复议 (行政复议法 2023), with its case file: materials
received, the correction notice and what was supplied, the copy to the respondent and its
reply, hearings, the decision, and the opinion and suggestion letters and whether they were
acted on."""

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
from fazhi.workdays import get_limit

DECISION_OUTCOMES = (
    ("upheld", "维持"),
    ("revoked", "撤销"),
    ("altered", "变更"),
    ("confirmed_unlawful", "确认违法"),
    ("ordered_to_act", "责令履行"),
    ("dismissed", "驳回"),
    ("compensation", "赔偿"),
)


MATERIAL_SOURCES = (
    ("applicant", "申请人"),
    ("respondent", "被申请人"),
    ("third_party", "第三人"),
    ("other", "其他"),
)


def _opinion_issued(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    """行政复议法 §76: what became of a letter is recorded only once one was sent."""
    if snap.latest("issue_opinion") is None:
        return "尚未制发意见书或建议书。"
    number = str(data.get("document_number") or "").strip()
    if number and not any(
        s.action == "issue_opinion" and str(s.data.get("document_number") or "") == number
        for s in snap.steps
    ):
        return f"本案没有文号为“{number}”的意见书或建议书。"
    return None


def _correction_period_passed(
    snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]
) -> str | None:
    """行政复议法 §31: deemed abandoned only once the 10 working days for corrections passed."""
    notice = snap.latest("request_correction")
    if notice is None:
        return "尚未通知补正。"
    due = get_limit("reconsideration.correction_supply").due(notice.on, provisional=True)
    if due.on is not None and on <= due.on:
        return f"补正期限至 {due.on.isoformat()} 届满，届满后才能认定逾期未补正。"
    return None


RECONSIDERATION = register(
    Procedure(
        code="reconsideration",
        label="行政复议",
        states={
            "received": "待审查",
            "correction_requested": "待补正",
            "accepted": "已受理",
            "rejected": "不予受理",
            "not_corrected": "逾期未补正",
            "decided": "已决定",
            "terminated": "已终止",
            "settled": "调解/和解结案",
        },
        closed_states=frozenset({"rejected", "not_corrected", "decided", "terminated", "settled"}),
        actions=(
            Action(
                "accept",
                "受理",
                frozenset({"received"}),
                "accepted",
                fields=(Field("simplified", "适用简易程序", FieldType.BOOL, required=False),),
                sets_details=("simplified",),
            ),
            Action(
                "refuse",
                "不予受理",
                frozenset({"received"}),
                "rejected",
                fields=(Field("reason", "不予受理理由", FieldType.TEXT, max_length=5000),),
                outcome="rejected",
            ),
            Action(
                "request_correction",
                "通知补正",
                frozenset({"received"}),
                "correction_requested",
                fields=(Field("items", "补正事项", FieldType.TEXT, max_length=5000),),
            ),
            Action(
                "supply_correction",
                "补正",
                frozenset({"correction_requested"}),
                "received",
                fields=(
                    Field(
                        "supplied",
                        "补正的材料",
                        FieldType.TEXT,
                        required=False,
                        max_length=5000,
                        help="申请人补正提交的材料和说明。",
                    ),
                ),
            ),
            Action(
                "receive_materials",
                "收到材料",
                frozenset({"received", "correction_requested", "accepted"}),
                None,
                fields=(
                    Field("materials", "材料名称", FieldType.TEXT, max_length=5000),
                    Field(
                        "submitted_by",
                        "提交人",
                        FieldType.CHOICE,
                        choices=MATERIAL_SOURCES,
                    ),
                ),
            ),
            Action(
                "hear",
                "听证/听取意见",
                frozenset({"accepted"}),
                None,
                fields=(
                    Field(
                        "kind",
                        "方式",
                        FieldType.CHOICE,
                        choices=(("hearing", "听证"), ("opinions", "听取意见")),
                    ),
                    Field(
                        "participants",
                        "参加人",
                        FieldType.STR,
                        required=False,
                        max_length=500,
                        personal=True,
                    ),
                    Field("record", "笔录摘要", FieldType.TEXT, max_length=5000),
                ),
            ),
            Action(
                "lapse",
                "逾期未补正",
                frozenset({"correction_requested"}),
                "not_corrected",
                guard=_correction_period_passed,
                outcome="not_corrected",
            ),
            Action(
                "decide",
                "作出决定",
                frozenset({"accepted"}),
                "decided",
                fields=(
                    Field("outcome", "决定类型", FieldType.CHOICE, choices=DECISION_OUTCOMES),
                    Field(
                        "document_number",
                        "决定书文号",
                        FieldType.STR,
                        required=False,
                        max_length=100,
                    ),
                ),
                outcome="=outcome",
            ),
            Action(
                "terminate",
                "终止",
                frozenset({"accepted"}),
                "terminated",
                fields=(
                    Field("reason", "终止理由（如申请人撤回）", FieldType.TEXT, max_length=5000),
                ),
                outcome="terminated",
            ),
            Action("settle", "调解/和解", frozenset({"accepted"}), "settled", outcome="settled"),
            Action("send_copy", "发送申请书副本", frozenset({"accepted"}), None),
            Action(
                "receive_reply",
                "收到被申请人答复",
                frozenset({"accepted"}),
                None,
                fields=(
                    Field(
                        "evidence",
                        "提交的证据和依据",
                        FieldType.TEXT,
                        required=False,
                        max_length=5000,
                    ),
                ),
            ),
            Action(
                "issue_opinion",
                "制发意见书/建议书",
                frozenset({"decided"}),
                None,
                fields=(
                    Field(
                        "kind",
                        "文书类型",
                        FieldType.CHOICE,
                        choices=(("opinion", "意见书"), ("suggestion", "建议书")),
                    ),
                    Field("to_org", "送达机关", FieldType.STR, max_length=200),
                    Field("document_number", "文号", FieldType.STR, required=False, max_length=100),
                ),
            ),
            Action(
                "opinion_acted",
                "意见书/建议书落实情况",
                frozenset({"decided"}),
                None,
                fields=(
                    Field("acted", "已落实", FieldType.BOOL),
                    Field("response", "落实情况", FieldType.TEXT, required=False, max_length=5000),
                    Field(
                        "document_number",
                        "所涉文书文号",
                        FieldType.STR,
                        required=False,
                        max_length=100,
                        help="制发过多份意见书、建议书时填写所落实的那一份的文号；不填为最近一份",
                    ),
                ),
                guard=_opinion_issued,
            ),
        ),
        deadlines=(
            Deadline(
                "reconsideration.review",
                frozenset({"received"}),
                ("register", "supply_correction"),
                "受理审查",
            ),
            Deadline(
                "reconsideration.correction_supply",
                frozenset({"correction_requested"}),
                ("request_correction",),
                "申请人补正",
            ),
            # 行政复议法 §48: the copy to the respondent within 7 working days of acceptance,
            # its reply within 10 of receiving the copy (counted from the day the copy is
            # sent: the receipt is not recorded), both while the 60 days of §62 run
            Deadline(
                "reconsideration.copy_to_respondent",
                frozenset({"accepted"}),
                ("accept",),
                "发送申请书副本",
                answered_by=("send_copy",),
            ),
            Deadline(
                "reconsideration.respondent_reply",
                frozenset({"accepted"}),
                ("send_copy",),
                "被申请人答复",
                answered_by=("receive_reply",),
            ),
            Deadline(
                "reconsideration.decide_simplified",
                frozenset({"accepted"}),
                ("accept",),
                "作出决定（简易程序）",
                when=lambda snap: bool(snap.details.get("simplified")),
            ),
            Deadline("reconsideration.decide", frozenset({"accepted"}), ("accept",), "作出决定"),
        ),
        details=(
            Field("respondent", "被申请人", FieldType.STR, max_length=200),
            Field("contested_act", "被申请复议的行政行为", FieldType.TEXT, max_length=5000),
            Field(
                "third_parties",
                "第三人",
                FieldType.STR,
                required=False,
                max_length=500,
                personal=True,
            ),
            Field("simplified", "简易程序", FieldType.BOOL, required=False),
        ),
        party_required=True,
        reference_prefix="FY",
        description=(
            "行政复议申请的审查、补正、受理、答复和决定"
            "（行政复议法第三十条、第三十一条、第四十八条、第六十二条）。"
        ),
    )
)
