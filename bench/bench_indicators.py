"""Benchmark of the indicator engine (not a test). Run:

    python bench/bench_indicators.py --db sqlite      # bench/out/indicators_1m.sqlite3 (cached)
    python bench/bench_indicators.py --db postgres    # database fazhi_bench_ind on 127.0.0.1:5432

Generates 1,000,000 matters (with their steps) once, in the demo district's org tree: five
cohorts 2020–2024 of business complaints, help requests, reconsideration applications and
mailbox letters spread over every unit, plus 20,000 activities, then builds the tally from the
Step rows. Rows are written in bulk (as an import would); the tally is built by
``fazhi.indicators.rollup.rebuild`` and checked against the base tables by the engine's two
paths giving the same values. Measures, best of N: ``compute_indicators`` for the district and
2024 from the tally and from the base tables (side by side), ``compute_scope`` (with the unit
comparison), and the dashboard and a drill-down page through Django's test client.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = 20240501
N_MATTERS = 1_000_000
N_ACTIVITIES = 20_000
YEARS = (2020, 2021, 2022, 2023, 2024)


def setup(db: str) -> None:
    os.environ["FAZHI_DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    if db == "sqlite":
        (ROOT / "bench" / "out").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'bench' / 'out' / 'indicators_1m.sqlite3'}"
    else:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            if not c.execute(
                "SELECT 1 FROM pg_database WHERE datname='fazhi_bench_ind'"
            ).fetchone():
                c.execute("CREATE DATABASE fazhi_bench_ind")
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/fazhi_bench_ind"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# (procedure, list of (weight, [(action, state_after, days after previous, data)]))
PATHS = {
    "business_complaint": [
        (3, [("refuse", "out_of_scope", 2, {"reason": "不属于受理范围"})]),
        (
            4,
            [
                ("accept", "in_scope", 2, {}),
                ("conclude", "concluded", 10, {"result": "办结"}),
                ("rate", "concluded", 3, {"satisfaction": "satisfied"}),
            ],
        ),
        (
            1,
            [
                ("accept", "in_scope", 2, {}),
                ("conclude", "concluded", 10, {"result": "办结"}),
                ("rate", "concluded", 3, {"satisfaction": "dissatisfied"}),
                ("reopen", "in_scope", 2, {"reason": "重办"}),
            ],
        ),
        (1, [("accept", "in_scope", 2, {})]),
        (1, []),
    ],
    "help_request": [
        (
            6,
            [
                ("accept", "in_scope", 1, {}),
                ("conclude", "concluded", 5, {"result": "办结"}),
                ("rate", "concluded", 2, {"satisfaction": "basically_satisfied"}),
            ],
        ),
        (1, [("refuse", "out_of_scope", 1, {"reason": "咨询已答复"})]),
        (1, [("accept", "in_scope", 1, {})]),
    ],
    "reconsideration": [
        (6, [("accept", "accepted", 4, {}), ("decide", "decided", 40, {"outcome": "upheld"})]),
        (1, [("refuse", "rejected", 4, {"reason": "超过期限"})]),
        (
            1,
            [
                ("request_correction", "correction_requested", 3, {"items": "补正"}),
                ("lapse", "not_corrected", 20, {}),
            ],
        ),
        (1, [("accept", "accepted", 4, {})]),
    ],
    "mailbox_letter": [
        (8, [("reply", "replied", 10, {"reply": "已答复"})]),
        (1, []),
    ],
}
CLOSED = {"out_of_scope", "concluded", "rejected", "not_corrected", "decided", "replied"}
WEIGHTS = {"business_complaint": 1, "help_request": 6, "reconsideration": 1, "mailbox_letter": 2}


def insert(model, rows) -> None:
    """Plain executemany of dicts (fields not given take their model default)."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and "id" not in rows[0])]
    defaults = {}
    for f in fields:
        if f.attname not in rows[0]:
            defaults[f.attname] = f.get_db_prep_save(f.get_default(), connection)
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608  names from model metadata
    names = [f.attname for f in fields]
    with connection.cursor() as cur:
        cur.executemany(sql, [tuple(r.get(n, defaults.get(n)) for n in names) for r in rows])
    if connection.vendor == "postgresql" and "id" in rows[0]:
        with connection.cursor() as cur:
            table = model._meta.db_table
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608  model metadata
            )


