"""The one clock of the platform (STYLE.md, "Time").

``today()`` is the Asia/Shanghai date of legal effect; ``now()`` an aware datetime. Tests
override both with ``frozen(...)``; the override lives in a context variable, so it never
leaks between threads or requests.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_frozen: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "fazhi_clock_frozen", default=None
)


def now() -> dt.datetime:
    """The current moment, aware, in Asia/Shanghai."""
    frozen = _frozen.get()
    if frozen is not None:
        return frozen
    return dt.datetime.now(tz=SHANGHAI)


def today() -> dt.date:
    """Today's date in Asia/Shanghai: the date statutory periods count from."""
    return now().astimezone(SHANGHAI).date()


def local_date(moment: dt.datetime) -> dt.date:
    """The Asia/Shanghai date of an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: Fazhi only handles aware datetimes")
    return moment.astimezone(SHANGHAI).date()


@contextlib.contextmanager
def frozen(at: dt.datetime | dt.date) -> Iterator[dt.datetime]:
    """Freeze the clock (tests, replaying history). A date freezes at noon of that day."""
    moment = (
        at
        if isinstance(at, dt.datetime)
        else dt.datetime.combine(at, dt.time(12, 0), tzinfo=SHANGHAI)
    )
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime or a date")
    token = _frozen.set(moment)
    try:
        yield moment
    finally:
        _frozen.reset(token)
