"""What machine a benchmark ran on, and how fast its CPU was while it ran (docs/benchmarks.md).

The development machines are virtual: their model changes between sessions, and the speed of
one machine drifts by a quarter within minutes (other tenants on the host). A benchmark prints
``describe()`` and takes ``loop_ns()`` before and after its timed part, so that a figure can be
read against the machine it came from and a slow stretch is visible as such.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import time


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def loop_ns(n: int = 2_000_000, repeat: int = 3) -> float:
    """Nanoseconds a ``for`` iteration adding an int (pure interpreter work), best of ``repeat``:
    a rough speed index of the CPU for Python code; lower is faster."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        total = 0
        for i in range(n):
            total += i
        best = min(best, time.perf_counter() - start)
    return best / n * 1e9


def describe() -> str:
    return (
        f"{cpu_model()} ×{os.cpu_count()}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
