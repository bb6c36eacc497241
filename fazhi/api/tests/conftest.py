"""Fixtures of the API tests: DRF clients signed in as each role, and a fresh cache."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from fazhi.core import clock, ratelimit
from fazhi.procedures.tests.factories import make_matter


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    """Rate-limit counters live in the cache: every test starts from zero."""
    ratelimit.clear()
    yield
    ratelimit.clear()


@pytest.fixture
def client_for():
    def _client(user=None) -> APIClient:
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    return _client


@pytest.fixture
def today() -> dt.date:
    return clock.today()


@pytest.fixture
def matter_a(district, users, today):
    """An open help request of department a, received three days ago."""
    return make_matter(
        "help_request",
        district["a"],
        users["staff_a"],
        today - dt.timedelta(days=3),
        subject="办理营业执照遇到困难",
        party={"name": "王小明", "phone": "13912345678", "id_number": "11010519491231002X"},
        details={"kind": "help", "content": "多次到窗口办理营业执照未果"},
    )


@pytest.fixture
def matter_b(district, users, today):
    """An open help request of department b."""
    return make_matter(
        "help_request", district["b"], users["staff_b"], today - dt.timedelta(days=2)
    )
