"""Activity kinds of report part (七): field supervision inspections 实地督查, audits 审计监督
and statistics-supervision coordination 统计监督贯通协同 (each may carry files: models.py)."""

from __future__ import annotations

from fazhi.procedures.activities import ActivityKind, register_kind
from fazhi.procedures.declarations import Field, FieldType

FIELD_SUPERVISION = register_kind(
    ActivityKind(
        code="field_supervision",
        label="实地督查",
        figures=(
            Field(
                "issues_found",
                "发现问题（个）",
                FieldType.INT,
                required=False,
                min_value=0,
                max_value=100000,
            ),
        ),
        description="围绕区委、区政府重大安排部署和领导批示交办事项开展的实地督查，每次督查登记一次。",
    )
)

AUDIT = register_kind(
    ActivityKind(
        code="audit",
        label="审计监督",
        figures=(
            Field(
                "issues_found",
                "发现问题（个）",
                FieldType.INT,
                required=False,
                min_value=0,
                max_value=100000,
            ),
            Field(
                "amount",
                "涉及金额（万元）",
                FieldType.DECIMAL,
                required=False,
                min_value=0,
                max_value=10**9,
            ),
            Field(
                "rectified",
                "已整改问题（个）",
                FieldType.INT,
                required=False,
                min_value=0,
                max_value=100000,
            ),
        ),
        description="审计机关开展的审计项目（预算执行、经济责任、专项审计等），每个项目登记一次，可附审计报告。",
    )
)

STATISTICS_SUPERVISION = register_kind(
    ActivityKind(
        code="statistics_supervision",
        label="统计监督贯通协同",
        figures=(
            Field(
                "clues_transferred",
                "移送问题线索（条）",
                FieldType.INT,
                required=False,
                min_value=0,
                max_value=100000,
            ),
        ),
        description="统计监督与纪检监察、组织、巡察、审计监督贯通协同的会商、联合检查和线索移送，"
        "每次登记一次，可附会议纪要、实施细则等文件。",
    )
)

SUPERVISION_KINDS = (FIELD_SUPERVISION, AUDIT, STATISTICS_SUPERVISION)
