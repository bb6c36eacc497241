"""``Calendar.default()``: the shipped calendar plus the database's overrides.

No Django import at module import time. When Django is configured and its apps are ready, the
override tables are read, and the merged calendar is cached per process under a version: one
tiny query (row counts and latest ``updated_at`` of both tables) tells whether another process
changed the calendar since, so no process keeps a stale calendar past its next call.
"""

from __future__ import annotations

import sys
import threading

from fazhi.workdays.calendar import Calendar, CalendarEntry, DayKind, set_default_source

_lock = threading.Lock()
_cached: Calendar | None = None


def django_ready() -> bool:
    """Whether Django settings are configured and the app registry is ready."""
    if "django" not in sys.modules:
        return False
    from django.apps import apps
    from django.conf import settings

    return bool(settings.configured and apps.ready and apps.is_installed("fazhi.workdays"))


def db_version() -> tuple[object, ...]:
    """(rows, latest change) of both override tables, in one query."""
    from django.db import connection

    from fazhi.workdays.models import CalendarDay, CalendarYear

    day = connection.ops.quote_name(CalendarDay._meta.db_table)
    year = connection.ops.quote_name(CalendarYear._meta.db_table)
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {day}), (SELECT MAX(updated_at) FROM {day}), "  # noqa: S608 (table names from model meta)  # nosec B608
        f"(SELECT COUNT(*) FROM {year}), (SELECT MAX(updated_at) FROM {year})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return (connection.alias, *row)


def build_from_db(version: object) -> Calendar:
    """The shipped calendar merged with every database row."""
    from fazhi.workdays.models import CalendarDay, CalendarYear

    entries = [
        CalendarEntry(day, DayKind(kind), name, source)
        for day, kind, name, source in CalendarDay.objects.values_list(
            "on", "kind", "name", "source"
        )
    ]
    years = CalendarYear.objects.values_list("year", flat=True)
    return Calendar.shipped().merged(entries, years, version=version)


def default_calendar() -> Calendar:
    """The calendar every deadline uses; see the module docstring."""
    global _cached
    if not django_ready():
        return Calendar.shipped()
    version = db_version()
    cached = _cached
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        if _cached is None or _cached.version != version:
            _cached = build_from_db(version)
        return _cached


def clear_cache() -> None:
    """Forget the merged calendar (tests)."""
    global _cached
    _cached = None


set_default_source(default_calendar)
