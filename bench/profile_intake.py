"""Per-request cost of one public submission (#19), in-process: queries, write transactions, ms.

    python bench/profile_intake.py [--n 200] [--database-url postgres://…/fazhi_prof] [--profile]

A fresh installation (the demo's district, no records) in a temporary folder; then ``n``
``POST /help/`` through Django's test client (the whole middleware stack, no HTTP server),
each followed by the ``GET /submitted/`` it redirects to. Prints the median ms of the POST and
of the pair, the queries of one POST and how many of them are COMMITs / writes.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--show-queries", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fazhi-prof-intake-"))
    for k in [k for k in os.environ if k.startswith("FAZHI_")]:
        del os.environ[k]
    os.environ.update(
        FAZHI_VAR_DIR=str(work / "var"),
        FAZHI_MEDIA_ROOT=str(work / "media"),
        FAZHI_LOCAL_CONFIG="off",
        FAZHI_SECRET_KEY="bench-" + "k" * 44,
        FAZHI_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        FAZHI_SECURE_COOKIES="0",
        FAZHI_LOG_LEVEL="WARNING",
        FAZHI_PUBLIC_RATE_PER_MINUTE="100000000",
    )
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        name = args.database_url.rsplit("/", 1)[1]
        admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)  # noqa: S603,S607
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)  # noqa: S603,S607
    subprocess.run(
        [sys.executable, "-m", "fazhi", "demo", "--no-serve", "--no-records", "-v", "0"],
        cwd=work, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    c = Client(enforce_csrf_checks=False)
    assert c.get("/help/").status_code == 200

    def post(i: int):
        return c.post(
            "/help/",
            {
                "kind": "help", "party_kind": "person", "name": "张三", "phone": "13800138000",
                "id_number": "", "subject": "办理营业执照变更跑了三次",
                "content": f"在政务大厅办理营业执照变更，材料齐全却被要求反复补充。m{i}",
                "website": "",
            },
        )  # fmt: skip

    for i in range(5):  # warm caches
        r = post(-i)
        assert r.status_code == 302, r.status_code
        assert c.get(r["Location"]).status_code == 200
    with CaptureQueriesContext(connection) as q:
        r = post(10**6)
    with CaptureQueriesContext(connection) as q2:
        c.get(r["Location"])
    sqls = [x["sql"] for x in q.captured_queries]
    commits = sum(
        1
        for s in sqls
        if s.upper().startswith(("COMMIT", "RELEASE")) and "SAVEPOINT" not in s.upper()
    )
    begins = sum(1 for s in sqls if s.upper().startswith(("BEGIN", "SAVEPOINT")))
    writes = sum(1 for s in sqls if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")))
    if args.show_queries:
        for s in sqls:
            print("  ", s[:160])
    post_ms, pair_ms = [], []
    prof = cProfile.Profile() if args.profile else None
    for i in range(args.n):
        t = time.perf_counter()
        if prof:
            prof.enable()
        r = post(i)
        t1 = time.perf_counter()
        assert c.get(r["Location"]).status_code == 200
        if prof:
            prof.disable()
        post_ms.append((t1 - t) * 1000)
        pair_ms.append((time.perf_counter() - t) * 1000)
    db = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"{db}: POST /help/ median {statistics.median(post_ms):.1f} ms "
        f"(+ GET /submitted/: {statistics.median(pair_ms):.1f} ms); one POST: {len(sqls)} queries, "
        f"{writes} writes, {begins} BEGIN/SAVEPOINT, {commits} COMMIT; GET /submitted/: "
        f"{len(q2.captured_queries)} queries; load average {os.getloadavg()[0]:.1f}"
    )
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
