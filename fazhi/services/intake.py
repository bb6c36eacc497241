"""What the public may submit of report part (一): the help window and business complaints."""

from __future__ import annotations

from fazhi.procedures.intake import Intake, PublicField, register_intake
from fazhi.procedures.publicity import WHAT_IS_PUBLISHED

_NAME = PublicField("name", "姓名或单位名称")
_CONSENT = PublicField("consent_publish", "同意审核后隐去个人信息公开", WHAT_IS_PUBLISHED)

register_intake(
    Intake(
        "help_request",
        slug="help",
        summary="到窗口办事遇到“办不成”“办不快”“来回跑”，或需要求助、投诉、举报、咨询。",
        group="政务服务",
        order=10,
        fields=(
            PublicField("kind"),
            PublicField("party_kind"),
            _NAME,
            PublicField("phone"),
            PublicField("id_number"),
            PublicField("subject"),
            PublicField(
                "content",
                "具体情况",
                "请写明在哪里办什么事、遇到了什么问题、希望得到什么帮助。",
                required=True,
            ),
            _CONSENT,
            PublicField("attachments"),
        ),
    ),
    Intake(
        "business_complaint",
        slug="complaint",
        summary="企业和群众反映营商环境问题：办事难、乱收费、不作为、慢作为等。",
        group="营商环境",
        order=20,
        fields=(
            PublicField("party_kind"),
            _NAME,
            PublicField("id_number"),
            PublicField("phone"),
            PublicField("enterprise", help="选填。反映的问题涉及的企业名称。"),
            PublicField("respondent", help="选填。您投诉或举报的单位、部门。"),
            PublicField("subject"),
            PublicField(
                "content",
                "投诉举报内容",
                "请写明时间、地点、经过和您的诉求；如有证据材料可作为附件上传。",
                required=True,
            ),
            _CONSENT,
            PublicField("attachments"),
        ),
    ),
)
