"""Indicators of report part (四): enforcement decisions and their public disclosure."""

from __future__ import annotations

from fazhi.enforcement import activities  # noqa: F401  the review kind must exist first
from fazhi.enforcement.types import ACTION_TYPES
from fazhi.indicators.catalog import from_catalog
from fazhi.indicators.registry import (
    ActivityCount,
    Balance,
    Indicator,
    Matters,
    breakdown,
    register,
    register_check,
    register_dashboard,
    step,
    timely,
)

DECISIONS = Matters("enforcement_decision")
# The two publication limits (spec/time-limits.md): 7 working days for licensing and penalty
# decisions, 20 for the rest. A minor's decision runs neither clock and is not counted.
PUBLICATION = ("enforcement.publish_license_penalty", "enforcement.publish_other")

_decisions = from_catalog(
    "enforcement.decisions",
    "本年度作出的行政执法决定（以决定日期计），按执法类别分列。",
    DECISIONS,
)
_parts = breakdown(_decisions, "action_type", ACTION_TYPES)

register(
    *_parts,
    Indicator(
        code="enforcement.published",
        label="已公示的行政执法决定",
        section="4",
        definition="本年度作出、截止日前已公示的行政执法决定（含其后撤回或下线的）。（指标目录之外的补充指标）",
        numerator=Matters("enforcement_decision", where=(step("publish"),)),
        addition=True,
        order=_decisions.order,
    ),
    Indicator(
        code="enforcement.withdrawn",
        label="撤回公示的行政执法决定",
        section="4",
        definition="本年度作出、截止日前因被变更、撤销或确认违法而撤回公示的决定。（指标目录之外的补充指标）",
        numerator=Matters("enforcement_decision", frozenset({"withdrawn"})),
        addition=True,
        order=_decisions.order,
    ),
)

register(
    from_catalog(
        "enforcement.publicity_timely_rate",
        "本年度作出、应公示的行政执法决定中，在公示时限内（许可、处罚7个工作日，其他20个工作日）"
        "公示的比例；截止日仍未公示且已超过时限的计入分母。未成年人的决定不公示，不计入。",
        *timely(DECISIONS, PUBLICATION, frozenset({"publish"})),
    ),
    from_catalog(
        "enforcement.case_file_reviews",
        "本年度截止日前开展的行政执法监督检查暨案卷评查轮次（按评查日期）。",
        ActivityCount("case_file_review"),
    ),
)

register_check(
    Balance(
        "enforcement.decisions_by_type",
        "行政执法决定按类别分列之和等于总数",
        "enforcement.decisions",
        tuple(p.code for p in _parts[1:]),
        op="==",
    ),
    Balance(
        "enforcement.published_within_decisions",
        "已公示的决定不多于作出的决定",
        "enforcement.decisions",
        ("enforcement.published",),
    ),
)

register_dashboard(timely=("enforcement.publicity_timely_rate",))
