"""The four procedures of spec/procedures.md that answer another organ's text: NPC suggestions
人大代表建议 and CPPCC proposals 政协提案 (answered to the deputy or member), procuratorial
suggestions 检察建议 and judicial suggestions 司法建议 (answered to the procuratorate or court).

Suggestions and proposals: ``received_on`` is the assignment date (交办日), the matter's unit
the lead unit (主办), assisting units (会办) are added with the generic ``add_assistant`` and
give their opinion (``opinion``) before the lead replies — the reply is refused while an
assisting unit's opinion is missing. The reply carries the result class (A/B/C), the
deputy's feedback (``feedback``) the satisfaction; a dissatisfied feedback opens a redo
(``redo`` → back to 办理中, a new reply within the redo limit). Consultations with the deputy
(面商, ``consult``) are recorded as steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fazhi.procedures.declarations import (
    SATISFACTION_CHOICES,
    Action,
    Deadline,
    Field,
    FieldType,
    Procedure,
    register,
)
from fazhi.procedures.rules import MatterSnapshot

RESULT_CHOICES = (
    ("A", "A类：已解决或采纳"),
    ("B", "B类：列入计划拟解决"),
    ("C", "C类：留作参考"),
)
CONSULT_FORMS = (
    ("face", "当面面商"),
    ("phone", "电话沟通"),
    ("forum", "座谈会"),
    ("site", "现场调研"),
)
REPLIED = frozenset({"replied"})


def missing_opinions(snap: MatterSnapshot) -> list[int]:
    """The assisting units (ids) of the matter that have not yet given their opinion."""
    given = {str(s.data.get("org")) for s in snap.steps if s.action == "opinion"}
    return [int(pk) for pk in snap.details.get("_assistants", []) if str(pk) not in given]


def _opinions_in(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    missing = missing_opinions(snap)
    if missing:
        return f"还有{len(missing)}个会办单位未提出会办意见，会办意见送达主办单位后方可答复。"
    return None


def latest_feedback(snap: MatterSnapshot) -> str | None:
    """The satisfaction of the feedback on the latest reply (None: no feedback yet)."""
    for step in reversed(snap.steps):
        if step.action == "feedback":
            return str(step.data.get("satisfaction") or "")
        if step.action in ("reply", "redo"):
            return None
    return None


def _dissatisfied(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    feedback = latest_feedback(snap)
    if feedback is None:
        return "代表委员尚未对本次答复反馈意见；反馈不满意的方可再办理。"
    if feedback != "dissatisfied":
        return "代表委员对本次答复表示满意或基本满意，无需再办理。"
    return None


def _answered_to_deputy(code: str, label: str, who: str, prefix: str) -> Procedure:
    """The declaration shared by NPC suggestions and CPPCC proposals (spec/procedures.md)."""
    return Procedure(
        code=code,
        label=label,
        states={
            "received": "办理中",
            "replied": "已答复",
            "concluded": "已办结",
        },
        closed_states=frozenset({"concluded"}),
        actions=(
            Action(
                "consult",
                "面商",
                frozenset({"received", "replied"}),
                None,
                fields=(
                    Field("form", "面商方式", FieldType.CHOICE, choices=CONSULT_FORMS),
                    Field(
                        "participants",
                        "参加人员",
                        FieldType.STR,
                        required=False,
                        max_length=300,
                        personal=True,
                    ),
                    Field("text", "面商情况", FieldType.TEXT, max_length=5000),
                ),
            ),
            Action(
                "reply",
                "答复",
                frozenset({"received"}),
                "replied",
                fields=(
                    Field("result", "办理结果", FieldType.CHOICE, choices=RESULT_CHOICES),
                    Field("reply", "答复内容", FieldType.TEXT, required=False, max_length=10000),
                ),
                outcome="=result",
                sets_details=("result",),
                guard=_opinions_in,
            ),
            Action(
                "feedback",
                f"{who}反馈",
                REPLIED,
                None,
                fields=(
                    Field("satisfaction", "满意度", FieldType.CHOICE, choices=SATISFACTION_CHOICES),
                    Field("comment", "反馈意见", FieldType.TEXT, required=False, max_length=2000),
                ),
                # the deputy's answer on the office's feedback form, recorded by staff: the
                # step's data (the satisfaction rate reads it), not the matter's rating, which
                # is the submitter's alone (#19 defect 2)
            ),
            Action("conclude", "办结", REPLIED, "concluded", outcome=None),
            Action(
                "redo",
                "再办理",
                frozenset({"replied", "concluded"}),
                "received",
                fields=(Field("reason", "再办理理由", FieldType.TEXT, max_length=2000),),
                guard=_dissatisfied,
            ),
        ),
        deadlines=(
            Deadline(f"{code}.reply", frozenset({"received"}), ("register",), "答复"),
            Deadline(f"{code}.redo", frozenset({"received"}), ("redo",), "再办理后重新答复"),
        ),
        details=(
            Field("deputy", f"{who}姓名", FieldType.STR, max_length=200, personal=True),
            Field("session", "届次", FieldType.STR, max_length=100, help="如：第十八届第三次会议"),
            Field("number", "编号", FieldType.STR, max_length=50),
            Field(
                "result",
                "办理结果",
                FieldType.CHOICE,
                required=False,
                choices=RESULT_CHOICES,
                help="答复时填写（A/B/C类）",
            ),
        ),
        reference_prefix=prefix,
        description=(
            f"{label}：交办之日起三个月内答复，情况复杂的经批准延期，至迟不超过六个月；"
            f"会办单位的意见送达主办单位后方可答复；{who}反馈不满意的再办理。"
        ),
    )


NPC_SUGGESTION = register(_answered_to_deputy("npc_suggestion", "人大代表建议", "代表", "JY"))
CPPCC_PROPOSAL = register(_answered_to_deputy("cppcc_proposal", "政协提案", "委员", "TA"))


def _urgent(snap: MatterSnapshot) -> bool:
    return bool(snap.details.get("urgent"))


def _answered_to_organ(
    code: str, label: str, organ: str, prefix: str, *, urgent: bool
) -> Procedure:
    """The declaration shared by procuratorial and judicial suggestions."""
    deadlines: tuple[Deadline, ...] = (
        Deadline(
            f"{code}.reply",
            frozenset({"received"}),
            ("register",),
            "书面回复",
            length_from="reply_months",
        ),
    )
    details: tuple[Field, ...] = (
        Field("issuer", f"发出建议的{organ}", FieldType.STR, max_length=200),
        Field("document_number", "建议书文号", FieldType.STR, required=False, max_length=100),
        Field("content", "建议内容", FieldType.TEXT, required=False, max_length=10000),
        Field(
            "reply_months",
            "建议书载明的回复期限（月）",
            FieldType.INT,
            required=False,
            min_value=1,
            max_value=12,
            help="建议书另定回复期限的填写；不填为两个月",
        ),
    )
    if urgent:
        deadlines = (
            Deadline(
                f"{code}.reply_urgent",
                frozenset({"received"}),
                ("register",),
                "书面回复（紧急）",
                when=_urgent,
            ),
            *deadlines,
        )
        details = (
            *details,
            Field(
                "urgent",
                "公益诉讼紧急情形",
                FieldType.BOOL,
                required=False,
                help="可能造成国家和社会公共利益损害继续扩大等紧急情形，十五日内回复",
            ),
        )
    return Procedure(
        code=code,
        label=label,
        states={"received": "待回复", "replied": "已回复", "closed": "已办结"},
        closed_states=frozenset({"closed"}),
        actions=(
            Action(
                "reply",
                "回复",
                frozenset({"received"}),
                "replied",
                fields=(
                    Field("measures", "采取的措施", FieldType.TEXT, max_length=10000),
                    Field("reply", "回复内容", FieldType.TEXT, required=False, max_length=10000),
                ),
                outcome="replied",
            ),
            Action("close", "办结", REPLIED, "closed"),
        ),
        deadlines=deadlines,
        details=details,
        reference_prefix=prefix,
        description=(
            f"{label}：收到之日起两个月内（或建议书载明的期限内）书面回复{organ}，写明采取的措施。"
        ),
    )


PROCURATORIAL_SUGGESTION = register(
    _answered_to_organ("procuratorial_suggestion", "检察建议", "人民检察院", "JC", urgent=True)
)
JUDICIAL_SUGGESTION = register(
    _answered_to_organ("judicial_suggestion", "司法建议", "人民法院", "SF", urgent=False)
)
