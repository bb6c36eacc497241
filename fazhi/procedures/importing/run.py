"""The import as a whole: ``import_file`` and ``import_records``, one transaction, the run
recorded (``ImportRun``, the audit log)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction

from fazhi.core import audit, clock
from fazhi.core.dbstats import refresh_statistics
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.importing.batches import _replay_here
from fazhi.procedures.importing.formats import (
    Record,
    _read_line_at,
    file_format,
    read_jsonl,
    sha256_of,
)
from fazhi.procedures.importing.liveness import (
    held_lease,
    mark_stale_runs,
    new_lease,
    this_process,
)
from fazhi.procedures.importing.merge import _store_batch
from fazhi.procedures.importing.parallel import _may_fork, _replay_in_workers, default_workers
from fazhi.procedures.importing.replay import IMPORT_LABEL, Replayer
from fazhi.procedures.importing.report import REPORT_KEEP, ImportFileError, ImportReport
from fazhi.procedures.importing.stage import Stage
from fazhi.procedures.importing.templates import read_csv, read_xlsx
from fazhi.procedures.importing.writer import Writer
from fazhi.procedures.models import ImportRun
from fazhi.procedures.signals import import_observers

BATCH_SIZE = 2000
PARALLEL_MIN_BYTES = 2_000_000  # smaller files are replayed in-process (a fork costs ~10 ms)


def import_file(
    path: Path,
    *,
    skip_invalid: bool = False,
    procedure: str | None = None,
    by: Any = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    today: dt.date | None = None,
    parallel: bool | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import a .jsonl, .xlsx or .csv file. All-or-nothing unless ``skip_invalid``.

    ``parallel``: parse and replay a .jsonl file in ``workers`` worker processes (by default
    ``default_workers()``) while this one writes (``_replay_in_workers``). By default only for
    files of at least ``PARALLEL_MIN_BYTES``, where ``fork`` exists, and when called from the
    main thread of a process whose other threads (if any) are daemons, such as the progress
    bar's monitor: never from a threaded web server's request thread. Same results either way.
    """
    if not path.is_file():
        raise ImportFileError(f"找不到文件 {path}。")
    fmt = file_format(path)
    if path.stat().st_size == 0:
        raise ImportFileError("文件是空的。")
    proc = get_procedure(procedure) if procedure else None
    digest = sha256_of(path)
    if fmt == "jsonl":
        if parallel is None:
            parallel = path.stat().st_size >= PARALLEL_MIN_BYTES and _may_fork()
        with path.open("rb") as stream:
            return import_records(
                read_jsonl(stream),
                name=path.name,
                sha256=digest,
                fmt=fmt,
                skip_invalid=skip_invalid,
                by=by,
                progress=progress,
                batch_size=batch_size,
                today=today,
                _jsonl=(path, stream, workers or default_workers()) if parallel else None,
            )
    reader = read_xlsx(path, proc) if fmt == "xlsx" else read_csv(path, proc)
    return import_records(
        reader,
        name=path.name,
        sha256=digest,
        fmt=fmt,
        skip_invalid=skip_invalid,
        by=by,
        progress=progress,
        batch_size=batch_size,
        today=today,
    )


class _Rollback(Exception):  # noqa: N818 control flow, not an error
    pass


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector, tuned for a bulk import, restored afterwards.

    An import allocates millions of short-lived objects, none of them in cycles, and every
    young-generation collection would also walk the objects the process already held (Django,
    the declarations, the calendar): those are frozen out of the collector's view, and young
    collections run every 50,000 allocations rather than 700. Garbage is still collected.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@contextlib.contextmanager
def _bulk_write_settings() -> Iterator[None]:
    """SQLite settings of the import's connection, restored afterwards; entered before the
    import's transaction begins.

    - a larger page cache, fixed at ``SQLITE_IMPORT_CACHE_KIB`` whatever the file's size, so
      memory stays flat; the default (2 MiB) makes every index insert of a big import read
      pages back from the OS;
    - temporary files in memory: each batch's ``INSERT … SELECT`` keeps a statement journal
      (the pages it changes, to undo the statement alone), which SQLite otherwise writes to a
      temporary file past 64 KiB: half of a big import's writes to disk. It lives for one
      statement (one batch). SQLite takes this setting only outside a transaction, so an import
      that runs inside its caller's transaction keeps the connection's setting.
    """
    if connection.vendor != "sqlite":
        yield
        return
    outside = not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache_before,) = cursor.fetchone()
        cursor.execute("PRAGMA temp_store")
        (temp_before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_IMPORT_CACHE_KIB)}")
        if outside:
            cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        # never hide the import's own error behind this one (a connection that broke)
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache_before)}")
            if outside:
                cursor.execute(f"PRAGMA temp_store = {int(temp_before)}")


