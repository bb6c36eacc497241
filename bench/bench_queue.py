"""Benchmark of the workbench queue on 1,000,000 matters (not a test).

Run: python bench/bench_queue.py [--runs 40] [--rebuild]

1. Builds (once; cached) a SQLite database bench/out/queue.sqlite3 with the demo district
   (fazhi.core.demo) and 1,000,000 matters of the declared procedures, spread over the units,
   received 2019-01-01 … 2025-06-13, with realistic states: old matters are mostly closed,
   recent ones mostly open; open matters carry the due date the engine's rules compute
   (rules.new_snapshot / rules.apply / compute_due), closed ones a closed_on and no due date.
   Rows are inserted with executemany in batches of 50,000 (history steps are not generated:
   the queue does not read them).
2. Times the queue page through the Django test client (the whole request: middleware,
   session, scope, the grouped counts, the page query, template rendering), logged in as a
   department user (jingban, 区政数局) and an all-seeing user (fazhiban, 依法治区办), first
   page sorted by due date, and with filters; reports median and p95 over the runs after
   3 warm-up requests. The clock is frozen at 2025-06-16 so the data and results repeat.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
DB = OUT / "queue.sqlite3"

os.environ.setdefault("FAZHI_SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
os.environ.setdefault("FAZHI_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("FAZHI_SECURE_COOKIES", "0")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

import django  # noqa: E402 the environment above must be set before Django loads

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from fazhi.core import clock  # noqa: E402
from fazhi.core.dbstats import refresh_statistics  # noqa: E402
from fazhi.core.demo import build_district, build_users  # noqa: E402
from fazhi.core.models import OrgKind, OrgUnit  # noqa: E402
from fazhi.procedures import rules  # noqa: E402
from fazhi.procedures.declarations import get_procedure  # noqa: E402
from fazhi.procedures.models import Matter  # noqa: E402
from fazhi.workdays import Calendar  # noqa: E402

TOTAL = 1_000_000
BATCH = 50_000
SEED = 20250616
TODAY = date(2025, 6, 16)
FIRST = date(2019, 1, 1)
LAST = date(2025, 6, 13)

# procedure → (share of matters, closed states with weights, the action that moves it on)
PROCEDURES = {
    "help_request": (0.45, (("concluded", 0.93), ("out_of_scope", 0.07)), "accept"),
    "business_complaint": (0.25, (("concluded", 0.9), ("out_of_scope", 0.1)), "accept"),
    "mailbox_letter": (0.22, (("replied", 1.0),), None),
    "reconsideration": (
        0.08,
        (("decided", 0.7), ("rejected", 0.1), ("terminated", 0.12), ("settled", 0.08)),
        "accept",
    ),
}
PREFIX = {"help_request": "BC", "business_complaint": "YS", "mailbox_letter": "XX",
          "reconsideration": "FY"}  # fmt: skip


def pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    x = rng.random()
    for value, w in weighted:
        x -= w
        if x <= 0:
            return value
    return weighted[-1][0]


def units_and_weights() -> tuple[list[int], list[float]]:
    """Every unit receives matters; the service centre and the justice bureau receive most."""
    ids, weights = [], []
    for u in OrgUnit.objects.order_by("pk"):
        w = 1.0
        if u.kind == OrgKind.INTERNAL:
            w = 0.3
        if u.short_name in ("区政数局", "区司法局", "区信访局"):
            w = 25.0
        if u.kind in (OrgKind.TOWNSHIP, OrgKind.STREET):
            w = 6.0
        ids.append(u.pk)
        weights.append(w)
    return ids, weights


def due_fields(proc_code: str, received: date, move: str | None, rng: random.Random, cal):
    """Due date and state of an open matter, by the engine's pure rules."""
    proc = get_procedure(proc_code)
    snap = rules.new_snapshot(proc, received, {})
    if proc_code == "reconsideration":
        snap = rules.new_snapshot(proc, received, {"respondent": "某局", "contested_act": "决定"})
    if move:
        on = min(received + timedelta(days=rng.randint(0, 4)), TODAY)
        snap = rules.apply(snap, move, role="staff", on=on, data={}, today=TODAY, cal=cal).snapshot
    due = rules.compute_due(snap, cal)
    if due is None:
        return snap.state, None, "", "", False, False
    return (
        snap.state,
        due.on,
        due.code or "",
        due.description[:300],
        due.provisional,
        due.paused,
    )


