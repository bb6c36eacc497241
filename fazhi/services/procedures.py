"""Procedures of report part (一): business-environment complaints and the help window.

``business_complaint`` 营商环境投诉举报 and ``help_request`` 办不成事请找我 share one shape
(spec/procedures.md): triage (accept or refuse) within 3 working days, conclude within 15
working days of acceptance, then the submitter rates it; a dissatisfied rating may reopen it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fazhi.procedures.declarations import (
    PUBLIC,
    STAFF_ROLES,
    Action,
    Deadline,
    Field,
    FieldType,
    Procedure,
    callback_action,
    rate_action,
    register,
)
from fazhi.procedures.rules import MatterSnapshot

# The submitter's consent to publication, asked on the public form (procedures.publicity):
# nothing is public without it and without staff's release.
CONSENT = Field(
    "consent_publish",
    "同意公开",
    FieldType.BOOL,
    required=False,
    help="提交人同意经审核、脱敏后公开标题、内容和答复。",
)

STATES = {
    "received": "待受理",
    "in_scope": "办理中",
    "out_of_scope": "不予受理",
    "concluded": "已办结",
}


def _last_rating_dissatisfied(
    snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]
) -> str | None:
    """The public may reopen only after a dissatisfied rating; staff may reopen any time."""
    rating = snap.latest("rate")
    if rating is None or rating.data.get("satisfaction") != "dissatisfied":
        return "只有评价为“不满意”的事项才能申请重办。"
    return None


def _shared_actions(code: str) -> tuple[Action, ...]:
    return (
        Action("accept", "受理", frozenset({"received"}), "in_scope", notify="已受理"),
        Action(
            "refuse",
            "不予受理",
            frozenset({"received"}),
            "out_of_scope",
            fields=(Field("reason", "不予受理理由", FieldType.TEXT, max_length=2000),),
            outcome="out_of_scope",
        ),
        Action(
            "conclude",
            "办结",
            frozenset({"in_scope"}),
            "concluded",
            fields=(Field("result", "办理结果", FieldType.TEXT, max_length=5000),),
            outcome="concluded",
        ),
        rate_action("concluded"),
        callback_action("concluded"),
        Action(
            "reopen",
            "重办",
            frozenset({"concluded"}),
            "in_scope",
            fields=(Field("reason", "重办理由", FieldType.TEXT, max_length=2000),),
            roles=STAFF_ROLES,
        ),
        Action(
            "request_reopen",
            "申请重办",
            frozenset({"concluded"}),
            "in_scope",
            fields=(Field("reason", "重办理由", FieldType.TEXT, max_length=2000),),
            roles=frozenset({PUBLIC}),
            guard=_last_rating_dissatisfied,
        ),
    )


def _deadlines(code: str) -> tuple[Deadline, ...]:
    return (
        Deadline(f"{code}.triage", frozenset({"received"}), ("register",), "受理审查"),
        Deadline(
            f"{code}.conclude",
            frozenset({"in_scope"}),
            ("accept", "reopen", "request_reopen"),
            "办结",
        ),
    )


BUSINESS_COMPLAINT = register(
    Procedure(
        code="business_complaint",
        label="营商环境投诉举报",
        states=STATES,
        closed_states=frozenset({"out_of_scope", "concluded"}),
        actions=_shared_actions("business_complaint"),
        deadlines=_deadlines("business_complaint"),
        details=(
            Field("enterprise", "涉及企业", FieldType.STR, required=False, max_length=200),
            Field("respondent", "被投诉单位", FieldType.STR, required=False, max_length=200),
            Field("content", "投诉举报内容", FieldType.TEXT, required=False, max_length=10000),
            CONSENT,
        ),
        public_trackable=True,
        public_submission=True,
        reference_prefix="YS",
        description="企业和群众对营商环境问题的投诉举报：3个工作日内受理审查，受理后15个工作日内办结。",
    )
)

HELP_KINDS = (
    ("help", "求助"),
    ("complaint", "投诉"),
    ("report", "举报"),
    ("consultation", "咨询"),
)

HELP_REQUEST = register(
    Procedure(
        code="help_request",
        label="办不成事请找我",
        states=STATES,
        closed_states=frozenset({"out_of_scope", "concluded"}),
        actions=_shared_actions("help_request"),
        deadlines=_deadlines("help_request"),
        details=(
            Field("kind", "诉求类别", FieldType.CHOICE, choices=HELP_KINDS),
            Field("content", "诉求内容", FieldType.TEXT, required=False, max_length=10000),
            CONSENT,
        ),
        public_trackable=True,
        public_submission=True,
        reference_prefix="BC",
        description="“办不成事请找我”窗口受理的求助、投诉、举报和咨询。",
    )
)


# --- 政务服务办件: one service request at the hall, with how it was served ----------------------

TIME_SLOTS = (
    ("regular", "正常工作时间"),
    ("extended", "延时服务"),
    ("off_peak", "错峰服务"),
    ("no_lunch_break", "午间不间断服务"),
    ("weekend", "周末服务"),
)
ASSISTANCE = (
    ("none", "无"),
    ("lead", "领办"),
    ("help", "帮办"),
    ("proxy", "代办"),
)
GROUPS = (
    ("general", "一般群众和企业"),
    ("elderly", "老年人"),
    ("disabled", "残疾人"),
    ("other_special", "其他特殊群体"),
)

SERVICE_REQUEST = register(
    Procedure(
        code="service_request",
        label="政务服务办件",
        states={"received": "办理中", "concluded": "已办结", "refused": "不予受理"},
        closed_states=frozenset({"concluded", "refused"}),
        actions=(
            Action("conclude", "办结", frozenset({"received"}), "concluded", outcome="concluded"),
            Action(
                "refuse",
                "不予受理",
                frozenset({"received"}),
                "refused",
                fields=(Field("reason", "不予受理理由", FieldType.TEXT, max_length=2000),),
                outcome="refused",
            ),
        ),
        deadlines=(
            Deadline(
                "service_request.conclude",
                frozenset({"received"}),
                ("register",),
                "办结",
                length_from="committed_days",
            ),
        ),
        details=(
            Field("item", "办理事项", FieldType.STR, max_length=200, help="政务服务事项名称。"),
            Field(
                "committed_days",
                "承诺时限（工作日）",
                FieldType.INT,
                required=False,
                min_value=0,
                max_value=365,
                help="该事项的承诺办结时限；不填按20个工作日。",
            ),
            Field("time_slot", "服务时段", FieldType.CHOICE, choices=TIME_SLOTS),
            Field("assistance", "领办帮办代办", FieldType.CHOICE, choices=ASSISTANCE),
            Field("group", "服务对象", FieldType.CHOICE, choices=GROUPS),
            Field(
                "free",
                "免费",
                FieldType.BOOL,
                required=False,
                help="领办、帮办、代办是否免费提供。",
            ),
        ),
        reference_prefix="ZW",
        description="政务服务中心受理的办件：服务时段（延时、错峰、午间不间断）和对老年人、残疾人等"
        "特殊群体的领办、帮办、代办服务逐件登记；按事项承诺时限计算办结期限。",
    )
)
