"""Per-request cost of one public submission (#19), in-process: queries, write transactions, ms.

    python bench/profile_intake.py [--n 200] [--database-url postgres://…/fazhi_prof] [--profile]
                                   [--wsgi]

A fresh installation (the demo's district, no records) in a temporary folder; then ``n``
``POST /help/`` through Django's test client (the whole middleware stack, no HTTP server),
each followed by the ``GET /submitted/`` it redirects to. Prints the median ms of the POST and
of the pair, the CPU ms a POST (process time), the queries of one POST and how many of them
are COMMITs / writes.

``--wsgi``: the POSTs go to the WSGI application the way gunicorn calls it, with Django's
request signals, so database connections are opened and closed as in the server (the test
client keeps one connection throughout, which hid a connection per request on SQLite before
2026-12-04); it prints the CPU ms of a POST and of a bare ``GET /healthz/`` beside it.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--show-queries", action="store_true")
    ap.add_argument("--wsgi", action="store_true")
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

    if args.wsgi:
        wsgi_cpu(args.n)
        return
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
    cpu = 0.0
    for i in range(args.n):
        c0 = time.process_time()
        t = time.perf_counter()
        if prof:
            prof.enable()
        r = post(i)
        t1 = time.perf_counter()
        cpu += time.process_time() - c0
        assert c.get(r["Location"]).status_code == 200
        if prof:
            prof.disable()
        post_ms.append((t1 - t) * 1000)
        pair_ms.append((time.perf_counter() - t) * 1000)
    db = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"{db}: POST /help/ median {statistics.median(post_ms):.1f} ms "
        f"(+ GET /submitted/: {statistics.median(pair_ms):.1f} ms), CPU {1000 * cpu / args.n:.1f} "
        f"ms a POST; one POST: {len(sqls)} queries, "
        f"{writes} writes, {begins} BEGIN/SAVEPOINT, {commits} COMMIT; GET /submitted/: "
        f"{len(q2.captured_queries)} queries; load average {os.getloadavg()[0]:.1f}"
    )
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def wsgi_cpu(n: int) -> None:
    """CPU ms of ``POST /help/`` and of ``GET /healthz/`` through the WSGI application."""
    import io
    from urllib.parse import urlencode

    from fazhi.wsgi import application

    def call(method: str, path: str, body: bytes = b"", cookie: str = "") -> tuple[str, list]:
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(body)), "HTTP_COOKIE": cookie,
            "CONTENT_TYPE": "application/x-www-form-urlencoded" if body else "",
            "HTTP_REFERER": "http://127.0.0.1/help/",
        }  # fmt: skip
        answer: dict[str, Any] = {}

        def start_response(status: str, headers: list, exc_info: object = None) -> None:
            answer.update(status=status, headers=headers)

        chunks = application(environ, start_response)
        b"".join(chunks)
        chunks.close()  # request_finished: the connection closed or kept (CONN_MAX_AGE)
        return answer["status"], answer["headers"]

    _, headers = call("GET", "/help/")
    cookie = next(v for k, v in headers if k.lower() == "set-cookie" and "csrftoken=" in v)
    token = cookie.split("csrftoken=", 1)[1].split(";", 1)[0]

    def post(i: int) -> None:
        body = urlencode(
            {
                "csrfmiddlewaretoken": token, "kind": "help", "party_kind": "person",
                "name": "张三", "phone": "13800138000", "id_number": "",
                "subject": "办理营业执照变更跑了三次",
                "content": f"在政务大厅办理营业执照变更，材料齐全却被要求反复补充。w{i}",
                "website": "",
            }
        ).encode()  # fmt: skip
        status, _ = call("POST", "/help/", body, f"csrftoken={token}")
        assert status.startswith("302"), status

    def cpu_ms(work: Any) -> float:
        for i in range(10):
            work(-1 - i)
        start = time.process_time()
        for i in range(n):
            work(i)
        return 1000 * (time.process_time() - start) / n

    post_ms = cpu_ms(post)
    bare_ms = cpu_ms(lambda i: call("GET", "/healthz/"))
    db = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(
        f"{db}, WSGI as gunicorn calls it: POST /help/ {post_ms:.2f} ms CPU, GET /healthz/ "
        f"{bare_ms:.2f} ms CPU ({post_ms / bare_ms:.0f}×); load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
