"""Searching matters by a phone number as people type it (the queue's and the API's ``q``)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Replace

# What people type between a phone number's digits (and the country code before it).
PHONE_SEPARATORS = (" ", "-", "(", ")", "（", "）", "+86", ".")


def phone_digits(text: str) -> str:
    """The digits of ``text`` if it reads as (part of) a phone number — at least 4 digits and
    nothing but digits and separators, full-width digits included — else ''."""
    normal = unicodedata.normalize("NFKC", text).strip()
    rest = normal
    for sep in PHONE_SEPARATORS:
        rest = rest.replace(sep, "")
    return rest if len(rest) >= 4 and rest.isdigit() and rest.isascii() else ""


def digits_of(column: str) -> Any:
    """The column with the separators of ``PHONE_SEPARATORS`` removed (in the database)."""
    expression: Any = F(column)
    for sep in PHONE_SEPARATORS:
        expression = Replace(expression, Value(sep), Value(""))
    return expression
