"""``calendar_changed``: sent after the calendar changed (a notice import, an admin edit).

Sent through ``transaction.on_commit`` with ``years``: the set of years whose days changed.
The procedure engine connects a receiver that recomputes, in one bulk pass, every open deadline
that depends on those years (and every provisional one).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

calendar_changed = Signal()


def send_calendar_changed_on_commit(years: Iterable[int], sender: object = None) -> None:
    """Send ``calendar_changed(years=...)`` once the current transaction commits."""
    changed = frozenset(int(y) for y in years)
    if not changed:
        return
    transaction.on_commit(
        lambda: calendar_changed.send(sender=sender or "fazhi.workdays", years=set(changed))
    )
