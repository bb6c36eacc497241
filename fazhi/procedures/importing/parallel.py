"""Replaying a big JSON Lines file in forked worker processes while the import's process
writes (``_replay_in_workers``).

Parsing and replaying a line costs more CPU than writing it, so a big JSONL file is replayed
by forked worker processes while this process writes. The file is cut into chunks of
``batch_size`` lines (by line number, blank lines included); worker i of n replays chunks
i, i + n, i + 2n… (it reads every line but parses only its own) through the same
``Replayer`` (same today, calendar and org units: it is a fork) and sends each chunk's
``_Batch`` — rejected lines, new rows staged (stage.py), the observers' partial sums — in
order, an empty one for a chunk without lines, and a last one with its final sums. This
process takes the chunks in file order and keeps everything else: the transaction, the check
against stored matters (a line whose matter is stored is read again by its offset and
replayed here), the writes, the report, the progress callback and the observers' merge.

A worker dies with this process (``_bind_to_parent``): on Linux the kernel kills it when its
parent ends (``PR_SET_PDEATHSIG``), elsewhere it notices at its next message. It holds no
copy of the database connection: a PostgreSQL socket inherited by a worker kept the import's
session — its transaction and row locks — open after ``kill -9`` of this process, so a rerun
waited on orphans; the worker lets go of it at once (``_let_go_of_connections``).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connections

from fazhi.procedures.importing.batches import _Batch, _final, _replay_chunk
from fazhi.procedures.importing.formats import Record, _oversize, _parse_line, _raw_lines
from fazhi.procedures.importing.replay import Replayer
from fazhi.procedures.importing.report import ImportFileError
from fazhi.procedures.importing.writer import Writer
from fazhi.procedures.signals import ImportObserver

IMPORT_WORKERS = 2  # worker processes for a big file (at most one per CPU)
_QUEUE_BATCHES = 3  # batches a worker may be ahead: bounds the memory the processes hold
_CAN_FORK = "fork" in multiprocessing.get_all_start_methods()
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PUT_POLL_SECONDS = 1.0  # how often a worker blocked on a full queue checks its parent
_inherited: list[Any] = []  # connections a worker inherited: kept, never closed (see below)


def _bind_to_parent(parent: int) -> None:
    """In a worker: be killed when the parent process ends (Linux), and end now if it has."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _let_go_of_connections() -> None:
    """In a worker: drop the database connections inherited from the parent, untouched.

    Closing one here would end the parent's session (PostgreSQL's Terminate message) or could
    checkpoint its WAL file (SQLite, which holds no locks in a forked child). A PostgreSQL
    socket's file descriptor is pointed at /dev/null instead, so this process no longer keeps
    the session open; the connection objects are kept referenced so that no finaliser runs
    on them, and Django forgets them (a query here would open a connection of its own).
    """
    for conn in connections.all(initialized_only=True):
        raw = conn.connection
        if raw is None:
            continue
        if conn.vendor == "postgresql":
            with contextlib.suppress(Exception):
                null = os.open(os.devnull, os.O_RDWR)
                os.dup2(null, raw.fileno())
                os.close(null)
        _inherited.append(raw)
        conn.connection = None


def _put(out: Any, message: tuple[str, Any], parent: int) -> None:
    """Send ``message``; end this worker if the parent is gone meanwhile (no PDEATHSIG)."""
    while True:
        try:
            out.put(message, timeout=_PUT_POLL_SECONDS)
            return
        except queue.Full:
            if os.getppid() != parent:
                os._exit(1)


def _may_fork() -> bool:
    """Whether forking the workers from here is safe enough (see ``import_file``)."""
    if not _CAN_FORK or threading.current_thread() is not threading.main_thread():
        return False
    return all(t.daemon for t in threading.enumerate() if t is not threading.main_thread())


def default_workers() -> int:
    return max(1, min(IMPORT_WORKERS, os.cpu_count() or 1))


