"""The head's yearly report on the rule of law (述法) and its evaluation (评议).

A head in office (register ``Head``, matched by name in the matter's unit on the report's date)
reports once a year (``year``, the year reported on); the rule-of-law office evaluates the
report with a score and comments. reported → evaluate → evaluated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fazhi.procedures.declarations import (
    Action,
    Field,
    FieldType,
    Procedure,
    RegisterCheck,
    register,
)

FORMS = (("written", "书面述法"), ("on_site", "现场述法"), ("meeting", "会议述法"))
GRADES = (("excellent", "好"), ("good", "较好"), ("fair", "一般"), ("poor", "差"))

Loaded = tuple[list[tuple[int, str, dt.date, dt.date | None]], set[tuple[int, str, int]]]


def _load() -> Loaded:
    from fazhi.accountability.models import Head
    from fazhi.procedures.models import Matter

    heads = list(Head.objects.values_list("org_id", "name", "valid_from", "valid_to"))
    reported = {
        (org, str(name), int(year))
        for org, name, year in Matter.objects.of("law_report").values_list(
            "org_id", "details__head_name", "details__year"
        )
        if name and year is not None
    }
    return heads, reported


def head_problem(
    loaded: Loaded, details: Mapping[str, Any], on: dt.date, org_id: int
) -> str | None:
    """Why this law report cannot be registered (None: it can)."""
    heads, reported = loaded
    name = str(details.get("head_name") or "")
    in_office = any(
        o == org_id and n == name and start <= on and (end is None or end >= on)
        for o, n, start, end in heads
    )
    if not in_office:
        return f"本单位在{on.isoformat()}没有在任的党政主要负责人“{name}”：请先在负责人名册中登记。"
    year = int(details.get("year") or 0)
    if (org_id, name, year) in reported:
        return f"“{name}”已登记{year}年度的述法，不能重复登记。"
    return None


LAW_REPORT = register(
    Procedure(
        code="law_report",
        label="党政主要负责人述法",
        states={"reported": "已述法待评议", "evaluated": "已评议"},
        closed_states=frozenset({"evaluated"}),
        initial_state="reported",
        actions=(
            Action(
                "evaluate",
                "述法评议",
                frozenset({"reported"}),
                "evaluated",
                fields=(
                    Field("score", "评议得分", FieldType.INT, min_value=0, max_value=100),
                    Field("grade", "评议等次", FieldType.CHOICE, choices=GRADES),
                    Field("comments", "评议意见", FieldType.TEXT, max_length=5000),
                ),
                roles=frozenset({"admin", "law_office"}),
                outcome="=grade",
                sets_details=("score", "grade"),
            ),
        ),
        details=(
            Field(
                "head_name",
                "述法人",
                FieldType.STR,
                max_length=40,
                help="负责人名册中的姓名。",
                personal=True,
            ),
            Field("year", "述法年度", FieldType.INT, min_value=2000, max_value=2100),
            Field("form", "述法方式", FieldType.CHOICE, choices=FORMS),
            Field("score", "评议得分", FieldType.INT, required=False, min_value=0, max_value=100),
            Field("grade", "评议等次", FieldType.CHOICE, required=False, choices=GRADES),
        ),
        generic_actions=frozenset({"note"}),
        reference_prefix="SF",
        register_check=RegisterCheck(_load, head_problem),
        description="党政主要负责人年度述法，由依法治区办组织评议（得分、等次和评议意见）。",
    )
)
