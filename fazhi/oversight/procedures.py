"""Procedures of report part (七): the mayor's mailbox 区长信箱 (here), NPC suggestions, CPPCC
proposals, procuratorial and judicial suggestions (``suggestions.declarations``)."""

from __future__ import annotations

from fazhi.oversight.suggestions import declarations as _suggestions  # noqa: F401  registers
from fazhi.procedures.declarations import (
    Action,
    Deadline,
    Field,
    FieldType,
    Procedure,
    rate_action,
    register,
)

MAILBOX_LETTER = register(
    Procedure(
        code="mailbox_letter",
        label="区长信箱来信",
        states={"received": "待回复", "replied": "已回复办结"},
        closed_states=frozenset({"replied"}),
        actions=(
            Action(
                "reply",
                "回复",
                frozenset({"received"}),
                "replied",
                fields=(Field("reply", "回复内容", FieldType.TEXT, max_length=10000),),
                outcome="replied",
            ),
            rate_action("replied"),
        ),
        deadlines=(
            Deadline("mailbox_letter.reply", frozenset({"received"}), ("register",), "回复"),
        ),
        details=(
            Field("content", "来信内容", FieldType.TEXT, required=False, max_length=10000),
            Field(
                "consent_publish",
                "同意公开",
                FieldType.BOOL,
                required=False,
                help="来信人同意经审核、脱敏后公开来信和答复。",
            ),
        ),
        public_trackable=True,
        public_submission=True,
        reference_prefix="XX",
        description="群众通过区长信箱的来信：15个工作日内回复办结；来信人同意的，答复脱敏后公开。",
    )
)
