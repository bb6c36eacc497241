"""The release of a matter to the public on the workbench (#19 defect 1): preview, release,
withhold, audited; only staff who may act on the matter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.models import AuditEvent
from fazhi.procedures.models import PublicRelease
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 6, 12)
LETTER = "我是欧阳娜娜，住四平市铁西区幸福小区3栋501室，患有糖尿病，电话13912345678。"


@pytest.fixture
def letter(district, users):
    with clock.frozen(DAY):
        matter = make_matter(
            "mailbox_letter",
            district["a"],
            users["staff_a"],
            DAY,
            subject="小区门口积水",
            party={"name": "欧阳娜娜", "phone": "13912345678"},
            details={"content": LETTER, "consent_publish": True},
        )
        act(matter, "reply", users["staff_a"], reply="欧阳娜娜您好：已安排疏通。")
    return matter


def url(matter):
    return reverse("workbench:matter-release", args=[matter.pk])


def test_preview_shows_the_masked_texts_then_release_is_audited(client, letter, users):
    client.force_login(users["staff_a"])
    detail = client.get(reverse("workbench:matter-detail", args=[letter.pk])).content.decode()
    assert "尚未审核" in detail and url(letter) in detail
    page = client.get(url(letter)).content.decode()
    for secret in ("欧阳娜娜", "幸福小区", "13912345678", "501"):
        assert secret not in page.split('data-testid="release-preview"')[1].split("</section>")[0]
    assert "糖尿病" in page  # not a pattern: staff decide
    preview = client.post(url(letter), {"decision": "preview", "hidden_words": "糖尿病"})
    shown = preview.content.decode().split('data-testid="release-preview"')[1]
    assert "糖尿病" not in shown.split("</section>")[0]
    assert not PublicRelease.objects.exists()  # a preview decides nothing
    client.post(url(letter), {"decision": "release", "hidden_words": "糖尿病"})
    row = PublicRelease.objects.get(matter=letter)
    assert row.is_released and row.hidden_words == ["糖尿病"] and row.decided_by == users["staff_a"]
    assert AuditEvent.objects.filter(action="matter.release", object_id=str(letter.pk)).exists()
    public = client.get(reverse("portal:replies")).content.decode()
    assert "小区门口积水" in public and "糖尿病" not in public and "欧阳娜娜" not in public
    client.post(url(letter), {"decision": "withhold", "reason": "涉及病情"})
    assert not PublicRelease.objects.get(matter=letter).is_released
    assert AuditEvent.objects.filter(action="matter.withhold").exists()
    assert "小区门口积水" not in client.get(reverse("portal:replies")).content.decode()


def test_without_consent_there_is_nothing_to_release(client, district, users):
    with clock.frozen(DAY):
        matter = make_matter(
            "mailbox_letter",
            district["a"],
            users["staff_a"],
            DAY,
            details={"content": "不同意公开", "consent_publish": False},
        )
    client.force_login(users["staff_a"])
    page = client.get(url(matter)).content.decode()
    assert "未同意公开" in page and 'value="release"' not in page
    response = client.post(url(matter), {"decision": "release"})
    assert response.status_code == 403 and not PublicRelease.objects.exists()


def test_another_department_gets_404_and_a_leader_may_not_release(client, letter, users):
    client.force_login(users["staff_b"])
    assert client.get(url(letter)).status_code == 404
    assert client.post(url(letter), {"decision": "release"}).status_code == 404
    client.force_login(users["leader"])
    assert client.post(url(letter), {"decision": "release"}).status_code == 403
    assert not PublicRelease.objects.exists()
