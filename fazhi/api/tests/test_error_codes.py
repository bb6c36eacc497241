"""Every API error carries a stable code (ErrorCode) beside its Chinese message."""

import pytest

from fazhi.api.errors import ErrorCode
from fazhi.core.errorpages import MESSAGES
from fazhi.procedures.models import Step

pytestmark = pytest.mark.django_db

LIST = "/api/v1/matters/"


def actions(m):
    return f"/api/v1/matters/{m.pk}/actions/"


def test_every_error_page_code_is_an_error_code():
    assert {code for _, _, code in MESSAGES.values()} <= {c.value for c in ErrorCode}


def test_engine_refusals_carry_their_codes(client_for, users, matter_a):
    staff = client_for(users["staff_a"])
    role = staff.post(
        actions(matter_a), {"action": "extend", "data": {"days": 3, "reason": "x"}}, format="json"
    )
    assert role.status_code == 403 and role.json()["code"] == "NOT_ALLOWED"
    state = staff.post(
        actions(matter_a), {"action": "conclude", "data": {"result": "已办"}}, format="json"
    )
    assert state.status_code == 400 and state.json()["code"] == "INVALID_TRANSITION"
    date = staff.post(actions(matter_a), {"action": "accept", "on": "2099-01-01"})
    assert date.status_code == 400 and date.json()["code"] in {"INVALID_DATE", "INVALID"}
    assert Step.objects.filter(matter=matter_a).count() == 1


def test_validation_and_lookup_codes(client_for, users, matter_a):
    staff = client_for(users["staff_a"])
    missing = staff.post(LIST, {"subject": "无程序"}, format="json")
    assert missing.status_code == 400
    assert missing.json()["code"] == "REQUIRED" and missing.json()["field"] == "procedure"
    bad = staff.get(LIST, {"received_after": "yesterday"})
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID"
    assert staff.get("/api/v1/matters/999999/").json()["code"] == "NOT_FOUND"
    assert staff.delete(f"/api/v1/matters/{matter_a.pk}/").json()["code"] == "METHOD_NOT_ALLOWED"
    anonymous = client_for().get(LIST)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "NOT_AUTHENTICATED"
