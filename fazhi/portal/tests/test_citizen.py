"""The citizen kept informed (#21): what they submitted on the tracking page, further
information and files added there, and notices by SMS and email on acceptance, reply and
conclusion."""

from __future__ import annotations

import http.server
import json
import re
import threading
from typing import ClassVar

import pytest
from django.core import mail
from django.urls import reverse

from fazhi.portal.models import Notice, NoticeStatus, Subscription
from fazhi.portal.notices import deliver, mobile_of
from fazhi.portal.tests.test_submit import PDF, help_data, receipt
from fazhi.procedures.models import Attachment, Matter
from fazhi.procedures.services import act

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"


@pytest.fixture
def outbox(settings, tmp_path):
    settings.FAZHI_SMS_URL = ""
    settings.FAZHI_SMS_OUTBOX = str(tmp_path / "outbox")
    settings.FAZHI_EMAIL_ENABLED = True
    return tmp_path / "outbox" / "sms.log"


def submit(client, **overrides):
    data = help_data(
        content=f"我的身份证{ID}，电话13800138000，材料齐全却被要求反复补充。", **overrides
    )
    reference, code, _ = receipt(client, client.post(reverse("portal:submit-help-request"), data))
    return Matter.objects.get(reference=reference), code


def track(client, matter, code):
    client.post(reverse("portal:track"), {"reference": matter.reference, "code": code})
    return client.get(reverse("portal:tracked"))


def sms_lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_mobile_numbers_however_typed():
    assert mobile_of("138 0013 8000") == mobile_of("+86 138-0013-8000") == "13800138000"
    assert mobile_of("0434-1234567") == "" and mobile_of("12800138000") == ""


def test_acceptance_reply_and_conclusion_are_told_by_sms_and_email(
    client, intake, users, outbox, django_capture_on_commit_callbacks
):
    matter, _code = submit(client, notify_sms="on", notify_email="zhang@example.com")
    assert sorted(Subscription.objects.values_list("channel", "address")) == [
        ("email", "zhang@example.com"),
        ("sms", "13800138000"),
    ]
    staff = users["staff_a"]
    with django_capture_on_commit_callbacks(execute=True):
        act(matter, "note", staff, text="内部：电话沟通过")  # nothing for a note
        act(matter, "accept", staff)
    assert [n.status for n in Notice.objects.order_by("pk")] == [NoticeStatus.QUEUED] * 2
    from fazhi.core.tasks import run_pending

    assert run_pending() == 2
    lines = sms_lines(outbox)
    assert [line["to"] for line in lines] == ["13800138000"]
    text = lines[0]["text"]
    assert matter.reference in text and "已受理" in text and "办不成事请找我" in text
    # no name, no content, no code: an SMS is read on a lock screen
    for secret in ("张三", "营业执照", matter.verification_code, ID):
        assert secret not in text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhang@example.com"]
    assert mail.outbox[0].body == text
    assert set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.SENT}

    with django_capture_on_commit_callbacks(execute=True):
        act(matter, "conclude", staff, result="已协调窗口办结。")
    run_pending()
    assert "已办结" in sms_lines(outbox)[-1]["text"]
    assert Notice.objects.filter(status=NoticeStatus.SENT).count() == 4


def test_no_subscription_no_notice_and_unsubscribe_stops_them(
    client, intake, users, outbox, django_capture_on_commit_callbacks
):
    quiet, _ = submit(client)  # notify_sms unchecked, no email
    act(quiet, "accept", users["staff_a"])
    assert not Notice.objects.exists() and not Subscription.objects.exists()

    matter, code = submit(client, notify_sms="on")
    track(client, matter, code)
    page = client.get(reverse("portal:tracked")).content.decode()
    assert "不再通知我" in page
    client.post(reverse("portal:track-unsubscribe"))
    act(matter, "accept", users["staff_a"])
    assert not Notice.objects.filter(matter=matter).exists()


def test_a_landline_cannot_take_sms_and_the_form_says_so(client, intake):
    data = help_data(phone="0434-1234567", notify_sms="on")
    response = client.post(reverse("portal:submit-help-request"), data)
    assert response.status_code == 200
    assert "固定电话，收不到短信" in response.content.decode()
    assert not Matter.objects.exists()
    bad = client.post(
        reverse("portal:submit-help-request"), help_data(notify_email="not-an-address")
    )
    assert "电子邮箱格式不对" in bad.content.decode() and not Matter.objects.exists()


def test_without_a_channel_the_notice_is_kept_as_not_sent(client, intake, users, settings):
    settings.FAZHI_SMS_URL = settings.FAZHI_SMS_OUTBOX = ""
    matter, _ = submit(client, notify_sms="on")
    act(matter, "accept", users["staff_a"])
    notice = Notice.objects.get()
    assert deliver(notice) == NoticeStatus.UNCONFIGURED
    notice.refresh_from_db()
    assert "FAZHI_SMS_URL" in notice.error and notice.sent_at is None


class _Gateway(http.server.BaseHTTPRequestHandler):
    status = 200
    received: ClassVar[list[dict]] = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Gateway.received, _Gateway.status = [], 200
    settings.FAZHI_SMS_URL = f"http://127.0.0.1:{server.server_port}/sms"
    yield _Gateway
    server.shutdown()
    server.server_close()


