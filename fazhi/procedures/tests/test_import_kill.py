"""#19 defect 13: ``kill -9`` of ``fazhi import`` mid-way, on SQLite and on PostgreSQL.

Before: the forked workers lived on; on PostgreSQL they held the import's session (its open
transaction and row locks) through the socket they inherited, so a rerun waited on them; the
ImportRun row stayed "running" forever. Now: the workers die with their parent, the database
is as before, the run is marked failed when the next import (or ``fazhi import runs``) looks,
and a rerun completes.

The import runs in a subprocess against a database of its own (a SQLite file, or a scratch
PostgreSQL database beside the test database), migrated by ``migrate`` like a deployment.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from fazhi.procedures import importing
from fazhi.procedures.tests.test_import import complaint

pytestmark = pytest.mark.skipif(not importing._CAN_FORK, reason="no fork on this platform")

LINES = (
    20_000  # about 2 s of import on this machine (6 MB, parallel): long enough to kill it mid-way
)

_STATE = """
import json, django
django.setup()
from fazhi.procedures.models import ImportRun, Matter, Step
print(json.dumps({
    "matters": Matter.objects.count(),
    "steps": Step.objects.count(),
    "runs": list(ImportRun.objects.order_by("pk").values_list("status", flat=True)),
}))
"""
_SEED = """
import django
django.setup()
from fazhi.core.models import OrgKind, OrgUnit
OrgUnit.objects.create(name="测试区人民政府", kind=OrgKind.GOVERNMENT, division_code="220302")
"""


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    """A database URL of the test's own, empty database (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'kill.sqlite3'}"
        return
    import psycopg

    s = connection.settings_dict
    name = f"fazhi_kill_{uuid.uuid4().hex[:10]}"
    params = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"]}
    if s["PASSWORD"]:
        params["password"] = s["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = f"{s['USER']}:{s['PASSWORD']}@" if s["PASSWORD"] else f"{s['USER']}@"
    try:
        yield f"postgres://{auth}{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == pid:
                found.append(int(entry))
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie (an orphan's zombie waits for its reaper)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to see the workers")
def test_kill_9_mid_import(tmp_path: Path, scratch_url: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": scratch_url,
        "DJANGO_SETTINGS_MODULE": "fazhi.settings_test",
        "FAZHI_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("FAZHI_TEST_DB_NAME", None)

    def run(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 our own interpreter and arguments
            [sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout
        )

    def state() -> dict[str, object]:
        done = run("-c", _STATE)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert run("-m", "django", "migrate", "-v0").returncode == 0
    assert run("-c", _SEED).returncode == 0
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(LINES):
            out.write(json.dumps(complaint(f"YS-2025-{i:06d}"), ensure_ascii=False) + "\n")
    before = state()

    importer = subprocess.Popen(  # noqa: S603 our own interpreter and arguments
        [sys.executable, "-m", "django", "import", str(path), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(_children(importer.pid)) < 2 and importer.poll() is None:
        assert time.monotonic() < deadline, "the import's workers never started"
        time.sleep(0.05)
    workers = _children(importer.pid)
    time.sleep(1.0)  # batches replayed and written, the transaction still open
    assert importer.poll() is None, f"the import of {LINES} lines ended before it was killed"
    os.kill(importer.pid, signal.SIGKILL)
    importer.wait()

    deadline = time.monotonic() + 10
    while any(_running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _running(w)], "the workers outlived their parent"

    after = state()
    assert (after["matters"], after["steps"]) == (before["matters"], before["steps"]) == (0, 0)
    assert after["runs"] == ["running"]  # until someone looks

    listing = run("-m", "django", "import", "runs", timeout=60)
    assert listing.returncode == 0, listing.stderr
    assert "进程已不在" in listing.stderr
    assert state()["runs"] == ["failed"]

    rerun = run("-m", "django", "import", str(path), "--quiet")  # would wait on orphans' locks
    assert rerun.returncode == 0, rerun.stderr
    final = state()
    assert final["matters"] == LINES
    assert final["runs"] == ["failed", "done"]


@pytest.mark.django_db
def test_a_worker_lets_go_of_the_parents_connection() -> None:
    """In a forked worker the inherited PostgreSQL socket is pointed at /dev/null (so the
    worker cannot keep the parent's session open) without ending the parent's session."""
    from fazhi.procedures.importing import parallel

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    raw = connection.connection
    fd = raw.fileno() if connection.vendor == "postgresql" else None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(read)
        try:
            parallel._let_go_of_connections()
            target = os.readlink(f"/proc/self/fd/{fd}") if fd is not None else ""
            forgotten = connection.connection is None
            os.write(write, json.dumps([target, forgotten]).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        target, forgotten = json.loads(pipe.read())
    os.waitpid(pid, 0)
    assert forgotten
    if fd is not None:
        assert target == os.devnull
    with connection.cursor() as cursor:  # the parent's session is untouched
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)
    assert connection.connection is raw


@pytest.mark.django_db(transaction=True)  # the PostgreSQL checker is another session
def test_stale_runs_are_marked_failed_and_live_ones_kept() -> None:
    from fazhi.core.models import AuditEvent
    from fazhi.procedures.importing import liveness
    from fazhi.procedures.models import ImportRun

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    here = liveness.this_process()
    dead = ImportRun.objects.create(file_name="dead.jsonl", format="jsonl", pid=gone.pid)
    old = ImportRun.objects.create(file_name="old.jsonl", format="jsonl")  # before pids
    lease = liveness.new_lease()
    with liveness.held_lease(lease):
        live = ImportRun.objects.create(
            file_name="live.jsonl",
            format="jsonl",
            lease=lease if connection.vendor == "postgresql" else None,
            **here,
        )
        if connection.vendor == "postgresql":
            # the checker is another session: this one's own lock would be re-entrant
            import threading

            from django.db import connections

            found: list[list[int]] = []

            def check() -> None:
                try:
                    found.append([r.pk for r in liveness.mark_stale_runs()])
                finally:
                    connections.close_all()

            t = threading.Thread(target=check)
            t.start()
            t.join()
            stale = found[0]
        else:
            stale = [r.pk for r in liveness.mark_stale_runs()]
    assert sorted(stale) == sorted([dead.pk, old.pk])
    statuses = dict(ImportRun.objects.values_list("file_name", "status"))
    assert statuses == {"dead.jsonl": "failed", "old.jsonl": "failed", "live.jsonl": "running"}
    assert AuditEvent.objects.filter(action="matter.import_interrupted").count() == 2
    assert live.pk not in stale
