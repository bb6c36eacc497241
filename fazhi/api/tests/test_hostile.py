"""The hostile-input corpus on the staff API and Open311 (issue 19, "Build and prove").

Each input is refused with a Chinese message naming what is wrong (400/404/413/415), or
stored as typed and shown escaped; never a 5xx. Includes defect 9's server errors (received_on
before the calendar, Open311 dates at the year 9999, deep JSON, mailed_on never checked) and
defect 15's English messages.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.api.models import ApiClient
from fazhi.core.tests import hostile
from fazhi.procedures.models import Attachment, Matter

pytestmark = pytest.mark.django_db

MATTERS = "/api/v1/matters/"


def body(**extra):
    data = {
        "procedure": "help_request",
        "subject": "营业执照变更",
        "party": {"name": "张三", "phone": "13912345678"},
        "details": {"kind": "help", "content": "多次补正"},
    }
    data.update(extra)
    return data


@pytest.fixture
def staff(client_for, users):
    c = client_for(users["staff_a"])
    c.raise_request_exception = False  # a 500 must show as a 500, not as an exception
    return c


def refused(response, status=400, field=None):
    assert response.status_code == status, (response.status_code, response.content[:300])
    data = response.json()
    assert hostile.CHINESE.search(data["detail"]), data
    if field is not None:
        assert data["field"] == field, data
    return data


# --- text fields: stored as typed, shown escaped ----------------------------------------------


TEXT_PATHS = ["subject", "party.name", "party.address", "details.content", "reference"]


def with_text(path: str, value: str) -> dict:
    data = body()
    head, _, tail = path.partition(".")
    if tail:
        data[head] = {**data[head], tail: value}
    else:
        data[head] = value
    return data


@pytest.mark.parametrize("path", TEXT_PATHS)
def test_markup_and_sql_in_every_text_field_are_stored_inertly(staff, client, users, path):
    client.force_login(users["staff_a"])
    for value in hostile.INERT_TEXTS:
        response = staff.post(MATTERS, with_text(path, value), format="json")
        if response.status_code == 400:  # a checked format (a reference's length …)
            refused(response)
            continue
        assert response.status_code == 201, response.content
        created = response.json()
        shown = staff.get(f"{MATTERS}{created['id']}/").json()
        head, _, tail = path.partition(".")
        assert (shown[head][tail] if tail else shown[head]) == value.strip()
        page = client.get(f"/workbench/matters/{created['id']}/")
        assert page.status_code == 200
        hostile.assert_no_raw_markup(page.content.decode())
    assert Matter.objects.filter(subject="'; DROP TABLE procedures_matter; --").count() <= 1


@pytest.mark.parametrize("path", TEXT_PATHS)
def test_a_nul_byte_in_any_text_is_refused(staff, path):
    refused(staff.post(MATTERS, with_text(path, hostile.NUL), format="json"))
    assert not Matter.objects.exists()


def test_a_nul_byte_in_a_query_is_refused(staff):
    refused(staff.get(MATTERS, {"search": hostile.NUL}))


# --- bodies: malformed, deep, empty, wrong type, too big -------------------------------------


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("{bad", "不是有效的 JSON"),
        ('{"a": NaN}', "NaN"),
        (hostile.DEEP_JSON, "嵌套层数过多"),
        (hostile.DEEP_OBJECT, "嵌套层数过多"),
        ('{"a":' * 40 + "1" + "}" * 40, "嵌套层数过多"),
        ("null", "未提供数据"),
        ("[]", ""),
        ('"a string"', ""),
        ("", ""),
    ],
)
def test_malformed_bodies_are_400_in_chinese(staff, raw, fragment):
    data = refused(staff.post(MATTERS, raw, content_type="application/json"))
    assert fragment in data["detail"]
    assert "JSON parse error" not in data["detail"] and "No data provided" not in data["detail"]


@pytest.mark.parametrize(
    "kind", ["text/plain", "application/xml", "application/x-www-form-urlencoded; charset=gbk"]
)
def test_wrong_content_types_are_refused_in_chinese(staff, kind):
    response = staff.post(MATTERS, "subject=x", content_type=kind)
    assert response.status_code in (400, 415)
    refused(response, response.status_code)


def test_a_body_that_is_not_utf8_is_refused(staff):
    refused(
        staff.post(
            MATTERS, '{"subject": "\xff"}'.encode("latin-1"), content_type="application/json"
        )
    )


def test_an_oversize_body_is_413_in_chinese(staff):
    big = json.dumps(body(subject="长" * 10, details={"kind": "help", "content": "字" * 600_000}))
    refused(staff.post(MATTERS, big, content_type="application/json"), 413)


# --- dates: impossible, out of range ---------------------------------------------------------


@pytest.mark.parametrize("value", hostile.IMPOSSIBLE_DATES)
def test_impossible_dates_are_400(staff, value):
    refused(staff.post(MATTERS, body(received_on=value), format="json"), field="received_on")


@pytest.mark.parametrize("value", hostile.OUT_OF_RANGE_DATES)
@pytest.mark.parametrize("name", ["received_on", "mailed_on"])
def test_out_of_range_dates_are_400_not_500(staff, name, value):
    """Defect 9: received_on 1900 was InvalidDateError (500); mailed_on 9999 was stored."""
    data = refused(staff.post(MATTERS, body(**{name: value}), format="json"), field=name)
    assert "日期" in data["detail"]
    assert not Matter.objects.exists()


@pytest.mark.parametrize("value", ["1900-01-01", "9999-12-31"])
def test_an_action_dated_out_of_range_is_400(staff, matter_a, value):
    url = f"{MATTERS}{matter_a.pk}/actions/"
    refused(staff.post(url, {"action": "accept", "on": value}, format="json"), field="on")
    refused(
        staff.post(url, {"action": "accept", "mailed_on": value}, format="json"), field="mailed_on"
    )
    assert matter_a.steps.count() == 1


@pytest.mark.parametrize("value", ["9999-12-31", "1900-01-01"])
def test_list_filters_take_any_real_date(staff, value):
    assert staff.get(MATTERS, {"received_after": value}).status_code == 200


# --- numbers and ids -------------------------------------------------------------------------


@pytest.mark.parametrize("number", hostile.ABSURD_NUMBERS)
def test_absurd_page_numbers_and_sizes(staff, matter_a, number):
    for params in ({"page": number}, {"page_size": number}):
        response = staff.get(MATTERS, params)
        assert response.status_code in (200, 400), (params, response.status_code)
        if response.status_code == 400:
            refused(response, field="page")


@pytest.mark.parametrize(
    "pk", ["99999999999999999999999", "-1", "0", "1e5", "abc", "%00", "1;DROP TABLE x"]
)
def test_absurd_matter_ids_are_404(staff, pk):
    for suffix in ("", "actions/", "attachments/"):
        response = staff.get(f"{MATTERS}{pk}/{suffix}")
        assert response.status_code == 404, (pk, suffix, response.status_code)
        assert hostile.CHINESE.search(response.json()["detail"])


@pytest.mark.parametrize("year", ["99999999999", "-5", "0", "abc", "1e9"])
def test_absurd_indicator_years_are_400(staff, district, year):
    response = staff.get("/api/v1/indicators/", {"org": "220302", "year": year})
    assert response.status_code in (400, 404)
    refused(response, response.status_code)


@pytest.mark.parametrize("id_number", hostile.INVALID_IDS)
def test_invalid_resident_ids_are_refused(staff, id_number):
    data = body(party={"name": "张三", "kind": "person", "id_number": id_number})
    refused(staff.post(MATTERS, data, format="json"), field="party.id_number")


@pytest.mark.parametrize("code", hostile.INVALID_CREDIT_CODES)
def test_invalid_credit_codes_are_refused(staff, code):
    data = body(party={"name": "某公司", "kind": "organisation", "id_number": code})
    refused(staff.post(MATTERS, data, format="json"), field="party.id_number")


# --- files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["../../../etc/passwd.txt", "..\\..\\boot.ini.txt", "/etc/shadow.txt", "a\x00b.txt"]
)
def test_path_traversal_in_upload_names_stays_in_the_media_root(
    staff, matter_a, settings, tmp_path, name
):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = SimpleUploadedFile(name, "说明".encode())
    response = staff.post(
        f"{MATTERS}{matter_a.pk}/attachments/", {"file": upload}, format="multipart"
    )
    assert response.status_code in (201, 400)
    for attachment in Attachment.objects.all():
        assert (
            (tmp_path / "media" / attachment.file.name)
            .resolve()
            .is_relative_to((tmp_path / "media").resolve())
        )
        assert "/" not in attachment.name and "\\" not in attachment.name
    assert not (tmp_path / "etc").exists()


def test_a_broken_xlsx_upload_is_refused_in_chinese(staff, matter_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("表格.xlsx", b"not a zip at all")
    data = refused(
        staff.post(f"{MATTERS}{matter_a.pk}/attachments/", {"file": upload}, format="multipart")
    )
    assert "xlsx" in data["detail"]


# --- Open311 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2024-02-30"},
        {"end_date": "2023-13-01T00:00:00+08:00"},
        {"start_date": "9999-12-31"},
        {"end_date": "9999-12-31T23:59:59+08:00"},
        {"start_date": "0001-01-01"},
        {"start_date": "1900-01-01", "end_date": "1900-02-01"},
        {"start_date": "2024-01-01T25:61:00+08:00"},
        {"service_request_id": "1" * 500},
        {"status": hostile.SQL},
        {"service_code": hostile.SCRIPT},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_request_filters_never_answer_500(client, district, params, fmt):
    """Defect 9: impossible dates were ValueError, the year 9999 OverflowError (both 500)."""
    client.raise_request_exception = False
    response = client.get(f"/open311/v2/requests.{fmt}", params)
    assert response.status_code in (200, 400), (params, response.status_code)
    text = response.content.decode()
    assert not response["Content-Type"].startswith("text/html")  # JSON may quote "<": inert
    if fmt == "xml":
        assert "<script>" not in text  # escaped by the XML writer
    if response.status_code == 400:
        assert hostile.CHINESE.search(text)


@pytest.fixture
def api_key(district):
    c = ApiClient(name="12345热线")
    raw = c.set_new_key()
    c.save()
    return raw


def open311_post(api_key, **extra):
    return {
        "api_key": api_key,
        "service_code": "help_request",
        "description": "路灯损坏",
        "first_name": "小明",
        "last_name": "王",
        "phone": "13912345678",
        **extra,
    }


@pytest.mark.parametrize("field", ["description", "first_name", "last_name", "address_string"])
def test_open311_markup_is_stored_inertly_and_nul_refused(api_key, users, field):
    web = Client(raise_request_exception=False)
    response = web.post(
        "/open311/v2/requests.json", open311_post(api_key, **{field: hostile.SCRIPT})
    )
    assert response.status_code in (201, 200, 400), response.content
    if response.status_code == 400:
        assert hostile.CHINESE.search(response.json()[0]["description"])
    response = web.post("/open311/v2/requests.xml", open311_post(api_key, **{field: hostile.NUL}))
    assert response.status_code == 400
    assert hostile.CHINESE.search(response.content.decode())
    web.force_login(users["office"])
    for matter in Matter.objects.all():
        hostile.assert_no_raw_markup(web.get(f"/workbench/matters/{matter.pk}/").content.decode())
