"""Load without loss (#19): public submissions and staff actions at 64 concurrent connections
against `fazhi serve` (gunicorn), beside a bare Django view on the same server in the same run.

    python bench/bench_load.py [--database-url postgres://…/fazhi_load] [--seconds 120]
                               [--connections 64] [--web-workers 2] [--threads 8]

A fresh temporary installation (SQLite by default; a PostgreSQL database given is dropped
and created again) with the demo's district and logins. Three phases, each with every
connection its own thread and its own keep-alive connection:

1. bare: ``GET /healthz/`` (a view that returns "ok": Django's request cycle and middleware,
   no database) — the ceiling of this server;
2. intake: the public form ``POST /help/`` (办不成事请找我), each with a marker in its text;
3. mixed, for ``--seconds``: half the connections submit on the public form, half are client
   systems and staff on the API: create a matter with an ``Idempotency-Key`` and send the same
   request again (a retry), then accept it with a key, and retry that too.

Checked at the end, in the database: every request was answered 2xx or 429 (the public
limit, set high here so that throughput is measured, not the limit); every accepted public
submission is stored exactly once and no refused one is stored; every API create and its
retry gave the same matter, and exists once; every accept and its retry wrote one step.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_serve import fazhi, start, stop, wait_up
from machine import describe, loop_ns

ROOT = Path(__file__).resolve().parent.parent


class Client:
    """One keep-alive HTTP connection with its cookies (a browser tab, or a client system)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.HTTPException, OSError):
                # the server closed an idle keep-alive connection (max_requests, timeout):
                # reconnect; a request that reached the server is never sent twice here
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    return 0, {}, b""
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.statuses: dict[str, dict[int, int]] = {}
        self.accepted: list[str] = []  # public markers answered 302 (stored)
        self.refused: list[str] = []  # public markers answered 429
        self.api: list[tuple[str, int, int]] = []  # (subject, first id, retry id)
        self.steps: list[tuple[int, int, int]] = []  # (matter, first step, retry step)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            counts = self.statuses.setdefault(kind, {})
            counts[status] = counts.get(status, 0) + 1


def public_form(c: Client) -> str:
    status, _, _ = c.request("GET", "/help/")
    assert status == 200, status
    return c.cookies["csrftoken"]


def submit(c: Client, token: str, marker: str, tally: Tally, kind: str) -> None:
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "kind": "help",
            "party_kind": "person",
            "name": "张三",
            "phone": "13800138000",
            "id_number": "",
            "subject": "办理营业执照变更跑了三次",
            "content": f"在政务大厅办理营业执照变更，材料齐全却被要求反复补充。{marker}",
            "website": "",
        }
    ).encode()
    t = time.perf_counter()
    status, headers, _ = c.request(
        "POST",
        "/help/",
        body,
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/help/"},
    )
    ok = status == 302 and headers.get("location", "").endswith("/submitted/")
    tally.add(kind, 200 if ok else status, time.perf_counter() - t)
    with tally.lock:
        (tally.accepted if ok else tally.refused if status == 429 else []).append(marker)


def api(c: Client, token: str, path: str, payload: dict[str, object], key: str) -> tuple[int, dict]:
    status, _, data = c.request(
        "POST",
        path,
        json.dumps(payload).encode(),
        {
            "Content-Type": "application/json",
            "Authorization": f"Token {token}",
            "Idempotency-Key": key,
        },
    )
    try:
        return status, json.loads(data or b"{}")
    except ValueError:
        return status, {}


def staff_round(c: Client, token: str, n: int, tally: Tally) -> None:
    subject = f"接口压测 {uuid.uuid4().hex[:12]}"
    payload = {"procedure": "help_request", "subject": subject, "channel": "api",
               "details": {"kind": "help", "content": f"压测 {n}"}}  # fmt: skip
    key = uuid.uuid4().hex
    ids = []
    for attempt in ("create", "create-retry"):
        t = time.perf_counter()
        status, data = api(c, token, "/api/v1/matters/", payload, key)
        tally.add(attempt, status, time.perf_counter() - t)
        ids.append(int(data.get("id") or 0) if status == 201 else 0)
    with tally.lock:
        tally.api.append((subject, ids[0], ids[1]))
    if not ids[0]:
        return
    key = uuid.uuid4().hex
    steps = []
    for attempt in ("accept", "accept-retry"):
        t = time.perf_counter()
        status, data = api(
            c, token, f"/api/v1/matters/{ids[0]}/actions/", {"action": "accept"}, key
        )
        tally.add(attempt, status, time.perf_counter() - t)
        steps.append(int((data.get("step") or {}).get("seq") or 0) if status == 201 else 0)
    with tally.lock:
        tally.steps.append((ids[0], steps[0], steps[1]))


