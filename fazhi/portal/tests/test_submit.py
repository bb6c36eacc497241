"""Submitting through the three public channels."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.core.pii import uscc_check_char
from fazhi.portal.services import submit_public
from fazhi.procedures.errors import InvalidData
from fazhi.procedures.models import Attachment, Matter, Step

pytestmark = pytest.mark.django_db

RESIDENT_ID = "11010519491231002X"
CREDIT_CODE = "91220302MA0Y12345" + uscc_check_char("91220302MA0Y12345")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def help_data(**overrides):
    data = {
        "kind": "help",
        "party_kind": "person",
        "name": "张三",
        "phone": "13800138000",
        "id_number": "",
        "subject": "办理营业执照变更跑了三次",
        "content": "在政务大厅办理营业执照变更，材料齐全却被要求反复补充。",
        "website": "",
    }
    data.update(overrides)
    return data


def complaint_data(**overrides):
    data = {
        "party_kind": "organisation",
        "name": "四平市某某商贸有限公司",
        "id_number": CREDIT_CODE,
        "phone": "0434-1234567",
        "enterprise": "四平市某某商贸有限公司",
        "respondent": "某街道办事处",
        "subject": "施工许可审批超期",
        "content": "申请已提交40天，无任何答复。",
        "website": "",
    }
    data.update(overrides)
    return data


def letter_data(**overrides):
    data = {
        "name": "李四",
        "phone": "13900139000",
        "subject": "建议增设公交站点",
        "content": "北山小区附近没有公交站，老人出行不便。",
        "consent_publish": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def receipt(client, response):
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("portal:submitted")
    page = client.get(response["Location"]).content.decode()
    reference = re.search(r'data-testid="reference">([^<]+)<', page).group(1)
    code = re.search(r'data-testid="code">([^<]+)<', page).group(1)
    return reference, code, page


def test_help_request_is_registered_in_the_intake_unit(client, intake, today):
    response = client.post(reverse("portal:submit-help-request"), help_data(id_number=RESIDENT_ID))
    reference, code, page = receipt(client, response)
    matter = Matter.objects.get()
    assert (matter.procedure, matter.org, matter.received_on) == ("help_request", intake, today)
    assert matter.channel == "web"
    assert matter.reference == reference and reference.startswith("BC-2024-")
    assert matter.verification_code == code
    day = f"{today.year}年{today.month}月{today.day}日"
    assert f"您通过“办不成事请找我”提交的事项已于{day}登记" in page
    assert (matter.party_name, matter.party_phone, matter.party_kind) == (
        "张三",
        "13800138000",
        "person",
    )
    assert matter.party_id_number == RESIDENT_ID
    assert matter.details == {
        "kind": "help",
        "content": "在政务大厅办理营业执照变更，材料齐全却被要求反复补充。",
        "consent_publish": False,  # the unticked box: recorded as no
    }
    assert matter.subject == "办理营业执照变更跑了三次"
    step = Step.objects.get(matter=matter)
    assert (step.action, step.actor, step.actor_label) == ("register", None, "公众")
    assert "请务必记下或截图保存查询编号和查询码" in page
    assert "3个工作日内受理审查，受理后15个工作日内办结" in page
    assert intake.name in page


def test_business_complaint_with_credit_code(client, intake, today):
    response = client.post(reverse("portal:submit-business-complaint"), complaint_data())
    reference, code, _ = receipt(client, response)
    matter = Matter.objects.get(reference=reference)
    assert matter.procedure == "business_complaint" and matter.org == intake
    assert matter.party_kind == "organisation" and matter.party_id_number == CREDIT_CODE
    assert matter.details == {
        "enterprise": "四平市某某商贸有限公司",
        "respondent": "某街道办事处",
        "content": "申请已提交40天，无任何答复。",
        "consent_publish": False,
    }
    assert reference.startswith("YS-2024-") and matter.verification_code == code


def test_mailbox_letter_records_consent(client, intake, today):
    reference, _, _ = receipt(
        client, client.post(reverse("portal:submit-mailbox-letter"), letter_data())
    )
    matter = Matter.objects.get(reference=reference)
    assert matter.procedure == "mailbox_letter"
    assert matter.details == {
        "content": "北山小区附近没有公交站，老人出行不便。",
        "consent_publish": True,
    }
    without = letter_data(consent_publish="")
    receipt(client, client.post(reverse("portal:submit-mailbox-letter"), without))
    assert Matter.objects.filter(details__consent_publish=False).count() == 1


def test_without_a_route_the_root_unit_receives(client, district, today):
    receipt(client, client.post(reverse("portal:submit-mailbox-letter"), letter_data()))
    assert Matter.objects.get().org == district["root"]


def test_attachments_are_stored_with_the_register_step(client, intake, today, tmp_path):
    files = [
        ("证明.pdf", PDF),
        ("说明.txt", "情况说明".encode()),
    ]
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = help_data(
        attachments=[SimpleUploadedFile(name, content) for name, content in files],
    )
    with override_settings(MEDIA_ROOT=tmp_path):
        receipt(client, client.post(reverse("portal:submit-help-request"), data))
    matter = Matter.objects.get()
    stored = list(Attachment.objects.filter(matter=matter).order_by("name"))
    assert [a.name for a in stored] == ["证明.pdf", "说明.txt"]
    assert all(a.step.action == "register" and not a.public for a in stored)


def assert_refused(response, field, fragment):
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert fragment in " ".join(form.errors[field])
    page = response.content.decode()
    assert fragment in page and 'role="alert"' in page
    assert Matter.objects.count() == 0
    assert Step.objects.count() == 0
    assert AuditEvent.objects.filter(action="matter.register").count() == 0


@pytest.mark.parametrize(
    ("url", "data", "field", "fragment"),
    [
        ("help-request", help_data(id_number="110105194912310021"), "id_number", "校验"),
        ("help-request", help_data(id_number="12345"), "id_number", "18位"),
        ("business-complaint", complaint_data(id_number="91220302MA0Y123450"), "id_number", ""),
        ("help-request", help_data(phone="12345678"), "phone", "电话号码格式不正确"),
        ("mailbox-letter", letter_data(phone=""), "phone", "请填写“联系电话”"),
        ("help-request", help_data(kind="gossip"), "kind", "选项无效"),
        ("help-request", help_data(subject="长" * 301), "subject", "最多 300 字，现在是 301 字"),
        ("mailbox-letter", letter_data(content="字" * 10001), "content", "最多 10000 字"),
        ("business-complaint", complaint_data(name=""), "name", "请填写"),
    ],
)
def test_invalid_input_is_refused_next_to_its_field(
    client, intake, today, url, data, field, fragment
):
    response = client.post(reverse(f"portal:submit-{url}"), data)
    assert_refused(response, field, fragment)


def test_credit_code_is_checked_for_organisations(client, intake, today):
    bad = CREDIT_CODE[:-1] + ("0" if CREDIT_CODE[-1] != "0" else "1")
    response = client.post(
        reverse("portal:submit-business-complaint"), complaint_data(id_number=bad)
    )
    assert_refused(response, "id_number", "统一社会信用代码")


def test_wrong_attachment_type_is_refused(client, intake, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for name, content, fragment in [
        ("病毒.exe", b"MZ\x90\x00", "类型不允许"),
        ("假的.pdf", b"<html>not a pdf</html>", "内容与扩展名 .pdf 不符"),
    ]:
        data = help_data(attachments=[SimpleUploadedFile(name, content)])
        response = client.post(reverse("portal:submit-help-request"), data)
        assert_refused(response, "attachments", fragment)


@override_settings(FAZHI_MAX_ATTACHMENT_BYTES=1024)
def test_oversize_attachment_is_refused(client, intake, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048)
    response = client.post(reverse("portal:submit-help-request"), help_data(attachments=[big]))
    assert_refused(response, "attachments", "过大")
    assert Attachment.objects.count() == 0


def test_too_many_attachments_are_refused(client, intake, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(f"{i}.txt", b"text") for i in range(6)]
    response = client.post(reverse("portal:submit-help-request"), help_data(attachments=files))
    assert_refused(response, "attachments", "最多 5 个")


def test_a_failed_attachment_leaves_no_matter_behind(intake, today, tmp_path):
    """The engine refuses the second file inside the transaction: nothing is left."""
    with override_settings(MEDIA_ROOT=tmp_path), pytest.raises(InvalidData):
        submit_public(
            "help_request",
            subject="测试",
            party={"name": "张三", "phone": "13800138000"},
            details={"kind": "help"},
            attachments=[("好.pdf", PDF), ("坏.exe", b"MZ")],
        )
    assert Matter.objects.count() == 0
    assert Step.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert not any(p.is_file() for p in tmp_path.rglob("*"))  # the stored file is removed too


def test_engine_errors_are_shown_next_to_the_field(client, intake, today, monkeypatch):
    """An error only the engine finds lands on the field it names."""
    import fazhi.portal.views as views

    def refuse(*args, **kwargs):
        raise InvalidData("地址有误。", field="party.phone")

    monkeypatch.setattr(views, "submit_public", refuse)
    response = client.post(reverse("portal:submit-help-request"), help_data())
    assert response.context["form"].errors["phone"] == ["地址有误。"]


def test_forms_are_accessible(client, intake):
    page = client.get(reverse("portal:submit-help-request")).content.decode()
    for name in ("name", "phone", "subject", "content", "id_number", "attachments"):
        assert f'<label for="id_{name}">' in page
    assert "<legend>诉求类别" in page  # radio groups are fieldsets with a legend
    assert 'enctype="multipart/form-data"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert re.search(
        r'<div class="hp" aria-hidden="true">.*?name="website"[^>]*tabindex="-1"', page, re.S
    )
    invalid = client.post(
        reverse("portal:submit-help-request"), help_data(phone="1")
    ).content.decode()
    assert re.search(r'<input[^>]*name="phone"[^>]*aria-invalid="true"', invalid)
    assert 'aria-describedby="id_phone_hint id_phone_error"' in invalid
    assert 'href="#id_phone"' in invalid  # the error summary links to the field


def test_messages_stay_chinese_whatever_the_browser_asks(client, intake, today):
    response = client.post(
        reverse("portal:submit-help-request"), help_data(name=""), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "请填写“姓名或单位名称”" in response.content.decode()


def test_receipt_page_without_a_submission_goes_home(client, db):
    response = client.get(reverse("portal:submitted"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_the_receipt_is_a_signed_cookie_for_its_page_and_no_session_is_written(
    client, intake, today
):
    """#19: no session row per citizen; the code stays out of every URL (defect 8)."""
    from django.contrib.sessions.models import Session

    from fazhi.portal.views import RECEIPT_COOKIE

    response = client.post(reverse("portal:submit-help-request"), help_data())
    code = Matter.objects.get().verification_code
    assert code not in response["Location"]
    assert not Session.objects.exists() and settings.SESSION_COOKIE_NAME not in response.cookies
    cookie = response.cookies[RECEIPT_COOKIE]
    assert cookie["httponly"] and cookie["path"] == reverse("portal:submitted")
    assert cookie["samesite"] == "Lax" and 0 < int(cookie["max-age"]) <= 1800
    assert len(cookie.value) < 3000  # well inside a browser's 4 KB per cookie
    reference, shown, _ = receipt(client, response)
    assert shown == code and reference == Matter.objects.get().reference
    assert receipt(client, response)[1] == code  # a reload shows it again


