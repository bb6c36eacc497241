"""Benchmark of the public disclosure search (行政执法公示) on 1,000,000 decisions (not a test).

Run:
    python bench/bench_disclosure_search.py [--runs 40] [--rebuild]          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_enf \\
        python bench/bench_disclosure_search.py [--runs 40] [--rebuild]      # PostgreSQL

1. Builds (once; kept) the demo district and 1,000,000 published decisions
   (``enforcement_decision``; 5 % of them withdrawn) decided 2021-07-01 … 2026-06-30 by the
   district's departments: 70 % organisations (a place, a two-character shop name, a trade,
   a legal form; a valid unified social credit code; 150,000 parties, several decisions
   each), 30 % natural persons; types weighted as in a real year. Matters and their publish
   (and withdraw) steps are written with ``bulk_create`` (not ``act()``); their public entries
   are made by ``search.entry_for``, the code the steps' signal uses, and loaded in bulk with
   the full text indexes built once at the end (the same SQL as migration 0008).
   SQLite: bench/out/disclosure.sqlite3 (git-ignored).
2. Times, with the clock frozen at 2026-06-30, each kind of public query through the code the
   page uses (``public.disclosed`` → ``search.find``, the page's capped count, its first page
   of 20 entries and their decisions, ``search.matters_of``), over ``--runs`` different values
   of the query (drawn from the data), after 3 warm-up runs; beside a plain indexed lookup of
   a decision by its reference in the same run. Then the whole page (Django test client) for
   a few of them. Prints median and p95 in milliseconds, and the machine.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
OUT = ROOT / "bench" / "out"
DB = OUT / "disclosure.sqlite3"

os.environ.setdefault("FAZHI_SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
os.environ.setdefault("FAZHI_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("FAZHI_SECURE_COOKIES", "0")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

import django  # noqa: E402 the environment above must be set before Django loads

django.setup()

import machine  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from fazhi.core import clock  # noqa: E402
from fazhi.core.demo import build_district  # noqa: E402
from fazhi.core.models import OrgKind, OrgUnit  # noqa: E402
from fazhi.enforcement import public, search  # noqa: E402
from fazhi.enforcement.models import DisclosureEntry  # noqa: E402
from fazhi.procedures.models import Matter, PartyKind, Step  # noqa: E402

MIGRATION = importlib.import_module("fazhi.enforcement.migrations.0008_disclosure_index")

TOTAL = 1_000_000
BATCH = 20_000
SEED = 20261204
TODAY = date(2026, 6, 30)
FIRST = date(2021, 7, 1)
SPAN = (TODAY - FIRST).days
PLACES = [
    "四平",
    "铁西",
    "长春",
    "吉林",
    "梨树",
    "双辽",
    "伊通",
    "公主岭",
    "辽源",
    "通化",
    "白山",
    "松原",
    "白城",
    "延吉",
    "珲春",
    "敦化",
    "梅河",
    "集安",
    "洮南",
    "大安",
]
SHOP_CHARS = "鑫达华为永安福瑞恒昌盛德兴隆泰和顺祥金宝利源丰润嘉信宏远博通海天富康瀚宇晨光"
TRADES = [
    "商贸",
    "餐饮",
    "建筑",
    "物流",
    "科技",
    "农业",
    "食品",
    "药房",
    "五金",
    "建材",
    "汽修",
    "广告",
    "酒店",
    "超市",
    "服装",
    "家具",
    "印刷",
    "环保",
    "矿业",
    "网络",
]
FORMS = ("有限公司", "有限责任公司", "经营部", "个体工商户", "分公司")
TYPES = (("penalty", 0.45), ("license", 0.35), ("coercion", 0.06), ("inspection", 0.06),
         ("confirmation", 0.04), ("levy", 0.02), ("payment", 0.01), ("other", 0.01))  # fmt: skip
WORD = {"penalty": "罚", "license": "许", "coercion": "强", "inspection": "检",
        "confirmation": "确", "levy": "征", "payment": "给", "other": "决"}  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗欧阳"
GIVEN = "伟芳娜敏静强磊军洋勇艳杰涛明超秀英华慧"


def credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + "220303" + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def parties(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    out = []
    for _ in range(n):
        shop = rng.choice(SHOP_CHARS) + rng.choice(SHOP_CHARS)
        name = rng.choice(PLACES) + shop + rng.choice(TRADES) + rng.choice(FORMS)
        out.append((name, PartyKind.ORGANISATION, credit_code(rng)))
    return out


def organs() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind=OrgKind.DEPARTMENT).order_by("pk"))


class Row:
    """A decision as ``search.entry_for`` reads it (the attributes of a Matter it uses)."""

    __slots__ = (
        "details",
        "org_id",
        "party_address",
        "party_id_number",
        "party_kind",
        "party_name",
        "party_phone",
        "pk",
        "procedure",
        "received_on",
        "state",
    )  # fmt: skip

    def __init__(self, **kw: Any) -> None:
        for k, v in kw.items():
            setattr(self, k, v)


MATTER_COLUMNS = (
    ("id", ""), ("procedure", ""), ("reference", ""), ("verification_code", ""),
    ("received_on", "date"), ("subject", ""), ("channel", ""), ("party_name", ""),
    ("party_kind", ""), ("party_id_number", ""), ("party_phone", ""), ("party_address", ""),
    ("state", ""), ("outcome", ""), ("due_rule", ""), ("due_basis", ""),
    ("due_provisional", ""), ("due_paused", ""), ("closed_on", "date"), ("satisfaction", ""),
    ("details", "jsonb"), ("created_at", "timestamptz"), ("updated_at", "timestamptz"),
    ("org_id", ""),
)  # fmt: skip
STEP_COLUMNS = (
    ("seq", ""), ("action", ""), ("on", "date"), ("at", "timestamptz"), ("actor_label", ""),
    ("state_before", ""), ("state_after", ""), ("data", "jsonb"), ("matter_id", ""),
    ("org_id", ""),
)  # fmt: skip
ENTRY_COLUMNS = (
    ("matter_id", ""), ("organ_id", ""), ("action_type", ""), ("decided_on", "date"),
    ("published_on", "date"), ("shown_until", "date"), ("withdrawn", ""), ("party", ""),
    ("credit_code", ""), ("decision_number", ""), ("search_text", ""), ("bigrams", ""),
)  # fmt: skip


def insert_sql(table: str, columns: tuple[tuple[str, str], ...]) -> str:
    pg = connection.vendor == "postgresql"
    names = ", ".join(connection.ops.quote_name(c) for c, _ in columns)
    marks = ", ".join(f"%s::{t}" if pg and t else "%s" for _, t in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - constant columns


def build(total: int) -> None:
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    build_district()
    if Matter.objects.filter(procedure=search.PROCEDURE).exists():
        return
    rng = random.Random(SEED)
    units = organs()
    orgs = parties(rng, 150_000)
    kinds, weights = zip(*TYPES, strict=True)
    pg = connection.vendor == "postgresql"
    now = "2026-06-30 01:00:00+00" if pg else "2026-06-30 01:00:00"
    day: Callable[[date | None], Any] = (lambda d: d) if pg else (lambda d: d and d.isoformat())
    first_id = (Matter.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    sql = (
        insert_sql("procedures_matter", MATTER_COLUMNS),
        insert_sql("procedures_step", STEP_COLUMNS),
        insert_sql("enforcement_disclosureentry", ENTRY_COLUMNS),
    )
    matters: list[tuple[Any, ...]] = []
    steps: list[tuple[Any, ...]] = []
    entries: list[tuple[Any, ...]] = []
    reason = json.dumps({"reason": "原决定已被行政复议决定撤销。"}, ensure_ascii=False)
    for i in range(total):
        kind = rng.choices(kinds, weights)[0]
        decided = FIRST + timedelta(days=rng.randrange(SPAN))
        unit = rng.choice(units)
        if rng.random() < 0.7:
            name, party_kind, code = rng.choice(orgs)
        else:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            party_kind, code = PartyKind.PERSON, ""
        gone = rng.random() < 0.05
        state = "withdrawn" if gone else "published"
        number = f"{unit.short_name[:4]}{WORD[kind]}〔{decided.year}〕{i % 100_000 + 1}号"
        details = {
            "action_type": kind,
            "decision_number": number,
            "legal_basis": "《中华人民共和国行政处罚法》第二十八条",
            "result": "警告并处罚款2000元" if kind == "penalty" else "准予",
            "handlers": "JL0001、JL0002",
        }
        pk = first_id + i
        published = decided + timedelta(days=2)
        closed = decided + timedelta(days=9) if gone else None
        matters.append(
            (pk, search.PROCEDURE, f"ZF-{i + 1:07d}", f"{i % 887503:06d}", day(decided),
             f"{name}行政执法决定", "import", name, party_kind, code, "", "", state, state,
             "", "", False, False, day(closed), "", json.dumps(details, ensure_ascii=False),
             now, now, unit.pk)
        )  # fmt: skip
        steps.append((1, "register", day(decided), now, "", "", "decided", "{}", pk, unit.pk))
        steps.append(
            (2, "publish", day(published), now, "", "decided", "published", "{}", pk, unit.pk)
        )
        own = [Step(seq=2, action="publish", on=published)]
        if gone:
            steps.append(
                (3, "withdraw", day(closed), now, "", "published", "withdrawn", reason, pk,
                 unit.pk)
            )  # fmt: skip
        m = Row(pk=pk, procedure=search.PROCEDURE, org_id=unit.pk, received_on=decided,
                party_name=name, party_kind=party_kind, party_id_number=code, party_phone="",
                party_address="", state=state, details=details)  # fmt: skip
        e = search.entry_for(m, own)  # type: ignore[arg-type]  # the attributes it reads
        if e is not None:
            entries.append(
                (pk, e.organ_id, e.action_type, day(e.decided_on), day(e.published_on),
                 day(e.shown_until), e.withdrawn, e.party, e.credit_code, e.decision_number,
                 e.search_text, e.bigrams)
            )  # fmt: skip
        if len(matters) == BATCH or i == total - 1:
            with transaction.atomic(), connection.cursor() as cur:
                for statement, rows in zip(sql, (matters, steps, entries), strict=True):
                    cur.executemany(statement, rows)
            matters, steps, entries = [], [], []
            print(f"  {i + 1:,} decisions … {time.perf_counter() - t0:.0f} s", flush=True)
    if pg:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('procedures_matter', 'id'),"
                " (SELECT max(id) FROM procedures_matter))"
            )
    t1 = time.perf_counter()
    _index_after_load()
    print(f"  full text indexes built in {time.perf_counter() - t1:.0f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"built {total:,} decisions in {time.perf_counter() - t0:.0f} s")


def copy_from_sqlite(path: Path) -> None:
    """PostgreSQL: the same decisions as the SQLite build (``path``), copied by COPY."""
    import sqlite3

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    build_district()
    if Matter.objects.filter(procedure=search.PROCEDURE).exists():
        return
    src = sqlite3.connect(path)
    ours = {name: pk for pk, name in OrgUnit.objects.values_list("pk", "name")}
    org = {pk: ours[name] for pk, name in src.execute("SELECT id, name FROM core_orgunit")}
    tables = (
        ("procedures_matter", MATTER_COLUMNS, ("org_id",)),
        ("procedures_step", STEP_COLUMNS, ("org_id",)),
        ("enforcement_disclosureentry", ENTRY_COLUMNS, ("organ_id",)),
    )
    with transaction.atomic(), connection.cursor() as cur:
        for table, columns, org_columns in tables:
            names = [c for c, _ in columns]
            at = [names.index(c) for c in org_columns]
            quoted = ", ".join(connection.ops.quote_name(c) for c in names)
            select = f"SELECT {quoted} FROM {table}"  # noqa: S608 - constant columns
            if table == "procedures_matter":
                select += " WHERE procedure = 'enforcement_decision'"
            n = 0
            with cur.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in src.execute(select):
                    values = list(row)
                    for i in at:
                        values[i] = org[values[i]]
                    copy.write_row(values)
                    n += 1
            print(f"  {table}: {n:,} rows … {time.perf_counter() - t0:.0f} s", flush=True)
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('procedures_matter', 'id'),"
            " (SELECT max(id) FROM procedures_matter))"
        )
    t1 = time.perf_counter()
    _index_after_load()
    print(f"  full text indexes built in {time.perf_counter() - t1:.0f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"copied in {time.perf_counter() - t0:.0f} s")


def _drop_text_indexes() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for sql in MIGRATION.SQLITE_BACK:
                if "TRIGGER" in sql:
                    cur.execute(sql)
        else:
            for sql in MIGRATION.POSTGRES_BACK:
                cur.execute(sql)


def _index_after_load() -> None:
    """The migration's text indexes, built once over the loaded entries (fast bulk load)."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for table in (search.FTS_TABLE, search.BIGRAM_TABLE):
                cur.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")  # noqa: S608
            for sql in MIGRATION.SQLITE:
                if sql.startswith("CREATE TRIGGER"):
                    cur.execute(sql)
        else:
            cur.execute("SET maintenance_work_mem = '512MB'")
            for sql in MIGRATION.POSTGRES:
                cur.execute(sql)