SQLITE_IMPORT_CACHE_KIB = 128 * 1024  # 128 MiB of SQLite page cache while importing


def import_records(
    records: Iterator[Record],
    *,
    name: str = "",
    sha256: str = "",
    fmt: str = "jsonl",
    skip_invalid: bool = False,
    by: Any = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    today: dt.date | None = None,
    _jsonl: tuple[Path, Any, int] | None = None,
) -> ImportReport:
    """Replay ``records`` and write them in batches, in one transaction.

    Without ``skip_invalid`` the whole import is rolled back when any line is rejected (every
    line is still checked, so the report names them all). ``_jsonl`` (``import_file``): the
    JSONL file, an open binary stream of it and a number of workers, to replay it in worker
    processes instead.
    """
    mark_stale_runs()  # an import killed earlier is recorded as failed, not "running" forever
    lease = new_lease()
    with held_lease(lease):
        user = by if by is not None and getattr(by, "is_authenticated", False) else None
        run = ImportRun.objects.create(
            file_name=name[:255],
            sha256=sha256,
            format=fmt,
            created_by=user,
            skip_invalid=skip_invalid,
            lease=lease if connection.vendor == "postgresql" else None,
            **this_process(),
        )
        return _import_into(run, records, skip_invalid, by, progress, batch_size, today, _jsonl)


def _import_into(
    run: ImportRun,
    records: Iterator[Record],
    skip_invalid: bool,
    by: Any,
    progress: Callable[[int], None] | None,
    batch_size: int,
    today: dt.date | None,
    _jsonl: tuple[Path, Any, int] | None,
) -> ImportReport:
    """``import_records`` once its run is recorded and its lease held."""
    report = ImportReport()
    report.run_id = run.pk
    replayer = Replayer(today=today)
    observers = [factory() for factory in import_observers]
    stage: Stage | None = None
    try:
        with _fewer_collections(), _bulk_write_settings(), transaction.atomic():
            writer = Writer()
            stage = Stage.for_connection(writer.staged_now)
            reread: Callable[[int, int], Any] | None = None
            if _jsonl is None:
                batches = _replay_here(records, replayer, writer, observers, batch_size)
            else:
                path, stream, workers = _jsonl
                batches = _replay_in_workers(path, replayer, writer, observers, batch_size, workers)

                def reread(offset: int, line: int) -> Any:
                    return _read_line_at(stream, offset, line)

            for batch in batches:
                _store_batch(batch, stage, replayer, writer, observers, report, reread)
                if progress is not None and batch.lines:
                    progress(batch.lines)
            if report.rejected and not skip_invalid:
                raise _Rollback
            for observer in observers:
                observer.finish()
            writer.advance_counters()
            report.committed = True
            _finish(run, report, by)
    except _Rollback:
        pass
    except Exception:  # an unreadable file, a worker that crashed, a broken connection…
        # the run is recorded as failed where that is still possible; the error is raised as is
        with contextlib.suppress(Exception):
            _finish(run, report, by, failed=True)
        raise
    finally:
        if stage is not None:
            stage.close()
    if not report.committed:
        _finish(run, report, by, failed=True)
    elif report.created > 10_000:
        refresh_statistics()  # a big load changes the tables' shape: tell the planner
    return report


def _finish(run: ImportRun, report: ImportReport, by: Any, *, failed: bool = False) -> None:
    # by line: a batch's rejected lines come first, a conflict with a stored matter later
    report.errors.sort(key=lambda e: e.line)
    run.finished_at = clock.now()
    run.status = (
        ImportRun.Status.FAILED
        if failed
        else (ImportRun.Status.PARTIAL if report.rejected else ImportRun.Status.DONE)
    )
    run.lines, run.created, run.updated = report.lines, report.created, report.updated
    run.unchanged, run.rejected, run.steps = report.unchanged, report.rejected, report.steps
    run.report = [e.as_dict() for e in report.errors[:REPORT_KEEP]]
    run.save()
    audit.record(
        "matter.import",
        run,
        actor=by,
        label=None if by is not None else IMPORT_LABEL,
        data={
            "file": run.file_name,
            "sha256": run.sha256,
            "format": run.format,
            "status": run.status,
            "lines": run.lines,
            "created": run.created,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "rejected": run.rejected,
        },
    )
