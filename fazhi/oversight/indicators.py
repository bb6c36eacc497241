"""Indicators of report part (七): the mayor's mailbox and field supervision."""

from __future__ import annotations

from fazhi.indicators.catalog import from_catalog
from fazhi.indicators.registry import ActivityCount, MatterSet, register
from fazhi.oversight import activities  # noqa: F401  the supervision kind must exist first

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
)
