"""The one way a date is written for the public: ``2026年12月3日`` (GB/T 9704's way of writing
a date in a document), on every public page (``{{ d|public_date }}``, fazhi/core/templatetags/
dates.py) and in every sentence the public site builds in code. Staff pages write ISO dates
(``2026-12-03``), which sort and fit a table column; form inputs keep ``YYYY-MM-DD``, the
browser's own."""

from __future__ import annotations

import datetime as dt


def public_date(value: dt.date | dt.datetime | None) -> str:
    """``2026年12月3日``; "" for None (a datetime reads as its date)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"
