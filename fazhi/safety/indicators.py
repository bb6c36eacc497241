"""Indicators of report part (五): trainings, campaigns, inspection rounds and hazards.

The catalog's six figures (spec/indicators.md) and, beside them, the rectification of the
hazards found (additions): how many were verified rectified by the cut-off, the rectification
rate, the timely rectification rate over the orders' own dates, and the major hazards. The
inspection rounds' ``hazards`` figure is checked against the hazard matters recorded.
"""

from __future__ import annotations

from fazhi.indicators.catalog import from_catalog
from fazhi.indicators.registry import (
    ActivityCount,
    ActivitySum,
    Balance,
    Matters,
    addition,
    detail,
    register,
    register_check,
    timely,
)
from fazhi.safety import activities  # noqa: F401  the kinds must exist first

HAZARDS = Matters("safety_hazard")
VERIFIED = Matters("safety_hazard", frozenset({"verified"}))

_found = from_catalog(
    "safety.hazards_found",
    "本年度发现并登记的安全隐患（以发现日期计，每处隐患一件）。",
    HAZARDS,
)
_rect_num, _rect_den = timely(HAZARDS, "safety.rectify")

register(
    from_catalog(
        "safety.trainings",
        "本年度截止日前举办的安全生产及应急管理专题培训（应对突发事件）期数。",
        ActivityCount("safety_training"),
    ),
    from_catalog(
        "safety.training_attendance",
        "上述培训登记的参训人次之和。",
        ActivitySum("safety_training", "attendees"),
    ),
    from_catalog(
        "safety.campaigns",
        "本年度截止日前开展的安全生产大规模专项行动（以开始日期计）。",
        ActivityCount("safety_campaign"),
    ),
    from_catalog(
        "safety.inspector_person_times",
        "本年度截止日前的安全生产执法检查派出的执法检查人员人次之和。",
        ActivitySum("safety_inspection", "inspectors"),
    ),
    from_catalog(
        "safety.units_inspected",
        "本年度截止日前的安全生产执法检查检查的生产经营单位家次之和。",
        ActivitySum("safety_inspection", "units"),
    ),
    _found,
    addition(
        "safety.inspections",
        "安全生产执法检查",
        "次",
        "本年度截止日前登记的安全生产执法检查轮次。",
        ActivityCount("safety_inspection"),
        beside=_found,
    ),
    addition(
        "safety.hazards_reported",
        "检查登记的隐患数",
        "处",
        "本年度执法检查登记的发现隐患数之和（应与登记的隐患事项相符）。",
        ActivitySum("safety_inspection", "hazards"),
        beside=_found,
    ),
    addition(
        "safety.hazards_major",
        "重大事故隐患",
        "处",
        "本年度发现的隐患中的重大事故隐患。",
        Matters("safety_hazard", where=(detail("level", "major"),)),
        beside=_found,
    ),
    addition(
        "safety.hazards_rectified",
        "隐患整改复查合格",
        "处",
        "本年度发现的隐患中截止日前复查合格销号的。",
        VERIFIED,
        beside=_found,
    ),
    addition(
        "safety.rectification_rate",
        "隐患整改率",
        "%",
        "截止日前复查合格的 / 本年度发现的隐患。",
        VERIFIED,
        HAZARDS,
        beside=_found,
    ),
    addition(
        "safety.rectification_timely_rate",
        "隐患按期整改率",
        "%",
        "责令限期整改的隐患中在指令书写明的期限内整改完成的比例（及时率通用规则：截止日前已整改的，加上期限已过仍未整改的，为分母）。",
        _rect_num,
        _rect_den,
        beside=_found,
    ),
)

register_check(
    Balance(
        "safety.hazards_match_inspections",
        "执法检查登记的隐患数与登记的隐患事项相符",
        "safety.hazards_reported",
        ("safety.hazards_found",),
        op="==",
        names=("检查登记的隐患", "登记的隐患事项"),
        note="（差额 {gap} 处：检查记录与隐患事项不一致）",
    ),
    Balance(
        "safety.rectified_within_found",
        "整改合格的隐患不多于发现的隐患",
        "safety.hazards_found",
        ("safety.hazards_rectified",),
    ),
)
