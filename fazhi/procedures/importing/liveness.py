"""Whether the process of a "running" import is still there; runs whose process is gone are
marked failed (``mark_stale_runs``, called by every import and by ``fazhi import runs``).

An import writes in one transaction, so its run row cannot be updated while it works (on
SQLite the import holds the only write lock; a heartbeat row would wait for it). The lease is
therefore held by the process itself:

- PostgreSQL: the import's connection holds a session advisory lock (``lease``) from before
  its run row exists until it ends. When the process dies its connection closes and the lock
  goes with it, on whatever machine it ran; a checker that can take the lock knows the owner
  is gone. (The forked workers hold no copy of the connection: parallel.py.)
- SQLite: the database is a local file, so the importer is on this machine: the run's
  ``pid`` must be alive and must have started before the run did (a reused pid started later).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sys
from collections.abc import Iterator

from django.db import connection

from fazhi.core import audit, clock
from fazhi.procedures.models import ImportRun

LEASE_CLASS = 0x46415A48  # 'FAZH': the advisory locks' first key, apart from other users'
_START_SLACK_SECONDS = 2.0  # clock ticks and the run row's timestamp differ by this much


def new_lease() -> int:
    return secrets.randbelow(2**31 - 1) + 1


@contextlib.contextmanager
def held_lease(lease: int) -> Iterator[None]:
    """Hold ``lease`` (PostgreSQL session advisory lock) for the duration; no-op elsewhere."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LEASE_CLASS, lease])
    try:
        yield
    finally:
        with contextlib.suppress(Exception), connection.cursor() as cursor:
            # a broken connection has released it already
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LEASE_CLASS, lease])


def _process_start(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), where /proc tells; else None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/stat", encoding="ascii") as f:
            boot = next(float(line.split()[1]) for line in f if line.startswith("btime "))
        return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/stat", encoding="ascii") as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":  # a zombie has ended
                return False
    return True


def is_alive(run: ImportRun) -> bool:
    """Whether the process doing ``run`` is still there (True when it cannot be known)."""
    if connection.vendor == "postgresql" and run.lease:
        with connection.cursor() as cursor:
            # a transaction-level try: released at once by the checker's own transaction
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LEASE_CLASS, run.lease])
            (free,) = cursor.fetchone()
        return not free
    if run.pid is None:
        return False  # a run from before runs recorded their process: nobody will finish it
    if run.host and run.host != socket.gethostname():
        return True  # another machine's process: cannot be checked from here
    if not _pid_alive(run.pid):
        return False
    started = _process_start(run.pid)
    return started is None or started <= run.started_at.timestamp() + _START_SLACK_SECONDS


def mark_stale_runs() -> list[ImportRun]:
    """Mark every "running" import whose process is gone as failed; returns those runs."""
    stale = [
        r for r in ImportRun.objects.filter(status=ImportRun.Status.RUNNING) if not is_alive(r)
    ]
    for run in stale:
        run.status = ImportRun.Status.FAILED
        run.finished_at = clock.now()
        run.save(update_fields=["status", "finished_at"])
        audit.record(
            "matter.import_interrupted",
            run,
            label="系统",
            data={"file": run.file_name, "pid": run.pid, "host": run.host},
        )
    return stale


def this_process() -> dict[str, object]:
    """The run row's fields naming this process."""
    return {"pid": os.getpid(), "host": socket.gethostname()[:255]}


__all__ = ["held_lease", "is_alive", "mark_stale_runs", "new_lease", "this_process"]
