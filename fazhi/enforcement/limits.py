"""Time limits of administrative enforcement disclosure (spec/time-limits.md, 行政执法公示)."""

from __future__ import annotations

from fazhi.workdays import LOCAL_RULE, LimitKind, TimeLimit, Unit, register_limits

W, M = Unit.WORKING, Unit.MONTHS

LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "enforcement.publish_license_penalty",
        "公示行政许可、行政处罚决定",
        7,
        W,
        "作出决定之日",
        "国办发〔2018〕118号",
        "via secondary source",
    ),
    TimeLimit(
        "enforcement.publish_other",
        "公示其他行政执法决定",
        20,
        W,
        "作出决定之日",
        "国办发〔2018〕118号",
        "via secondary source",
    ),
    TimeLimit(
        "enforcement.withdraw",
        "撤回已公示的被变更、撤销或确认违法的决定",
        3,
        W,
        "决定被变更、撤销或确认违法之日",
        "行政处罚法 第四十八条、第八十五条",
        "yes",
    ),
    TimeLimit(
        "enforcement.legal_review",
        "重大执法决定法制审核",
        5,
        W,
        "收到送审材料之日",
        LOCAL_RULE,
        "—",
        configurable=True,
        extension_max=5,
        extension_needs_approval=True,
        note="国办发〔2018〕118号要求未经法制审核或审核未通过的不得作出决定；审核期限由地方规定",
    ),
    TimeLimit(
        "enforcement.publicity_period",
        "执法决定公示期限（法人和其他组织）",
        60,
        M,
        "公示之日",
        LOCAL_RULE,
        "—",
        kind=LimitKind.MINIMUM,
        configurable=True,
        note="公示期满后下线；默认5年，可配置",
    ),
    TimeLimit(
        "enforcement.publicity_period_person",
        "执法决定公示期限（自然人）",
        24,
        M,
        "公示之日",
        LOCAL_RULE,
        "—",
        kind=LimitKind.MINIMUM,
        configurable=True,
        note="涉及自然人的决定公示期较短；默认2年，可配置",
    ),
)

register_limits(*LIMITS)
