"""#19 faults: a full disk or a read-only media directory refuses uploads with a clear Chinese
message, stores nothing, and never answers 500 (portal, workbench, API).

The suite runs as root in CI, where a read-only directory does not stop a write: the faults
are made where the storage writes (``FileSystemStorage._save`` raising the ``OSError`` the
kernel would), and the real read-only directory is tried where the user is not root.
"""

from __future__ import annotations

import errno
import os

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fazhi.core import ratelimit
from fazhi.procedures.attachments import add_attachment
from fazhi.procedures.errors import StorageUnavailable
from fazhi.procedures.models import Attachment, IntakeRoute, Matter
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%fault\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FAULTS = {
    "disk full": (errno.ENOSPC, "存储空间已满"),
    "read-only": (errno.EROFS, "不可写入"),
    "no permission": (errno.EACCES, "不可写入"),
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    ratelimit.clear()
    yield settings.MEDIA_ROOT
    ratelimit.clear()


@pytest.fixture(params=list(FAULTS), ids=list(FAULTS))
def fault(request, monkeypatch, media):
    code, words = FAULTS[request.param]

    def refuse(self, name, content):
        raise OSError(code, os.strerror(code), str(media / name))

    monkeypatch.setattr(FileSystemStorage, "_save", refuse)
    return words


@pytest.fixture
def matter(district, users, media):
    return make_matter("help_request", district["a"], users["staff_a"], _day())


def _day():
    from fazhi.core import clock

    return clock.today()


def test_the_engine_refuses_with_the_reason_and_stores_nothing(matter, users, fault):
    with pytest.raises(StorageUnavailable) as caught:
        add_attachment(matter, "材料.pdf", PDF, by=users["staff_a"])
    assert fault in caught.value.message and "材料.pdf" in caught.value.message
    assert caught.value.field == "file"
    assert not Attachment.objects.exists()


def test_the_portal_keeps_the_form_and_says_why(client, district, fault):
    IntakeRoute.objects.create(procedure="help_request", org=district["a"])
    response = client.post(
        reverse("portal:submit-help-request"),
        {
            "kind": "help",
            "party_kind": "person",
            "id_number": "",
            "website": "",
            "name": "王五",
            "phone": "13800138000",
            "subject": "办证难",
            "content": "请帮忙",
            "attachments": [SimpleUploadedFile("证明.pdf", PDF)],
        },
    )
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert fault in page and "证明.pdf" in page and "未保存任何内容" in page
    assert not Matter.objects.exists() and not Attachment.objects.exists()


def test_the_workbench_shows_the_message_on_the_matter(client, matter, users, fault):
    client.force_login(users["staff_a"])
    response = client.post(
        reverse("workbench:matter-attach", args=[matter.pk]),
        {"file": SimpleUploadedFile("答复.pdf", PDF)},
    )
    assert response.status_code == 200 and fault in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_api_answers_503_with_retry_after(matter, users, fault):
    api = APIClient()
    api.force_authenticate(users["staff_a"])
    response = api.post(
        f"/api/v1/matters/{matter.pk}/attachments/",
        {"file": SimpleUploadedFile("答复.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 503 and response["Retry-After"]
    body = response.json()
    assert body["code"] == "SERVICE_UNAVAILABLE" and body["field"] == "file"
    assert fault in body["detail"]
    assert not Attachment.objects.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory anyway")
def test_a_really_read_only_media_directory(matter, users, media):
    media.chmod(0o500)
    try:
        with pytest.raises(StorageUnavailable, match="不可写入"):
            add_attachment(matter, "材料.pdf", PDF, by=users["staff_a"])
    finally:
        media.chmod(0o700)


def test_a_file_gone_from_the_storage_is_a_chinese_404_not_a_500(client, matter, users, media):
    """Found by the permission matrix: a download whose file was deleted by hand (or lost in a
    restore from an older backup) answered 500 on the workbench."""
    attachment = add_attachment(matter, "材料.pdf", PDF, by=users["staff_a"])
    os.unlink(attachment.file.path)
    client.force_login(users["staff_a"])
    response = client.get(reverse("workbench:attachment-download", args=[attachment.pk]))
    assert response.status_code == 404  # the workbench's Chinese 404 page; the cause is logged
    assert "返回工作台" in response.content.decode()
    api = APIClient()
    api.force_authenticate(users["staff_a"])
    answer = api.get(f"/api/v1/matters/{matter.pk}/attachments/{attachment.pk}/")
    assert answer.status_code == 404 and answer.json()["code"] == "NOT_FOUND"


# --- the other writes: one helper (core.storage.store) behind every one ----------------------


def test_supervision_files_are_refused_and_the_activity_not_recorded(district, users, fault):
    from fazhi.oversight.supervision import record_supervision
    from fazhi.procedures.models import Activity

    with pytest.raises(StorageUnavailable) as caught:
        record_supervision(
            "audit",
            org=district["a"],
            on=_day(),
            title="审计",
            files=[("审计报告.pdf", PDF)],
            by=users["staff_a"],
        )
    assert fault in caught.value.message and "审计报告.pdf" in caught.value.message
    assert not Activity.objects.exists()  # all or nothing


def test_the_import_upload_is_refused_with_503_and_no_job(client, users, fault):
    from fazhi.core.models import Job

    client.force_login(users["office"])
    response = client.post(
        reverse("procedures:import"),
        {"file": SimpleUploadedFile("求助.csv", "标题\n一\n".encode(), "text/csv")},
    )
    assert response.status_code == 503 and response["Retry-After"]
    text = response.content.decode()
    assert fault in text and "求助.csv" in text
    assert not Job.objects.exists()


@pytest.mark.parametrize("failing", [1, 2], ids=["the issue's pdf", "the job's output"])
def test_the_report_pdf_job_fails_in_chinese_and_leaves_no_file(
    district, users, media, monkeypatch, failing
):
    from fazhi.core.models import Job
    from fazhi.core.tasks import enqueue, execute
    from fazhi.reports import jobs
    from fazhi.reports.drafting import create_report
    from fazhi.reports.models import ReportIssue

    report = create_report(district["root"], 2024, by=users["office"])
    issue = ReportIssue.objects.create(
        report=report, number=1, issued_on=_day(), issued_at=timezone.now(), texts={}, figures={}
    )
    monkeypatch.setattr(jobs.services, "issued", lambda issue, public: object())
    monkeypatch.setattr(jobs, "file_name", lambda assembled, fmt: "年度报告.pdf")
    monkeypatch.setattr(jobs, "render", lambda assembled, fmt: PDF)
    job = enqueue(
        "reports.issue_pdf", label="印发版", params={"issue": issue.pk}, user=users["office"]
    )
    real_save, writes = FileSystemStorage._save, []

    def full_on_the_nth(self, name, content):  # the disk fills up at the n-th write
        writes.append(name)
        if len(writes) == failing:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", full_on_the_nth)
    done = execute(job.pk)
    assert done.status == Job.Status.FAILED
    assert "年度报告.pdf" in done.message and "存储空间已满" in done.message
    issue.refresh_from_db()
    assert not issue.pdf and not done.output_file  # nothing half-written
    assert not [p for p in media.rglob("*") if p.is_file()]