def generate() -> None:
    from django.db import transaction

    from fazhi.core import demo
    from fazhi.core.models import OrgUnit
    from fazhi.indicators import rollup
    from fazhi.procedures.models import Activity, Matter, Step

    if Matter.objects.count() >= N_MATTERS:
        return
    rng = random.Random(SEED)
    root = demo.build_district()
    units = list(OrgUnit.objects.subtree_of(root).values_list("pk", flat=True))
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    procs = list(WEIGHTS)
    weights = [WEIGHTS[p] for p in procs]
    started = time.perf_counter()
    batch = 20_000
    made = 0
    next_id = (Matter.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    while made < N_MATTERS:
        n = min(batch, N_MATTERS - made)
        matters, plans = [], []
        for i in range(n):
            proc = rng.choices(procs, weights)[0]
            year = YEARS[(made + i) % len(YEARS)]
            received = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            path = rng.choices([p for _, p in PATHS[proc]], [w for w, _ in PATHS[proc]])[0]
            on, steps = received, []
            for action, state, days, data in path:
                on = on + dt.timedelta(days=rng.randrange(days + 1))
                steps.append((action, state, on, data))
            state = steps[-1][1] if steps else "received"
            sat = next((d["satisfaction"] for a, s, o, d in reversed(steps) if a == "rate"), "")
            closed = steps[-1][2] if steps and state in CLOSED else None
            matters.append(
                {
                    "procedure": proc,
                    "reference": f"B{made + i:07d}",
                    "verification_code": "BENCH1",
                    "org_id": rng.choice(units),
                    "received_on": received,
                    "subject": "基准测试事项",
                    "channel": "import",
                    "state": state,
                    "satisfaction": sat,
                    "closed_on": closed,
                    "created_at": now,
                    "updated_at": now,
                    "details": "{}",
                }
            )
            plans.append(steps)
        with transaction.atomic():
            first_id = next_id
            next_id += n
            insert(Matter, [{**m, "id": first_id + i} for i, m in enumerate(matters)])
            rows = []
            for i, (m, steps) in enumerate(zip(matters, plans, strict=True)):
                mid = first_id + i
                rows.append(
                    {
                        "matter_id": mid,
                        "seq": 1,
                        "action": "register",
                        "on": m["received_on"],
                        "at": now,
                        "actor_label": "导入",
                        "org_id": m["org_id"],
                        "state_before": "",
                        "state_after": "received",
                        "data": "{}",
                    }
                )
                prev = "received"
                for seq, (action, state, on, data) in enumerate(steps, start=2):
                    rows.append(
                        {
                            "matter_id": mid,
                            "seq": seq,
                            "action": action,
                            "on": on,
                            "at": now,
                            "actor_label": "导入",
                            "org_id": m["org_id"],
                            "state_before": prev,
                            "state_after": state,
                            "data": json.dumps(data, ensure_ascii=False),
                        }
                    )
                    prev = state
            insert(Step, rows)
        made += n
        print(f"  {made:,} matters ({time.perf_counter() - started:.0f} s)", flush=True)
    acts = []
    for i in range(N_ACTIVITIES):
        kind = "dispute_screening" if i % 4 else "field_supervision"
        year = YEARS[i % len(YEARS)]
        figures = {"found": rng.randrange(3), "resolved": 0} if kind == "dispute_screening" else {}
        acts.append(
            Activity(
                kind=kind,
                on=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                org_id=rng.choice(units),
                title="基准活动",
                figures=figures,
                reference=f"BA{i:06d}",
                created_at=now,
            )
        )
    Activity.objects.bulk_create(acts, batch_size=5000)
    t = time.perf_counter()
    rows = rollup.rebuild()
    print(f"  tally: {rows:,} rows in {time.perf_counter() - t:.0f} s", flush=True)
    analyze()


def analyze() -> None:
    """PostgreSQL: refresh planner statistics after the bulk load (autovacuum would, later)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup(args.db)
    t = time.perf_counter()
    generate()
    print(f"data ready in {time.perf_counter() - t:.0f} s", flush=True)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from fazhi.core import demo
    from fazhi.core.models import OrgUnit
    from fazhi.indicators.engine import compute_indicators, compute_scope
    from fazhi.indicators.models import StateTally
    from fazhi.procedures.models import Matter, Step

    root = OrgUnit.objects.get(division_code="220302")
    demo.build_users(root)
    counts = (
        Matter.objects.count(),
        Step.objects.count(),
        StateTally.objects.count(),
        Matter.objects.received_in(2024).count(),
    )
    # the department with the most 2024 matters: a scope that needs the unit filter
    dept = OrgUnit.objects.get(
        pk=Matter.objects.received_in(2024)
        .exclude(org=root)
        .values("org_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("org_id", flat=True)[0]
    )
    tally_rows = StateTally.objects.filter(year=2024).count()
    for as_of in (None, dt.date(2024, 6, 15)):
        fast = compute_indicators(root, 2024, as_of)
        base = compute_indicators(root, 2024, as_of, source="base")
        assert fast.values == base.values, f"tally and base tables disagree ({as_of})"
    with CaptureQueriesContext(connection) as q:
        compute_indicators(root, 2024)
    n_queries = len(q.captured_queries)  # now: DEBUG's query log is a ring buffer
    mid = dt.date(2024, 6, 15)
    results = [
        (
            "compute_indicators, tally",
            *best_of(lambda: compute_indicators(root, 2024), args.repeat),
        ),
        (
            "compute_indicators, base tables",
            *best_of(
                lambda: compute_indicators(root, 2024, source="base"), max(2, args.repeat // 2)
            ),
        ),
        (
            "compute_scope (with unit comparison), tally",
            *best_of(lambda: compute_scope(root, 2024), args.repeat),
        ),
        (
            "compute_indicators as of 2024-06-15 (days of June), tally",
            *best_of(lambda: compute_indicators(root, 2024, mid), args.repeat),
        ),
        (
            f"compute_scope of one department ({dept.name}), tally",
            *best_of(lambda: compute_scope(dept, 2024), args.repeat),
        ),
    ]
    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    dash = f"/workbench/indicators/?org={root.pk}&year=2024"
    dash_dept = f"/workbench/indicators/?org={dept.pk}&year=2024"
    dash_mid = dash + "&as_of=2024-06-15"
    drill = f"/workbench/indicators/help_request.in_progress/?org={root.pk}&year=2024"
    for page in (dash, dash_dept, dash_mid):
        assert client.get(page).status_code == 200
    results.append(
        (
            "dashboard page, recomputed (`&fresh=1`)",
            *best_of(lambda: client.get(dash + "&fresh=1"), args.repeat),
        )
    )
    results.append(
        (
            "dashboard page as of 2024-06-15, recomputed",
            *best_of(lambda: client.get(dash_mid + "&fresh=1"), args.repeat),
        )
    )
    results.append(
        (
            "dashboard page of the department, recomputed",
            *best_of(lambda: client.get(dash_dept + "&fresh=1"), args.repeat),
        )
    )
    results.append(
        (
            "dashboard page, cached figures (GET, admin)",
            *best_of(lambda: client.get(dash), args.repeat),
        )
    )
    results.append(
        (
            "drill-down page, first 50 of help_request.in_progress",
            *best_of(lambda: client.get(drill), args.repeat),
        )
    )
    print()
    print(
        f"database: {connection.vendor}; matters {counts[0]:,}; steps {counts[1]:,}; "
        f"tally rows {counts[2]:,}; 2024 cohort {counts[3]:,}; tally rows of 2024 "
        f"{tally_rows:,}; queries per compute: {n_queries}"
    )
    print(
        f"received 2024: help_request {fast.values['help_request.received']:,}, "
        f"business_complaint {fast.values['business_complaint.received']:,}"
    )
    print("| measurement | best | median |")
    print("|---|---|---|")
    for label, best, median in results:
        print(f"| {label} | {best * 1000:.0f} ms | {median * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
