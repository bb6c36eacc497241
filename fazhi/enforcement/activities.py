"""Activity kinds of administrative enforcement: the case-file review round 案卷评查."""

from __future__ import annotations

from fazhi.procedures.activities import ActivityKind, register_kind

CASE_FILE_REVIEW = register_kind(
    ActivityKind(
        code="case_file_review",
        label="行政执法监督检查暨案卷评查",
        description=(
            "司法行政部门组织的一轮行政执法案卷评查：按评查标准逐项打分，"
            "各执法机关的得分和发现的问题在评查轮次中汇总。"
        ),
    )
)
