"""Disputes found by screening 矛盾纠纷 (spec/procedures.md, "mediation · dispute").

A screening round (排查) is an activity of kind ``dispute_screening``; each dispute it finds is a
``dispute`` matter naming the round by its reference (``details.screening``), registered on the
day it was found: not before the round, in the round's year, by the round's unit or one under
it (checked against the stored rounds: ``RegisterCheck``). ``dispute_screening.found`` and
``.resolved`` count these matters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fazhi.disputes.activities import DISPUTE_SCREENING
from fazhi.procedures.declarations import (
    Action,
    Field,
    FieldType,
    Procedure,
    RegisterCheck,
    register,
)

Rounds = tuple[dict[str, tuple[dt.date, str]], dict[int, str]]


def load_rounds() -> Rounds:
    """The screening rounds by reference (their date and unit's path), and every unit's path."""
    from fazhi.core.models import OrgUnit
    from fazhi.procedures.models import Activity

    rounds = {
        ref: (on, path)
        for ref, on, path in Activity.objects.of(DISPUTE_SCREENING.code)
        .exclude(reference="")
        .values_list("reference", "on", "org__path")
    }
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    return rounds, paths


def check_round(
    loaded: Rounds, details: Mapping[str, Any], received_on: dt.date, org_id: int
) -> str | None:
    """The dispute names a stored round it can have been found by (a plain problem, or None)."""
    rounds, paths = loaded
    reference = str(details.get("screening") or "").strip()
    if not reference:
        return "请填写发现该矛盾纠纷的排查活动编号。"
    found = rounds.get(reference)
    if found is None:
        return f"找不到编号为“{reference}”的排查矛盾纠纷活动：请先登记该次排查，或核对编号。"
    on, path = found
    if received_on < on or received_on.year != on.year:
        return (
            f"发现日期{received_on.isoformat()}应在排查日期{on.isoformat()}当日或之后，"
            "且在同一年度内。"
        )
    if not paths.get(org_id, "").startswith(path):
        return "矛盾纠纷应由开展该次排查的单位或其下属单位登记。"
    return None


DISPUTE = register(
    Procedure(
        code="dispute",
        label="矛盾纠纷",
        states={"received": "待化解", "escalated": "已上报", "resolved": "已化解"},
        closed_states=frozenset({"resolved"}),
        actions=(
            Action(
                "resolve",
                "化解",
                frozenset({"received", "escalated"}),
                "resolved",
                fields=(
                    Field("method", "化解方式", FieldType.TEXT, required=False, max_length=2000),
                ),
                outcome="resolved",
            ),
            Action(
                "escalate",
                "上报",
                frozenset({"received"}),
                "escalated",
                fields=(
                    Field("to", "上报至", FieldType.STR, max_length=200),
                    Field("reason", "上报原因", FieldType.TEXT, required=False, max_length=2000),
                ),
            ),
        ),
        details=(
            Field(
                "screening",
                "排查活动编号",
                FieldType.STR,
                max_length=64,
                help="发现该矛盾纠纷的排查矛盾纠纷活动的编号。",
            ),
            Field("dispute_type", "纠纷类型", FieldType.STR, required=False, max_length=100),
        ),
        register_check=RegisterCheck(load_rounds, check_round),
        reference_prefix="JF",
        description="排查矛盾纠纷发现的矛盾纠纷：登记、化解或上报。",
    )
)
