"""Activities, procedures, indicators and the profile endpoint."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.procedures.activities import record_activity
from fazhi.procedures.models import Activity

pytestmark = pytest.mark.django_db

ACTIVITIES = "/api/v1/activities/"


@pytest.fixture
def activities(district, users, today):
    def rec(org, user, on, title):
        return record_activity(
            "field_supervision", org=org, on=on, title=title, figures={"issues_found": 2}, by=user
        )

    return {
        "a": rec(district["a"], users["staff_a"], today, "司法局实地督查"),
        "a_old": rec(district["a1"], users["staff_a"], dt.date(2024, 5, 6), "复议股督查"),
        "b": rec(district["b"], users["staff_b"], today, "市场监管督查"),
    }


def test_activity_list_in_scope_with_filters(client_for, users, activities, district):
    c = client_for(users["staff_a"])
    titles = {a["title"] for a in c.get(ACTIVITIES).json()["results"]}
    assert titles == {"司法局实地督查", "复议股督查"}
    assert [a["title"] for a in c.get(ACTIVITIES, {"year": 2024}).json()["results"]] == [
        "复议股督查"
    ]
    assert c.get(ACTIVITIES, {"kind": "dispute_screening"}).json()["count"] == 0
    office = client_for(users["office"])
    by_org = office.get(ACTIVITIES, {"org": district["b"].pk}).json()["results"]
    assert [a["title"] for a in by_org] == ["市场监管督查"]
    assert by_org[0]["kind_label"] == "实地督查"
    assert by_org[0]["figures"] == {"issues_found": 2}


def test_activity_detail_other_department_404(client_for, users, activities):
    path = f"{ACTIVITIES}{activities['b'].pk}/"
    assert client_for(users["staff_a"]).get(path).status_code == 404
    assert client_for(users["staff_b"]).get(path).status_code == 200


def test_activity_create(client_for, users, today, district):
    c = client_for(users["staff_a"])
    body = {
        "kind": "field_supervision",
        "on": today.isoformat(),
        "title": "营商环境专项督查",
        "figures": {"issues_found": 3},
    }
    response = c.post(ACTIVITIES, body, format="json")
    assert response.status_code == 201, response.json()
    assert Activity.objects.get(pk=response.json()["id"]).org == district["a"]
    bad = c.post(ACTIVITIES, {**body, "figures": {"issues_found": -1}}, format="json")
    assert bad.status_code == 400
    assert bad.json()["field"] == "issues_found"
    other = c.post(ACTIVITIES, {**body, "org": str(district["b"].pk)}, format="json")
    assert other.status_code == 403
    unknown = c.post(ACTIVITIES, {**body, "kind": "party"}, format="json")
    assert unknown.status_code == 400
    assert "未知的活动类别" in unknown.json()["detail"]


def test_procedures(client_for, users):
    c = client_for(users["staff_a"])
    codes = {p["code"] for p in c.get("/api/v1/procedures/").json()}
    assert {"help_request", "business_complaint", "reconsideration", "mailbox_letter"} <= codes
    help_request = c.get("/api/v1/procedures/help_request/").json()
    assert help_request["label"] == "办不成事请找我"
    assert {"code": "concluded", "label": "已办结", "closed": True} in help_request["states"]
    conclude = next(a for a in help_request["actions"] if a["name"] == "conclude")
    assert conclude["sources"] == ["in_scope"]
    assert conclude["fields"][0]["name"] == "result"
    kind = next(f for f in help_request["details"] if f["name"] == "kind")
    assert {"value": "help", "label": "求助"} in kind["choices"]
    assert help_request["deadlines"][0]["description"]
    assert c.get("/api/v1/procedures/nope/").status_code == 404


def test_me(client_for, users, district):
    data = client_for(users["head_a"]).get("/api/v1/me/").json()
    assert data["username"] == "t_head_a"
    assert data["role"] == "head"
    assert data["role_label"] == "部门负责人"
    assert data["org"]["id"] == district["a"].pk
    assert data["sees_all_units"] is False
    assert client_for(users["leader"]).get("/api/v1/me/").json()["sees_all_units"] is True


def test_indicators_in_scope(client_for, users, district, matter_a):
    pytest.importorskip("fazhi.indicators.engine")
    c = client_for(users["staff_a"])
    year = matter_a.received_on.year
    response = c.get("/api/v1/indicators/", {"org": district["a"].pk, "year": year})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["year"] == year
    assert isinstance(data["values"], dict) and data["values"]
    assert isinstance(data["checks"], list)
    # another department's unit: 404, like every object out of scope
    other = c.get("/api/v1/indicators/", {"org": district["b"].pk, "year": year})
    assert other.status_code == 404
    assert c.get("/api/v1/indicators/", {"org": district["a"].pk}).json()["field"] == "year"


def test_deadline_descriptions_read_the_configured_limits(client_for, users, settings):
    """A deployment's configured length (FAZHI_TIME_LIMIT_OVERRIDES), not the default."""
    c = client_for(users["staff_a"])

    def described() -> str:
        sample = c.get("/api/v1/procedures/sample_case/").json()
        return next(d for d in sample["deadlines"] if d["limit"] == "sample_case.conclude")[
            "description"
        ]

    default = described()
    settings.FAZHI_TIME_LIMIT_OVERRIDES = {"sample_case.conclude": {"length": 7}}
    configured = described()
    assert configured != default
    assert configured.startswith("7")
