"""Abuse: honeypot, rate limits per address, oversize bodies, CSRF."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from fazhi.core import ratelimit
from fazhi.core.models import RateCount
from fazhi.core.ratelimit import window_key
from fazhi.portal.tests.test_submit import help_data, letter_data
from fazhi.procedures.models import Matter, Step

pytestmark = pytest.mark.django_db


def test_a_filled_honeypot_creates_nothing_and_says_nothing(client, intake, today):
    response = client.post(
        reverse("portal:submit-help-request"), help_data(website="http://spam.example")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "已收到" in page
    assert "查询码" not in page and "蜜罐" not in page and "website" not in page.split("<main")[1]
    assert Matter.objects.count() == 0 and Step.objects.count() == 0


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, intake):
    page = client.get(reverse("portal:submit-mailbox-letter")).content.decode()
    start = page.index('<div class="hp" aria-hidden="true">')
    assert 'name="website"' in page[start : start + 400]
    assert 'tabindex="-1"' in page[start : start + 400]


@pytest.fixture(autouse=True)
def _one_minute(monkeypatch):
    """Hold the rate-limit clock inside one minute: a slow run must not cross a window edge."""
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_790_000_000.0)


def test_the_31st_post_in_a_minute_is_refused(client, intake, today):
    url = reverse("portal:submit-mailbox-letter")
    invalid = letter_data(phone="x")  # valid or not, every POST counts
    for _ in range(30):
        assert client.post(url, invalid, REMOTE_ADDR="198.51.100.7").status_code == 200
    refused = client.post(url, letter_data(), REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "提交过于频繁" in page and "每分钟最多提交 30 次" in page
    assert int(refused["Retry-After"]) >= 1
    assert Matter.objects.count() == 0  # the refused POST reached nothing
    # Another address is still served.
    other = client.post(url, letter_data(), REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 302 and Matter.objects.count() == 1
    # GETs are not counted.
    assert client.get(url, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_the_limit_is_counted_in_the_shared_database(client, intake, today):
    """The count lives in the database (core.RateCount without Redis), not in the process."""
    url = reverse("portal:track")
    for _ in range(3):
        client.post(url, {"reference": "X", "code": "Y"}, REMOTE_ADDR="203.0.113.9")
    assert ratelimit.count("portal", "203.0.113.9") == 3
    assert RateCount.objects.get(key=window_key("portal", "203.0.113.9")).n == 3


@override_settings(FAZHI_PUBLIC_RATE_PER_MINUTE=2)
def test_every_public_post_shares_the_limit(client, intake, today):
    client.post(reverse("portal:track"), {"reference": "X", "code": "Y"})
    client.post(reverse("portal:track-end"))
    assert client.post(reverse("portal:track-act", args=["rate"])).status_code == 429
    assert client.post(reverse("portal:submit-help-request"), help_data()).status_code == 429
    # Lookups by link no longer exist (#19 defect 8): the link answers a redirect to the form.
    assert client.get(reverse("portal:track"), {"reference": "X", "code": "Y"}).status_code == 302


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2000)
def test_an_oversize_body_is_refused_in_chinese(client, intake, today):
    response = client.post(reverse("portal:submit-help-request"), help_data(content="字" * 2000))
    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容过大" in page and "不能超过" in page
    assert Matter.objects.count() == 0


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2000)
def test_an_oversize_body_caught_by_the_csrf_check_is_refused_in_chinese(intake, today):
    """With CSRF enforced the body is read by the middleware, before any view: handler400."""
    client = Client(enforce_csrf_checks=True)
    url = reverse("portal:submit-help-request")
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(
        url,
        "csrfmiddlewaretoken=" + token + "&content=" + "x" * 5000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert Matter.objects.count() == 0


def test_posts_without_a_csrf_token_are_refused(intake, today):
    client = Client(enforce_csrf_checks=True)
    for name in ("portal:submit-help-request", "portal:track", "portal:track-end"):
        assert client.post(reverse(name), help_data()).status_code == 403
    assert Matter.objects.count() == 0


def test_with_a_csrf_token_submission_works(intake, today):
    client = Client(enforce_csrf_checks=True)
    url = reverse("portal:submit-help-request")
    client.get(url)
    data = help_data(csrfmiddlewaretoken=client.cookies["csrftoken"].value)
    assert client.post(url, data).status_code == 302
    assert Matter.objects.count() == 1


def test_other_bad_requests_answer_in_chinese(client, db):
    from django.core.exceptions import SuspiciousOperation
    from django.test import RequestFactory

    from fazhi.portal.views import bad_request

    response = bad_request(RequestFactory().get("/"), SuspiciousOperation("x"))
    assert response.status_code == 400 and "请求无法处理" in response.content.decode()
