"""Indicators of report section 四: the year's key tasks and how many were accepted and closed."""

from __future__ import annotations

from fazhi.indicators.catalog import from_catalog
from fazhi.indicators.registry import Matters, addition, register, timely

TASKS = Matters("key_task")
_rate = from_catalog(
    "key_task.completion_rate",
    "截止日前验收销号的 / 本年度列入清单的重点任务（以列入清单之日计）。",
    Matters("key_task", frozenset({"closed"})),
    TASKS,
)
_on_time, _due = timely(TASKS, "key_task.due")
register(
    _rate,
    addition("key_task.tasks", "重点任务", "项", "本年度列入清单的重点任务。", TASKS, beside=_rate),
    addition(
        "key_task.on_time_rate",
        "重点任务按期申请销号率",
        "%",
        "在清单完成时限内申请销号的比例（及时率通用规则）。",
        _on_time,
        _due,
        beside=_rate,
    ),
)
