"""The enforcement decision 行政执法决定 and its public disclosure (spec/procedures.md).

A decision is registered on its date (``received_on``) in the state ``decided``; it is published
within 7 working days (licensing and penalty) or 20 (the rest), withdrawn within 3 working days
after it was changed or revoked, and taken down when its publicity period has passed (by the
daily sweep, ``expiry.py``, on the day the period ends; staff may record it too). A
decision about a minor is never published (no clock runs for it). The officers who made it must
hold a certificate in force on its date (持证上岗: ``checks.handlers_certified``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from fazhi.enforcement import checks
from fazhi.enforcement.types import ACTION_TYPES, FAST_PUBLICATION, LENIENCY_LISTS
from fazhi.procedures import publicity
from fazhi.procedures.declarations import (
    STAFF_ROLES,
    SYSTEM,
    Action,
    Deadline,
    Field,
    FieldType,
    Link,
    Procedure,
    register,
)
from fazhi.procedures.models.matter import PartyKind
from fazhi.procedures.rules import MatterSnapshot
from fazhi.workdays import Unit, get_limit

CHANGES = (("changed", "变更"), ("revoked", "撤销"), ("unlawful", "确认违法"))


def _never_published(snap: MatterSnapshot) -> bool:
    return bool(snap.details.get("minor"))


def _refuse_minor(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    if _never_published(snap):
        return "该决定涉及未成年人，依法不予公开，不能公示。"
    return None


def publicity_limit(snap: MatterSnapshot) -> str:
    """The publicity period's limit: shorter where the party is a natural person."""
    return publicity_limit_code(snap.party_kind)


def publicity_limit_code(party_kind: str) -> str:
    person = party_kind == PartyKind.PERSON
    return "enforcement.publicity_period_person" if person else "enforcement.publicity_period"


def publicity_ends(party_kind: str, published_on: dt.date) -> dt.date | None:
    """The day a decision published on ``published_on`` may be taken down (None: not known)."""
    return get_limit(publicity_limit_code(party_kind)).due(published_on, provisional=True).on


def _unit(unit: Unit) -> str:
    return "个月" if unit == Unit.MONTHS else unit.label


