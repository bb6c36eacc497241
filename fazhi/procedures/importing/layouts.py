"""Spreadsheet layouts of other systems (a platform's export), read into canonical records.

The per-procedure template (templates.py) is the platform's own layout; a domain whose matters
arrive as another system's export (the municipal 12345 platform's work-order sheet) declares
that sheet's layout here, from its own module: the columns by the header texts the other system
writes, and a pure function from one row (column key → cell text) to the canonical record of
docs/import-format.md. ``fazhi import FILE.xlsx`` (and .csv, and the workbench's upload) tries
the declared layouts before the templates: a first row that has every required column of a
layout is read with it, whatever the columns' order; other columns are ignored. A first row
of one cell (the sheet's title) may stand above that header: the title reaches each row as
``TITLE_KEY``. The records
then go through the same replay, checks, idempotency and report as any other line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

RowReader = Callable[[Mapping[str, str], int], dict[str, Any]]
#: the key of a row's mapping that holds the sheet's title, when a single-cell title row stands
#: above the header (交办表: "第十八届人大三次会议代表建议交办表"); absent otherwise
TITLE_KEY = "_title"


@dataclass(frozen=True)
class SheetLayout:
    """Another system's sheet: ``columns`` are (key, header texts it may have); ``required``
    the keys a header must have to be read with this layout; ``to_record`` turns a row into a
    canonical record (raising ``LineError`` for a row it cannot read)."""

    code: str
    label: str
    procedure: str
    columns: tuple[tuple[str, tuple[str, ...]], ...]
    required: frozenset[str]
    to_record: RowReader

    def __post_init__(self) -> None:
        keys = {k for k, _h in self.columns}
        if not self.required <= keys:
            raise ValueError(f"layout {self.code}: required keys {sorted(self.required - keys)}")

    def match(self, header: Sequence[str]) -> dict[int, str] | None:
        """Column index → key, when ``header`` has every required column; else None."""
        by_text = {_norm(h): key for key, texts in self.columns for h in texts}
        found: dict[int, str] = {}
        for i, text in enumerate(header):
            key = by_text.get(_norm(text))
            if key is not None and key not in found.values():
                found[i] = key
        return found if self.required <= set(found.values()) else None


def _norm(text: str) -> str:
    return "".join(str(text).split()).lower()


_LAYOUTS: dict[str, SheetLayout] = {}


def register_layout(layout: SheetLayout) -> SheetLayout:
    """Declare a layout (from a domain module); idempotent per code."""
    existing = _LAYOUTS.get(layout.code)
    if existing is not None and existing != layout:
        raise ValueError(f"layout {layout.code} registered twice with different contents")
    _LAYOUTS[layout.code] = layout
    return layout


def match_layout(
    header: Sequence[str], procedure: str | None
) -> tuple[SheetLayout, dict[int, str]] | None:
    """The first declared layout (of ``procedure``, when given) that reads ``header``."""
    for layout in _LAYOUTS.values():
        if procedure is not None and layout.procedure != procedure:
            continue
        found = layout.match(header)
        if found is not None:
            return layout, found
    return None
