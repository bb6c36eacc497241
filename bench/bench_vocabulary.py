"""Benchmark of the conditional indicator sources (not a test). Run:

    python bench/bench_vocabulary.py --db sqlite      # bench/out/vocabulary_1m.sqlite3 (cached)
    python bench/bench_vocabulary.py --db postgres    # database fazhi_bench_vocab on 127.0.0.1:5432

A year of 1,000,000 matters of one procedure (declared here, like a petition: category,
first-time flag, an amount, the party's kind; accepted, diverted to a channel, heard with or
without the head, concluded, some asked for review; a clock on acceptance when the engine has
clocks) in the demo district's org tree, written in bulk once. Then, best of N, in the same run:

- a bare ``SELECT org_id, COUNT(*) … GROUP BY org_id`` over the year's matters (the baseline);
- ``compute_indicators`` for the district with the bench's indicators registered: conditions on
  details and on the party, steps with data and their negation, a cohort by a step's date,
  counts of steps, a sum, a breakdown, a timely rate (when clocks exist) — every source kind —
  read from the conditional sources' tally, which the bench builds once (timed) because its
  data were written around the engine; ``--base`` computes them once more from the base
  tables (the reference) and asserts every figure equal;
- the drill-down of the costliest figure (the first-resolution numerator), counted.

The ratio engine / bare is the figure docs/benchmarks.md gives (target: at most 10×).
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
sys.path.insert(0, str(ROOT / "bench"))

from bench_indicators import best_of, insert  # type: ignore[import-not-found]  # noqa: E402

SEED = 20241203
N_MATTERS = 1_000_000
YEAR = 2024
P = "bench_case"
PG_DB = "fazhi_speed"


def setup(db: str) -> None:
    os.environ["FAZHI_DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    if db == "sqlite":
        (ROOT / "bench" / "out").mkdir(exist_ok=True)
        name = "vocabulary_1m" if N_MATTERS == 1_000_000 else f"vocabulary_{N_MATTERS}"
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'bench' / 'out' / name}.sqlite3"
    else:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname=%s", [PG_DB]).fetchone():
                c.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db.models.signals import post_migrate

    from fazhi.indicators import rollup

    # The bench's figures are conditional sources, which do not read the state tally: do not
    # let migrate rebuild it from the million matters written around the engine.
    post_migrate.disconnect(rollup.build_if_missing, sender=apps.get_app_config("indicators"))
    call_command("migrate", verbosity=0)
    declare()


def declare() -> None:
    from fazhi.procedures.declarations import Action, Field, FieldType, Procedure, register

    register(
        Procedure(
            code=P,
            label="基准事项",
            states={
                "received": "待受理",
                "accepted": "已受理",
                "concluded": "已办结",
                "review_requested": "请求复查",
            },
            closed_states=frozenset({"concluded"}),
            actions=(
                Action("accept", "受理", frozenset({"received"}), "accepted"),
                Action(
                    "divert",
                    "导入",
                    frozenset({"accepted"}),
                    None,
                    fields=(Field("channel", "途径", FieldType.STR),),
                ),
                Action(
                    "hear",
                    "开庭",
                    frozenset({"accepted"}),
                    None,
                    fields=(Field("head_appeared", "负责人出庭", FieldType.BOOL),),
                ),
                Action("conclude", "办结", frozenset({"accepted"}), "concluded"),
                Action("request_review", "请求复查", frozenset({"concluded"}), "review_requested"),
            ),
            details=(
                Field("category", "类别", FieldType.STR),
                Field("first_time", "初次", FieldType.BOOL, required=False),
                Field("amount", "金额", FieldType.DECIMAL, required=False),
            ),
        )
    )


CATEGORIES = (("claim", "申诉求决"), ("suggestion", "建议意见"), ("accusation", "检举控告"))


def indicators() -> list:
    from fazhi.indicators.registry import (
        Indicator,
        Matters,
        Party,
        Steps,
        breakdown,
        detail,
        step,
        timely,
    )

    def ind(code, num, den=None):
        return Indicator(
            f"bench.{code}", code, "6", "", "%" if den else "件", numerator=num, denominator=den
        )

    claim_first = (detail("category", "claim"), detail("first_time", True))
    concluded = frozenset({"concluded", "review_requested"})
    resolved = Matters(P, concluded, (*claim_first, step("request_review", negate=True)))
    out = [
        ind("claims_first", Matters(P, where=claim_first)),
        ind(
            "to_mediation", Matters(P, where=(claim_first[0], step("divert", channel="mediation")))
        ),
        ind("first_resolution", resolved, Matters(P, concluded, claim_first)),
        ind("concluded_in_year", Matters(P, cohort="conclude")),
        ind("organisations", Matters(P, where=(Party("organisation"),))),
        ind(
            "head_rate",
            Steps(Matters(P), frozenset({"hear"}), (("head_appeared", frozenset({True})),)),
            Steps(Matters(P), frozenset({"hear"})),
        ),
        ind("amount", Matters(P, total="amount")),
        *breakdown(ind("cases", Matters(P)), "category", CATEGORIES),
    ]
    if has_clocks():
        num, den = timely(Matters(P), "bench.accept")
        out.append(ind("accept_timely", num, den))
    return out


def has_clocks() -> bool:
    from django.apps import apps

    try:
        apps.get_model("procedures", "Clock")
    except LookupError:
        return False
    return True


def generate() -> None:
    from django.apps import apps
    from django.db import connection, transaction

    from fazhi.core import demo
    from fazhi.core.models import OrgUnit
    from fazhi.procedures.models import Matter, Step

    if Matter.objects.filter(procedure=P).count() >= N_MATTERS:
        return
    Matter.objects.filter(procedure=P).delete()
    rng = random.Random(SEED)
    root = demo.build_district()
    units = list(OrgUnit.objects.subtree_of(root).values_list("pk", flat=True))
    now = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    clock = apps.get_model("procedures", "Clock") if has_clocks() else None
    started = time.perf_counter()
    next_id = (Matter.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    made, batch = 0, 20_000
    while made < N_MATTERS:
        n = min(batch, N_MATTERS - made)
        matters, steps, clocks = [], [], []
        for i in range(n):
            mid = next_id + i
            received = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(366))
            category = rng.choices(["claim", "suggestion", "accusation"], [6, 3, 1])[0]
            details = {"category": category, "first_time": rng.random() < 0.7}
            if rng.random() < 0.3:
                details["amount"] = str(rng.randrange(100, 100_000))
            org = rng.choice(units)
            plan: list[tuple[str, str, dict]] = []
            if rng.random() < 0.9:
                plan.append(("accept", "accepted", {}))
                if rng.random() < 0.25:
                    channel = rng.choice(["mediation", "reconsideration", "litigation"])
                    plan.append(("divert", "accepted", {"channel": channel}))
                for _ in range(rng.choice([0, 0, 1, 2])):
                    plan.append(("hear", "accepted", {"head_appeared": rng.random() < 0.9}))
                if rng.random() < 0.85:
                    plan.append(("conclude", "concluded", {}))
                    if rng.random() < 0.06:
                        plan.append(("request_review", "review_requested", {}))
            on, rows, prev = received, [], "received"
            rows.append((1, "register", received, "", "received", {}))
            for seq, (action, state, data) in enumerate(plan, start=2):
                on = on + dt.timedelta(days=rng.randrange(1, 25))
                rows.append((seq, action, on, prev, state, data))
                prev = state
            state = rows[-1][4]
            matters.append(
                {
                    "id": mid,
                    "procedure": P,
                    "reference": f"V{made + i:07d}",
                    "verification_code": "BENCH1",
                    "org_id": org,
                    "received_on": received,
                    "subject": "基准测试事项",
                    "channel": "import",
                    "party_kind": "organisation" if rng.random() < 0.2 else "person",
                    "state": state,
                    "closed_on": rows[-1][2] if state == "concluded" else None,
                    "created_at": now,
                    "updated_at": now,
                    "details": json.dumps(details),
                }
            )
            for seq, action, day, before, after, data in rows:
                steps.append(
                    {
                        "matter_id": mid,
                        "seq": seq,
                        "action": action,
                        "on": day,
                        "at": now,
                        "actor_label": "导入",
                        "org_id": org,
                        "state_before": before,
                        "state_after": after,
                        "data": json.dumps(data),
                    }
                )
            if clock is not None:
                due = received + dt.timedelta(days=15)
                accepted = next((r for r in rows if r[1] == "accept"), None)
                clocks.append(
                    {
                        "matter_id": mid,
                        "seq": 1,
                        "limit": "bench.accept",
                        "label": "受理",
                        "started_on": received,
                        "due_on": due,
                        "basis": "基准",
                        "answered_on": accepted[2] if accepted else None,
                        "answered_action": "accept" if accepted else "",
                        "answered_seq": accepted[0] if accepted else None,
                        "in_time": (accepted[2] <= due) if accepted else None,
                    }
                )
        with transaction.atomic():
            insert(Matter, matters)
            insert(Step, steps)
            if clock is not None:
                insert(clock, clocks)
        next_id += n
        made += n
        print(f"  {made:,} matters ({time.perf_counter() - started:.0f} s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def query_times(captured) -> list[tuple[float, str]]:
    from django.db import connection

    out = []
    for q in captured:
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(q["sql"])
            cur.fetchall()
        out.append((time.perf_counter() - t0, q["sql"]))
    return out


def describe_query(sql: str) -> str:
    """The table a grouped query reads, its procedures, and how many correlated subqueries
    (a matter's state as of the cut-off, a step condition) each row runs."""
    import re

    table = re.search(r'FROM "(\w+)" (?:INNER JOIN|WHERE)', sql)
    procedures = sorted(set(re.findall(r'"procedure" = \'(\w+)\'', sql)))
    return (
        f"{table.group(1) if table else '?'} [{', '.join(procedures)}] "
        f"{sql.count('SELECT U0') - sql.count('core_orgunit')} correlated subqueries, "
        f"{sql.count(' FILTER (WHERE')} filtered aggregates"
    )


def main() -> None:
    global N_MATTERS, PG_DB
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--matters", type=int, default=N_MATTERS)
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--where", action="store_true", help="time each query once more")
    parser.add_argument(
        "--base", action="store_true", help="compute once from the base tables and compare"
    )
    args = parser.parse_args()
    N_MATTERS = args.matters
    if N_MATTERS != 1_000_000:
        PG_DB = f"fazhi_speed_{N_MATTERS}"
    setup(args.db)
    t = time.perf_counter()
    generate()
    print(f"data ready in {time.perf_counter() - t:.0f} s", flush=True)
    if args.generate_only:
        return

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from machine import describe  # type: ignore[import-not-found]

    from fazhi.core.models import OrgUnit
    from fazhi.indicators.engine import compute_indicators, drill_down
    from fazhi.indicators.registry import register
    from fazhi.procedures.models import Matter

    print(describe())
    inds = indicators()
    register(*inds)
    # the data were written around the engine: build the bench's sources' tally once (the
    # operator's ``fazhi indicators rebuild``; the write path keeps it from then on)
    from fazhi.indicators.sources import maintain

    unbuilt = maintain.unbuilt_sources()
    if unbuilt:
        t0 = time.perf_counter()
        rows = maintain.rebuild(unbuilt)
        print(
            f"source tally built: {len(unbuilt)} sources, {rows:,} rows in "
            f"{time.perf_counter() - t0:.0f} s",
            flush=True,
        )
    root = OrgUnit.objects.get(division_code="220302")
    n = Matter.objects.filter(procedure=P).count()
    table = Matter._meta.db_table
    bare_sql = (
        f"SELECT org_id, COUNT(*) FROM {table} WHERE procedure = %s "  # noqa: S608  model metadata
        "AND received_on >= %s AND received_on <= %s GROUP BY org_id"
    )

    def bare():
        with connection.cursor() as cur:
            cur.execute(bare_sql, [P, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)])
            return cur.fetchall()

    def engine():
        return compute_indicators(root, YEAR)

    rows = bare()
    with CaptureQueriesContext(connection) as ctx:
        result = engine()
    assert sum(r[1] for r in rows) == n == result.values["bench.cases"]
    print(f"{connection.vendor}: {n:,} matters of {P} in {YEAR}; engine queries: {len(ctx)}")
    for ind in inds:
        print(f"  {ind.code:32} {result.values[ind.code]}")
    b_best, b_med = best_of(bare, args.repeat)
    e_best, e_med = best_of(engine, args.repeat)
    print(f"bare GROUP BY            best {b_best * 1000:8.0f} ms  median {b_med * 1000:8.0f} ms")
    print(f"compute_indicators       best {e_best * 1000:8.0f} ms  median {e_med * 1000:8.0f} ms")
    print(f"ratio (best)             {e_best / b_best:.1f}x   (median {e_med / b_med:.1f}x)")
    if args.base:
        t0 = time.perf_counter()
        reference = compute_indicators(root, YEAR, source="base")
        print(f"the same from the base tables (reference): {time.perf_counter() - t0:.1f} s")
        differ = {c: (v, reference.values[c]) for c, v in result.values.items()
                  if reference.values[c] != v}  # fmt: skip
        assert not differ, differ
        print("  every figure equal to the base tables'")
    if args.where:
        print("where the time goes (each query of one run, executed and fetched again):")
        for seconds, sql in sorted(query_times(ctx.captured_queries), reverse=True)[:6]:
            print(f"  {seconds * 1000:8.0f} ms  {describe_query(sql)}")
    t0 = time.perf_counter()
    k = drill_down("bench.first_resolution", root, YEAR).count()
    print(f"drill-down first_resolution: {k:,} records in {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