def test_a_forged_or_stale_receipt_cookie_goes_home(client, intake, today, monkeypatch):
    from django.core import signing

    from fazhi.portal.views import RECEIPT_COOKIE, RECEIPT_SALT

    url = reverse("portal:submitted")
    forged = {"reference": "BC-2024-999999", "code": "FAKE99", "procedure": "", "unit": ""}
    client.cookies[RECEIPT_COOKIE] = signing.dumps(forged, salt="another.salt")
    assert client.get(url)["Location"] == reverse("portal:home")
    client.cookies[RECEIPT_COOKIE] = "x" + signing.dumps(forged, salt=RECEIPT_SALT)
    assert client.get(url)["Location"] == reverse("portal:home")
    client.post(reverse("portal:submit-help-request"), help_data())
    assert client.get(url).status_code == 200
    later = time.time() + 31 * 60
    monkeypatch.setattr(signing.time, "time", lambda: later)  # the cookie's own time stamp
    assert client.get(url)["Location"] == reverse("portal:home")


@pytest.mark.parametrize("slug", ["help", "complaint", "mailbox"])
def test_every_public_form_says_what_becomes_public(client, intake, slug):
    """#19 defect 1: each form says plainly what will become public, and asks for consent."""
    page = client.get(f"/{slug}/").content.decode()
    assert 'name="consent_publish"' in page
    assert "经工作人员审核" in page and "不勾选的，任何内容都不会公开" in page
    assert "姓名只保留姓氏" in page


def test_the_intake_unit_is_read_once_and_an_edited_route_applies_at_once(
    client, intake, district, today
):
    """#19: the route is remembered per process; editing it (admin, signals) forgets it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fazhi.procedures.models import IntakeRoute

    url = reverse("portal:submit-help-request")
    with CaptureQueriesContext(connection) as first:
        client.post(url, help_data())
    with CaptureQueriesContext(connection) as second:
        client.post(url, help_data())
    assert any("procedures_intakeroute" in q["sql"] for q in first.captured_queries)
    assert not any("procedures_intakeroute" in q["sql"] for q in second.captured_queries)
    IntakeRoute.objects.filter(procedure="help_request").get().delete()
    IntakeRoute.objects.create(procedure="help_request", org=district["b"])
    client.post(url, help_data())
    assert [m.org for m in Matter.objects.order_by("pk")] == [intake, intake, district["b"]]
