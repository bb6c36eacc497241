"""The generic actions the engine gives every procedure that allows them (spec/procedures.md).

assign 主办, add_assistant 协办 (会办), opinion 会办意见 (by an assisting unit only),
opinion_reply 答复会办意见 (the lead unit), transfer 转办, return 退回, extend 延期 (approvers
only), suspend/resume 中止/恢复 (time in between does not count), note 备注; assign_handler
指派经办人 (a person of the unit handles it), instruct 批示 (the leader's instruction),
request_extend 申请延期 answered by an approver's extend 延期 or refuse_extend 不予批准延期,
request_return 申请退回 answered by return 退回 or refuse_return 不予批准退回; supplement
补充材料 (the submitter's further information or files, through the tracking page, or staff
recording what the submitter brought).
They apply in any open state (``"*"``) and keep the state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fazhi.procedures.clocks import limit_of, running_extensions
from fazhi.procedures.declarations.actions import Action
from fazhi.procedures.declarations.fields import (
    APPROVER_ROLES,
    PUBLIC,
    STAFF_ROLES,
    Field,
    FieldType,
)
from fazhi.workdays import LimitKind

if TYPE_CHECKING:
    from fazhi.procedures.declarations import Procedure
    from fazhi.procedures.rules import MatterSnapshot, StepRecord

ANY_OPEN = frozenset({"*"})

_REASON = Field("reason", "理由", FieldType.TEXT, max_length=2000)


def _not_suspended(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    return "该事项已中止，请先恢复计算期限。" if snap.suspended else None


def _suspended(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    return None if snap.suspended else "该事项未中止，无需恢复。"


def _has_transfer(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    for step in reversed(snap.steps):
        if step.action in ("transfer", "assign"):
            return None
    return "该事项未经转办，无处退回。"


def _extension_allowed(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    """An extension applies to every running clock whose limit may be extended."""
    running = [(limit_of(d, snap.details), used) for d, used in running_extensions(snap)]
    running = [(limit, used) for limit, used in running if limit.kind != LimitKind.MINIMUM]
    if not running:
        return "该事项当前没有可延长的期限。"
    extendable = [(limit, used) for limit, used in running if limit.extension_max is not None]
    if not extendable:
        names = "、".join(limit.label for limit, _used in running)
        return f"“{names}”的期限依法不能延长。"
    days = int(data.get("days") or 0)
    for limit, used in extendable:
        assert limit.extension_max is not None  # noqa: S101 filtered above  # nosec B101
        if used + days > limit.extension_max:
            left = limit.extension_max - used
            return (
                f"延长后超过法定上限：{limit.label}最多可延长"
                f"{limit.unit.describe(limit.extension_max)}，已延长{used}，还可延长{left}。"
            )
    return None


def _assistants(snap: MatterSnapshot) -> list[int]:
    return [int(pk) for pk in snap.details.get("_assistants", [])]


def _by_assistant(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    assistants = _assistants(snap)
    if not assistants:
        return "该事项没有会办单位。"
    org = data.get("org")
    if org is None or org == "":
        # no data at all: rules.available_actions asking whether the action is open (an opinion
        # always carries its text, so apply() never passes empty data); act() fills ``org``
        # with the user's assisting unit, an import must name it
        return None if not data else "请填写提出意见的会办单位。"
    if int(org) not in assistants:
        return "所填单位不是该事项的会办单位。"
    return None


def _answers_opinion(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    org = data.get("org")
    if not any(s.action == "opinion" for s in snap.steps):
        return "该事项还没有会办意见。"
    if org in (None, ""):
        return None  # the field itself is required: clean_data names it
    if not any(s.action == "opinion" and str(s.data.get("org")) == str(org) for s in snap.steps):
        return "该单位没有提出过会办意见。"
    return None


GENERIC: dict[str, Action] = {
    "assign": Action(
        "assign",
        "指定主办",
        ANY_OPEN,
        fields=(Field("to_org", "主办单位", FieldType.ORG),),
        generic=True,
    ),
    "add_assistant": Action(
        "add_assistant",
        "增加协办",
        ANY_OPEN,
        fields=(Field("org", "协办单位", FieldType.ORG),),
        generic=True,
    ),
    "opinion": Action(
        "opinion",
        "会办意见",
        ANY_OPEN,
        fields=(
            Field(
                "org",
                "会办单位",
                FieldType.ORG,
                required=False,
                help="不填时为您所在的会办单位",
            ),
            Field("text", "会办意见", FieldType.TEXT, max_length=5000),
        ),
        guard=_by_assistant,
        generic=True,
        assisting="only",
    ),
    "opinion_reply": Action(
        "opinion_reply",
        "答复会办意见",
        ANY_OPEN,
        fields=(
            Field("org", "答复的会办单位", FieldType.ORG),
            Field("text", "答复内容", FieldType.TEXT, max_length=5000),
        ),
        guard=_answers_opinion,
        generic=True,
    ),
    "transfer": Action(
        "transfer",
        "转办",
        ANY_OPEN,
        fields=(Field("to_org", "转往单位", FieldType.ORG), _REASON),
        generic=True,
    ),
    "return": Action(
        "return", "退回", ANY_OPEN, fields=(_REASON,), guard=_has_transfer, generic=True
    ),
    "extend": Action(
        "extend",
        "延期",
        ANY_OPEN,
        fields=(
            Field(
                "days",
                "延长期限",
                FieldType.INT,
                min_value=1,
                max_value=365,
                help="单位与原期限相同",
            ),
            _REASON,
        ),
        roles=APPROVER_ROLES,
        guard=_extension_allowed,
        generic=True,
        needs_approval=True,
    ),
    "suspend": Action(
        "suspend", "中止", ANY_OPEN, fields=(_REASON,), guard=_not_suspended, generic=True
    ),
    "resume": Action("resume", "恢复", ANY_OPEN, fields=(), guard=_suspended, generic=True),
    "supplement": Action(
        "supplement",
        "补充材料",
        ANY_OPEN,
        fields=(
            Field(
                "text",
                "补充内容",
                FieldType.TEXT,
                required=False,
                max_length=5000,
                help="补充的情况说明；也可以只附文件。",
            ),
        ),
        roles=STAFF_ROLES | {PUBLIC},
        generic=True,
    ),
    "note": Action(
        "note",
        "备注",
        ANY_OPEN | {"**"},
        fields=(Field("text", "备注内容", FieldType.TEXT, max_length=5000),),
        roles=STAFF_ROLES,
        generic=True,
    ),
}


LEADING_ROLES = frozenset({"admin", "law_office", "head", "leader"})


def pending_extension(snap: MatterSnapshot) -> StepRecord | None:
    """The extension request awaiting an approver's answer (``extend`` or ``refuse_extend``)."""
    for step in reversed(snap.steps):
        if step.action in ("extend", "refuse_extend"):
            return None
        if step.action == "request_extend":
            return step
    return None


