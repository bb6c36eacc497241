"""Accuracy of the unit suggestion from the duty lists (not a test). Run:

    python bench/bench_unit_suggestion.py [--n 240] [--seed 2024] [--misses]

Builds the demo district's org tree and its duty lists (2023 and 2024 versions) in a fresh
SQLite file (bench/out/suggest.sqlite3), then asks ``suggest_units`` for each matter of the
labelled set (``fazhi/services/tests/labelled.py``: hand-written sayings per duty, addresses
naming the street or township 60% of the time) against the lists in force on 2024-12-01, and
prints top-1 and top-3 accuracy beside the baseline that always suggests the three most
frequent responsible units, by group, and the time per suggestion.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=240)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    db = out / "suggest.sqlite3"
    db.unlink(missing_ok=True)
    os.environ["FAZHI_DEBUG"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fazhi.core.demo import build_district
    from fazhi.services.demo_registers import _duty_lists
    from fazhi.services.tests.evaluate import evaluate
    from fazhi.services.tests.labelled import generate

    root = build_district()
    _duty_lists(root, 2024)
    acc = evaluate(root, dt.date(2024, 12, 1), generate(args.n, args.seed))
    print(f"matters {acc.n}")
    print(f"top-1 {acc.rate(acc.top1):.1f}%  top-3 {acc.rate(acc.top3):.1f}%")
    print(
        f"baseline (3 most frequent units): top-1 {acc.rate(acc.baseline_top1):.1f}%  "
        f"top-3 {acc.rate(acc.baseline_top3):.1f}%"
    )
    for group, (n, hits) in sorted(acc.by_group.items()):
        print(f"  {group:20s} {n:4d}  top-3 {100 * hits / n:.1f}%")
    print(
        f"{1000 * acc.seconds / acc.n:.1f} ms per suggestion (jieba loaded once, first call included)"
    )
    if args.misses:
        for text, unit, got in acc.misses:
            print(f"MISS {unit} <- {text} | {got}")


if __name__ == "__main__":
    main()
