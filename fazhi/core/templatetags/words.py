"""Template filters that say codes in words (fazhi.core.words): ``{{ e|audit_action }}``,
``{% for label, value in e|audit_data %}``."""

from __future__ import annotations

from typing import Any

from django import template

from fazhi.core import words

register = template.Library()


@register.filter
def audit_action(event: Any) -> str:
    return words.action_words(str(getattr(event, "action", event)))


@register.filter
def audit_data(event: Any) -> list[tuple[str, str]]:
    data = getattr(event, "data", event)
    return words.data_words(data if isinstance(data, dict) else {})