def test_an_sms_gateway_gets_json_and_a_refusal_is_kept_as_failed(
    client, intake, users, gateway, django_capture_on_commit_callbacks
):
    matter, _ = submit(client, notify_sms="on")
    act(matter, "accept", users["staff_a"])
    notice = Notice.objects.get()
    assert deliver(notice) == NoticeStatus.SENT
    assert gateway.received == [{"to": "13800138000", "text": notice.text}]
    gateway.status = 500
    notice.status = NoticeStatus.QUEUED
    with django_capture_on_commit_callbacks(execute=False) as retries:
        assert deliver(notice) == NoticeStatus.FAILED
    notice.refresh_from_db()
    assert "500" in notice.error and notice.attempts == 2
    assert len(retries) == 1  # tried again by the worker, up to three times


def test_the_tracking_page_shows_what_was_submitted_masked_and_the_own_files(client, intake, users):
    data = help_data(
        content=f"我的身份证{ID}，材料齐全却被要求反复补充。",
        attachments=[_upload("材料.pdf")],
    )
    reference, code, _ = receipt(client, client.post(reverse("portal:submit-help-request"), data))
    matter = Matter.objects.get(reference=reference)
    from fazhi.procedures.attachments import add_attachment

    internal = add_attachment(matter, "内部意见.pdf", PDF, by=users["staff_a"])
    page = track(client, matter, code).content.decode()
    assert "材料齐全却被要求反复补充" in page and ID not in page
    assert "材料.pdf" in page and "内部意见.pdf" not in page
    own = Attachment.objects.get(name="材料.pdf")
    download = client.get(reverse("portal:track-file", args=[own.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert client.get(reverse("portal:track-file", args=[internal.pk])).status_code == 404
    client.post(reverse("portal:track-end"))
    assert client.get(reverse("portal:track-file", args=[own.pk])).status_code == 302


def test_the_submitter_adds_information_and_a_file_while_the_matter_is_open(client, intake, users):
    matter, code = submit(client)
    track(client, matter, code)
    url = reverse("portal:track-act", args=["supplement"])
    empty = client.post(url, {"supplement-text": ""})
    assert empty.status_code == 400 and "请填写补充内容或选择要上传的文件" in empty.content.decode()
    response = client.post(
        url,
        {
            "supplement-text": "补充：窗口电话0434-7654321",
            "supplement-attachments": [_upload("补充.pdf")],
        },
        follow=True,
    )
    page = response.content.decode()
    assert "补充材料已提交" in page and "您补充的内容" in page
    step = matter.steps.get(action="supplement")
    assert step.actor is None and step.data == {"text": "补充：窗口电话0434-7654321"}
    assert Attachment.objects.get(name="补充.pdf").step == step
    assert "补充.pdf" in page
    # the handler sees it on the matter page
    client.force_login(users["staff_a"])
    staff_page = client.get(reverse("workbench:matter-detail", args=[matter.pk])).content.decode()
    assert "补充材料" in staff_page and "补充.pdf" in staff_page
    client.logout()
    # a refused file leaves nothing behind
    track(client, matter, code)
    bad = client.post(
        url, {"supplement-text": "再补充", "supplement-attachments": [_upload("x.exe", b"MZ")]}
    )
    assert bad.status_code == 400
    assert matter.steps.filter(action="supplement").count() == 1
    # closed: no supplement any more
    act(matter, "accept", users["staff_a"])
    act(matter, "conclude", users["staff_a"], result="已办结")
    assert (
        'data-public-action="supplement"'
        not in client.get(reverse("portal:tracked")).content.decode()
    )
    assert client.post(url, {"supplement-text": "晚了"}).status_code == 302
    assert matter.steps.filter(action="supplement").count() == 1


def test_track_opens_on_the_form_after_a_lookup(client, intake):
    matter, code = submit(client)
    track(client, matter, code)
    page = client.get(reverse("portal:track")).content.decode()
    assert 'name="reference"' in page and "办理经过" not in page
    assert re.search(r'data-testid="following">[^<]*' + matter.reference, page)


def _upload(name, content=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_staff_matter_page_shows_the_notices_sent(
    client, intake, users, outbox, django_capture_on_commit_callbacks
):
    """Issue #21: staff see on the matter page what the submitter was told, by which channel,
    when and whether it went out (until now only the admin showed it)."""
    from fazhi.core.tasks import run_pending

    matter, _ = submit(client, notify_sms="on")
    quiet, _ = submit(client)
    staff = users["staff_a"]
    with django_capture_on_commit_callbacks(execute=True):
        act(matter, "accept", staff)
    run_pending()
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet sent
        act(matter, "conclude", staff, result="已办结。")
    client.force_login(staff)
    page = client.get(reverse("workbench:matter-detail", args=[matter.pk])).content.decode()
    block = page.split('data-testid="notices"', 1)[1].split("</section>", 1)[0]
    assert "提交人要求通知：短信" in block
    rows = re.findall(
        r'<tr data-testid="notice" data-status="(\w+)"><td>(.*?)</td><td>(.*?)</td>', block
    )
    assert [(s, step.split("（")[0], ch) for s, step, ch in rows] == [
        ("sent", "受理", "短信"),
        ("queued", "办结", "短信"),
    ]
    assert "已发送" in block and "待发送" in block and "发出" in block
    assert "13800138000" not in block  # no address in the block
    # a matter whose submitter asked for nothing has no block
    other = client.get(reverse("workbench:matter-detail", args=[quiet.pk])).content.decode()
    assert 'data-testid="notices"' not in other
