"""12345 hotline work orders 接诉即办 (spec/procedures.md, "hotline_order").

An order comes from the municipal platform (the import is its main door: docs/hotline.md),
dispatched to a unit (the matter's ``org``). The unit signs it (签收), handles and concludes it
(办结, resolved yes / partly / no); the hotline centre revisits the caller (回访, with the
caller's satisfaction) and may reopen it (重办). A unit that should not have received the order
asks to return it (申请退单, with a reason); the dispatcher approves (退单) or refuses
(不予批准退回, the engine's ``refuse_return``). A longer conclusion period is asked for and
approved with the engine's ``request_extend`` / ``extend``. Limits by urgency tier: limits.py.
The caller is the party: masked wherever shown publicly, as every party is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fazhi.oversight.hotline.limits import CONCLUDE, CONCLUDE_URGENT, SIGN, SIGN_URGENT
from fazhi.procedures.declarations import (
    SATISFACTION_CHOICES,
    STAFF_ROLES,
    Action,
    Deadline,
    Field,
    FieldType,
    Procedure,
    register,
)
from fazhi.procedures.generic import pending_return
from fazhi.procedures.rules import MatterSnapshot

CODE = "hotline_order"

URGENCY = (("urgent", "紧急"), ("ordinary", "一般"))
RESOLVED = (("yes", "已解决"), ("partly", "部分解决"), ("no", "未解决"))

OPEN_STATES = frozenset({"received", "signed"})
# who approves a return for the dispatcher (派单机构): the district level, never the unit itself
DISPATCHER_ROLES = frozenset({"admin", "law_office", "leader"})
DONE_STATES = frozenset({"concluded", "revisited"})


def is_urgent(snap: MatterSnapshot) -> bool:
    """The urgent tier: ``details.urgency`` is ``urgent`` (absent: ordinary)."""
    return snap.details.get("urgency") == "urgent"


def _no_pending_return(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    return "已有退单申请等待派单机构审批。" if pending_return(snap) is not None else None


def _return_requested(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    if pending_return(snap) is None:
        return "承办单位没有提出退单申请：退单须由承办单位申请、派单机构批准。"
    return None


_RESOLVED_FIELD = Field("resolved", "是否解决", FieldType.CHOICE, choices=RESOLVED)

HOTLINE_ORDER = register(
    Procedure(
        code=CODE,
        label="12345热线工单",
        states={
            "received": "待签收",
            "signed": "办理中",
            "returned": "已退单",
            "concluded": "已办结",
            "revisited": "已回访",
        },
        closed_states=frozenset({"returned", "concluded", "revisited"}),
        actions=(
            Action("sign", "签收", frozenset({"received"}), "signed"),
            Action(
                "request_return",
                "申请退单",
                OPEN_STATES,
                None,
                fields=(
                    Field(
                        "reason",
                        "退单理由",
                        FieldType.TEXT,
                        max_length=2000,
                        help="如：不属于本单位职责、诉求地址不在本辖区。",
                    ),
                ),
                roles=STAFF_ROLES,
                guard=_no_pending_return,
            ),
            Action(
                "return",
                "批准退单",
                OPEN_STATES,
                "returned",
                fields=(
                    Field("reason", "退单理由", FieldType.TEXT, max_length=2000),
                    Field(
                        "approved_by",
                        "派单审批人",
                        FieldType.STR,
                        required=False,
                        max_length=100,
                        help="派单机构审批人（由平台导入时填写；在本系统审批时记录为操作人）。",
                        personal=True,
                    ),
                ),
                roles=DISPATCHER_ROLES,
                guard=_return_requested,
                needs_approval=True,
                outcome="returned",
            ),
            Action(
                "conclude",
                "办结",
                frozenset({"signed"}),
                "concluded",
                fields=(
                    Field("result", "办理结果", FieldType.TEXT, max_length=5000),
                    _RESOLVED_FIELD,
                ),
                outcome="=resolved",
            ),
            Action(
                "revisit",
                "回访",
                DONE_STATES,
                "revisited",
                fields=(
                    Field("resolved", "回访核实是否解决", FieldType.CHOICE, choices=RESOLVED),
                    Field(
                        "satisfaction",
                        "来电人表示的满意度",
                        FieldType.CHOICE,
                        choices=SATISFACTION_CHOICES,
                    ),
                    Field("comment", "回访记录", FieldType.TEXT, required=False, max_length=2000),
                ),
                outcome="=resolved",
                # what the caller said on the centre's callback: the step's data, read by the
                # satisfaction rate; not the matter's rating, which is the submitter's alone
            ),
            Action(
                "reopen",
                "重办",
                DONE_STATES,
                "signed",
                fields=(
                    Field("reason", "重办理由", FieldType.TEXT, required=False, max_length=2000),
                ),
            ),
        ),
        deadlines=(
            Deadline(SIGN_URGENT, frozenset({"received"}), ("register",), "签收", when=is_urgent),
            Deadline(SIGN, frozenset({"received"}), ("register",), "签收"),
            Deadline(
                CONCLUDE_URGENT,
                frozenset({"signed"}),
                ("sign", "reopen"),
                "办结",
                when=is_urgent,
            ),
            Deadline(CONCLUDE, frozenset({"signed"}), ("sign", "reopen"), "办结"),
        ),
        details=(
            Field(
                "urgency",
                "紧急程度",
                FieldType.CHOICE,
                required=False,
                choices=URGENCY,
                help="紧急工单按小时计限，一般工单按工作日计限；不填为一般。",
            ),
            Field("category", "诉求分类", FieldType.STR, required=False, max_length=100),
            Field("address", "诉求地址", FieldType.STR, required=False, max_length=300),
            Field(
                "order_number",
                "平台工单编号",
                FieldType.STR,
                required=False,
                max_length=64,
                help="市级平台的工单编号（与本系统编号不同时填写）。",
            ),
        ),
        reference_prefix="RX",
        party_phone_masked=True,  # the caller's phone masked everywhere, staff pages included
        description=(
            "12345政务服务便民热线（接诉即办）工单：签收、退单（承办单位申请、派单机构批准）、"
            "延期（经批准）、办结、回访和重办；期限按紧急程度分级（本地规定）。"
        ),
    )
)
