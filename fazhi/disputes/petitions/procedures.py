"""The petition procedure 信访 (信访工作条例 2022; spec/procedures.md, "petition").

A petition is registered by the petition office (``office``: 信访部门登记) or received directly
by a handling organ. The office routes it (``route``: 交办 or 转送) to the organ that handles it,
which then holds the matter (``Action.moves_to``) and sees it, or refuses it, within 15 natural
days (§22); the organ tells the petitioner within 15 days whether it accepts (§23: from the
routing step's date, or from receipt for what it received directly). An accepted claim-type
matter gets its opinion within 60 days, + up to 30 on approval (§34). The petitioner may ask
for a review within 30 days of the opinion and for a re-review within 30 days of the review
opinion; each opinion is due within 30 days (§35, §36; hearing time in a re-review is entered
as a suspension). ``divert`` channels an accepted matter into a statutory procedure
(reconsideration, people's mediation, litigation): the matter is opened there through the same
registration rules and both are linked (``diverted_to``). A repeat petition names the earlier
one (``repeat_of``), at registration or when staff confirm a suggested repeat
(``confirm_repeat``; ``petitions.repeats`` suggests them).

Petitions are confidential (``confidential=True``): never on a public page, the public API or
Open311, and staff see them only within their scope.
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
    Guard,
    Link,
    Procedure,
    RegisterCheck,
    register,
)
from fazhi.procedures.rules import MatterSnapshot
from fazhi.workdays import get_limit

CODE = "petition"

CATEGORIES = (
    ("claim", "申诉求决"),
    ("suggestion", "建议意见"),
    ("accusation", "检举控告"),
)
ROUTE_MODES = (("assigned", "交办"), ("forwarded", "转送"))
CHANNELS = (
    ("reconsideration", "行政复议"),
    ("mediation", "人民调解"),
    ("litigation", "行政诉讼"),
    ("arbitration", "仲裁"),
    ("other", "其他法定途径"),
)
VENUES = (
    ("people", "人民调解委员会"),
    ("police_station", "驻公安派出所调解室"),  # as mediation labels it
    ("court", "驻法院调解室"),
    ("other", "其他"),
)

CLOSED = frozenset({"refused", "diverted", "concluded", "reviewed", "rereviewed"})


def _window(limit: str, after: str, what: str) -> Guard:
    """A guard: the petitioner's request is refused once the window of ``limit`` counted from
    the latest ``after`` step has passed (§35, §36: 30 days from receiving the opinion)."""

    def guard(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
        opinion = snap.latest(after)
        if opinion is None:
            return None  # the state check refuses first
        due = get_limit(limit).due(opinion.on, provisional=True)
        if due.on is not None and on > due.on:
            return (
                f"{what}须在收到意见之日起30日内提出（至 {due.on.isoformat()} 届满），"
                "已超过期限，不予受理。"
            )
        return None

    return guard


def _no_repeat_of_itself(
    loaded: Any, details: Mapping[str, Any], on: dt.date, org: int
) -> str | None:
    """A repeat petition (it names an earlier one) is not a first-time one."""
    if details.get("repeat_of") and details.get("first_time"):
        return "重复信访（已填写原信访事项编号）不能同时标为初次信访。"
    return None


def _is_office(snap: MatterSnapshot) -> bool:
    return bool(snap.details.get("office"))


def _is_claim(snap: MatterSnapshot) -> bool:
    return snap.details.get("category") == "claim"


_TO_ORG_HELP = "不填时仍由本单位办理"

PETITION = register(
    Procedure(
        code=CODE,
        label="信访",
        states={
            "received": "待处理",
            "routed": "已转送/交办",
            "accepted": "已受理",
            "refused": "不予受理",
            "diverted": "已导入法定途径",
            "concluded": "已出具处理意见",
            "review_requested": "已请求复查",
            "reviewed": "已出具复查意见",
            "rereview_requested": "已请求复核",
            "rereviewed": "已出具复核意见",
        },
        closed_states=CLOSED,
        actions=(
            Action(
                "route",
                "登记转送/交办",
                frozenset({"received"}),
                "routed",
                fields=(
                    Field("mode", "方式", FieldType.CHOICE, choices=ROUTE_MODES),
                    Field("to_org", "有权处理的机关、单位", FieldType.ORG),
                ),
                moves_to="to_org",
            ),
            Action(
                "refuse",
                "不予受理",
                frozenset({"received", "routed"}),
                "refused",
                fields=(Field("reason", "不予受理理由", FieldType.TEXT, max_length=5000),),
                outcome="refused",
            ),
            Action("accept", "受理告知", frozenset({"received", "routed"}), "accepted"),
            Action(
                "divert",
                "导入法定途径",
                frozenset({"accepted"}),
                "diverted",
                fields=(
                    Field("channel", "法定途径", FieldType.CHOICE, choices=CHANNELS),
                    Field(
                        "to_org",
                        "承办机关",
                        FieldType.ORG,
                        required=False,
                        help="导入后承办的机关（如行政复议机构）；不填时为本单位",
                    ),
                    Field(
                        "respondent",
                        "被申请人",
                        FieldType.STR,
                        required=False,
                        max_length=200,
                        help="导入行政复议时填写",
                    ),
                    Field(
                        "contested_act",
                        "被申请复议的行政行为",
                        FieldType.TEXT,
                        required=False,
                        max_length=5000,
                        help="导入行政复议时填写",
                    ),
                    Field(
                        "venue",
                        "调解组织",
                        FieldType.CHOICE,
                        required=False,
                        choices=VENUES,
                        help="导入调解时填写（人民调解一般为人民调解委员会）",
                    ),
                    Field(
                        "target_reference",
                        "已登记事项的编号",
                        FieldType.STR,
                        required=False,
                        max_length=64,
                        help="该事项已在对应程序中登记时填写，不再重复登记",
                    ),
                ),
                link=Link(
                    "diverted_to",
                    reference="target_reference",
                    opens="=channel",
                    to_org="to_org",
                    carries=("respondent", "contested_act", "venue"),
                ),
                outcome="=channel",
            ),
            Action(
                "conclude",
                "出具处理意见",
                frozenset({"accepted"}),
                "concluded",
                fields=(Field("opinion", "处理意见", FieldType.TEXT, max_length=5000),),
                outcome="concluded",
            ),
            Action(
                "request_review",
                "请求复查",
                frozenset({"concluded"}),
                "review_requested",
                fields=(
                    Field(
                        "to_org",
                        "复查机关",
                        FieldType.ORG,
                        required=False,
                        help="原办理机关的上一级机关；" + _TO_ORG_HELP,
                    ),
                ),
                guard=_window("petition.request_review", "conclude", "请求复查"),
                moves_to="to_org",
            ),
            Action(
                "review_opinion",
                "出具复查意见",
                frozenset({"review_requested"}),
                "reviewed",
                fields=(Field("opinion", "复查意见", FieldType.TEXT, max_length=5000),),
                outcome="reviewed",
            ),
            Action(
                "request_rereview",
                "请求复核",
                frozenset({"reviewed"}),
                "rereview_requested",
                fields=(
                    Field(
                        "to_org",
                        "复核机关",
                        FieldType.ORG,
                        required=False,
                        help="复查机关的上一级机关；" + _TO_ORG_HELP,
                    ),
                ),
                guard=_window("petition.request_rereview", "review_opinion", "请求复核"),
                moves_to="to_org",
            ),
            Action(
                "rereview_opinion",
                "出具复核意见",
                frozenset({"rereview_requested"}),
                "rereviewed",
                fields=(
                    Field("opinion", "复核意见", FieldType.TEXT, max_length=5000),
                    Field("hearing", "举行听证", FieldType.BOOL, required=False),
                ),
                outcome="rereviewed",
            ),
            Action(
                "confirm_repeat",
                "确认重复信访",
                frozenset({"received", "routed", "accepted"}),
                None,
                fields=(
                    Field("repeat_of", "原信访事项编号", FieldType.STR, max_length=64),
                    Field(
                        "first_time",
                        "仍为初次信访",
                        FieldType.BOOL,
                        required=False,
                        help="一般不勾选：确认为重复信访后不再是初次信访",
                    ),
                ),
                link=Link("repeat_of", reference="repeat_of"),
                sets_details=("repeat_of", "first_time"),
            ),
        ),
        deadlines=(
            # §22 for what the office registered, §23 for what an organ received directly:
            # alternatives from registration, the first whose condition holds runs
            Deadline(
                "petition.route",
                frozenset({"received"}),
                ("register",),
                "信访部门转送、交办或告知不予受理",
                when=_is_office,
            ),
            Deadline(
                "petition.accept",
                frozenset({"received"}),
                ("register",),
                "告知是否受理",
            ),
            Deadline(
                "petition.accept",
                frozenset({"routed"}),
                ("route",),
                "有权处理机关告知是否受理",
            ),
            Deadline(
                "petition.conclude",
                frozenset({"accepted"}),
                ("accept",),
                "出具处理意见",
                when=_is_claim,
            ),
            Deadline(
                "petition.review_opinion",
                frozenset({"review_requested"}),
                ("request_review",),
                "出具复查意见",
            ),
            Deadline(
                "petition.rereview_opinion",
                frozenset({"rereview_requested"}),
                ("request_rereview",),
                "出具复核意见（听证时间不计入）",
            ),
        ),
        details=(
            Field("category", "信访事项类别", FieldType.CHOICE, choices=CATEGORIES),
            Field(
                "first_time",
                "初次信访",
                FieldType.BOOL,
                help="信访人首次就该事项信访；重复信访不勾选",
            ),
            Field(
                "repeat_of",
                "原信访事项编号",
                FieldType.STR,
                required=False,
                max_length=64,
                help="重复信访时填写此前同一事项的信访编号",
            ),
            Field(
                "office",
                "信访部门登记",
                FieldType.BOOL,
                required=False,
                help="由信访部门登记（不勾选：有权处理的机关、单位直接收到）",
            ),
        ),
        links=(Link("repeat_of", reference="repeat_of"),),
        register_check=RegisterCheck(load=lambda: None, check=_no_repeat_of_itself),
        confidential=True,
        party_required=True,
        reference_prefix="XF",
        description=(
            "信访事项的登记、转送交办、受理告知、导入法定途径、处理意见及复查复核"
            "（信访工作条例第二十二条、第二十三条、第三十四条至第三十六条）。"
        ),
    )
)
