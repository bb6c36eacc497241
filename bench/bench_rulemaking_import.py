"""Benchmark: a generated year of normative documents and major decisions through ``fazhi
import`` (JSONL, ``import_file``), then the year's indicators, checked against an independent
count of the same lines (fazhi/rulemaking/tests/generate.py; chinesecalendar for the filing
limit). docs/benchmarks.md.

    python bench/bench_rulemaking_import.py [DOCUMENTS] [DECISIONS] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(OUT.parent.parent))
sys.path.insert(0, str(OUT.parent))

Y = 2024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("documents", type=int, nargs="?", default=20_000)
    parser.add_argument("decisions", type=int, nargs="?", default=5_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / "bench_rulemaking.sqlite3"
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ.setdefault("FAZHI_DEBUG", "0")
    os.environ.setdefault("FAZHI_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("FAZHI_ALLOWED_HOSTS", "localhost")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    from machine import describe

    from fazhi.core.demo import build_district
    from fazhi.core.models import OrgUnit
    from fazhi.indicators.engine import compute_indicators
    from fazhi.procedures.importing import import_file
    from fazhi.rulemaking.tests.generate import decisions, documents, expected

    root = build_district()
    orgs = list(OrgUnit.objects.filter(kind="department").values_list("name", flat=True))
    rng = random.Random(2024)
    today = dt.date(2026, 12, 1)
    records = [
        *documents(rng, Y, args.documents, orgs, today),
        *decisions(rng, Y, args.decisions, orgs, today),
    ]
    data = OUT / f"rulemaking_{args.documents}_{args.decisions}.jsonl"
    with data.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    steps = sum(len(r["steps"]) for r in records)
    print(f"machine: {describe()}")
    print(f"lines: {len(records)} ({steps} steps), {data.stat().st_size / 2**20:.1f} MiB")
    start = time.perf_counter()
    report = import_file(data)
    took = time.perf_counter() - start
    assert report.committed, report.errors[:5]
    print(f"import: {took:.1f} s, {len(records) / took:,.0f} lines/s")
    for as_of in (dt.date(Y, 12, 31), dt.date(Y, 6, 30)):
        want = expected(records, Y, as_of)
        for source in ("tally", "base"):
            start = time.perf_counter()
            got = compute_indicators(root, Y, as_of, source=source).values
            took = time.perf_counter() - start
            same = {c: got[c] for c in want} == want
            print(f"indicators {as_of} {source}: {took * 1000:.0f} ms, {want}, equal: {same}")
            if not same:
                print("  engine:", {c: got[c] for c in want})
                sys.exit(1)


if __name__ == "__main__":
    main()
