"""Indicators of report part (一): business-environment complaints, the help window and the
registers of services (service items, supervisors, commitments, duty lists).

States as of the cut-off (spec/procedures.md): received → in_scope (accepted) or out_of_scope
(refused) → concluded; a reopened matter is back in_scope (办理中) until concluded again.
``help_request.*`` are not in the catalog (spec/indicators.md): they are additions.
"""

from __future__ import annotations

from fazhi.indicators.catalog import HUNDRED, from_catalog
from fazhi.indicators.registry import (
    RATED,
    SATISFIED,
    Balance,
    Entries,
    Indicator,
    Matters,
    MatterSet,
    breakdown,
    detail,
    register,
    register_check,
    register_dashboard,
    timely,
)

ACCEPTED = frozenset({"in_scope", "concluded"})


def _shape(code: str) -> dict[str, MatterSet]:
    return {
        "received": MatterSet(code),
        "out_of_scope": MatterSet(code, frozenset({"out_of_scope"})),
        "in_scope": MatterSet(code, ACCEPTED),
        "concluded": MatterSet(code, frozenset({"concluded"})),
        "in_progress": MatterSet(code, frozenset({"in_scope"})),
        "rated_satisfied": MatterSet(code, frozenset({"concluded"}), SATISFIED),
        "rated": MatterSet(code, frozenset({"concluded"}), RATED),
    }


BC = _shape("business_complaint")

register(
    from_catalog(
        "business_complaint.received", "本年度收到（登记）的营商环境投诉举报。", BC["received"]
    ),
    from_catalog(
        "business_complaint.out_of_scope",
        "其中截止日前审查为非受理范围（不予受理）的。",
        BC["out_of_scope"],
    ),
    from_catalog(
        "business_complaint.in_scope",
        "其中截止日前审查为受理范围（已受理）的。",
        BC["in_scope"],
    ),
    from_catalog(
        "business_complaint.concluded",
        "受理范围内截止日处于已办结状态的（重办后尚未再次办结的不计）。",
        BC["concluded"],
    ),
    from_catalog(
        "business_complaint.in_progress",
        "受理范围内截止日尚未办结的（含重办中的）。",
        BC["in_progress"],
    ),
    from_catalog(
        "business_complaint.satisfaction_rate",
        "截止日已办结且已评价的事项中，最近一次评价（截止日前）为满意或基本满意的比例。",
        BC["rated_satisfied"],
        BC["rated"],
    ),
)

HR = _shape("help_request")
_ADDITION = "（指标目录之外的补充指标）"


def _help(code: str, label: str, definition: str, order: int, **kw: object) -> Indicator:
    return Indicator(
        code=f"help_request.{code}",
        label=label,
        section="1",
        definition=definition + _ADDITION,
        addition=True,
        order=order,
        **kw,  # type: ignore[arg-type]
    )


register(
    _help(
        "received",
        "“办不成事请找我”诉求",
        "本年度收到（登记）的求助、投诉、举报和咨询。",
        101,
        numerator=HR["received"],
    ),
    _help(
        "out_of_scope", "不予受理", "其中截止日前不予受理的。", 102, numerator=HR["out_of_scope"]
    ),
    _help("in_scope", "受理", "其中截止日前已受理的。", 103, numerator=HR["in_scope"]),
    _help(
        "concluded",
        "已办结",
        "受理的诉求中截止日处于已办结状态的。",
        104,
        numerator=HR["concluded"],
    ),
    _help(
        "in_progress",
        "办理中",
        "受理的诉求中截止日尚未办结的（含重办中的）。",
        105,
        numerator=HR["in_progress"],
    ),
    _help(
        "satisfaction_rate",
        "满意率",
        "截止日已办结且已评价的诉求中，最近一次评价为满意或基本满意的比例。",
        106,
        numerator=HR["rated_satisfied"],
        denominator=HR["rated"],
        unit="%",
        target="100%",
        target_min=HUNDRED,
    ),
)


for _proc, _label in (
    ("business_complaint", "营商环境投诉举报"),
    ("help_request", "办不成事请找我"),
):
    register_check(
        Balance(
            f"{_proc}.triage",
            f"{_label}：收到 ≥ 受理范围 + 非受理范围",
            f"{_proc}.received",
            (f"{_proc}.in_scope", f"{_proc}.out_of_scope"),
            names=("收到", "受理范围", "非受理范围"),
            note="（差额 {gap} 件截止日尚未审查）",
        ),
        Balance(
            f"{_proc}.progress",
            f"{_label}：受理范围 = 已办结 + 办理中",
            f"{_proc}.in_scope",
            (f"{_proc}.concluded", f"{_proc}.in_progress"),
            op="==",
            names=("受理范围", "已办结", "办理中"),
        ),
    )


