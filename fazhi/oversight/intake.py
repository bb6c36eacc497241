"""What the public may submit of report part (七): letters to the mayor's mailbox 区长信箱."""

from __future__ import annotations

from fazhi.procedures.intake import Intake, Publication, PublicField, register_intake
from fazhi.procedures.publicity import WHAT_IS_PUBLISHED

register_intake(
    Intake(
        "mailbox_letter",
        slug="mailbox",
        summary="向区长写信，提出意见建议或反映问题。来信人同意并经审核的，来信和答复脱敏后公开。",
        group="区长信箱",
        order=30,
        fields=(
            PublicField("name"),
            PublicField("phone"),
            PublicField("subject", "来信标题"),
            PublicField("content", "来信内容", "请写明您的意见建议或反映的问题。", required=True),
            PublicField("consent_publish", "同意审核后隐去个人信息公开", WHAT_IS_PUBLISHED),
            PublicField("attachments"),
        ),
        publication=Publication(
            state="replied", consent="consent_publish", action="reply", text="reply"
        ),
    ),
)
