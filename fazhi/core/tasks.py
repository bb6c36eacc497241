"""Background jobs on a real queue: what an app calls to run work in ``fazhi worker``.

The queue is django-tasks with its database backend (django-tasks-db; docs/dependencies.md):
a job waits in the database until a ``fazhi worker`` process takes it, on SQLite as on
PostgreSQL, with no other service to run. Each job is also a ``fazhi.core.models.Job`` row,
which the workbench shows (progress, result, files) and which scopes who may see it.

An app declares what a kind of job does in its ``jobs`` module (found by
``autodiscover_modules("jobs")``, as the admin finds ``admin`` modules, so this module never
imports a domain)::

    # fazhi/<app>/jobs.py
    from fazhi.core.tasks import JobContext, JobError, handler

    @handler("reports.render")
    def render(ctx: JobContext) -> None:
        for i, part in enumerate(parts):
            ctx.progress(i, len(parts))
        ctx.save_output("报告.docx", data)          # bytes or a local path
        ctx.result["pages"] = 12
        ctx.message = "报告已生成。"
        # raise JobError("……") to fail with a message the user reads

and starts one from a view or a command::

    job = enqueue("reports.render", label="生成 2024 年度报告", params={...}, user=request.user)
    return redirect(job_url(job))        # the workbench page that follows it

Tests run what is queued in-process with ``run_pending()`` (the worker's own loop, batch mode).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django_tasks import task

from fazhi.core import audit, clock
from fazhi.core.models import Job
from fazhi.core.scope import ALL_ACTING, AnyUser, profile_of, scope_of
from fazhi.core.storage import StorageUnavailable, store

logger = logging.getLogger(__name__)

Handler = Callable[["JobContext"], None]

_handlers: dict[str, Handler] = {}
_discovered = False
PROGRESS_EVERY = 0.25  # seconds between two progress files of one job
FAILED_MESSAGE = "后台任务出错，未能完成；错误已记入日志，请联系系统管理员。"


class JobError(Exception):
    """A job cannot be done for a reason the user should read (plain Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Declare the function that runs jobs of ``kind`` (in an app's ``jobs`` module)."""

    def register(func: Handler) -> Handler:
        if kind in _handlers and _handlers[kind] is not func:
            raise ValueError(f"job kind {kind!r} is already registered")
        _handlers[kind] = func
        return func

    return register


def handler_for(kind: str) -> Handler | None:
    global _discovered
    if kind not in _handlers and not _discovered:
        autodiscover_modules("jobs")
        _discovered = True
    return _handlers.get(kind)


# --- starting a job ------------------------------------------------------------------------


def enqueue(
    kind: str,
    *,
    label: str,
    params: dict[str, Any] | None = None,
    user: AnyUser | None = None,
    upload: UploadedFile | File[Any] | None = None,
    unit: str = "项",
) -> Job:
    """Queue a job of ``kind``; ``upload`` is stored as its input file. One transaction."""
    if handler_for(kind) is None:
        raise ValueError(f"no handler for job kind {kind!r}")
    profile = profile_of(user)
    actor: Any = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        job = Job(
            kind=kind,
            label=label[:200],
            params=dict(params or {}),
            created_by=actor,
            org=profile.org if profile is not None else None,
            unit=unit,
        )
        if upload is not None:
            name = Path(str(upload.name or "upload")).name
            job.input_name = name[:255]
            store(job.input_file, name, upload, what="文件")
        job.save()
        result = run_job.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
        audit.record(
            "job.enqueue",
            job,
            actor=user,
            org=job.org,
            data={"kind": kind, "params": job.params, "file": job.input_name},
        )
    return job


@task()
def run_job(job_id: int) -> str:
    """The one django-tasks task: run the Job row ``job_id`` with its kind's handler."""
    return execute(job_id).status


# --- running a job --------------------------------------------------------------------------


def _progress_path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / "progress" / f"{job_id}.json"


class JobContext:
    """What a handler gets: the job, progress reporting, a scratch folder and its output."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.result: dict[str, Any] = {}
        self.message = ""
        self._last = 0.0
        self._done = 0
        self._total: int | None = None
        self._scratch: Path | None = None

    @property
    def input_path(self) -> Path:
        """The uploaded file on local disk (the default storage is the file system)."""
        if not self.job.input_file:
            raise JobError("这个任务没有上传文件。")
        return Path(self.job.input_file.path)

    @property
    def scratch(self) -> Path:
        """A private folder for the handler's temporary files, removed when the job ends."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix=f"fazhi-job-{self.job.pk}-"))
        return self._scratch

    def progress(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        """Report ``done`` of ``total`` (``None``: unknown). Cheap to call on every line."""
        self._done = done
        if total is not None:
            self._total = total
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_EVERY:
            return
        self._last = now
        path = _progress_path(self.job.pk)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"done": self._done, "total": self._total}))
        tmp.replace(path)  # atomic: a reader sees the old or the new figures, never half

    def advance(self, count: int) -> None:
        """Add ``count`` to what is done (a callback for ``tqdm``-style progress)."""
        self.progress(self._done + count)

    def save_output(self, name: str, content: bytes | Path) -> None:
        """Store the job's result file, downloaded as ``name``."""
        self.job.output_name = name[:255]
        try:
            if isinstance(content, Path):
                with content.open("rb") as f:
                    store(self.job.output_file, name, File(f), what="结果文件")
            else:
                store(self.job.output_file, name, ContentFile(content), what="结果文件")
        except StorageUnavailable as exc:  # the job fails, saying why
            self.job.output_name = ""
            raise JobError(exc.message) from None

    def close(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            _progress_path(self.job.pk).unlink()


def execute(job_id: int) -> Job:
    """Run one queued job now, in this process (the worker calls it through ``run_job``)."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=clock.now()
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job  # run already (a task delivered twice runs once)
    ctx = JobContext(job)
    func = handler_for(job.kind)
    status = Job.Status.DONE
    unexpected: BaseException | None = None
    try:
        if func is None:
            raise JobError(f"系统不认识任务类型“{job.kind}”，请联系系统管理员。")
        func(ctx)
    except JobError as exc:
        status, ctx.message = Job.Status.FAILED, exc.message
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        status, ctx.message, unexpected = Job.Status.FAILED, FAILED_MESSAGE, exc
    finally:
        ctx.close()
    job.status = status
    job.finished_at = clock.now()
    job.message = ctx.message
    job.result = ctx.result
    job.done = ctx._done
    job.total = ctx._total if ctx._total is not None else (ctx._done if status == "done" else None)
    job.save()
    if unexpected is not None:
        raise unexpected  # the queue keeps the traceback (django-tasks' result row)
    return job


# --- following a job ------------------------------------------------------------------------


def live(job: Job) -> tuple[int, int | None]:
    """(done, total) now: the running job's progress file, or the row's final figures."""
    if job.status == Job.Status.RUNNING:
        try:
            data = json.loads(_progress_path(job.pk).read_text())
            return int(data["done"]), (None if data["total"] is None else int(data["total"]))
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return 0, None
    return job.done, job.total


def jobs_for(user: AnyUser | None) -> QuerySet[Job]:
    """The jobs ``user`` may follow: their own; every job for administrators and the office."""
    scope = scope_of(user)
    if not scope.is_staff_member or user is None:
        return Job.objects.none()
    if scope.role in ALL_ACTING:
        return Job.objects.all()
    return Job.objects.filter(created_by=user.pk)


def job_url(job: Job) -> str:
    return reverse("core:job-detail", args=[job.pk])


def run_pending(max_tasks: int | None = None) -> int:
    """Run the queued tasks here, one by one, as ``fazhi worker`` does; the number run.

    For tests and ``--batch``-like use inside one process: the worker's own claim and
    ``run_task``, without its connection recycling (which would close a test's transaction).
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"inprocess-{os.getpid()}",
        excluded_queue_names=[],
    )
    ran = 0
    while max_tasks is None or ran < max_tasks:
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        with exclusive_transaction(ready.db):
            claimed = ready.get_locked()
            if claimed is None:
                break
            claimed.claim(worker.worker_id)
        worker.run_task(claimed)
        ran += 1
    return ran
