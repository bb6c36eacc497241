"""Activity kinds of report part (五): safety trainings, campaigns and inspection rounds.

A training (应对突发事件专题培训) counts its attendance; a campaign (大规模专项行动) is the
frame its inspection rounds belong to; an inspection round (执法检查) counts the inspectors it
sent (person-times), the production units it inspected (unit-times) and the hazards it found.
Each hazard is also a matter of its own (``safety_hazard``), which names its round by the
round's reference (编号): the round's ``hazards`` figure and the hazard matters that name it
are checked against each other (``safety.hazards_match_inspections``).
"""

from __future__ import annotations

from fazhi.procedures.activities import ActivityKind, register_kind
from fazhi.procedures.declarations import Field, FieldType

TRAINING = register_kind(
    ActivityKind(
        code="safety_training",
        label="安全生产及应急管理专题培训",
        figures=(
            Field("attendees", "参训人次", FieldType.INT, min_value=0, max_value=100000),
            Field("topic", "培训主题", FieldType.STR, required=False, max_length=200),
        ),
        description="安全生产及应急管理法治宣传教育：应对突发事件专题培训，每期登记一次。",
    )
)

CAMPAIGN = register_kind(
    ActivityKind(
        code="safety_campaign",
        label="安全生产大规模专项行动",
        figures=(
            Field(
                "ends_on",
                "结束日期",
                FieldType.DATE,
                required=False,
                help="专项行动的结束日期；日期为开始日期。",
            ),
        ),
        description="安全生产专项整治、全面排查等大规模行动；其中的执法检查以编号归属本行动。",
    )
)

INSPECTION = register_kind(
    ActivityKind(
        code="safety_inspection",
        label="安全生产执法检查",
        figures=(
            Field(
                "inspectors",
                "派出执法检查人员（人次）",
                FieldType.INT,
                min_value=0,
                max_value=100000,
            ),
            Field(
                "units", "检查生产经营单位（家次）", FieldType.INT, min_value=0, max_value=100000
            ),
            Field("hazards", "发现安全隐患（处）", FieldType.INT, min_value=0, max_value=100000),
            Field(
                "campaign",
                "所属专项行动编号",
                FieldType.STR,
                required=False,
                max_length=64,
                help="本次检查属于某一专项行动的，填写该行动的编号。",
            ),
            Field(
                "enterprise",
                "直管企业统一社会信用代码",
                FieldType.STR,
                required=False,
                max_length=18,
                help="检查的是本部门直管企业的，填写其统一社会信用代码（直管企业检查率、公示）。",
            ),
            Field(
                "public",
                "向社会公示",
                FieldType.BOOL,
                required=False,
                help="直管企业的检查结果向社会公示（公众页面“安全生产检查公示”）。",
            ),
        ),
        description=(
            "一轮安全生产执法检查：派出的执法检查人员人次、检查的生产经营单位家次和发现的隐患数；"
            "每处隐患另行登记为隐患整改事项，并注明本次检查的编号。"
        ),
    )
)

KINDS = (TRAINING, CAMPAIGN, INSPECTION)
