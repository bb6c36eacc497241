"""Administrative litigation 行政应诉 (行政诉讼法): cases brought against the district's organs.

A case starts when the complaint is served on the organ (``received_on`` = the day of
service); the defence and evidence are due in 15 natural days (§67). Every hearing is a step
recording whether the organ's head appeared in court (§3); a judgment records its outcome and
whether it is effective, and — where it orders the organ to act — its own time for
performance, which then runs as a clock answered by ``perform``.
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

OUTCOMES = (
    ("organ_won", "机关胜诉"),
    ("organ_lost", "机关败诉"),
    ("withdrawn", "原告撤诉"),
    ("other", "其他"),
)
INSTANCES = (("first", "一审"), ("second", "二审"), ("retrial", "再审"))
APPELLANTS = (("organ", "本机关"), ("plaintiff", "原告"))


def _hearing_not_after(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    hearing_on = data.get("hearing_on")
    if hearing_on and dt.date.fromisoformat(str(hearing_on)) > on:
        return "开庭日期不能晚于登记日期。"
    return None


def _judgment(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    days = data.get("perform_days")
    if days and not (data.get("effective") and data.get("outcome") == "organ_lost"):
        return "只有已生效、判决机关败诉的裁判才有履行期限。"
    return None


def _must_perform(snap: MatterSnapshot) -> bool:
    """The latest judgment is effective and sets the organ a time to perform."""
    judgment = snap.latest("judge")
    if judgment is None:
        return False
    return bool(judgment.data.get("effective")) and bool(judgment.data.get("perform_days"))


def _performance_due(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    if not _must_perform(snap):
        return "该裁判未确定由本机关履行的义务，无需登记履行。"
    return None


def _nothing_to_perform(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    judgment = snap.latest("judge")
    if judgment is None or not judgment.data.get("effective"):
        return "裁判尚未生效，不能结案。"
    if _must_perform(snap):
        return "生效裁判确定了履行义务，应登记履行情况。"
    return None


LITIGATION = register(
    Procedure(
        code="litigation",
        label="行政应诉",
        initial_state="served",
        states={
            "served": "待答辩",
            "defended": "已答辩",
            "judged": "已裁判",
            "appealed": "已上诉",
            "retrial_petitioned": "已申请再审",
            "performed": "已履行",
            "concluded": "已结案",
        },
        closed_states=frozenset({"performed", "concluded"}),
        actions=(
            Action(
                "defend",
                "提交答辩",
                frozenset({"served"}),
                "defended",
                fields=(
                    Field(
                        "evidence", "提交的证据", FieldType.TEXT, required=False, max_length=5000
                    ),
                ),
            ),
            Action(
                "hear",
                "开庭",
                frozenset({"defended", "appealed"}),
                None,
                fields=(
                    Field("head_appeared", "负责人出庭应诉", FieldType.BOOL),
                    Field("hearing_on", "开庭日期", FieldType.DATE, required=False),
                    Field(
                        "appeared",
                        "出庭人员",
                        FieldType.STR,
                        required=False,
                        max_length=200,
                        help="出庭的机关负责人或工作人员姓名、职务。",
                        personal=True,
                    ),
                ),
                guard=_hearing_not_after,
            ),
            Action(
                "judge",
                "裁判",
                frozenset({"defended", "appealed"}),
                "judged",
                fields=(
                    Field("outcome", "裁判结果", FieldType.CHOICE, choices=OUTCOMES),
                    Field("effective", "已生效", FieldType.BOOL),
                    Field(
                        "perform_days",
                        "履行期限（日）",
                        FieldType.INT,
                        required=False,
                        min_value=1,
                        max_value=3650,
                        help="生效裁判确定由本机关履行义务的，填写裁判确定的履行期限。",
                    ),
                    Field(
                        "document_number",
                        "裁判文书号",
                        FieldType.STR,
                        required=False,
                        max_length=100,
                    ),
                ),
                outcome="=outcome",
                sets_details=("effective", "perform_days"),
                guard=_judgment,
            ),
            Action(
                "appeal",
                "上诉",
                frozenset({"judged"}),
                "appealed",
                fields=(Field("appellant", "上诉人", FieldType.CHOICE, choices=APPELLANTS),),
            ),
            Action(
                "petition_retrial",
                "申诉/申请再审",
                frozenset({"judged", "appealed"}),
                "retrial_petitioned",
                fields=(
                    Field(
                        "petitioner",
                        "申请人",
                        FieldType.CHOICE,
                        choices=APPELLANTS,
                        required=False,
                    ),
                ),
            ),
            Action(
                "perform",
                "履行",
                frozenset({"judged", "retrial_petitioned"}),
                "performed",
                fields=(
                    Field("result", "履行情况", FieldType.TEXT, required=False, max_length=5000),
                ),
                guard=_performance_due,
            ),
            Action(
                "conclude",
                "结案",
                frozenset({"judged", "retrial_petitioned"}),
                "concluded",
                guard=_nothing_to_perform,
            ),
        ),
        deadlines=(
            Deadline("litigation.defend", frozenset({"served"}), ("register",), "提交答辩状"),
            Deadline(
                "litigation.perform",
                frozenset({"judged", "retrial_petitioned"}),
                ("judge",),
                "履行生效裁判",
                when=_must_perform,
                answered_by=("perform",),
                length_from="perform_days",
            ),
        ),
        details=(
            Field("court", "受理法院", FieldType.STR, required=False, max_length=200),
            Field("case_number", "案号", FieldType.STR, required=False, max_length=100),
            Field("cause", "案由", FieldType.STR, required=False, max_length=300),
            Field(
                "instance",
                "审级",
                FieldType.CHOICE,
                choices=INSTANCES,
                required=False,
                help="不填为一审。",
            ),
            Field("defendant", "被告机关", FieldType.STR, required=False, max_length=200),
            Field("effective", "裁判已生效", FieldType.BOOL, required=False),
            Field("perform_days", "履行期限（日）", FieldType.INT, required=False, min_value=1),
        ),
        reference_prefix="YS",
        description=(
            "以本区行政机关为被告的行政诉讼案件：答辩、开庭（负责人出庭应诉）、裁判、上诉、"
            "申诉和生效裁判的履行（行政诉讼法第三条、第六十七条、第九十四条）。"
        ),
    )
)
