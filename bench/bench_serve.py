"""`fazhi serve` and `fazhi worker` together: a workbench import of a large file runs in the
worker while the site keeps answering, and its report appears (docs/benchmarks.md).

    python bench/bench_serve.py [--lines 100000] [--database-url postgres://…/fazhi_bench]
                                [--port 9338] [--web-workers 2] [--threads 4]

In a fresh temporary installation (SQLite by default; a PostgreSQL database given is dropped
and created again): `fazhi demo --no-serve --no-records`, a generated import file
(bench/gen_import.py), then `fazhi serve` and `fazhi worker` as subprocesses. An office user
logs in over HTTP and uploads the file on the import page; while the worker imports, a prober
asks for the public home page, the workbench home and the job's status part (as htmx does)
one after another, and a fresh login (a write: the session row), and records each answer's
status and time. At the end the job's page must
show the counts; the script prints the import's speed and the probes' latencies beside the
same probes before the upload.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe, loop_ns

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "fazhi-demo-2024"  # noqa: S105 the demo's logins (fazhi/core/demo.py)


def fazhi(env: dict[str, str], *args: str, cwd: Path) -> str:
    done = subprocess.run(  # noqa: S603 our own command
        [sys.executable, "-m", "fazhi", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"fazhi {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def start(env: dict[str, str], cwd: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 our own command
        [sys.executable, "-m", "fazhi", *args],
        env=env,
        cwd=cwd,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def wait_up(base: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            requests.get(f"{base}/", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit("fazhi serve did not answer")


def log_in(base: str, username: str) -> requests.Session:
    s = requests.Session()
    s.get(f"{base}/accounts/login/", timeout=10)
    r = s.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": s.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    if "/workbench/" not in r.url:
        raise SystemExit(f"login failed: {r.status_code} {r.url}")
    return s


class Prober(threading.Thread):
    """Asks for each URL in turn until stopped: (url, status, seconds) of every answer."""

    def __init__(self, session: requests.Session, urls: list[tuple[str, dict[str, str]]]) -> None:
        super().__init__(daemon=True)
        self.session, self.urls = session, urls
        self.results: list[tuple[str, int, float]] = []
        self.halt = threading.Event()
        self.login_url = ""

    def run(self) -> None:
        while not self.halt.is_set():
            for url, headers in self.urls:
                t = time.perf_counter()
                try:
                    status = self.session.get(url, headers=headers, timeout=30).status_code
                except requests.RequestException:
                    status = 0
                self.results.append((url, status, time.perf_counter() - t))
            if self.login_url:
                # a write: a fresh login stores a session (and the lockout's records)
                t = time.perf_counter()
                try:
                    fresh = requests.Session()
                    fresh.get(self.login_url, timeout=30)
                    r = fresh.post(
                        self.login_url,
                        data={
                            "username": "jingban",
                            "password": PASSWORD,
                            "csrfmiddlewaretoken": fresh.cookies.get("csrftoken", ""),
                        },
                        headers={"Referer": self.login_url},
                        timeout=30,
                        allow_redirects=False,
                    )
                    status = 200 if r.status_code == 302 else r.status_code
                except requests.RequestException:
                    status = 0
                self.results.append((self.login_url + " (POST)", status, time.perf_counter() - t))
            time.sleep(0.05)


def summary(results: list[tuple[str, int, float]], base: str) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for url in sorted({u for u, _, _ in results}):
        times = sorted(t for u, _, t in results if u == url)
        bad = sum(1 for u, s, _ in results if u == url and not 200 <= s < 300)
        out[url.replace(base, "")] = {
            "n": len(times),
            "errors": bad,
            "p50_ms": round(1000 * statistics.median(times), 1),
            "p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))], 1),
            "max_ms": round(1000 * times[-1], 1),
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--port", type=int, default=9338)
    ap.add_argument("--web-workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--baseline-seconds", type=float, default=10)
    args = ap.parse_args()

    print(describe())
    speed_before = loop_ns()
    work = Path(tempfile.mkdtemp(prefix="fazhi-bench-serve-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    env.update(
        FAZHI_VAR_DIR=str(work / "var"),
        FAZHI_MEDIA_ROOT=str(work / "media"),
        FAZHI_LOCAL_CONFIG="off",
        FAZHI_SECRET_KEY="bench-" + "k" * 44,
        FAZHI_ALLOWED_HOSTS="127.0.0.1,localhost",
        FAZHI_SECURE_COOKIES="0",
        FAZHI_ACCESS_LOG=str(work / "access.log"),
        FAZHI_LOG_LEVEL="WARNING",
        FAZHI_LOGIN_FAILURE_LIMIT="1000",
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
    print(f"database: {db}; folder: {work}")

    fazhi(env, "demo", "--no-serve", "--no-records", "-v", "0", cwd=work)
    data = work / f"import-{args.lines}.jsonl"
    t = time.perf_counter()
    subprocess.run(  # noqa: S603 our own script
        [sys.executable, str(ROOT / "bench" / "gen_import.py"), str(args.lines), str(data)],
        env=env,
        cwd=work,
        check=True,
    )
    print(
        f"file: {args.lines} lines, {data.stat().st_size / 1e6:.1f} MB ({time.perf_counter() - t:.1f} s)"
    )

    base = f"http://127.0.0.1:{args.port}"
    web = start(
        env, work, work / "serve.log", "serve", "--bind", f"127.0.0.1:{args.port}",
        "--workers", str(args.web_workers), "--threads", str(args.threads),
    )  # fmt: skip
    worker = start(env, work, work / "worker.log", "worker", "--interval", "0.5")
    try:
        wait_up(base)
        office = log_in(base, "fazhiban")
        probe_session = log_in(base, "fazhiban")
        probes = [(f"{base}/", {}), (f"{base}/workbench/", {})]

        before = Prober(probe_session, probes)
        before.login_url = f"{base}/accounts/login/"
        before.start()
        time.sleep(args.baseline_seconds)
        before.halt.set()
        before.join()

        t_upload = time.perf_counter()
        with data.open("rb") as f:
            r = office.post(
                f"{base}/workbench/io/import/",
                files={"file": (data.name, f, "application/x-ndjson")},
                data={"csrfmiddlewaretoken": office.cookies["csrftoken"]},
                headers={"Referer": f"{base}/workbench/io/import/"},
                timeout=600,
            )
        upload_s = time.perf_counter() - t_upload
        match = re.search(r"/workbench/jobs/(\d+)/$", r.url)
        if r.status_code != 200 or match is None:
            raise SystemExit(f"upload failed: {r.status_code} {r.url}\n{r.text[:500]}")
        job_url = r.url
        htmx = {"HX-Request": "true"}
        during = Prober(probe_session, [*probes, (job_url, htmx)])
        during.login_url = f"{base}/accounts/login/"
        during.start()
        t0 = time.perf_counter()
        started = None
        seen_progress: list[str] = []
        while True:
            part = office.get(job_url, headers=htmx, timeout=30).text
            state = re.search(r'data-status="(\w+)"', part)
            status = state.group(1) if state else "?"
            if status == "running" and started is None:
                started = time.perf_counter()
            figures = re.search(r"(\d+) / (\d+) 行", part)
            if figures and (not seen_progress or seen_progress[-1] != figures.group(0)):
                seen_progress.append(figures.group(0))
            if status in ("done", "failed"):
                break
            if time.perf_counter() - t0 > 3600:
                raise SystemExit("the import did not finish within an hour")
            time.sleep(1)
        finished = time.perf_counter()
        during.halt.set()
        during.join()
        page = office.get(job_url, timeout=30).text
        counts = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', page))
        timing = fazhi(
            env,
            "shell",
            "-c",
            "import json; from fazhi.core.models import Job; j = Job.objects.get(pk=%s); "
            "print(json.dumps({'seconds': (j.finished_at - j.started_at).total_seconds(), "
            "'status': j.status, 'message': j.message}))".replace("pk=%s", f"pk={match.group(1)}"),
            cwd=work,
        )
        job = json.loads(timing.strip().splitlines()[-1])
    finally:
        stop(worker)
        stop(web)
    speed_after = loop_ns()

    report = {
        "database": db,
        "lines": args.lines,
        "web": f"{args.web_workers} processes x {args.threads} threads",
        "upload_s": round(upload_s, 2),
        "queued_s": round((started or finished) - t0, 1),
        "import_s (worker, Job.started_at..finished_at)": round(job["seconds"], 1),
        "matters_per_s": round(args.lines / job["seconds"]),
        "status": job["status"],
        "message": job["message"],
        "figures_on_job_page": counts,
        "progress_seen": [*seen_progress[:3], "…", *seen_progress[-2:]]
        if len(seen_progress) > 5
        else seen_progress,
        "probes_before": summary(before.results, base),
        "probes_during_import": summary(during.results, base),
        "cpu_loop_ns_before_after": [round(speed_before, 1), round(speed_after, 1)],
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    errors = sum(v["errors"] for v in report["probes_during_import"].values())
    if job["status"] != "done" or errors or counts.get("新增事项") != str(args.lines):
        raise SystemExit("FAILED: see above")


if __name__ == "__main__":
    main()
