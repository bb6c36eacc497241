"""Activity kinds of report section 三: how the heads lead the rule-of-law work."""

from __future__ import annotations

from fazhi.procedures.activities import ActivityKind, register_kind
from fazhi.procedures.declarations import Field, FieldType

_ATTENDEES = Field(
    "attendees", "参加人数", FieldType.INT, required=False, min_value=0, max_value=100000
)

STUDY = register_kind(
    ActivityKind(
        "law_study",
        "领导干部专题学法",
        (_ATTENDEES,),
        "理论学习中心组等专题学习习近平法治思想和法律法规，每次登记一次。",
    )
)
LECTURE = register_kind(
    ActivityKind(
        "law_lecture",
        "法治专题讲座",
        (_ATTENDEES, Field("law", "讲授的法律法规", FieldType.STR, required=False, max_length=200)),
        "政府领导班子举办的法治专题讲座。",
    )
)
COMMITTEE = register_kind(
    ActivityKind(
        "law_committee_meeting",
        "全面依法治区委员会会议",
        (Field("documents", "审议通过的文件", FieldType.TEXT, required=False, max_length=2000),),
        "区委全面依法治区委员会及其办公室的会议、每半年一次的法治工作会议。",
    )
)
BRIEFING = register_kind(
    ActivityKind(
        "law_briefing",
        "听取法治工作汇报",
        (),
        "党政主要负责人每季度听取一次法治工作汇报。",
    )
)

KINDS = (STUDY, LECTURE, COMMITTEE, BRIEFING)
