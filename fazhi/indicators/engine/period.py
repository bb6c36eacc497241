"""The period of a computation (year and cut-off) and the engine's error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Value_ = int | Decimal | None
Part = Literal["numerator", "denominator"]
SourceKind = Literal["tally", "base"]

CENT = Decimal("0.01")


class IndicatorError(ValueError):
    """A request the engine cannot answer (bad year, cut-off, code or part); Chinese message."""


# --- the period -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    as_of: dt.date

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """The last date that counts: 31 December, or the cut-off when earlier."""
        return min(dt.date(self.year, 12, 31), self.as_of)


def period_of(year: int, as_of: dt.date | None) -> Period:
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise IndicatorError(f"年度“{year}”无效，应为 2000 至 2100 之间的四位年份。")
    if as_of is None:
        as_of = dt.date(year, 12, 31)
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise IndicatorError(f"截止日期格式错误：{as_of!r}，应为 YYYY-MM-DD。")
    if as_of < dt.date(year, 1, 1):
        raise IndicatorError(f"截止日期 {as_of.isoformat()} 早于 {year} 年，没有可统计的记录。")
    return Period(year, as_of)