def run_phase(name: str, port: int, connections: int, seconds: float, work) -> tuple[Tally, float]:
    tally = Tally()
    stop_at = time.monotonic() + seconds
    barrier = threading.Barrier(connections + 1)

    def loop(i: int) -> None:
        c = Client(port)
        state = work(c, i, None, tally, setup=True)
        barrier.wait()
        n = 0
        while time.monotonic() < stop_at:
            work(c, i, n, tally, state=state)
            n += 1

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(connections)]
    for th in threads:
        th.start()
    barrier.wait()
    t0 = time.monotonic()
    for th in threads:
        th.join()
    return tally, time.monotonic() - t0


def stats(tally: Tally, elapsed: float) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for kind, times in sorted(tally.times.items()):
        times = sorted(times)
        out[kind] = {
            "requests": len(times),
            "per_s": round(len(times) / elapsed, 1),
            "p50_ms": round(1000 * statistics.median(times)),
            "p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))]),
            "statuses": tally.statuses[kind],
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", default="")
    ap.add_argument("--port", type=int, default=9339)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--phase-seconds", type=float, default=20)
    ap.add_argument("--web-workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args()

    print(describe())
    speed_before = loop_ns()
    work = Path(tempfile.mkdtemp(prefix="fazhi-bench-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    env.update(
        FAZHI_VAR_DIR=str(work / "var"),
        FAZHI_MEDIA_ROOT=str(work / "media"),
        FAZHI_LOCAL_CONFIG="off",
        FAZHI_SECRET_KEY="bench-" + "k" * 44,
        FAZHI_ALLOWED_HOSTS="127.0.0.1,localhost",
        FAZHI_SECURE_COOKIES="0",
        FAZHI_ACCESS_LOG="/dev/null",
        FAZHI_LOG_LEVEL="WARNING",
        FAZHI_PUBLIC_RATE_PER_MINUTE="100000000",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
        name = args.database_url.rsplit("/", 1)[1]
        admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)  # noqa: S603,S607
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)  # noqa: S603,S607
    db = "PostgreSQL" if args.database_url else "SQLite"
    print(f"database: {db}; folder: {work}; {args.connections} connections")
    fazhi(env, "demo", "--no-serve", "--no-records", "-v", "0", cwd=work)
    token = fazhi(env, "api", "token", "fazhiban", cwd=work).strip().splitlines()[-1]

    web = start(
        env, work, work / "serve.log", "serve", "--bind", f"127.0.0.1:{args.port}",
        "--workers", str(args.web_workers), "--threads", str(args.threads),
    )  # fmt: skip
    results: dict[str, object] = {"database": db, "connections": args.connections,
                                  "web": f"{args.web_workers} processes x {args.threads} threads"}  # fmt: skip
    try:
        wait_up(f"http://127.0.0.1:{args.port}")

        def bare(c, i, n, tally, setup=False, state=None):
            if setup:
                return None
            t = time.perf_counter()
            status, _, _ = c.request("GET", "/healthz/")
            tally.add("bare GET /healthz/", status, time.perf_counter() - t)

        def intake(c, i, n, tally, setup=False, state=None):
            if setup:
                return public_form(c)
            submit(c, state, f"[P1-{i}-{n}]", tally, "intake POST /help/")

        def mixed(c, i, n, tally, setup=False, state=None):
            if i % 2 == 0:
                if setup:
                    return public_form(c)
                submit(c, state, f"[M-{i}-{n}]", tally, "public POST /help/")
            elif not setup:
                staff_round(c, token, n, tally)
            return None

        t_bare, s_bare = run_phase("bare", args.port, args.connections, args.phase_seconds, bare)
        t_in, s_in = run_phase("intake", args.port, args.connections, args.phase_seconds, intake)
        t_mix, s_mix = run_phase("mixed", args.port, args.connections, args.seconds, mixed)
    finally:
        stop(web)

    # --- what the database holds ---------------------------------------------------------
    markers = sorted(set(t_in.accepted + t_in.refused + t_mix.accepted + t_mix.refused))
    check = work / "check.py"
    check.write_text(
        "import json, re, sys\n"
        "from collections import Counter\n"
        "from fazhi.procedures.models import Matter, Step\n"
        "seen = Counter()\n"
        "for text in Matter.objects.filter(procedure='help_request').values_list('details', flat=True):\n"
        "    for m in re.findall(r'\\[(?:P1|M)-\\d+-\\d+\\]', json.dumps(text, ensure_ascii=False)):\n"
        "        seen[m] += 1\n"
        "subjects = Counter(Matter.objects.filter(subject__startswith='接口压测').values_list('subject', flat=True))\n"
        "accepts = Counter(Step.objects.filter(action='accept', matter__subject__startswith='接口压测').values_list('matter_id', flat=True))\n"
        "print(json.dumps({'markers': seen, 'subjects': subjects, 'accepts': {str(k): v for k, v in accepts.items()}}))\n"
    )
    held = json.loads(
        fazhi(env, "shell", "-c", f"exec(open({str(check)!r}).read())", cwd=work)
        .strip()
        .splitlines()[-1]
    )
    seen, subjects, accepts = held["markers"], held["subjects"], held["accepts"]
    accepted = set(t_in.accepted + t_mix.accepted)
    lost = [m for m in accepted if seen.get(m, 0) == 0]
    duplicated = [m for m, k in seen.items() if k > 1]
    stored_unanswered = [m for m in seen if m not in accepted]
    api_mismatch = [s for s, a, b in t_mix.api if not a or a != b]
    api_dupes = [s for s, k in subjects.items() if k > 1]
    step_mismatch = [m for m, a, b in t_mix.steps if not a or a != b]
    step_dupes = [m for m, k in accepts.items() if k > 1]
    unanswered = {
        kind: {s: k for s, k in counts.items() if not (200 <= s < 300 or s == 429)}
        for t in (t_bare, t_in, t_mix)
        for kind, counts in t.statuses.items()
    }
    unanswered = {k: v for k, v in unanswered.items() if v}
    bare_rate = len(t_bare.times["bare GET /healthz/"]) / s_bare
    intake_rate = len(t_in.times["intake POST /help/"]) / s_in
    results.update(
        {
            "bare": stats(t_bare, s_bare),
            "intake": stats(t_in, s_in),
            "intake_share_of_bare": f"{100 * intake_rate / bare_rate:.0f} %",
            "mixed": stats(t_mix, s_mix),
            "mixed_seconds": round(s_mix, 1),
            "check": {
                "public_accepted": len(accepted),
                "public_stored": sum(seen.values()),
                "public_lost": len(lost),
                "public_duplicated": len(duplicated),
                "stored_without_2xx": len(stored_unanswered),
                "api_creates": len(t_mix.api),
                "api_retry_other_matter_or_failed": len(api_mismatch),
                "api_duplicated": len(api_dupes),
                "accepts": len(t_mix.steps),
                "accept_retry_other_step_or_failed": len(step_mismatch),
                "accept_duplicated": len(step_dupes),
                "not_2xx_or_429": unanswered,
                "markers_sent": len(markers),
            },
            "cpu_loop_ns_before_after": [round(speed_before, 1), round(loop_ns(), 1)],
        }
    )
    print(json.dumps(results, ensure_ascii=False, indent=2))
    bad = (lost or duplicated or stored_unanswered or api_mismatch or api_dupes or step_mismatch
           or step_dupes or unanswered)  # fmt: skip
    if bad:
        raise SystemExit("FAILED: see the check above")


if __name__ == "__main__":
    main()