def pending_return(snap: MatterSnapshot) -> StepRecord | None:
    """The return request awaiting an approver's answer (``return`` or ``refuse_return``)."""
    for step in reversed(snap.steps):
        if step.action in ("return", "refuse_return", "transfer", "assign"):
            return None
        if step.action == "request_return":
            return step
    return None


def _may_request_return(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    if pending_return(snap) is not None:
        return "已有退回申请等待审批。"
    return _has_transfer(snap, on, data)


def _return_pending(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    return None if pending_return(snap) is not None else "没有等待审批的退回申请。"


def _may_request_extension(
    snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]
) -> str | None:
    if pending_extension(snap) is not None:
        return "已有延期申请等待审批。"
    return _extension_allowed(snap, on, data)


def _extension_pending(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    return None if pending_extension(snap) is not None else "没有等待审批的延期申请。"


GENERIC.update(
    {
        # A person in the unit handles the matter (经办人); handing it on is the same step.
        "assign_handler": Action(
            "assign_handler",
            "指派经办人",
            ANY_OPEN,
            fields=(Field("handler", "经办人", FieldType.PERSON),),
            generic=True,
        ),
        # The leader's hand: an instruction (批示) on the matter, for the handler to follow.
        "instruct": Action(
            "instruct",
            "批示",
            ANY_OPEN,
            fields=(Field("text", "批示内容", FieldType.TEXT, max_length=2000),),
            roles=LEADING_ROLES,
            generic=True,
            needs_approval=True,
        ),
        # The handler asks for an extension; an approver grants it (``extend``) or refuses it.
        "request_extend": Action(
            "request_extend",
            "申请延期",
            ANY_OPEN,
            fields=(
                Field(
                    "days",
                    "申请延长",
                    FieldType.INT,
                    min_value=1,
                    max_value=365,
                    help="单位与原期限相同",
                ),
                _REASON,
            ),
            roles=STAFF_ROLES,
            guard=_may_request_extension,
            generic=True,
        ),
        # The unit asks to send the matter back; an approver returns it or refuses.
        "request_return": Action(
            "request_return",
            "申请退回",
            ANY_OPEN,
            fields=(_REASON,),
            roles=STAFF_ROLES,
            guard=_may_request_return,
            generic=True,
        ),
        "refuse_return": Action(
            "refuse_return",
            "不予批准退回",
            ANY_OPEN,
            fields=(Field("reason", "理由", FieldType.TEXT, required=False, max_length=2000),),
            roles=APPROVER_ROLES,
            guard=_return_pending,
            generic=True,
            needs_approval=True,
        ),
        "refuse_extend": Action(
            "refuse_extend",
            "不予批准延期",
            ANY_OPEN,
            fields=(Field("reason", "理由", FieldType.TEXT, required=False, max_length=2000),),
            roles=APPROVER_ROLES,
            guard=_extension_pending,
            generic=True,
            needs_approval=True,
        ),
    }
)


def generic_actions(procedure: Procedure) -> list[Action]:
    """The generic actions ``procedure`` allows and does not declare itself."""
    own = {a.name for a in procedure.actions}
    return [GENERIC[name] for name in sorted(procedure.generic_actions) if name not in own]
