"""Service requests (政务服务办件): the committed limit as the deadline, and the counts of assisted
service for the elderly and disabled and of service outside regular hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core import clock
from fazhi.indicators.engine import compute_indicators
from fazhi.procedures.errors import InvalidData
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date


def request(district, users, on, **details):
    base = {
        "item": "食品经营许可",
        "time_slot": "regular",
        "assistance": "none",
        "group": "general",
    }
    return make_matter(
        "service_request",
        district["b"],
        users["staff_b"],
        on,
        subject="食品经营许可",
        details={**base, **details},
    )


def test_the_deadline_is_the_items_committed_limit(district, users):
    # received Monday 2024-09-02: 5 working days end Monday 09-09; none given: 20 working days
    five = request(district, users, D(2024, 9, 2), committed_days=5)
    assert five.due_on == D(2024, 9, 9)
    default = request(district, users, D(2024, 9, 2))
    assert default.due_on == D(2024, 9, 30)


def test_an_unknown_assistance_is_refused_in_plain_chinese(district, users):
    with pytest.raises(InvalidData) as exc:
        request(district, users, D(2024, 9, 2), assistance="vip")
    assert "领办帮办代办" in str(exc.value)


def test_assisted_service_and_hours_are_counted(district, users):
    on = D(2024, 5, 6)
    cases = [
        {"group": "elderly", "assistance": "proxy", "free": True, "time_slot": "extended"},
        {"group": "disabled", "assistance": "lead", "free": True},
        {"group": "elderly", "assistance": "help", "free": False, "time_slot": "no_lunch_break"},
        {"group": "general", "assistance": "help", "free": True},
        {"group": "elderly"},
    ]
    for data in cases:
        request(district, users, on, committed_days=3, **data)
    v = compute_indicators(district["root"], 2024).values
    assert v["service_request.received"] == 5
    assert v["service_request.assisted"] == 4
    assert (v["service_request.assisted.lead"], v["service_request.assisted.help"]) == (1, 2)
    assert v["service_request.special_groups_assisted"] == 3
    assert v["service_request.special_groups_assisted_free_rate"] == Decimal("66.67")
    assert v["service_request.outside_hours"] == 2
    assert v["service_request.outside_hours.extended"] == 1


def test_on_time_rate_counts_late_and_overdue(district, users):
    on = D(2024, 9, 2)
    quick, late, waiting = (request(district, users, on, committed_days=3) for _ in range(3))
    with clock.frozen(D(2024, 12, 31)):
        act(quick, "conclude", users["staff_b"], D(2024, 9, 4))
        act(late, "conclude", users["staff_b"], D(2024, 9, 20))
    # waiting: still open at the cut-off, its limit long passed — counts against
    v = compute_indicators(district["root"], 2024).values
    assert v["service_request.on_time_rate"] == Decimal("33.33")
    assert waiting.due_on == D(2024, 9, 5)
