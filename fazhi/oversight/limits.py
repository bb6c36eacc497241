"""Time limits of the district head's mailbox 区长信箱: a local rule, configurable (the default
of spec/procedures.md)."""

from __future__ import annotations

from fazhi.workdays import LOCAL_RULE, TimeLimit, Unit, register_limits

W = Unit.WORKING

LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "mailbox_letter.reply",
        "答复领导信箱来信",
        15,
        W,
        "收到来信之日",
        LOCAL_RULE,
        "—",
        configurable=True,
    ),
)

register_limits(*LIMITS)
