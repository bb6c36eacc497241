"""``{{ d|public_date }}``: a date as public pages write it (fazhi.core.dates)."""

from __future__ import annotations

from typing import Any

from django import template

from fazhi.core import dates

register = template.Library()


@register.filter
def public_date(value: Any) -> str:
    return dates.public_date(value)