def _period_passed(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    published = snap.latest("publish")
    if published is None:  # pragma: no cover - expire is only allowed from "published"
        return "该决定尚未公示。"
    limit = get_limit(publicity_limit(snap))
    ends = publicity_ends(snap.party_kind, published.on)
    if ends is not None and on < ends:
        return (
            f"公示期尚未届满：{limit.label}为{limit.length}{_unit(limit.unit)}，"
            f"自{published.on.isoformat()}公示起至{ends.isoformat()}方可下线。"
        )
    return None


ENFORCEMENT_DECISION = register(
    Procedure(
        code="enforcement_decision",
        label="行政执法决定",
        states={
            "decided": "待公示",
            "published": "已公示",
            "withdrawn": "已撤回公示",
            "expired": "公示期满下线",
        },
        closed_states=frozenset({"withdrawn", "expired"}),
        initial_state="decided",
        actions=(
            Action(
                "publish",
                "公示",
                frozenset({"decided"}),
                "published",
                guard=_refuse_minor,
                outcome="published",
            ),
            Action(
                "mark_changed",
                "决定被变更或撤销",
                frozenset({"published"}),
                None,
                fields=(
                    Field("change", "变更情形", FieldType.CHOICE, choices=CHANGES),
                    Field("basis", "依据", FieldType.STR, required=False, max_length=300),
                ),
            ),
            Action(
                "withdraw",
                "撤回公示",
                frozenset({"published"}),
                "withdrawn",
                fields=(Field("reason", "撤回原因", FieldType.TEXT, max_length=1000),),
                outcome="withdrawn",
            ),
            Action(
                "expire",
                "到期下线",
                frozenset({"published"}),
                "expired",
                guard=_period_passed,
                outcome="expired",
                # the daily sweep takes it when the period has ended (expiry.py); staff may too
                roles=STAFF_ROLES | {SYSTEM},
            ),
        ),
        deadlines=(
            Deadline(
                "enforcement.publish_license_penalty",
                frozenset({"decided"}),
                ("register",),
                "公示",
                when=lambda s: (
                    not _never_published(s) and s.details.get("action_type") in FAST_PUBLICATION
                ),
            ),
            Deadline(
                "enforcement.publish_other",
                frozenset({"decided"}),
                ("register",),
                "公示",
                when=lambda s: not _never_published(s),
            ),
            Deadline(
                "enforcement.withdraw",
                frozenset({"published"}),
                ("mark_changed",),
                "撤回公示",
                when=lambda s: s.latest("mark_changed") is not None,
            ),
        ),
        details=(
            Field("action_type", "执法类别", FieldType.CHOICE, choices=ACTION_TYPES),
            Field("decision_number", "决定文号", FieldType.STR, max_length=100),
            Field("legal_basis", "法律依据", FieldType.TEXT, max_length=2000),
            Field("result", "决定结果", FieldType.TEXT, max_length=2000),
            Field(
                "amount",
                "罚没金额（元）",
                FieldType.DECIMAL,
                required=False,
                min_value=0,
                max_value=10**12,
            ),
            Field("facts", "主要事实", FieldType.TEXT, required=False, max_length=5000),
            Field(
                "handlers",
                "执法人员证号",
                FieldType.STR,
                max_length=200,
                help="作出决定的执法人员的执法证号，多人以顿号或逗号分隔；处罚、强制不少于两人。",
                validator=checks.handler_numbers_problem,
            ),
            Field(
                "violation",
                "违法行为代码",
                FieldType.STR,
                required=False,
                max_length=40,
                help="与包容审慎监管清单中的违法行为代码对应；用于核查首次违法。",
            ),
            Field(
                "leniency",
                "适用的从宽清单",
                FieldType.CHOICE,
                required=False,
                choices=LENIENCY_LISTS,
                help="依首违不罚或四张清单从宽处理的，选择所适用的清单。",
            ),
            Field(
                "legal_review",
                "法制审核编号",
                FieldType.STR,
                required=False,
                max_length=64,
                help="重大执法决定须先经法制审核：填写法制审核事项的编号。",
            ),
            Field(
                "minor",
                "当事人为未成年人",
                FieldType.BOOL,
                required=False,
                help="涉及未成年人的决定依法不予公开。",
            ),
        ),
        generic_actions=frozenset({"transfer", "note"}),
        links=(Link("reviewed_by", reference="legal_review", procedure="legal_review"),),
        party_required=True,
        reference_prefix="ZF",
        register_check=checks.DECISION_CHECKS,
        description=(
            "行政执法机关作出的许可、处罚、强制等决定：许可和处罚决定7个工作日内公示，"
            "其他决定20个工作日内公示；决定被变更、撤销的3个工作日内撤回公示。"
        ),
    )
)


OPINIONS = (("approve", "同意"), ("modify", "建议修改后作出"), ("reject", "不同意"))

# 重大执法决定法制审核: the organ submits the case before deciding; the legal office reviews it
# within its limit and records its opinion, kept with the decision (link ``reviewed_by``).
LEGAL_REVIEW = register(
    Procedure(
        code="legal_review",
        label="重大执法决定法制审核",
        states={"received": "审核中", "reviewed": "已出具审核意见", "withdrawn": "已撤回送审"},
        closed_states=frozenset({"reviewed", "withdrawn"}),
        actions=(
            Action(
                "opinion",
                "出具审核意见",
                frozenset({"received"}),
                "reviewed",
                fields=(
                    Field("opinion", "审核意见", FieldType.CHOICE, choices=OPINIONS),
                    Field("text", "审核意见书", FieldType.TEXT, max_length=5000),
                ),
                roles=frozenset({"admin", "law_office"}),
                outcome="=opinion",
            ),
            Action(
                "withdraw",
                "撤回送审",
                frozenset({"received"}),
                "withdrawn",
                fields=(Field("reason", "撤回原因", FieldType.TEXT, max_length=1000),),
                outcome="withdrawn",
            ),
        ),
        deadlines=(
            Deadline("enforcement.legal_review", frozenset({"received"}), ("register",), "审核"),
        ),
        details=(
            Field("action_type", "拟作出的执法类别", FieldType.CHOICE, choices=ACTION_TYPES),
            Field("proposal", "拟作出的决定", FieldType.TEXT, max_length=2000),
            Field(
                "amount",
                "拟罚没金额（元）",
                FieldType.DECIMAL,
                required=False,
                min_value=0,
                max_value=10**12,
            ),
        ),
        generic_actions=frozenset({"transfer", "extend", "note"}),
        reference_prefix="FS",
        description=(
            "执法机关作出重大执法决定前送本级法制审核机构审核；未经法制审核或者审核未通过的，"
            "不得作出决定。"
        ),
    )
)


def _officers_named(matters: Sequence[Any]) -> dict[int, list[str]]:
    """The officers each decision names by certificate (``handlers``): every public text of the
    decision hides their names (``procedures.publicity.register_people``)."""
    from fazhi.enforcement.models import EnforcementOfficer

    wanted = {m.pk: checks.handler_numbers(m.details.get("handlers")) for m in matters}
    numbers = {n for ns in wanted.values() for n in ns}
    names: dict[str, list[str]] = {}
    for number, name in EnforcementOfficer.objects.filter(
        certificate_number__in=numbers
    ).values_list("certificate_number", "name"):
        names.setdefault(number.upper(), []).append(name)
    return {pk: [n for number in ns for n in names.get(number, [])] for pk, ns in wanted.items()}


publicity.register_people("enforcement_decision", _officers_named)