# --- the registers (fazhi.services.models): entries in force on the cut-off, in scope -----------

ITEMS = "services.ServiceItem"
register(
    from_catalog(
        "services.time_limit_compression",
        "截止日在用的政务服务事项（本机构及下级）：1 − Σ承诺办结时限 / Σ法定办结时限，"
        "即 Σ(法定 − 承诺) / Σ法定。",
        Entries(ITEMS, total="legal_days", minus="committed_days"),
        Entries(ITEMS, total="legal_days"),
    ),
    from_catalog(
        "services.business_supervisors",
        "截止日在聘期内的营商环境监督员人数。",
        Entries("services.BusinessSupervisor"),
    ),
)


def _register_addition(code: str, label: str, definition: str, order: int, src: Entries) -> None:
    register(
        Indicator(
            code=f"services.{code}",
            label=label,
            section="1",
            definition=definition + _ADDITION,
            unit="项",
            numerator=src,
            addition=True,
            order=order,
        )
    )


_register_addition(
    "service_items", "在用政务服务事项", "截止日在用的政务服务事项数。", 90, Entries(ITEMS)
)


# --- service requests (政务服务办件): how they were served --------------------------------------

SR = Matters("service_request")
ASSISTED = ("lead", "help", "proxy")
_SPECIAL = ("elderly", "disabled")


def _sr(code: str, label: str, definition: str, order: int, **kw: object) -> Indicator:
    return Indicator(
        code=f"service_request.{code}",
        label=label,
        section="1",
        definition=definition + _ADDITION,
        addition=True,
        order=order,
        **kw,  # type: ignore[arg-type]
    )


_received = _sr("received", "政务服务办件", "本年度受理的政务服务办件。", 80, numerator=SR)
_assisted = _sr(
    "assisted",
    "领办帮办代办",
    "本年度受理的办件中提供领办、帮办或代办服务的，按服务方式分列。",
    81,
    numerator=Matters("service_request", where=(detail("assistance", *ASSISTED),)),
)
register(
    _received,
    *breakdown(_assisted, "assistance", (("lead", "领办"), ("help", "帮办"), ("proxy", "代办"))),
    _sr(
        "special_groups_assisted",
        "老年人残疾人领办帮办代办",
        "本年度为老年人、残疾人办理的办件中提供领办、帮办或代办服务的。",
        82,
        numerator=Matters(
            "service_request",
            where=(detail("assistance", *ASSISTED), detail("group", *_SPECIAL)),
        ),
    ),
    _sr(
        "special_groups_assisted_free_rate",
        "特殊群体帮办代办免费率",
        "为老年人、残疾人提供领办、帮办、代办的办件中免费提供的比例。",
        83,
        numerator=Matters(
            "service_request",
            where=(
                detail("assistance", *ASSISTED),
                detail("group", *_SPECIAL),
                detail("free", True),
            ),
        ),
        denominator=Matters(
            "service_request",
            where=(detail("assistance", *ASSISTED), detail("group", *_SPECIAL)),
        ),
        unit="%",
        target="100%",
        target_min=HUNDRED,
    ),
    *breakdown(
        _sr(
            "outside_hours",
            "延时错峰午间服务办件",
            "本年度在正常工作时间以外（延时、错峰、午间不间断、周末）受理的办件，按服务时段分列。",
            84,
            numerator=Matters(
                "service_request",
                where=(detail("time_slot", "extended", "off_peak", "no_lunch_break", "weekend"),),
            ),
        ),
        "time_slot",
        (
            ("extended", "延时服务"),
            ("off_peak", "错峰服务"),
            ("no_lunch_break", "午间不间断服务"),
            ("weekend", "周末服务"),
        ),
    ),
    _sr(
        "on_time_rate",
        "承诺时限内办结率",
        "本年度受理的办件中在承诺时限内办结的比例；截止日未办结且已超过承诺时限的计入分母。",
        85,
        numerator=timely(SR, "service_request.conclude")[0],
        denominator=timely(SR, "service_request.conclude")[1],
        unit="%",
        target="100%",
        target_min=HUNDRED,
    ),
)

register_dashboard(
    compare=(
        "business_complaint.received",
        "business_complaint.satisfaction_rate",
        "help_request.received",
    )
)
