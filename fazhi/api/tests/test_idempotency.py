"""Idempotency-Key on creating endpoints: a retry never creates a second record."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.api.models import IdempotencyKey
from fazhi.core import clock
from fazhi.procedures.models import Activity, Matter, Step

pytestmark = pytest.mark.django_db

LIST = "/api/v1/matters/"
BODY = {"procedure": "help_request", "subject": "窗口排队太久", "details": {"kind": "complaint"}}


def post(c, path, body, key, **kw):
    return c.post(path, body, format=kw.pop("format", "json"), HTTP_IDEMPOTENCY_KEY=key, **kw)


def test_retry_with_same_key_creates_one_matter(client_for, users):
    c = client_for(users["staff_a"])
    first = post(c, LIST, BODY, "k-1")
    second = post(c, LIST, BODY, "k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Matter.objects.count() == 1


def test_same_key_different_body_is_422(client_for, users):
    c = client_for(users["staff_a"])
    assert post(c, LIST, BODY, "k-2").status_code == 201
    response = post(c, LIST, {**BODY, "subject": "另一件事"}, "k-2")
    assert response.status_code == 422
    assert "幂等键" in response.json()["detail"]
    assert response.json()["field"] == "Idempotency-Key"
    assert Matter.objects.count() == 1


def test_same_key_on_another_path_is_422(client_for, users, matter_a):
    c = client_for(users["staff_a"])
    assert post(c, LIST, BODY, "k-3").status_code == 201
    response = post(c, f"/api/v1/matters/{matter_a.pk}/actions/", {"action": "accept"}, "k-3")
    assert response.status_code == 422
    assert matter_a.steps.count() == 1


def test_keys_belong_to_their_user(client_for, users):
    assert post(client_for(users["staff_a"]), LIST, BODY, "shared").status_code == 201
    response = post(client_for(users["office"]), LIST, BODY, "shared")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Matter.objects.count() == 2


def test_failed_request_does_not_use_up_the_key(client_for, users):
    c = client_for(users["staff_a"])
    bad = post(c, LIST, {**BODY, "details": {"kind": "gossip"}}, "k-4")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post(c, LIST, BODY, "k-4").status_code == 201


def test_action_retry_records_one_step(client_for, users, matter_a):
    c = client_for(users["staff_a"])
    path = f"/api/v1/matters/{matter_a.pk}/actions/"
    first = post(c, path, {"action": "accept"}, "act-1")
    second = post(c, path, {"action": "accept"}, "act-1")
    assert first.status_code == second.status_code == 201
    assert Step.objects.filter(matter=matter_a, action="accept").count() == 1


def test_activity_retry_records_one_activity(client_for, users, today):
    c = client_for(users["staff_a"])
    body = {"kind": "field_supervision", "on": today.isoformat(), "title": "督查", "figures": {}}
    assert post(c, "/api/v1/activities/", body, "a-1").status_code == 201
    assert post(c, "/api/v1/activities/", body, "a-1").status_code == 201
    assert Activity.objects.count() == 1


def test_attachment_retry_stores_one_file(client_for, users, matter_a, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    c = client_for(users["staff_a"])
    path = f"/api/v1/matters/{matter_a.pk}/attachments/"
    for _ in range(2):
        response = post(
            c, path, {"file": SimpleUploadedFile("a.txt", b"hello")}, "f-1", format="multipart"
        )
        assert response.status_code == 201
    assert matter_a.attachments.count() == 1
    other = post(
        c, path, {"file": SimpleUploadedFile("a.txt", b"other")}, "f-1", format="multipart"
    )
    assert other.status_code == 422


def test_keys_expire_after_a_day(client_for, users):
    c = client_for(users["staff_a"])
    assert post(c, LIST, BODY, "k-5").status_code == 201
    later = clock.now() + dt.timedelta(hours=25)
    with clock.frozen(later):
        response = post(c, LIST, BODY, "k-5")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Matter.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


def test_malformed_key_is_400(client_for, users):
    response = post(client_for(users["staff_a"]), LIST, BODY, "x" * 300)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert Matter.objects.count() == 0
