"""What the public may submit of report part (七): letters to the mayor's mailbox 区长信箱."""

from __future__ import annotations

from fazhi.procedures.intake import Intake, Publication, PublicField, register_intake

register_intake(
    Intake(
        "mailbox_letter",
        slug="mailbox",
        summary="向区长写信，提出意见建议或反映问题。来信人同意的，答复脱敏后公开。",
        group="区长信箱",
        order=30,
        fields=(
            PublicField("name"),
            PublicField("phone"),
            PublicField("subject", "来信标题"),
            PublicField("content", "来信内容", "请写明您的意见建议或反映的问题。", required=True),
            PublicField(
                "consent_publish",
                "同意将来信和答复脱敏后在本站公开",
                "公开时隐去您的姓名（只保留姓氏）、电话和证件号码。",
            ),
            PublicField("attachments"),
        ),
        publication=Publication(
            state="replied", consent="consent_publish", action="reply", text="reply"
        ),
    ),
)
