"""Benchmark of the working-day calendar (not a test). Run: python bench/bench_workdays.py

1. Per call, in one run and on the same start dates: ``Calendar.add_working_days(d, 60)``
   against ``chinese_calendar.find_workday(60, d)`` (the oracle's own offset function).
2. Bulk: 1,000,000 due dates with ``add_working_days_bulk`` and ``add_days_bulk`` (numpy).

Prints a Markdown table; the numbers in docs/benchmarks.md come from this script.
"""

from __future__ import annotations

import platform
import random
import sys
import time
from datetime import date, timedelta

import numpy as np

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))

import chinese_calendar

from fazhi.workdays import Calendar

SEED = 20250308
CALLS = 2_000  # find_workday is slow: 2,000 calls take a few seconds
BULK = 1_000_000
REPEAT = 5


def best_of(fn, repeat=REPEAT):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    rng = random.Random(SEED)
    cal = Calendar.shipped()
    first, span = date(2004, 1, 1), (date(2026, 9, 1) - date(2004, 1, 1)).days
    starts = [first + timedelta(days=rng.randrange(span)) for _ in range(CALLS)]

    def ours():
        for d in starts:
            cal.add_working_days(d, 60)

    def theirs():
        for d in starts:
            chinese_calendar.find_workday(60, d)

    ours()  # warm up
    t_ours = best_of(ours) / CALLS
    t_theirs = best_of(theirs, repeat=3) / CALLS

    # agreement: same answer whenever the start is a working day (find_workday is off by one
    # from a rest day, and wrong around 2005-12-31)
    same = sum(
        cal.add_working_days(d, 60) == chinese_calendar.find_workday(60, d)
        for d in starts
        if cal.is_working_day(d)
    )
    working_starts = sum(cal.is_working_day(d) for d in starts)

    nprng = np.random.default_rng(SEED)
    bulk_starts = np.datetime64("2004-01-01") + nprng.integers(0, span, BULK).astype(
        "timedelta64[D]"
    )
    lengths = nprng.integers(1, 61, BULK)
    cal.add_working_days_bulk(bulk_starts[:1000], lengths[:1000])
    t_bulk_working = best_of(lambda: cal.add_working_days_bulk(bulk_starts, lengths))
    t_bulk_natural = best_of(lambda: cal.add_days_bulk(bulk_starts, lengths))
    t_bulk_months = best_of(
        lambda: cal.add_months_bulk(bulk_starts, lengths % 13, provisional=True)
    )
    t_build = best_of(lambda: Calendar(cal.entries(), cal.covered_years), repeat=3)

    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"chinesecalendar {chinese_calendar.__version__}, {platform.machine()}"
    )
    print()
    print("| measurement | time | note |")
    print("|---|---|---|")
    print(
        f"| `chinese_calendar.find_workday(60, d)` | {t_theirs * 1e6:,.1f} µs/call | "
        f"best of 3 × {CALLS:,} calls |"
    )
    print(
        f"| `cal.add_working_days(d, 60)` | {t_ours * 1e6:,.2f} µs/call | "
        f"best of {REPEAT} × {CALLS:,} calls, same dates |"
    )
    print(f"| speed-up per call | {t_theirs / t_ours:,.0f}× | target ≥ 1000× |")
    print(
        f"| `add_working_days_bulk`, {BULK:,} due dates | {t_bulk_working * 1e3:,.0f} ms | "
        f"n = 1..60 per row; target < 1 s |"
    )
    print(
        f"| `add_days_bulk`, {BULK:,} due dates | {t_bulk_natural * 1e3:,.0f} ms | "
        f"natural days, roll-forward |"
    )
    print(
        f"| `add_months_bulk`, {BULK:,} due dates | {t_bulk_months * 1e3:,.0f} ms | "
        f"0..12 months, roll-forward, provisional |"
    )
    print(f"| build the index (1990-2100) | {t_build * 1e3:,.0f} ms | once per process / change |")
    print()
    print(f"Agreement with find_workday on working-day starts: {same}/{working_starts}")


if __name__ == "__main__":
    main()
