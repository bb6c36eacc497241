"""Attachments through the API: upload (multipart), list, download, scope and limits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.procedures.models import Attachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(m):
    return f"/api/v1/matters/{m.pk}/attachments/"


def upload(c, m, name="答复.pdf", content=PDF, **extra):
    return c.post(
        url(m), {"file": SimpleUploadedFile(name, content), **extra}, format="multipart", **{}
    )


def test_upload_list_download(client_for, users, matter_a):
    c = client_for(users["staff_a"])
    response = upload(c, matter_a, public="true")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["name"] == "答复.pdf"
    assert data["content_type"] == "application/pdf"
    assert data["size"] == len(PDF)
    assert data["public"] is True
    listed = c.get(url(matter_a)).json()
    assert [a["id"] for a in listed] == [data["id"]]
    download = c.get(f"{url(matter_a)}{data['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"


def test_other_department_gets_404(client_for, users, matter_a):
    upload(client_for(users["staff_a"]), matter_a)
    attachment = Attachment.objects.get()
    c = client_for(users["staff_b"])
    assert c.get(url(matter_a)).status_code == 404
    assert c.get(f"{url(matter_a)}{attachment.pk}/").status_code == 404
    assert upload(c, matter_a).status_code == 404
    assert Attachment.objects.count() == 1


def test_attachment_of_another_matter_is_404(client_for, users, matter_a, district, today):
    from fazhi.procedures.tests.factories import make_matter

    other = make_matter("help_request", district["a"], users["staff_a"], today)
    c = client_for(users["staff_a"])
    upload(c, matter_a)
    attachment = Attachment.objects.get()
    assert c.get(f"{url(other)}{attachment.pk}/").status_code == 404


def test_leader_may_read_but_not_upload(client_for, users, matter_a):
    c = client_for(users["leader"])
    assert c.get(url(matter_a)).status_code == 200
    response = upload(c, matter_a)
    assert response.status_code == 403
    assert "不能为" in response.json()["detail"]


def test_wrong_type_is_400_in_chinese(client_for, users, matter_a):
    response = upload(client_for(users["staff_a"]), matter_a, name="病毒.exe", content=b"MZ\x90")
    assert response.status_code == 400
    assert "类型不允许" in response.json()["detail"]
    response = upload(client_for(users["staff_a"]), matter_a, name="假.pdf", content=b"hello")
    assert response.status_code == 400
    assert "不符" in response.json()["detail"]


def test_oversized_file_is_refused(client_for, users, matter_a, settings):
    settings.FAZHI_MAX_ATTACHMENT_BYTES = 1000
    c = client_for(users["staff_a"])
    # beyond the limit plus multipart overhead: refused before the body is read
    response = upload(c, matter_a, content=PDF + b"0" * 200_000)
    assert response.status_code == 413
    assert response.json()["detail"] == "附件过大：上限为 1000 字节。"
    # just beyond the limit: the engine's own check, which names the file
    response = upload(c, matter_a, content=PDF + b"0" * 2000)
    assert response.status_code == 400
    assert "过大" in response.json()["detail"]
    assert Attachment.objects.count() == 0
