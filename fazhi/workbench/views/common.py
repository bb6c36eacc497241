"""What the workbench's views share: the warning horizon and a matter's deadline status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi.core import clock
from fazhi.procedures.models import Matter
from fazhi.procedures.services import WARNING_WORKING_DAYS
from fazhi.workdays import Calendar


@dataclass(frozen=True)
class Horizon:
    """Today and the last day of the warning window (3 working days, via the calendar)."""

    today: dt.date
    warn_until: dt.date

    @classmethod
    def now(cls) -> Horizon:
        today = clock.today()
        cal = Calendar.default()
        return cls(today, cal.add_working_days(today, WARNING_WORKING_DAYS, provisional=True))

    def status(self, matter: Matter) -> str:
        """``overdue``, ``warning``, ``ok``, ``paused``, ``closed`` or ``none`` (no limit runs)."""
        if matter.closed_on is not None:
            return "closed"
        if matter.due_on is None:
            return "paused" if matter.due_paused else "none"
        if matter.due_on < self.today:
            return "overdue"
        if matter.due_on <= self.warn_until:
            return "warning"
        return "ok"


STATUS_LABELS = {
    "overdue": "已逾期",
    "warning": "临期",
    "ok": "期限内",
    "paused": "中止中",
    "closed": "已办结",
    "none": "无期限",
}
