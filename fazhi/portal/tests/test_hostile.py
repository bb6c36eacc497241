"""The hostile-input corpus on the public forms (issue 19, "Build and prove").

Script tags, SQL, template syntax, path traversal, bidi overrides and emoji in every text field
of every public form: stored as typed and shown escaped, on the receipt and on the staff
page. A NUL byte, impossible dates and absurd numbers: refused next to the field, in Chinese.
Never a 5xx.
"""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from fazhi.core.tests import hostile
from fazhi.portal.forms import submission_form
from fazhi.portal.tests.test_submit import complaint_data, help_data, letter_data
from fazhi.procedures.models import Attachment, Matter

pytestmark = pytest.mark.django_db

FORMS = {
    "help_request": help_data,
    "business_complaint": complaint_data,
    "mailbox_letter": letter_data,
}
NOT_FREE_TEXT = {"phone", "id_number", "website"}  # checked formats, or the honeypot


def text_fields(procedure: str) -> list[str]:
    form = submission_form(procedure)()
    return [
        name
        for name, f in form.fields.items()
        if isinstance(f, forms.CharField)
        and not isinstance(f, forms.EmailField)  # a checked format
        and name not in NOT_FREE_TEXT
    ]


def url(procedure: str) -> str:
    return reverse(f"portal:submit-{procedure.replace('_', '-')}")


CASES = [(p, f) for p in FORMS for f in text_fields(p)]


def test_every_form_has_free_text_fields_to_attack():
    assert {p for p, _ in CASES} == set(FORMS)
    assert len(CASES) >= 9


@pytest.mark.parametrize(("procedure", "field"), CASES)
def test_markup_and_sql_are_stored_as_typed_and_shown_escaped(
    client, intake, today, users, procedure, field
):
    for n, value in enumerate(hostile.INERT_TEXTS):
        data = FORMS[procedure](**{field: value})
        response = client.post(url(procedure), data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:  # refused next to the field (too long for a name …)
            errors = response.context["form"].errors
            assert field in errors and hostile.CHINESE.search(" ".join(errors[field]))
            continue
        receipt = client.get(response["Location"]).content.decode()
        hostile.assert_no_raw_markup(receipt)
        matter = Matter.objects.order_by("-pk").first()
        stored = {**{k: v for k, v in vars(matter).items() if isinstance(v, str)}, **matter.details}
        assert value in stored.values() or value.strip() in stored.values(), (field, n)
    client.force_login(users["staff_a"])
    for matter in Matter.objects.all():
        page = client.get(reverse("workbench:matter-detail", args=[matter.pk]))
        assert page.status_code == 200
        hostile.assert_no_raw_markup(page.content.decode())
    client.logout()
    assert hostile.SCRIPT not in client.get(reverse("portal:replies")).content.decode()


@pytest.mark.parametrize(("procedure", "field"), CASES)
def test_a_nul_byte_is_refused_next_to_the_field(client, intake, today, procedure, field):
    response = client.post(url(procedure), FORMS[procedure](**{field: hostile.NUL}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and hostile.CHINESE.search(" ".join(errors[field]))
    assert not Matter.objects.exists()


@pytest.mark.parametrize("id_number", hostile.INVALID_IDS)
def test_invalid_resident_ids_are_refused(client, intake, today, id_number):
    response = client.post(url("help_request"), help_data(id_number=id_number))
    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    assert not Matter.objects.exists()


@pytest.mark.parametrize("code", hostile.INVALID_CREDIT_CODES)
def test_invalid_credit_codes_are_refused(client, intake, today, code):
    response = client.post(url("business_complaint"), complaint_data(id_number=code))
    assert response.status_code == 200
    errors = response.context["form"].errors["id_number"]
    assert hostile.CHINESE.search(" ".join(errors))
    assert not Matter.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"kind": hostile.SQL},
        {"party_kind": "<script>"},
        {"consent_publish": "9" * 30},
        {"name": "张" * 5000},
        {"subject": ""},
    ],
)
def test_choices_and_limits_refuse_garbage(client, intake, today, change):
    procedure = "mailbox_letter" if "consent_publish" in change else "help_request"
    response = client.post(url(procedure), FORMS[procedure](**change))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors
    hostile.assert_no_raw_markup(response.content.decode())


@pytest.mark.parametrize(
    "name",
    ["../../../etc/passwd.txt", "..\\..\\windows\\win.ini.txt", "/etc/passwd.txt", "a\x00.txt"],
)
def test_path_traversal_in_an_attachment_name_stays_inside_the_media_root(
    client, intake, today, tmp_path, name
):
    upload = SimpleUploadedFile(name, "情况说明".encode())
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        response = client.post(url("help_request"), help_data(attachments=[upload]))
    assert response.status_code in (200, 302)
    for attachment in Attachment.objects.all():
        stored = (tmp_path / "media" / attachment.file.name).resolve()
        assert stored.is_relative_to((tmp_path / "media").resolve())
        assert ".." not in attachment.name and "/" not in attachment.name
        assert "\x00" not in attachment.name
    assert not (tmp_path / "etc").exists()


def test_an_empty_multipart_and_a_wrong_content_type_answer_in_chinese(client, intake, today):
    for body, kind in [
        (b"", "multipart/form-data; boundary=x"),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
        (b'{"subject": "json"}', "application/json"),
        (b"\xff\xfe\x00garbage", "text/plain"),
    ]:
        response = client.post(url("help_request"), body, content_type=kind)
        assert response.status_code in (200, 400), (kind, response.status_code)
        assert hostile.CHINESE.search(response.content.decode())
    assert not Matter.objects.exists()
