"""Activity kinds of report part (七): field supervision inspections 实地督查."""

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