def build(total: int) -> None:
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    build_users(build_district())
    if Matter.objects.exists():
        return
    rng = random.Random(SEED)
    cal = Calendar.default()
    unit_ids, unit_w = units_and_weights()
    span = (LAST - FIRST).days
    codes = list(PROCEDURES)
    shares = [PROCEDURES[c][0] for c in codes]
    counters: dict[tuple[str, int], int] = {}
    due_cache: dict[tuple[str, date, bool], tuple] = {}
    columns = [
        "procedure", "reference", "verification_code", "org_id", "received_on", "subject",
        "channel", "party_name", "party_kind", "party_id_number", "party_phone", "party_address",
        "state", "outcome", "due_on", "due_rule", "due_basis", "due_provisional", "due_paused",
        "closed_on", "satisfaction", "details", "warned_on", "overdue_on", "created_at",
        "updated_at",
    ]  # fmt: skip
    sql = (
        f"INSERT INTO procedures_matter ({', '.join(columns)}) "  # noqa: S608 constant columns
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    now = datetime(2025, 6, 16, 9, 0, tzinfo=clock.SHANGHAI).isoformat()
    batch: list[tuple] = []
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
    for i in range(total):
        code = rng.choices(codes, shares)[0]
        # more recent years carry more matters (the platform's use grows)
        received = FIRST + timedelta(days=int(span * (rng.random() ** 0.6)))
        year = received.year
        counters[(code, year)] = counters.get((code, year), 0) + 1
        reference = f"{PREFIX[code]}-{year}-{counters[(code, year)]:06d}"
        age = (TODAY - received).days
        open_ = rng.random() < (0.75 if age <= 30 else 0.15 if age <= 120 else 0.004)
        org = rng.choices(unit_ids, unit_w)[0]
        if open_:
            moved = rng.random() < 0.6
            key = (code, received, moved)
            if key not in due_cache:
                move = PROCEDURES[code][2] if moved else None
                due_cache[key] = due_fields(code, received, move, rng, cal)
            state, due_on, rule, basis, provisional, paused = due_cache[key]
            closed_on, outcome, satisfaction = None, "", ""
        else:
            state = pick(rng, PROCEDURES[code][1])
            due_on, rule, basis, provisional, paused = None, "", "", False, False
            closed_on = min(received + timedelta(days=rng.randint(1, 40)), TODAY)
            outcome = state
            satisfaction = rng.choice(("satisfied", "satisfied", "basically_satisfied", ""))
        name = rng.choice(surnames) + rng.choice("伟芳娜敏静强磊军洋勇艳杰涛明超")
        batch.append(
            (
                code, reference, f"{i % 887503:06d}"[:6], org, received,
                f"{name}反映的第{i}号事项", "window", name, "person", "", "", "",
                state, outcome, due_on, rule, basis, provisional, paused,
                closed_on, satisfaction, "{}", None, None, now, now,
            )
        )  # fmt: skip
        if len(batch) >= BATCH:
            _flush(sql, batch)
            print(f"  {i + 1:,} matters …", flush=True)
    _flush(sql, batch)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"built {total:,} matters in {time.perf_counter() - t0:.0f} s → {DB}")


def _flush(sql: str, batch: list[tuple]) -> None:
    if not batch:
        return
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(sql, batch)
    batch.clear()


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    for _ in range(3):
        client.get(url)
    times = []
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = len(ctx.captured_queries)
    assert response.status_code == 200, response.status_code
    rows = response.content.count(b"data-matter=")
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, queries, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true", help="delete and rebuild the database")
    parser.add_argument("--total", type=int, default=TOTAL)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.rebuild and DB.exists():
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    with clock.frozen(TODAY):
        build(args.total)
        refresh_statistics()  # as the daily `fazhi sweep` and every big import do
        total = Matter.objects.count()
        open_total = Matter.objects.open().count()
        print(
            f"database: {total:,} matters, {open_total:,} open; "
            f"Python {platform.python_version()}, SQLite {connection.Database.sqlite_version}"
        )
        cases = [
            ("jingban", "department staff (区政数局)", ""),
            ("jingban", "department staff, overdue only", "?due=overdue"),
            ("jingban", "department staff, closed (已办结)", "?status=closed"),
            ("fazhiban", "all-seeing (依法治区办)", ""),
            ("fazhiban", "all-seeing, procedure filter", "?procedure=business_complaint"),
            ("fazhiban", "all-seeing, procedure + state", "?procedure=help_request&state=in_scope"),
            ("fazhiban", "all-seeing, search box", "?q=王伟"),
            ("fazhiban", "all-seeing, closed (已办结)", "?status=closed"),
        ]
        from django.contrib.auth import get_user_model

        users = get_user_model().objects
        print("\n| user | filter | median | p95 | queries | rows |\n|---|---|---|---|---|---|")
        for username, label, query in cases:
            client = Client()
            client.force_login(users.get(username=username))
            med, p95, queries, rows = measure(client, f"/workbench/{query}", args.runs)
            print(
                f"| {label} | `{query or '—'}` | {med:.1f} ms | {p95:.1f} ms | {queries} | {rows} |"
            )


if __name__ == "__main__":
    main()
