"""The safety hazard 安全隐患 and its rectification (report part 五).

A hazard is found by an inspection round (an activity of kind ``safety_inspection``, named by
its reference in ``details.inspection``): it is registered on the day it was found (``found``),
removed on the spot or ordered rectified by a date (责令限期整改: the rectification clock is
due on the order's ``rectify_by``), reported rectified, and verified by a re-inspection (复查)
— or found still unsafe, which orders it rectified again by a new date.

found → order_rectification → ordered → rectify → rectified → verify → verified
found → rectify (当场整改) → rectified;  rectified → fail_verification → ordered
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
    RegisterCheck,
    register,
)
from fazhi.procedures.rules import MatterSnapshot

LEVELS = (("general", "一般事故隐患"), ("major", "重大事故隐患"))

RECTIFY_BY = Field(
    "rectify_by",
    "整改期限",
    FieldType.DATE,
    help="责令限期整改指令书写明的整改完成日期。",
)


def _rectify_by_ahead(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    due = data.get("rectify_by")
    if due and dt.date.fromisoformat(str(due)) < on:
        return f"整改期限 {due} 早于责令整改之日 {on.isoformat()}。"
    return None


def _load_inspections() -> tuple[dict[str, tuple[dt.date, str]], dict[int, str]]:
    """Every inspection round's reference → (date, its unit's path); every unit's path."""
    from fazhi.core.models import OrgUnit
    from fazhi.procedures.models import Activity

    rounds = {
        ref: (on, path)
        for ref, on, path in Activity.objects.of("safety_inspection")
        .exclude(reference="")
        .values_list("reference", "on", "org__path")
    }
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    return rounds, paths


def inspection_problem(
    loaded: tuple[dict[str, tuple[dt.date, str]], dict[int, str]],
    details: Mapping[str, Any],
    found_on: dt.date,
    org_id: int,
) -> str | None:
    """Why the hazard cannot name its inspection round (None: it can)."""
    rounds, paths = loaded
    reference = str(details.get("inspection") or "")
    found = rounds.get(reference)
    if found is None:
        return f"没有编号为“{reference}”的安全生产执法检查：请先登记该次检查，再登记其发现的隐患。"
    on, path = found
    if found_on < on:
        return f"隐患发现日期 {found_on.isoformat()} 早于检查“{reference}”的日期 {on.isoformat()}。"
    unit_path = paths.get(org_id, "")
    if not (unit_path.startswith(path) or path.startswith(unit_path)):
        return f"检查“{reference}”不是本单位或其上下级单位开展的，不能登记为本单位的隐患。"
    return None


SAFETY_HAZARD = register(
    Procedure(
        code="safety_hazard",
        label="安全隐患整改",
        states={
            "found": "已发现",
            "ordered": "限期整改中",
            "rectified": "已整改待复查",
            "verified": "复查合格",
        },
        closed_states=frozenset({"verified"}),
        initial_state="found",
        actions=(
            Action(
                "order_rectification",
                "责令限期整改",
                frozenset({"found"}),
                "ordered",
                fields=(
                    RECTIFY_BY,
                    Field("measures", "整改要求", FieldType.TEXT, required=False, max_length=2000),
                    Field(
                        "order_number", "指令书文号", FieldType.STR, required=False, max_length=100
                    ),
                ),
                sets_details=("rectify_by",),
                guard=_rectify_by_ahead,
            ),
            Action(
                "rectify",
                "整改完成",
                frozenset({"found", "ordered"}),
                "rectified",
                fields=(Field("result", "整改情况", FieldType.TEXT, max_length=2000),),
            ),
            Action(
                "verify",
                "复查合格",
                frozenset({"rectified"}),
                "verified",
                fields=(
                    Field("opinion", "复查意见", FieldType.TEXT, required=False, max_length=2000),
                ),
                outcome="verified",
            ),
            Action(
                "fail_verification",
                "复查不合格",
                frozenset({"rectified"}),
                "ordered",
                fields=(RECTIFY_BY, Field("reason", "不合格原因", FieldType.TEXT, max_length=2000)),
                sets_details=("rectify_by",),
                guard=_rectify_by_ahead,
            ),
        ),
        deadlines=(
            Deadline(
                "safety.rectify",
                frozenset({"ordered"}),
                ("order_rectification", "fail_verification"),
                "整改",
                until="rectify_by",
            ),
            Deadline("safety.verify", frozenset({"rectified"}), ("rectify",), "复查"),
        ),
        details=(
            Field(
                "inspection",
                "发现隐患的检查编号",
                FieldType.STR,
                max_length=64,
                help="发现该隐患的安全生产执法检查的编号。",
            ),
            Field("level", "隐患等级", FieldType.CHOICE, choices=LEVELS),
            Field("description", "隐患描述", FieldType.TEXT, max_length=2000),
            Field(
                "rectify_by",
                "整改期限",
                FieldType.DATE,
                required=False,
                help="最近一次责令整改写明的整改完成日期（由“责令限期整改”填写）。",
            ),
        ),
        generic_actions=frozenset({"transfer", "extend", "note", "assign_handler"}),
        party_required=True,
        reference_prefix="YH",
        register_check=RegisterCheck(_load_inspections, inspection_problem),
        description=(
            "安全生产执法检查发现的事故隐患：当场整改或责令限期整改，整改完成后复查，"
            "复查合格的销号；复查不合格的重新限期整改。"
        ),
    )
)
