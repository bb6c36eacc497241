"""Progress bars on long commands (export, indicator rebuild, demo, report rendering; the import
has its own): tqdm on standard error when it is a terminal, nothing otherwise.

    with progress_bar("导出", unit="件", total=n) as bar:
        for ...:
            bar.update(1)
        bar.note("第二步")          # shown after the bar's figures

``FAZHI_PROGRESS=always`` shows the bar even when standard error is not a terminal (logs,
tests); ``never`` (or ``quiet=True``, a command's ``--quiet``) hides it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any


class Progress:
    """What a long operation reports to: a bar, or nothing (this class itself)."""

    def start(self, total: int | None) -> None:
        """The number of steps, once known."""

    def update(self, n: int = 1) -> None:
        """``n`` more steps done."""

    def note(self, text: str) -> None:
        """What is being done now."""


NO_PROGRESS = Progress()


class _Bar(Progress):
    def __init__(self, bar: Any) -> None:
        self.bar = bar

    def start(self, total: int | None) -> None:
        self.bar.reset(total=total)

    def update(self, n: int = 1) -> None:
        self.bar.update(n)

    def note(self, text: str) -> None:
        self.bar.set_postfix_str(text, refresh=True)


def shown(*, quiet: bool = False) -> bool:
    mode = os.environ.get("FAZHI_PROGRESS", "auto")
    if quiet or mode == "never":
        return False
    return mode == "always" or sys.stderr.isatty()


@contextlib.contextmanager
def progress_bar(
    desc: str, *, unit: str, total: int | None = None, quiet: bool = False
) -> Iterator[Progress]:
    if not shown(quiet=quiet):
        yield NO_PROGRESS
        return
    from tqdm import tqdm

    bar = tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, dynamic_ncols=True)
    try:
        yield _Bar(bar)
    finally:
        bar.close()
