"""Indicators of petitions 信访 (report part 六; spec/indicators.md, ``petition.*``).

The two timely rates count the clocks of the procedure's limits (the common rule for timely
rates): the office's 15 days run on what it registered (``office``) and are answered by
``route`` or ``refuse``; the handling organ's 15 days run from the routing step, or from receipt
for what it received directly, and are answered by ``accept`` or ``refuse``. Diversions are
``divert`` steps by their ``channel``, whether or not the channel's procedure is kept here.
"""

from __future__ import annotations

from fazhi.disputes.petitions.procedures import CATEGORIES, CODE
from fazhi.indicators.catalog import catalog_order, from_catalog
from fazhi.indicators.registry import (
    Balance,
    Indicator,
    Linked,
    Matters,
    breakdown,
    detail,
    register,
    register_check,
    step,
    timely,
)

CLAIM = detail("category", "claim")
FIRST_CLAIMS_CONCLUDED = Matters(CODE, where=(CLAIM, detail("first_time", True), step("conclude")))

_received = Indicator(
    code="petition.received",
    label="信访事项",
    section="6",
    definition="本年度登记的信访事项，按类别分列。（指标目录之外的补充指标）",
    numerator=Matters(CODE),
    addition=True,
    order=catalog_order("petition.office_timely_rate"),
)
_parts = breakdown(_received, "category", CATEGORIES)

register(
    from_catalog(
        "petition.office_timely_rate",
        "信访部门本年度登记的信访事项中，15日内转送、交办或告知不予受理的比例"
        "（截止日前已处理的，及期限已过仍未处理的计入分母）。",
        *timely(
            Matters(CODE, where=(detail("office", True),)),
            "petition.route",
            frozenset({"route", "refuse"}),
        ),
    ),
    from_catalog(
        "petition.handler_timely_rate",
        "有权处理的机关、单位收到的本年度信访事项中（转送、交办之日或直接收到之日起算），"
        "15日内告知受理或不予受理的比例。",
        *timely(Matters(CODE), "petition.accept", frozenset({"accept", "refuse"})),
    ),
    from_catalog(
        "petition.to_reconsideration",
        "本年度申诉求决类信访事项中截止日前导入行政复议程序的。",
        Matters(CODE, where=(CLAIM, step("divert", channel="reconsideration"))),
    ),
    from_catalog(
        "petition.to_mediation",
        "本年度申诉求决类信访事项中截止日前导入人民调解程序的。",
        Matters(CODE, where=(CLAIM, step("divert", channel="mediation"))),
    ),
    from_catalog(
        "petition.first_resolution_rate",
        "本年度申诉求决类初次信访事项中截止日前出具处理意见的，没有重复信访（截止日前关联）"
        "也没有请求复查的比例。",
        Matters(
            CODE,
            where=(
                *FIRST_CLAIMS_CONCLUDED.where,
                Linked("repeat_of", incoming=True, negate=True),
                step("request_review", negate=True),
            ),
        ),
        FIRST_CLAIMS_CONCLUDED,
    ),
    *_parts,
)

register_check(
    Balance(
        "petition.by_category",
        "信访事项按类别分列之和等于总数",
        "petition.received",
        tuple(p.code for p in _parts[1:]),
        op="==",
    ),
    Balance(
        "petition.diverted_within_claims",
        "信访：导入行政复议 + 导入人民调解 ≤ 申诉求决类信访事项",
        "petition.received.claim",
        ("petition.to_reconsideration", "petition.to_mediation"),
        names=("申诉求决类", "导入行政复议", "导入人民调解"),
    ),
)
