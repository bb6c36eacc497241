"""Indicators of report part (七) for suggestions and proposals (spec/indicators.md).

Catalog: handled / received, reply rate 办复率 (state replied or concluded at the cut-off),
completion rate 办结率 (concluded), on-time reply rate 按期办复率 (the reply's clock: 3 months
from assignment by the month rule, or the approved extension). Additions (marked as such):
the replies by result class (A/B/C), the deputies' satisfaction, consultations (面商), redos,
and the suggestions' on-time reply rates. Per unit, the dashboard and the oversight
statistics page read the same figures (``compute_by_unit``).
"""

from __future__ import annotations

from dataclasses import replace

from fazhi.indicators.catalog import catalog_order, from_catalog
from fazhi.indicators.registry import (
    SATISFIED,
    Balance,
    Indicator,
    Matters,
    MatterSet,
    register,
    register_check,
    step,
    timely,
)
from fazhi.oversight.suggestions.declarations import RESULT_CHOICES

ADDITION = "（指标目录之外的补充指标）"
REPLIED = frozenset({"replied", "concluded"})
ORGAN_REPLIED = frozenset({"replied", "closed"})

# (code, label, the word for one, who replies to)
ANSWERED_TO_DEPUTY = (
    ("npc_suggestion", "人大代表建议", "建议", "代表"),
    ("cppcc_proposal", "政协提案", "提案", "委员"),
)
ANSWERED_TO_ORGAN = (  # (code, label, the organ replied to, whether urgent cases have 15 days)
    ("procuratorial_suggestion", "检察建议", "人民检察院", True),
    ("judicial_suggestion", "司法建议", "人民法院", False),
)


def _by_class(results: Indicator, code: str) -> list[Indicator]:
    """The replies by class: the latest reply by the cut-off says A, B or C (a redo's new reply
    replaces the first one's class; a reply after the cut-off does not count)."""
    return [
        replace(
            results,
            code=f"{code}.results.{value}",
            label=f"{results.label}（{label}）",
            definition=f"上述{results.label.removesuffix('（按办理结果）')}中截止日前最近一次答复为{label}的。{ADDITION}",
            numerator=Matters(code, REPLIED, where=(step("reply", latest=True, result=value),)),
        )
        for value, label in RESULT_CHOICES
    ]


def _deputy_indicators(code: str, label: str, word: str, who: str) -> list[Indicator]:
    every = MatterSet(code)
    order = catalog_order(f"{code}.completion_rate")
    on_time, on_time_base = timely(Matters(code), f"{code}.reply")
    results = Indicator(
        code=f"{code}.results",
        label=f"{label}已答复（按办理结果）",
        section="7",
        definition=f"本年度交办、截止日为已答复或已办结状态的{word}，按答复时确定的办理结果分列。{ADDITION}",
        numerator=Matters(code, REPLIED),
        addition=True,
        order=order,
    )
    return [
        from_catalog(f"{code}.handled", f"本年度交办本区办理的{label}（按交办日期）。", every),
        from_catalog(
            f"{code}.reply_rate",
            f"截止日为已答复或已办结状态的{word} / 本年度交办的{word}。",
            MatterSet(code, REPLIED),
            every,
        ),
        from_catalog(
            f"{code}.completion_rate",
            f"截止日已办结的{word} / 本年度交办的{word}。",
            MatterSet(code, frozenset({"concluded"})),
            every,
        ),
        Indicator(
            code=f"{code}.on_time_rate",
            label=f"{label}按期办复率",
            section="7",
            unit="%",
            definition=(
                f"交办之日起三个月内（按月计算，末日为休息日的顺延；经批准延期的按延长后的期限）"
                f"答复的{word} / 截止日前已答复或答复期限已届满的{word}。"
            ),
            numerator=on_time,
            denominator=on_time_base,
            order=order,
        ),
        results,
        *_by_class(results, code),
        Indicator(
            code=f"{code}.satisfaction_rate",
            label=f"{label}{who}满意率",
            section="7",
            unit="%",
            definition=(
                f"截止日前{who}最近一次反馈为满意或基本满意的{word} / 截止日前{who}反馈过的{word}。"
                f"{ADDITION}"
            ),
            numerator=Matters(code, where=(step("feedback", latest=True, satisfaction=SATISFIED),)),
            denominator=Matters(code, where=(step("feedback"),)),
            addition=True,
            order=order,
        ),
        Indicator(
            code=f"{code}.consulted",
            label=f"{label}面商",
            section="7",
            definition=f"本年度交办、截止日前与{who}面商沟通过的{word}。{ADDITION}",
            numerator=Matters(code, where=(step("consult"),)),
            addition=True,
            order=order,
        ),
        Indicator(
            code=f"{code}.redone",
            label=f"{label}再办理",
            section="7",
            definition=f"本年度交办、截止日前因{who}不满意而再办理的{word}。{ADDITION}",
            numerator=Matters(code, where=(step("redo"),)),
            addition=True,
            order=order,
        ),
    ]


def _organ_indicators(code: str, label: str, organ: str, urgent: bool) -> list[Indicator]:
    every = MatterSet(code)
    limits = (f"{code}.reply", f"{code}.reply_urgent") if urgent else f"{code}.reply"
    on_time, on_time_base = timely(Matters(code), limits)
    return [
        from_catalog(f"{code}.received", f"本年度收到的{label}（按收到日期）。", every),
        from_catalog(
            f"{code}.reply_rate",
            f"截止日为已回复或已办结状态的{label} / 本年度收到的{label}。",
            MatterSet(code, ORGAN_REPLIED),
            every,
        ),
        Indicator(
            code=f"{code}.on_time_rate",
            label=f"{label}按期回复率",
            section="7",
            unit="%",
            definition=(
                "收到之日起两个月内（或建议书载明的期限内"
                + ("，公益诉讼紧急情形十五日内" if urgent else "")
                + f"）书面回复{organ}的{label} / 截止日前已回复或回复期限已届满的{label}。"
                + ADDITION
            ),
            numerator=on_time,
            denominator=on_time_base,
            addition=True,
            order=catalog_order(f"{code}.reply_rate"),
        ),
    ]


_all: list[Indicator] = []
for _code, _label, _word, _who in ANSWERED_TO_DEPUTY:
    _all.extend(_deputy_indicators(_code, _label, _word, _who))
for _code, _label, _organ, _urgent in ANSWERED_TO_ORGAN:
    _all.extend(_organ_indicators(_code, _label, _organ, _urgent))
register(*_all)

register_check(
    *(
        Balance(
            f"{code}.results_by_class",
            f"{label}：已答复 = A类 + B类 + C类（补充规则）",
            f"{code}.results",
            tuple(f"{code}.results.{value}" for value, _ in RESULT_CHOICES),
            op="==",
            names=("已答复", "A类", "B类", "C类"),
        )
        for code, label, _word, _who in ANSWERED_TO_DEPUTY
    ),
    *(
        Balance(
            f"{code}.handled_covers_replies",
            f"{label}：交办 ≥ 已答复（补充规则）",
            f"{code}.handled",
            (f"{code}.results",),
            names=("交办", "已答复"),
        )
        for code, label, _word, _who in ANSWERED_TO_DEPUTY
    ),
)
