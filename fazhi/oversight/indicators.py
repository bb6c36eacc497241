"""Indicators of report part (七): the mayor's mailbox, supervision activities (here) and the
suggestions and proposals (``suggestions.indicators``)."""

from __future__ import annotations

from fazhi.indicators.catalog import catalog_order, from_catalog
from fazhi.indicators.registry import (
    ActivityCount,
    Indicator,
    MatterSet,
    register,
    register_dashboard,
)
from fazhi.oversight import activities  # noqa: F401  the supervision kinds must exist first
from fazhi.oversight.suggestions import indicators as _suggestions  # noqa: F401  registers

register(
    from_catalog(
        "mailbox_letter.received", "本年度收到的区长信箱群众来信。", MatterSet("mailbox_letter")
    ),
    from_catalog(
        "mailbox_letter.reply_rate",
        "截止日前已回复办结的来信 / 本年度收到的来信。",
        MatterSet("mailbox_letter", frozenset({"replied"})),
        MatterSet("mailbox_letter"),
    ),
    from_catalog(
        "supervision.field_inspections",
        "本年度截止日前登记的实地督查次数（按督查日期）。",
        ActivityCount("field_supervision"),
    ),
    Indicator(
        code="supervision.audits",
        label="审计项目",
        section="7",
        unit="个",
        definition="本年度截止日前登记的审计监督项目（按审计日期）。（指标目录之外的补充指标）",
        numerator=ActivityCount("audit"),
        addition=True,
        order=catalog_order("supervision.field_inspections"),
    ),
    Indicator(
        code="supervision.statistics_coordination",
        label="统计监督贯通协同",
        section="7",
        unit="次",
        definition="本年度截止日前登记的统计监督贯通协同活动（会商、联合检查、线索移送）。"
        "（指标目录之外的补充指标）",
        numerator=ActivityCount("statistics_supervision"),
        addition=True,
        order=catalog_order("supervision.field_inspections"),
    ),
)

register_dashboard(
    compare=(
        "mailbox_letter.received",
        "mailbox_letter.reply_rate",
        "supervision.field_inspections",
    ),
    timely=(
        "mailbox_letter.reply_rate",
        "npc_suggestion.reply_rate",
        "cppcc_proposal.reply_rate",
    ),
)
