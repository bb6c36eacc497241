"""Imports uploaded in the workbench and run by the worker (procedures/jobs.py), background
exports, and the sweep as a queued job."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from fazhi.core.models import AuditEvent, Job
from fazhi.core.tasks import live, run_pending
from fazhi.procedures.jobs import count_lines
from fazhi.procedures.models import ImportRun, Matter
from fazhi.procedures.tests.test_import import complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jsonl(*lines: dict[str, Any] | str) -> bytes:
    return "".join(
        (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
    ).encode()


GOOD = [complaint(f"YS-2025-{i:06d}") for i in range(1, 4)]
BAD = complaint("YS-2025-000009", received_on="2025-13-40")


def upload(client, user, data: bytes, name: str = "投诉.jsonl", **form: Any):
    client.force_login(user)
    return client.post(
        reverse("procedures:import"),
        {"file": SimpleUploadedFile(name, data), **form},
    )


def test_an_office_user_uploads_and_the_worker_imports(district, users, client):
    response = upload(client, users["office"], jsonl(*GOOD))
    job = Job.objects.get(kind="procedures.import")
    assert response.status_code == 302 and response["Location"] == f"/workbench/jobs/{job.pk}/"
    assert job.status == Job.Status.QUEUED and job.input_name == "投诉.jsonl"
    assert Matter.objects.count() == 0  # nothing until the worker runs it

    page = client.get(response["Location"])
    assert "等待后台任务进程" in page.content.decode()

    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert Matter.objects.count() == 3
    assert job.result["created"] == 3 and job.result["rejected"] == 0
    assert (job.done, job.total) == (3, 3)
    assert not job.output_file  # no rejected lines, no report
    run = ImportRun.objects.get(pk=job.result["run"])
    assert run.file_name == "投诉.jsonl" and run.created_by == users["office"]
    body = client.get(f"/workbench/jobs/{job.pk}/").content.decode()
    assert "新增3件" in body and "新增事项" in body


def test_one_bad_line_imports_nothing_and_the_report_names_it(district, users, client):
    upload(client, users["office"], jsonl(GOOD[0], BAD, GOOD[1]))
    run_pending()
    job = Job.objects.get(kind="procedures.import")
    assert job.status == Job.Status.FAILED
    assert "整个文件未导入" in job.message and "拒绝行报告" in job.message
    assert Matter.objects.count() == 0  # all or nothing, as the command line
    assert job.result["rejected"] == 1 and job.result["committed"] is False
    assert job.output_name == "拒绝行报告.csv"

    page = client.get(f"/workbench/jobs/{job.pk}/").content.decode()
    assert "下载拒绝行报告.csv" in page
    download = client.get(reverse("core:job-output", args=[job.pk]))
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["行号", "字段", "原因"]
    assert [r[0] for r in rows[1:]] == ["2"]
    assert "received_on" in rows[1][1]


def test_skip_invalid_imports_the_valid_lines(district, users, client):
    upload(client, users["admin"], jsonl(GOOD[0], BAD, GOOD[1]), skip_invalid="1")
    run_pending()
    job = Job.objects.get(kind="procedures.import")
    assert job.status == Job.Status.DONE
    assert Matter.objects.count() == 2
    assert job.output_name == "拒绝行报告.csv"


def test_an_unreadable_file_fails_with_its_reason(district, users, client):
    upload(client, users["office"], b"\xff\xfe not json\n")
    run_pending()
    job = Job.objects.get(kind="procedures.import")
    assert job.status == Job.Status.FAILED
    assert job.message and "后台任务出错" not in job.message  # the import's own reason


@pytest.mark.parametrize("role", ["staff_a", "head_a", "leader", "staff_b"])
def test_roles_that_do_not_import_get_403(district, users, client, role):
    client.force_login(users[role])
    assert client.get(reverse("procedures:import")).status_code == 403
    assert upload(client, users[role], jsonl(*GOOD)).status_code == 403
    assert not Job.objects.exists()
    assert (
        'href="/workbench/io/import/"' not in client.get(reverse("procedures:io")).content.decode()
    )


def test_the_page_refuses_a_missing_wrong_or_too_big_file(district, users, client, settings):
    client.force_login(users["office"])
    page = client.get(reverse("procedures:import"))
    assert page.status_code == 200 and "上传并导入" in page.content.decode()
    # on SQLite the page says that an import holds the one writer until it ends
    assert ('id="single-writer"' in page.content.decode()) == (connection.vendor == "sqlite")
    assert 'href="/workbench/io/import/"' in client.get(reverse("procedures:io")).content.decode()
    missing = client.post(reverse("procedures:import"), {})
    assert missing.status_code == 422 and "请选择要导入的文件" in missing.content.decode()
    wrong = upload(client, users["office"], b"x", name="a.pdf")
    assert wrong.status_code == 422 and ".pdf" in wrong.content.decode()
    empty = upload(client, users["office"], b"")
    assert empty.status_code == 422 and "文件是空的" in empty.content.decode()
    settings.FAZHI_MAX_IMPORT_BYTES = 1024 * 1024
    big = upload(client, users["office"], b"{}\n" * 400_000)
    assert big.status_code == 422 and "超过 1 MB" in big.content.decode()
    unknown = upload(client, users["office"], jsonl(*GOOD), procedure="nope")
    assert unknown.status_code == 422
    assert not Job.objects.exists()


def test_the_upload_page_lists_recent_imports(district, users, client):
    upload(client, users["office"], jsonl(*GOOD), name="第一批.jsonl")
    body = client.get(reverse("procedures:import")).content.decode()
    assert "第一批.jsonl" in body and "排队中" in body


def test_progress_counts_lines_while_it_runs(district, users, client, tmp_path):
    path = tmp_path / "x.jsonl"
    for data, expected in ((b"a\nb\nc", 3), (b"a\nb\n", 2), (b"", 0)):
        path.write_bytes(data)
        assert count_lines(path, "jsonl") == expected
    path = tmp_path / "x.csv"
    path.write_text("h1,h2\n1,2\n3,4\n", encoding="utf-8")
    assert count_lines(path, "csv") == 2
    assert count_lines(path, "xlsx") is None
    upload(client, users["office"], jsonl(*GOOD))
    job = Job.objects.get()
    assert live(job) == (0, None)  # queued: nothing yet
    run_pending()
    job.refresh_from_db()
    assert live(job) == (3, 3)


def test_a_background_export_is_scoped_and_audited(district, users, client):
    upload(client, users["office"], jsonl(*GOOD))
    run_pending()
    for who, expected in (("office", 3), ("staff_b", 0)):
        client.force_login(users[who])
        response = client.post(
            reverse("procedures:export-job", args=["business_complaint"]),
            {"format": "jsonl", "year": "2025"},
        )
        assert response.status_code == 302
        run_pending()
        job = Job.objects.filter(kind="procedures.export").latest("pk")
        assert job.status == Job.Status.DONE, job.message
        assert job.result["written"] == expected
        with job.output_file.open("rb") as f:
            assert len(f.read().splitlines()) == expected
        assert job.output_name.startswith("business_complaint-2025-")
    assert AuditEvent.objects.filter(action="matter.export").count() == 2
    bad = client.post(
        reverse("procedures:export-job", args=["business_complaint"]), {"year": "20x5"}
    )
    assert bad.status_code == 400


def test_the_export_form_posts_a_download(district, users, client):
    upload(client, users["office"], jsonl(*GOOD))
    run_pending()
    response = client.post(
        reverse("procedures:export", args=["business_complaint"]), {"format": "jsonl", "year": ""}
    )
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).splitlines()) == 3


def test_the_sweep_runs_as_a_queued_job(district, users):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("sweep", "--queue", "--date", "2025-06-16", stdout=out)
    assert "已排入后台任务队列" in out.getvalue()
    assert run_pending() == 1
    job = Job.objects.get(kind="procedures.sweep")
    assert job.status == Job.Status.DONE
    assert job.result["day"] == "2025-06-16"
    assert "期限巡检完成" in job.message
