"""Fixtures of the public site's tests."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core import clock, ratelimit
from fazhi.procedures.models import IntakeRoute

TODAY = dt.date(2024, 6, 12)  # a Wednesday


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    """Each test starts with empty rate-limit counters (the cache is the database's)."""
    ratelimit.clear()
    yield
    ratelimit.clear()


@pytest.fixture
def today():
    with clock.frozen(TODAY):
        yield TODAY


@pytest.fixture
def intake(district):
    """Public submissions go to the justice bureau (an admin-edited IntakeRoute)."""
    for code in ("help_request", "business_complaint", "mailbox_letter"):
        IntakeRoute.objects.create(procedure=code, org=district["a"])
    return district["a"]