# --- measuring -----------------------------------------------------------------------------


def p95(times: list[float]) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def timed(fn: Callable[[Any], Any], values: list[Any]) -> tuple[float, float, Any]:
    for v in values[:3]:
        fn(v)
    times, last = [], None
    for v in values:
        t0 = time.perf_counter()
        last = fn(v)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), p95(times), last


def timed_search(values: list[dict[str, Any]]) -> tuple[float, float, float, float, int]:
    """The search as the page runs it, in two parts: the index's answer (``public.disclosed``
    → ``search.find``, the capped count and the first page of 20 entries), then the page's
    decisions (``search.matters_of``, ``public.public_decision``: masking, steps)."""
    for v in values[:3]:
        _search(v)
    found, whole, matches = [], [], 0
    for v in values:
        t0 = time.perf_counter()
        page = _search(v)
        t1 = time.perf_counter()
        decisions = [public.public_decision(m) for m in search.matters_of(page.object_list)]
        t2 = time.perf_counter()
        assert len(decisions) == len(page.object_list)
        found.append((t1 - t0) * 1000)
        whole.append((t2 - t0) * 1000)
        matches = page.paginator.count
    return statistics.median(found), p95(found), statistics.median(whole), p95(whole), matches


def _search(params: dict[str, Any]) -> Any:
    qs = public.disclosed(today=TODAY, **params)
    page = search.page_of(qs, "1")
    page.object_list = list(page.object_list)
    return page


