"""Indicators of report part (六): dispute screening and administrative reconsideration.

Reconsideration states as of the cut-off (spec/procedures.md): accepted covers every state an
accepted application moves on to; concluded (办结) = decided, terminated or settled.
Screening: rounds are activities of kind ``dispute_screening``; the disputes a round finds and
resolves are its figures (fazhi/disputes/activities.py) until the ``dispute`` procedure exists.
"""

from __future__ import annotations

from fazhi.disputes import activities  # noqa: F401  the screening kind must exist first
from fazhi.indicators.catalog import from_catalog
from fazhi.indicators.registry import (
    ActivityCount,
    ActivitySum,
    Balance,
    MatterSet,
    register,
    register_check,
)

CONCLUDED = frozenset({"decided", "terminated", "settled"})
ACCEPTED = CONCLUDED | {"accepted"}

register(
    from_catalog(
        "dispute_screening.screenings",
        "本年度截止日前登记的排查矛盾纠纷活动次数（按活动日期）。",
        ActivityCount("dispute_screening"),
    ),
    from_catalog(
        "dispute_screening.found",
        "上述排查登记的“发现矛盾”件数之和。",
        ActivitySum("dispute_screening", "found"),
    ),
    from_catalog(
        "dispute_screening.resolved",
        "上述排查登记的“其中已化解”件数之和（矛盾纠纷程序建立后改按其化解步骤计算）。",
        ActivitySum("dispute_screening", "resolved"),
    ),
    from_catalog(
        "reconsideration.received", "本年度收到的行政复议申请。", MatterSet("reconsideration")
    ),
    from_catalog(
        "reconsideration.accepted",
        "其中截止日前经审查受理的（含已决定、终止、调解和解结案的）。",
        MatterSet("reconsideration", ACCEPTED),
    ),
    from_catalog(
        "reconsideration.rejected",
        "其中截止日前决定不予受理的。",
        MatterSet("reconsideration", frozenset({"rejected"})),
    ),
    from_catalog(
        "reconsideration.not_corrected",
        "其中通知补正后逾期未补正、视为放弃的。",
        MatterSet("reconsideration", frozenset({"not_corrected"})),
    ),
    from_catalog(
        "reconsideration.concluded",
        "受理的申请中截止日前已办结（作出决定、终止或调解和解结案）的。",
        MatterSet("reconsideration", CONCLUDED),
    ),
)

register_check(
    Balance(
        "reconsideration.review",
        "行政复议：收到 ≥ 受理 + 不予受理 + 逾期未补正",
        "reconsideration.received",
        ("reconsideration.accepted", "reconsideration.rejected", "reconsideration.not_corrected"),
        names=("收到", "受理", "不予受理", "逾期未补正"),
    ),
    Balance(
        "dispute_screening.resolved",
        "排查矛盾纠纷：化解 ≤ 发现（补充规则）",
        "dispute_screening.resolved",
        ("dispute_screening.found",),
        op="<=",
        names=("化解", "发现"),
    ),
)
