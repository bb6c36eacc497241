"""The job queue (fazhi.core.tasks): queued until a worker runs it, progress, result, files,
failures, and who may follow a job."""

from __future__ import annotations

import signal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from fazhi.core.models import AuditEvent, Job
from fazhi.core.tasks import (
    FAILED_MESSAGE,
    JobContext,
    JobError,
    enqueue,
    execute,
    handler,
    live,
    run_pending,
)

seen_live: list[tuple[int, int | None]] = []


@handler("tests.count_lines")
def count_lines(ctx: JobContext) -> None:
    lines = ctx.input_path.read_bytes().splitlines()
    for i, _line in enumerate(lines, 1):
        ctx.progress(i, len(lines), force=True)
        seen_live.append(live(Job.objects.get(pk=ctx.job.pk)))
    if ctx.job.params.get("refuse"):
        raise JobError("文件里有不能处理的行。")
    if ctx.job.params.get("crash"):
        raise RuntimeError("boom")
    ctx.result["figures"] = [["行数", len(lines)]]
    ctx.message = f"共{len(lines)}行。"
    ctx.save_output("结果.txt", f"{len(lines)}\n".encode())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seen_live.clear()
    return tmp_path


def _job(user, **params):
    upload = ContentFile(b"a\nb\nc\n", name="三行.txt")
    return enqueue("tests.count_lines", label="数行", params=params, user=user, upload=upload)


def test_a_job_waits_in_the_queue_until_a_worker_runs_it(users):
    job = _job(users["staff_a"])
    assert job.status == Job.Status.QUEUED
    assert job.input_name == "三行.txt"
    assert job.org == users["staff_a"].profile.org
    queued = DBTaskResult.objects.get(id=job.task_id)
    assert queued.status == "READY"
    assert AuditEvent.objects.filter(action="job.enqueue", object_id=str(job.pk)).exists()

    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.message == "共3行。"
    assert job.result == {"figures": [["行数", 3]]}
    assert (job.done, job.total) == (3, 3)
    assert job.started_at is not None and job.finished_at is not None
    with job.output_file.open("rb") as f:
        assert f.read() == b"3\n"
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    # while it ran, the row said "running" and the progress file gave the figures
    assert seen_live == [(1, 3), (2, 3), (3, 3)]
    assert run_pending() == 0  # nothing left


def test_a_job_is_run_once_even_if_delivered_twice(users):
    job = _job(users["staff_a"])
    run_pending()
    again = execute(job.pk)
    assert again.status == Job.Status.DONE
    assert seen_live == [(1, 3), (2, 3), (3, 3)]


def test_a_refused_job_fails_with_its_message(users):
    job = _job(users["staff_a"], refuse=True)
    run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "文件里有不能处理的行。"
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"  # handled


def test_a_crashing_job_fails_in_chinese_and_the_queue_keeps_the_traceback(users, caplog):
    job = _job(users["staff_a"], crash=True)
    run_pending()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == FAILED_MESSAGE
    queued = DBTaskResult.objects.get(id=job.task_id)
    assert queued.status == "FAILED"
    assert "boom" in queued.traceback


def test_an_unknown_kind_is_refused_when_queued(users):
    with pytest.raises(ValueError, match="no handler"):
        enqueue("tests.nothing", label="x", user=users["staff_a"])


@pytest.mark.django_db(transaction=True)  # the worker recycles connections between tasks
def test_fazhi_worker_batch_runs_the_queue(users):
    job = _job(users["staff_a"])
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    finally:
        for s, h in before.items():
            signal.signal(s, h)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_the_job_page_follows_the_job_and_offers_its_file(client, users):
    job = _job(users["staff_a"])
    client.force_login(users["staff_a"])
    url = reverse("core:job-detail", args=[job.pk])
    page = client.get(url).content.decode()
    assert "排队中" in page and 'hx-trigger="every 1s"' in page
    assert client.get(reverse("core:job-output", args=[job.pk])).status_code == 404
    run_pending()
    part = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert part.lstrip().startswith('<section id="job-status"')
    assert "已完成" in part and "共3行。" in part and "every 1s" not in part
    assert "3 / 3" in part
    download = client.get(reverse("core:job-output", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"3\n"
    assert (
        "结果.txt" in download["Content-Disposition"]
        or "%E7%BB%93" in download["Content-Disposition"]
    )
    assert "数行" in client.get(reverse("core:job-list")).content.decode()


def test_only_the_owner_and_the_office_see_a_job(client, users):
    job = _job(users["staff_a"])
    url = reverse("core:job-detail", args=[job.pk])
    client.force_login(users["staff_b"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("core:job-output", args=[job.pk])).status_code == 404
    assert "数行" not in client.get(reverse("core:job-list")).content.decode()
    client.force_login(users["office"])
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302