def cases(rng: random.Random, runs: int) -> list[tuple[str, list[dict[str, Any]]]]:
    sample = list(
        DisclosureEntry.objects.filter(credit_code__gt="")
        .order_by("?" if connection.vendor == "postgresql" else "matter_id")
        .values("party", "credit_code", "decision_number", "organ_id")[:5000]
    )
    rng.shuffle(sample)
    units = [u.pk for u in organs()]
    kinds = [k for k, _ in TYPES[:5]]

    def month() -> tuple[date, date]:
        start = FIRST + timedelta(days=rng.randrange(SPAN - 31))
        return start, start + timedelta(days=30)

    def shop(name: str, n: int = 2) -> str:
        """The shop name (字号) of ``name``, and with ``n`` = 4 the trade's first two."""
        for place in sorted(PLACES, key=len, reverse=True):
            if name.startswith(place):
                return name[len(place) : len(place) + n]
        return name[:n]

    out: list[tuple[str, list[dict[str, Any]]]] = []
    s = sample[:runs]
    out.append(("party name, 2 characters (shop name)", [{"query": shop(e["party"])} for e in s]))
    out.append(("party name, 4 characters", [{"query": shop(e["party"], 4)} for e in s]))
    out.append(("party name, full", [{"query": e["party"]} for e in s]))
    out.append(("credit code", [{"query": e["credit_code"]} for e in s]))
    out.append(("decision number fragment", [{"query": e["decision_number"][-9:]} for e in s]))
    out.append(("organ", [{"organ": rng.choice(units)} for _ in s]))
    out.append(("type", [{"action_type": rng.choice(kinds)} for _ in s]))
    out.append(
        (
            "date range (30 days)",
            [dict(zip(("date_from", "date_to"), month(), strict=True)) for _ in s],
        )
    )
    out.append(
        (
            "name 2 chars + organ",
            [{"query": shop(e["party"]), "organ": rng.choice(units)} for e in s],
        )
    )
    out.append(
        (
            "name 2 chars + type + date range",
            [
                {"query": shop(e["party"]), "action_type": rng.choice(kinds),
                 **dict(zip(("date_from", "date_to"), month(), strict=True))}
                for e in s
            ],
        )
    )  # fmt: skip
    out.append(
        (
            "organ + type + date range",
            [
                {"organ": rng.choice(units), "action_type": rng.choice(kinds),
                 **dict(zip(("date_from", "date_to"), month(), strict=True))}
                for _ in s
            ],
        )
    )  # fmt: skip
    out.append(("no filter (the list)", [{} for _ in s]))
    out.append(("common fragment (trade, 2 chars)", [{"query": rng.choice(TRADES)} for _ in s]))
    out.append(("very common fragment 有限公司 (worst case)", [{"query": "有限公司"} for _ in s]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true", help="delete and rebuild the data")
    parser.add_argument("--total", type=int, default=TOTAL)
    parser.add_argument(
        "--from-sqlite",
        type=Path,
        help="PostgreSQL: copy the decisions of this SQLite build instead of generating them",
    )
    parser.add_argument("--build-only", action="store_true", help="build the data, measure nothing")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.rebuild:
        if connection.vendor == "sqlite":
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{DB}{suffix}").unlink(missing_ok=True)
        else:
            call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    if not Matter.objects.filter(procedure=search.PROCEDURE).exists():
        _drop_text_indexes()
    if args.from_sqlite and connection.vendor == "postgresql":
        copy_from_sqlite(args.from_sqlite)
    else:
        build(args.total)
    if args.build_only:
        return
    if connection.vendor == "postgresql":  # as autovacuum would: visibility map, statistics
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE enforcement_disclosureentry")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE enforcement_disclosureentry")
    speed_before = machine.loop_ns()
    with clock.frozen(TODAY):
        total = DisclosureEntry.objects.count()
        shown = DisclosureEntry.objects.filter(shown_until__gt=TODAY).count()
        db = f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}"
        print(f"\n{machine.describe()}; database {db}")
        print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"{total:,} entries on the index, {shown:,} shown on {TODAY}")
        rng = random.Random(SEED + 1)
        decisions = Matter.objects.filter(procedure=search.PROCEDURE).count()
        refs = [f"ZF-{rng.randrange(1, decisions + 1):07d}" for _ in range(args.runs)]
        print(
            "\n| query | search: median | search: p95 | with the page's decisions: median"
            " | p95 | matches (last run, counted to 10,000) |\n|---|---|---|---|---|---|"
        )
        med, p, _ = timed(
            lambda r: Matter.objects.get(procedure=search.PROCEDURE, reference=r).pk, refs
        )
        print(
            f"| plain indexed lookup (decision by reference) | {med:.1f} ms | {p:.1f} ms | | | 1 |"
        )
        measured = cases(rng, args.runs)
        for label, values in measured:
            med, p, wmed, wp, n = timed_search(values)
            print(
                f"| {label} | {med:.1f} ms | {p:.1f} ms | {wmed:.1f} ms | {wp:.1f} ms | {n:,} |",
                flush=True,
            )
        client = Client()
        print("\n| whole page (test client) | median | p95 |\n|---|---|---|")
        for label, values in measured[:1] + measured[3:4] + measured[9:10] + measured[11:12]:
            params = [{k: str(v) for k, v in d.items()} for d in values]
            for d in params:
                if "query" in d:
                    d["q"] = d.pop("query")
                if "action_type" in d:
                    d["type"] = d.pop("action_type")
                if "date_from" in d:
                    d["from"], d["to"] = d.pop("date_from"), d.pop("date_to")

            def get(d: dict[str, str]) -> int:
                response = client.get("/zhifa/gongshi/", d)
                assert response.status_code == 200
                return response.status_code

            med, p, _ = timed(get, params)
            print(f"| {label} | {med:.1f} ms | {p:.1f} ms |", flush=True)
    print(f"\nCPU speed index {speed_before:.1f} → {machine.loop_ns():.1f} ns/loop")
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
