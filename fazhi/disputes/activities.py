"""Activity kinds of report part (六): dispute screening rounds 排查矛盾纠纷.

A screening round is an activity (spec/procedures.md: screening rounds are activities, not
matters). Until the ``dispute`` procedure exists, the disputes a round finds are recorded as
its figures: ``found`` (发现矛盾) and ``resolved`` (of those, 化解). The indicators
``dispute_screening.found`` / ``.resolved`` sum them over the rounds held in the year up to the
cut-off (fazhi/disputes/indicators.py).
"""

from __future__ import annotations

from fazhi.procedures.activities import ActivityKind, register_kind
from fazhi.procedures.declarations import Field, FieldType

DISPUTE_SCREENING = register_kind(
    ActivityKind(
        code="dispute_screening",
        label="排查矛盾纠纷",
        figures=(
            Field("found", "发现矛盾（件）", FieldType.INT, min_value=0, max_value=100000),
            Field(
                "resolved",
                "其中已化解（件）",
                FieldType.INT,
                required=False,
                min_value=0,
                max_value=100000,
                help="本轮发现的矛盾中已化解的件数；不能多于发现的件数。",
            ),
        ),
        description="司法所、人民调解组织深入基层排查涉民生重点领域矛盾纠纷，每次排查登记一次。",
    )
)
