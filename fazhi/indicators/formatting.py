"""How an indicator's value is written: "12", "94.16%", "100%", "13000余", "—"."""

from __future__ import annotations

from decimal import Decimal

from fazhi.indicators.registry import Indicator

PENDING = "—（尚未建立该程序）"


def approximate(n: int) -> str:
    """The report's "余" style: round down to a leading digit group (one digit below 10000,
    two from 10000 on) and append 余 when something was dropped: 13456 → 13000余, 845 → 800余."""
    if n < 10:
        return str(n)
    digits = len(str(n))
    keep = 2 if n >= 10000 else 1
    unit = 10 ** (digits - keep)
    floor = n // unit * unit
    return str(n) if floor == n else f"{floor}余"


def format_value(ind: Indicator, value: int | Decimal | None, *, approx: bool = False) -> str:
    """The value as the report writes it (without the unit for counts)."""
    if ind.is_pending:
        return PENDING
    if value is None:
        return "—"
    if ind.is_rate:
        number = Decimal(value)
        text = f"{number:.0f}" if number == number.to_integral_value() else f"{number:.2f}"
        return f"{text}%"
    return approximate(int(value)) if approx else str(int(value))
