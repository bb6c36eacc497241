"""The kinds of enforcement action (spec/procedures.md, ``enforcement_decision.action_type``)."""

from __future__ import annotations

ACTION_TYPES: tuple[tuple[str, str], ...] = (
    ("license", "行政许可"),
    ("penalty", "行政处罚"),
    ("coercion", "行政强制"),
    ("inspection", "行政检查"),
    ("levy", "行政征收"),
    ("payment", "行政给付"),
    ("confirmation", "行政确认"),
    ("other", "其他"),
)

# published within 7 working days; every other type within 20 (国办发〔2018〕118号)
FAST_PUBLICATION = frozenset({"license", "penalty"})
# decided by at least two officers holding a certificate (行政处罚法 第四十二条, 行政强制法 第十八条)
TWO_OFFICERS = frozenset({"penalty", "coercion"})


def action_type_label(code: str) -> str:
    return dict(ACTION_TYPES).get(code, code)


# the leniency lists of 包容审慎监管 (首违不罚 and the four lists)
FIRST_VIOLATION = "first_violation"
LENIENCY_LISTS: tuple[tuple[str, str], ...] = (
    (FIRST_VIOLATION, "首违不罚"),
    ("no_penalty", "不予处罚"),
    ("mitigated", "减轻处罚"),
    ("lighter", "从轻处罚"),
    ("no_coercion", "免予行政强制"),
)
