"""The Alibaba Cloud SMS adapter (fazhi/portal/sms_aliyun.py) against a local endpoint that
checks each request as the provider documents it: the SendSms parameters, the template's
parts, and a signature recomputed here from the received query (the documented steps,
written out again independently of the adapter's code)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import threading
import urllib.parse
from typing import ClassVar

import pytest

from fazhi.portal.models import Notice, NoticeStatus
from fazhi.portal.notices import deliver
from fazhi.portal.sms_aliyun import signature
from fazhi.portal.tests.test_citizen import submit
from fazhi.procedures.services import act

pytestmark = pytest.mark.django_db

SECRET = "testsecret/+="  # characters that must be encoded in the URL


def expected_signature(query: list[tuple[str, str]], secret: str) -> str:
    def pct(text: str) -> str:  # RFC 3986: unreserved characters stay, the rest %XX
        return "".join(
            ch
            if ch.isascii() and (ch.isalnum() or ch in "-_.~")
            else "".join(f"%{b:02X}" for b in ch.encode())
            for ch in text
        )

    pairs = sorted((k, v) for k, v in query if k != "Signature")
    canonical = "&".join(f"{pct(k)}={pct(v)}" for k, v in pairs)
    string_to_sign = "GET&" + pct("/") + "&" + pct(canonical)
    mac = hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


class _Provider(http.server.BaseHTTPRequestHandler):
    answer: ClassVar[dict] = {"Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r"}
    received: ClassVar[list[list[tuple[str, str]]]] = []

    def do_GET(self):
        query = urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)
        type(self).received.append(query)
        body = json.dumps(type(self).answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Provider.received = []
    _Provider.answer = {"Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r"}
    key = urllib.parse.quote(SECRET, safe="")
    settings.FAZHI_SMS_URL = (
        f"aliyun+http://LTAI-test:{key}@127.0.0.1:{server.server_port}/"
        "?sign_name=铁西区法治&template=SMS_0001"
    )
    yield _Provider
    server.shutdown()
    server.server_close()


def test_a_notice_goes_out_as_a_signed_templated_send_sms(client, intake, users, provider):
    matter, _ = submit(client, notify_sms="on")
    act(matter, "accept", users["staff_a"])
    notice = Notice.objects.get()
    assert deliver(notice) == NoticeStatus.SENT
    (query,) = provider.received
    got = dict(query)
    assert got["Action"] == "SendSms" and got["Version"] == "2017-05-25"
    assert got["PhoneNumbers"] == "13800138000" and got["AccessKeyId"] == "LTAI-test"
    assert got["SignName"] == "铁西区法治" and got["TemplateCode"] == "SMS_0001"
    assert got["SignatureMethod"] == "HMAC-SHA1" and got["SignatureVersion"] == "1.0"
    params = json.loads(got["TemplateParam"])
    assert params["reference"] == matter.reference and params["event"] == "已受理"
    assert params["procedure"] == "办不成事请找我"
    for secret in ("张三", matter.verification_code):  # the template's parts carry no more
        assert secret not in got["TemplateParam"]
    assert got["Signature"] == expected_signature(query, SECRET)


def test_the_providers_refusal_is_kept_as_failed(client, intake, users, provider):
    provider.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}
    matter, _ = submit(client, notify_sms="on")
    act(matter, "accept", users["staff_a"])
    notice = Notice.objects.get()
    assert deliver(notice) == NoticeStatus.FAILED
    notice.refresh_from_db()
    assert "isv.BUSINESS_LIMIT_CONTROL" in notice.error and notice.sent_at is None


def test_an_incomplete_url_is_refused_in_words(client, intake, users, settings):
    settings.FAZHI_SMS_URL = "aliyun://LTAI-test:secret@dysmsapi.aliyuncs.com/"  # no template
    matter, _ = submit(client, notify_sms="on")
    act(matter, "accept", users["staff_a"])
    notice = Notice.objects.get()
    assert deliver(notice) == NoticeStatus.FAILED
    notice.refresh_from_db()
    assert "sign_name" in notice.error


def test_the_signature_encodes_as_rfc_3986():
    params = {"a": "x y*~", "TemplateParam": '{"k":"值"}'}
    query = list(params.items())
    assert signature(params, "s") == expected_signature(query, "s")
