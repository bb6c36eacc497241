"""Reading scopes a domain adds: units that read a matter they neither lead nor assist.

The petition office keeps sight of the petitions it assigned or forwarded (交办/转送) to a
handling organ (信访工作条例 §22, §38: it follows and supervises their handling); the engine
names no such domain rule, so a domain registers a function (``register_reading_scope``)
that answers, for a list of org unit ids, the matters those units read besides their own,
as a queryset of matter ids (``values("matter_id")``). ``MatterQuerySet.for_user`` adds them
to what a user sees; acting is untouched (``permissions.py`` asks the matter's own unit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ReadingScope = Callable[[list[int]], Any]  # org ids → a queryset of matter ids

_SCOPES: list[ReadingScope] = []


def register_reading_scope(scope: ReadingScope) -> None:
    """Add ``scope`` (once: registering it again does nothing)."""
    if scope not in _SCOPES:
        _SCOPES.append(scope)


def reading_scopes() -> tuple[ReadingScope, ...]:
    return tuple(_SCOPES)
