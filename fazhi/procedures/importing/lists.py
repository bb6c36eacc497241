"""A domain's own list sheet that ``fazhi import`` hands to the domain's own import.

Most sheets are matters with their steps, replayed line by line (templates.py, layouts.py). A
few are a list the domain registers as a whole, with inputs the sheet does not carry: the
year's key-task list (重点任务清单) needs the list's name, its year, the day it was listed and
the office member who imports it, and is all or nothing with a report of its own
(``fazhi/keytasks/importing.py``). Its page and ``fazhi import`` run the same function; a
domain declares here how to recognise its sheet and which options the command must pass, so
the engine's command needs no import of the domain (imports point down only).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class ListError(Protocol):
    """One refused cell or row of a list: its row, its column and the reason (``__str__``:
    ``第N行“列”：原因``)."""

    row: int
    column: str
    message: str


class ListReport(Protocol):
    """What a list import did: all or nothing, the refused rows."""

    committed: bool
    errors: list[Any]

    @property
    def rejected(self) -> int: ...

    def summary(self) -> str: ...


#: an option of the command a list needs: its flag and its help text
ListOption = tuple[str, str]


@dataclass(frozen=True)
class ListSheet:
    """A list sheet: ``recognizes(path)`` says whether a file is one (cheap: the first rows);
    ``run(path, by, options)`` imports it as ``by`` with the command's ``options`` (flag →
    text or None), raising ``error`` with a plain Chinese message for a file or input it cannot
    take at all; ``template(year)`` is the blank sheet."""

    code: str
    label: str
    procedure: str
    recognizes: Callable[[Path], bool]
    run: Callable[[Path, Any, Mapping[str, str | None]], ListReport]
    errors: tuple[type[Exception], ...]
    options: Sequence[ListOption] = ()
    template: Callable[[int], bytes] | None = None


_LISTS: dict[str, ListSheet] = {}


def register_list(sheet: ListSheet) -> ListSheet:
    """Declare a list sheet (from a domain module); idempotent per code."""
    existing = _LISTS.get(sheet.code)
    if existing is not None and existing != sheet:
        raise ValueError(f"list sheet {sheet.code} registered twice with different contents")
    _LISTS[sheet.code] = sheet
    return sheet


def all_lists() -> list[ListSheet]:
    return list(_LISTS.values())


def list_for(path: Path, procedure: str | None) -> ListSheet | None:
    """The list sheet ``path`` is: the one of ``procedure`` when given, else the first that
    recognises the file; None when it is not a list sheet (an ordinary import)."""
    for sheet in _LISTS.values():
        if procedure is not None:
            if sheet.procedure == procedure:
                return sheet
        elif sheet.recognizes(path):
            return sheet
    return None
