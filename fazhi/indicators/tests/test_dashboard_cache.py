"""The dashboard keeps a scope's figures for a short while; a refresh recomputes them."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from fazhi.core import clock
from fazhi.indicators.engine import dashboard_figures
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)


def _received(district):
    return dashboard_figures(district["root"], 2024).result.values["business_complaint.received"]


def test_cached_until_refreshed(district, users):
    make_matter("business_complaint", district["a"], users["staff_a"], D(2024, 3, 1), today=TODAY)
    assert _received(district) == 1
    make_matter("business_complaint", district["a"], users["staff_a"], D(2024, 3, 2), today=TODAY)
    assert _received(district) == 1  # served from the cache
    fresh = dashboard_figures(district["root"], 2024, fresh=True)
    assert fresh.result.values["business_complaint.received"] == 2
    assert _received(district) == 2  # the refresh replaced the cached figures


@override_settings(FAZHI_DASHBOARD_CACHE_SECONDS=0)
def test_no_cache_when_disabled(district, users):
    make_matter("business_complaint", district["a"], users["staff_a"], D(2024, 3, 1), today=TODAY)
    assert _received(district) == 1
    make_matter("business_complaint", district["a"], users["staff_a"], D(2024, 3, 2), today=TODAY)
    assert _received(district) == 2


def test_page_says_when_and_offers_a_refresh(client, district, users):
    client.force_login(users["office"])
    with clock.frozen(TODAY):
        html = client.get(
            reverse("indicators:dashboard"),
            {"org": district["root"].pk, "year": 2024, "fresh": "1"},
        ).content.decode()
    assert 'data-testid="computed-at"' in html
    assert "fresh=1" in html
