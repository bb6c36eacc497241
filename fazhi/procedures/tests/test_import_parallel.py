"""A JSONL file replayed in the worker process gives exactly what the in-process import gives.

Every test of test_import.py runs here again with the worker forced on for every file (it is
otherwise used from ``PARALLEL_MIN_BYTES`` on), and asserts that the worker was used.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fazhi.procedures import importing, signals
from fazhi.procedures.importing import ImportFileError, import_file
from fazhi.procedures.models import ImportRun, Matter, Step
from fazhi.procedures.tests.test_import import *  # noqa: F403 the same tests, through the worker
from fazhi.procedures.tests.test_import import (
    MATTER_FIELDS,
    STEP_FIELDS,
    Recorder,
    complaint,
    write,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not importing._CAN_FORK, reason="no fork on this platform"),
]


_JSONL_IMPORTS: list[bool] = []  # per JSONL import of the test: did it use the worker?


@pytest.fixture(autouse=True)
def through_the_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every JSONL import of the test goes through the worker (checked after the test)."""
    jsonl_imports = _JSONL_IMPORTS
    jsonl_imports.clear()
    real = importing.run.import_records

    def spy(records: Any, **kwargs: Any) -> Any:
        if kwargs.get("fmt") == "jsonl":
            jsonl_imports.append(kwargs.get("_jsonl") is not None)
        return real(records, **kwargs)

    monkeypatch.setattr(importing.run, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(importing.run, "import_records", spy)
    yield
    assert all(jsonl_imports), "a JSONL file was imported in-process"


def _lines(n: int) -> list[Any]:
    lines: list[Any] = []
    for i in range(n):
        lines.append(complaint(f"YS-2025-{i:06d}"))
        if i % 97 == 5:
            lines.append(complaint(f"BAD-{i}", org="不存在的单位"))
        if i % 89 == 7:
            lines.append("not json")
        if i % 113 == 3:
            lines.append("")
    return lines


def _snapshot() -> tuple[list[Any], list[Any], list[Any]]:
    matters = sorted(Matter.objects.values_list(*MATTER_FIELDS))
    steps = sorted(Step.objects.values_list("matter__procedure", "matter__reference", *STEP_FIELDS))
    run = ImportRun.objects.order_by("-pk").values_list(
        "status", "lines", "created", "updated", "unchanged", "rejected", "steps", "report"
    )[0]
    return matters, steps, [run]


def _import_both_ways(
    tmp_path: Path, lines: list[Any], workers: int = 2, **options: Any
) -> tuple[Any, Any, list[Any], list[Any]]:
    """Import ``lines`` in-process and through ``workers`` workers (each into an emptied
    database): the reports, progress and what the observers were told, and the rows."""
    results = []
    Recorder.made = []
    signals.observe_imports(Recorder)
    try:
        for parallel in (False, True):
            Step.objects.all().delete()
            Matter.objects.all().delete()
            progress: list[int] = []
            report = import_file(
                write(tmp_path, lines),
                parallel=parallel,
                workers=workers,
                batch_size=50,
                progress=progress.append,
                **options,
            )
            if not parallel:
                _JSONL_IMPORTS.pop()  # in-process on purpose
            (observer,) = Recorder.made[-1:]
            summary = (report.summary(), [str(e) for e in report.errors], progress)
            results.append((*summary, observer.net(), observer.finished))
            results.append(_snapshot())
    finally:
        signals.import_observers.remove(Recorder)
    return results[0], results[2], results[1], results[3]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_worker_gives_the_same_import(district, tmp_path, workers):
    lines = _lines(230)
    one, two, stored_one, stored_two = _import_both_ways(
        tmp_path, lines, workers, skip_invalid=True
    )
    assert one == two
    assert stored_one == stored_two
    assert Matter.objects.count() == 230
    assert len(one[3]) == 230 and set(one[3].values()) == {1}  # each matter told once
    codes = list(Matter.objects.values_list("verification_code", flat=True))
    assert len(set(codes)) == len(codes)  # workers never share their random bytes


def test_workers_skip_blank_stretches_and_repeats_in_a_chunk(district, tmp_path):
    """Chunks of nothing but blank lines, and a matter repeated within a chunk and across
    chunks of different workers: the same import as in-process."""
    base = complaint("YS-2025-000001", steps=complaint()["steps"][:1])
    lines: list[Any] = [base, complaint("YS-2025-000001"), *[""] * 160, complaint("YS-2025-000002")]
    lines += [complaint("YS-2025-000001"), complaint("YS-2025-000003"), *[""] * 120]
    lines += [complaint("YS-2025-000002", subject="改过", steps=[]), complaint("YS-2025-000004")]
    one, two, stored_one, stored_two = _import_both_ways(tmp_path, lines, 2, skip_invalid=True)
    assert one == two and stored_one == stored_two
    run = ImportRun.objects.latest("pk")
    assert (run.created, run.updated, run.unchanged, run.rejected) == (4, 1, 1, 1)
    # again, with a bad line after the conflict in the same chunk: the worker refuses the bad
    # line, the conflicts are found after the chunk is written; the report lists them by line
    again = write(tmp_path, [*lines, complaint("BAD", org="不存在")])
    report = import_file(again, batch_size=50, skip_invalid=True)
    lines_refused = [e.line for e in report.errors]
    assert len(lines_refused) == 3 and lines_refused == sorted(lines_refused)
    assert Matter.objects.get(reference="YS-2025-000001").steps.count() == 4
    assert sum(one[2]) == 7  # progress counts the lines, never the blank ones


def test_worker_gives_the_same_refusal(district, tmp_path):
    one, two, stored_one, stored_two = _import_both_ways(tmp_path, _lines(120))
    assert one == two and "未导入任何事项" in one[0]
    assert stored_one == stored_two
    assert not Matter.objects.exists()


def test_worker_updates_and_conflicts_like_in_process(district, tmp_path):
    short = complaint("YS-2025-000001", steps=complaint()["steps"][:1])
    import_file(write(tmp_path, [short], "first.jsonl"), parallel=True)
    lines = [
        complaint("YS-2025-000001"),  # stored steps are a prefix: update
        complaint("YS-2025-000002"),
        complaint("YS-2025-000002"),  # the same again in the file: unchanged
        complaint("YS-2025-000002", subject="改过", steps=[]),  # a conflict
    ]
    report = import_file(write(tmp_path, lines), parallel=True, batch_size=2, skip_invalid=True)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (1, 1, 1, 1)
    assert "与已有记录冲突" in report.errors[0].message and report.errors[0].line == 4
    assert Matter.objects.get(reference="YS-2025-000001").steps.count() == 4


def test_worker_reports_an_unreadable_line_like_in_process(district, tmp_path):
    path = tmp_path / "gbk.jsonl"
    good = json.dumps(complaint("A-1"), ensure_ascii=False).encode()
    path.write_bytes(good + b"\n" + '{"subject": "投诉"}\n'.encode("gbk"))
    with pytest.raises(ImportFileError, match="第2行不是 UTF-8"):
        import_file(path, parallel=True)
    assert not Matter.objects.exists()
    assert ImportRun.objects.get().status == "failed"


def test_a_crashing_worker_fails_the_import(district, tmp_path, monkeypatch):
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError

    monkeypatch.setattr(importing.parallel, "_replay_chunk", boom)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        import_file(write(tmp_path, [complaint("A-1")]), parallel=True)
    assert not Matter.objects.exists()
    assert ImportRun.objects.get().status == "failed"  # not left "running"


def test_worker_only_from_a_main_thread_among_daemons():
    assert importing._may_fork()
    stop = threading.Event()
    daemon = threading.Thread(target=stop.wait, daemon=True)  # e.g. tqdm's monitor
    daemon.start()
    try:
        assert importing._may_fork()
        other = threading.Thread(target=stop.wait)
        other.start()
        try:
            assert not importing._may_fork()
        finally:
            stop.set()
            other.join()
    finally:
        stop.set()
        daemon.join()
    seen: list[bool] = []
    request_thread = threading.Thread(target=lambda: seen.append(importing._may_fork()))
    request_thread.start()
    request_thread.join()
    assert seen == [False]


def test_big_files_use_the_worker_by_default(district, tmp_path, monkeypatch):
    monkeypatch.setattr(importing.run, "PARALLEL_MIN_BYTES", 1)
    report = import_file(write(tmp_path, [complaint("A-1"), complaint("A-2")]))
    assert report.created == 2
    assert _JSONL_IMPORTS == [True]


def test_a_worker_that_dies_fails_the_import(district, tmp_path, monkeypatch):
    monkeypatch.setattr(importing.parallel, "_worker", lambda *args: os._exit(3))
    with pytest.raises(RuntimeError, match="意外退出（退出码 3）"):
        import_file(write(tmp_path, [complaint("A-1")]), parallel=True)
    assert not Matter.objects.exists()