def _own_chunks(
    stream: Any, size: int, index: int, count: int, offsets: dict[int, int]
) -> Iterator[list[Record]]:
    """Worker ``index`` of ``count``: its chunks of the file's lines, in order, empty or not,
    up to the file's last chunk (the import's process takes chunk k from worker k % count)."""
    current = index  # the chunk being collected
    records: list[Record] = []
    last = 0
    for number, start, raw in _raw_lines(stream):
        last = number
        chunk = (number - 1) // size
        if chunk % count != index:
            continue
        while chunk > current:
            yield records
            records, current = [], current + count
        if raw is None:
            records.append((number, _oversize(number), None))
            continue
        parsed = _parse_line(raw, number)
        if parsed is not None:
            offsets[number] = start
            records.append((number, parsed, None))
    total = (last + size - 1) // size
    while current < total:
        yield records
        records, current = [], current + count


def _worker(
    path: Path,
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    size: int,
    index: int,
    count: int,
    out: Any,
    parent: int,
) -> None:
    """A worker process: replay its chunks of ``path`` into ``out``, then say how it ended."""
    _bind_to_parent(parent)
    _let_go_of_connections()
    gc.freeze()  # what the fork inherited: never walked by the collector (nor copied for it)
    # The standard streams' locks may have been held by another thread at the fork (a
    # progress bar's monitor): the worker writes nothing, and never touches those objects.
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 closed at the process's exit
    try:
        offsets: dict[int, int] = {}
        with path.open("rb") as stream:
            for chunk in _own_chunks(stream, size, index, count, offsets):
                batch = _replay_chunk(chunk, replayer, writer, observers, offsets)
                _put(out, ("batch", pickle.dumps(batch, pickle.HIGHEST_PROTOCOL)), parent)
        final = pickle.dumps(_final(writer, observers), pickle.HIGHEST_PROTOCOL)
        _put(out, ("final", final), parent)
    except ImportFileError as exc:
        _put(out, ("file_error", str(exc)), parent)
    except BaseException:  # report anything else to the parent, which fails the import
        _put(out, ("crash", traceback.format_exc()), parent)
    finally:
        out.close()
        out.join_thread()


def _receive(worker: Any, out: Any) -> tuple[str, Any]:
    """The worker's next message; its errors raised here."""
    while True:
        try:
            kind, payload = out.get(timeout=1.0)
        except queue.Empty:
            if worker.is_alive():
                continue
            try:  # what it sent just before it exited is still in the pipe
                kind, payload = out.get(timeout=1.0)
            except queue.Empty:
                raise RuntimeError(
                    f"导入的工作进程意外退出（退出码 {worker.exitcode}）。"
                ) from None
        if kind == "file_error":
            raise ImportFileError(payload)
        if kind == "crash":
            raise RuntimeError(f"导入的工作进程出错：\n{payload}")
        return kind, payload


def _replay_in_workers(
    path: Path,
    replayer: Replayer,
    writer: Writer,
    observers: list[ImportObserver],
    size: int,
    count: int,
) -> Iterator[_Batch]:
    """The replayed chunks of ``path`` from ``count`` forked workers, in file order, then each
    worker's final batch."""
    context = multiprocessing.get_context("fork")
    queues = [context.Queue(maxsize=_QUEUE_BATCHES) for _ in range(count)]
    workers = [
        context.Process(
            target=_worker,
            args=(path, replayer, writer, observers, size, i, count, queues[i], os.getpid()),
            name=f"fazhi-import-replay-{i}",
            daemon=True,
        )
        for i in range(count)
    ]
    for w in workers:
        w.start()
    finished = False
    try:
        k = 0
        while True:
            kind, payload = _receive(workers[k % count], queues[k % count])
            if kind == "batch":
                yield pickle.loads(payload)  # noqa: S301 our own worker's bytes  # nosec B301
                k += 1
                continue
            # the file ended before chunk k: every other worker's next message is its last
            finals = [payload]
            for j in range(1, count):
                i = (k + j) % count
                kind, payload = _receive(workers[i], queues[i])
                if kind != "final":
                    raise RuntimeError(f"导入的工作进程 {i} 发来意外的消息 {kind}。")
                finals.append(payload)
            finished = True
            for payload in finals:
                yield pickle.loads(payload)  # noqa: S301 our own worker's bytes  # nosec B301
            return
    finally:
        for w in workers:
            if finished:
                w.join(timeout=10)  # it has sent everything and is exiting
            if w.is_alive():
                w.kill()
            w.join()
        for q in queues:
            q.close()
