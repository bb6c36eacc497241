"""The sample domain through the engine: its declaration, limits and indicator are found from
INSTALLED_APPS alone (nothing below the domain names ``sample_case``)."""

import datetime as dt

import pytest
from django.test import override_settings

from fazhi.indicators.engine import compute_indicators
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.errors import InvalidData
from fazhi.procedures.services import act, register_matter
from fazhi.workdays import LIMITS, get_limit

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 12, 31)


def test_registered_from_installed_apps():
    procedure = get_procedure("sample_case")
    assert procedure.public_submission and procedure.reference_prefix == "SP"
    assert LIMITS["sample_case.accept"].length == 3
    assert get_limit("sample_case.conclude").configurable


@override_settings(FAZHI_TIME_LIMIT_OVERRIDES={"sample_case.conclude": {"length": 7}})
def test_configurable_limit_is_configured():
    assert get_limit("sample_case.conclude").length == 7


@override_settings(FAZHI_TIME_LIMIT_OVERRIDES={"sample_case.accept": {"length": 9}})
def test_statutory_limit_is_not_configurable():
    assert get_limit("sample_case.accept").length == 3


def _register(district, users, on, **details):
    return register_matter(
        "sample_case",
        org=district["a"],
        received_on=on,
        subject="示例",
        by=users["staff_a"],
        details={"category": "goods", **details},
        today=TODAY,
    )


def test_lifecycle_deadlines_and_count(district, users):
    # Received Friday 2025-09-26; 09-28 is a make-up working day: accept due Tuesday 09-30.
    matter = _register(district, users, D(2025, 9, 26), amount="12.50", first_time="是")
    assert matter.reference.startswith("SP-")
    assert matter.details["amount"] == "12.50" and matter.details["first_time"] is True
    assert matter.due_on == D(2025, 9, 30)
    act(matter, "accept", users["staff_a"], D(2025, 9, 29), today=TODAY)
    assert matter.state == "accepted" and matter.due_on is not None
    act(matter, "conclude", users["staff_a"], D(2025, 10, 9), today=TODAY, result="已处理")
    assert matter.state == "concluded" and matter.closed_on == D(2025, 10, 9)
    refused = _register(district, users, D(2025, 9, 26))
    act(refused, "refuse", users["staff_a"], D(2025, 9, 29), today=TODAY, reason="不属于受理范围")
    assert refused.state == "refused"

    values = compute_indicators(district["root"], 2025).values
    assert values["sample_case.received"] == 2
    assert values["sample_case.concluded"] == 1


def test_bad_detail_names_the_field(district, users):
    with pytest.raises(InvalidData) as exc:
        _register(district, users, D(2025, 9, 26), category="nonsense")
    assert exc.value.field == "details.category"
    assert "事项类别" in exc.value.message
