"""The key task's due date: the one its list fixes (``Deadline.until``); a task entered without
one gets the list's year (12 months), a local rule."""

from __future__ import annotations

from fazhi.workdays import LOCAL_RULE, TimeLimit, Unit, register_limits

register_limits(
    TimeLimit(
        "key_task.due",
        "重点任务完成时限",
        12,
        Unit.MONTHS,
        "任务列入清单之日",
        LOCAL_RULE,
        "—",
        extension_max=90,
        extension_needs_approval=True,
        configurable=True,
        note="以任务清单写明的完成时限为准；未写明的默认12个月",
    ),
)
