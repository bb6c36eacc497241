"""Matters through the API: scope on every endpoint, the engine's rules, auth, filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from fazhi.procedures.models import Matter, Step
from fazhi.procedures.services import act

pytestmark = pytest.mark.django_db

LIST = "/api/v1/matters/"


def detail(m):
    return f"/api/v1/matters/{m.pk}/"


def actions(m):
    return f"/api/v1/matters/{m.pk}/actions/"


# --- authentication ------------------------------------------------------------------------


def test_unauthenticated_gets_401_with_token_challenge(matter_a):
    response = APIClient().get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_token_auth_works(users, matter_a):
    token = Token.objects.create(user=users["staff_a"])
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = c.get(LIST)
    assert response.status_code == 200
    assert [m["reference"] for m in response.json()["results"]] == [matter_a.reference]
    c.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert c.get(LIST).status_code == 401


def test_session_auth_works(client, users, matter_a):
    client.force_login(users["staff_a"])
    assert client.get(LIST).status_code == 200


def test_user_without_staff_profile_is_refused(client_for, matter_a):
    user = get_user_model().objects.create_user("no_profile", password="pw-test-123")
    response = client_for(user).get(LIST)
    assert response.status_code == 403
    assert "机构和角色" in response.json()["detail"]


# --- scope ---------------------------------------------------------------------------------


def test_list_only_in_scope(client_for, users, matter_a, matter_b):
    def refs(user):
        return {m["reference"] for m in client_for(users[user]).get(LIST).json()["results"]}

    assert refs("staff_a") == {matter_a.reference}
    assert refs("staff_b") == {matter_b.reference}
    assert refs("office") == {matter_a.reference, matter_b.reference}
    assert refs("leader") == {matter_a.reference, matter_b.reference}


def test_other_department_gets_404_everywhere(client_for, users, matter_a):
    c = client_for(users["staff_b"])
    assert c.get(detail(matter_a)).status_code == 404
    assert c.get(actions(matter_a)).status_code == 404
    response = c.post(actions(matter_a), {"action": "accept"}, format="json")
    assert response.status_code == 404
    assert c.get(f"{detail(matter_a)}attachments/").status_code == 404
    assert c.get(detail(matter_a).replace(str(matter_a.pk), "999999")).status_code == 404
    assert Matter.objects.get(pk=matter_a.pk).state == "received"


def test_detail_shows_party_unmasked_to_staff_in_scope(client_for, users, matter_a):
    data = client_for(users["staff_a"]).get(detail(matter_a)).json()
    assert data["party"]["id_number"] == "11010519491231002X"
    assert data["party"]["phone"] == "13912345678"
    assert data["verification_code"] == ""  # given once, in the registration's answer
    assert [s["action"] for s in data["steps"]] == ["register"]
    assert data["steps"][0]["action_label"] == "登记"
    assert data["state_label"] == "待受理"


def test_list_has_no_n_plus_one(client_for, users, district, today, django_assert_max_num_queries):
    from fazhi.procedures.tests.factories import make_matter

    for i in range(8):
        make_matter("help_request", district["a"], users["staff_a"], today, subject=f"事项{i}")
    c = client_for(users["office"])
    with django_assert_max_num_queries(6):
        response = c.get(LIST)
    assert response.json()["count"] == 8


# --- filters -------------------------------------------------------------------------------


def test_filters(client_for, users, district, matter_a, matter_b, today):
    c = client_for(users["office"])

    def refs(**params):
        response = c.get(LIST, params)
        assert response.status_code == 200, response.json()
        return {m["reference"] for m in response.json()["results"]}

    act(matter_a, "accept", users["staff_a"], today)
    assert refs(state="in_scope") == {matter_a.reference}
    assert refs(org=district["b"].pk) == {matter_b.reference}
    assert refs(org=district["root"].division_code) == {matter_a.reference, matter_b.reference}
    assert refs(procedure="reconsideration") == set()
    assert refs(received_before=(today - dt.timedelta(days=3)).isoformat()) == {matter_a.reference}
    assert refs(received_after=(today - dt.timedelta(days=2)).isoformat()) == {matter_b.reference}
    assert refs(search="营业执照") == {matter_a.reference}
    assert refs(search="王小明") == {matter_a.reference}
    assert refs(open="false") == set()
    # the shared names (MatterQuerySet.filtered; the workbench queue's parameters)
    day = dt.timedelta(days=1)
    assert refs(received_to=(today - 3 * day).isoformat()) == {matter_a.reference}
    assert refs(received_from=(today - 2 * day).isoformat()) == {matter_b.reference}
    assert refs(q="营业执照") == {matter_a.reference}
    assert refs(q="139 1234 5678") == {matter_a.reference}  # a phone as people type it
    assert refs(q=matter_b.reference) == {matter_b.reference}
    assert refs(status="closed") == set()
    assert refs(status="open") == refs(status="all") == {matter_a.reference, matter_b.reference}
    assert refs(due="overdue") == set()
    assert refs(who="unassigned") == {matter_a.reference, matter_b.reference}


def test_the_queue_and_the_api_list_the_same_for_the_same_parameters(
    client, client_for, users, matter_a, matter_b, today
):
    from django.urls import reverse

    api = client_for(users["office"])
    client.force_login(users["office"])
    for params in ({"q": "王小明"}, {"status": "open", "procedure": "help_request"}, {}):
        listed = {m["reference"] for m in api.get(LIST, params).json()["results"]}
        queue = client.get(reverse("workbench:home"), params)
        assert {m.reference for m in queue.context["matters"]} == listed, params


def test_overdue_filter(client_for, users, district, today):
    from fazhi.procedures.tests.factories import make_matter

    late = make_matter(
        "help_request", district["a"], users["staff_a"], today - dt.timedelta(days=40)
    )
    fresh = make_matter("help_request", district["a"], users["staff_a"], today)
    c = client_for(users["staff_a"])
    overdue = c.get(LIST, {"overdue": "true"}).json()["results"]
    assert [m["reference"] for m in overdue] == [late.reference]
    assert overdue[0]["overdue"] is True
    not_overdue = c.get(LIST, {"overdue": "false"}).json()["results"]
    assert [m["reference"] for m in not_overdue] == [fresh.reference]


def test_bad_filter_is_400_with_field(client_for, users):
    response = client_for(users["office"]).get(LIST, {"received_after": "yesterday"})
    assert response.status_code == 400
    assert response.json()["field"] == "received_after"
    response = client_for(users["office"]).get(LIST, {"org": "不存在的单位"})
    assert response.status_code == 400
    assert "找不到机构" in response.json()["detail"]


# --- create --------------------------------------------------------------------------------


def test_create_returns_reference_and_code(client_for, users, district, today):
    response = client_for(users["staff_a"]).post(
        LIST,
        {
            "procedure": "help_request",
            "subject": "社保转移接续",
            "party": {"name": "李四", "phone": "13800001111"},
            "details": {"kind": "consultation"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["reference"].startswith(f"BC-{today.year}-")
    assert len(data["verification_code"]) == 6
    assert data["org"] == district["a"].pk  # the user's own unit by default
    assert data["channel"] == "api"
    matter = Matter.objects.get(pk=data["id"])
    assert matter.details == {"kind": "consultation", "consent_publish": False}
    assert matter.steps.count() == 1


def test_create_validated_by_engine(client_for, users):
    c = client_for(users["staff_a"])
    response = c.post(
        LIST,
        {"procedure": "help_request", "subject": "x", "details": {"kind": "gossip"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "details.kind"
    assert "不在可选范围内" in response.json()["detail"]
    response = c.post(LIST, {"procedure": "nope", "subject": "x"}, format="json")
    assert response.status_code == 400
    assert "未知的程序" in response.json()["detail"]
    response = c.post(LIST, {"procedure": "help_request"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "subject"
    assert Matter.objects.count() == 0


def test_create_for_another_department_is_403(client_for, users, district):
    response = client_for(users["staff_a"]).post(
        LIST,
        {
            "procedure": "help_request",
            "subject": "x",
            "org": str(district["b"].pk),
            "details": {"kind": "help"},
        },
        format="json",
    )
    assert response.status_code == 403
    assert "不能为" in response.json()["detail"]
    assert Matter.objects.count() == 0


# --- actions -------------------------------------------------------------------------------


def test_available_actions_follow_state_and_role(client_for, users, matter_a):
    names = {a["name"] for a in client_for(users["staff_a"]).get(actions(matter_a)).json()}
    assert {"accept", "refuse", "note"} <= names
    assert "conclude" not in names
    assert "rate" not in names  # concluded matters only
    leader = client_for(users["leader"]).get(actions(matter_a)).json()
    assert [a["name"] for a in leader] == ["instruct"]  # the leader reads and instructs
    refuse = next(
        a
        for a in client_for(users["staff_a"]).get(actions(matter_a)).json()
        if a["name"] == "refuse"
    )
    assert refuse["fields"][0]["name"] == "reason"


def test_act_through_the_engine(client_for, users, matter_a, today):
    c = client_for(users["staff_a"])
    response = c.post(
        actions(matter_a), {"action": "accept", "on": today.isoformat()}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["step"]["action"] == "accept"
    assert body["matter"]["state"] == "in_scope"
    response = c.post(
        actions(matter_a),
        {"action": "conclude", "data": {"result": "已协调办结营业执照"}},
        format="json",
    )
    assert response.status_code == 201
    matter_a.refresh_from_db()
    assert matter_a.state == "concluded"
    assert matter_a.closed_on == today
    assert list(matter_a.steps.values_list("action", flat=True)) == [
        "register",
        "accept",
        "conclude",
    ]


def test_invalid_transition_is_400_with_message(client_for, users, matter_a):
    response = client_for(users["staff_a"]).post(
        actions(matter_a), {"action": "conclude", "data": {"result": "x"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "办不成事请找我当前状态为“待受理”，不能执行“办结”。",
        "field": "action",
        "code": "INVALID_TRANSITION",
    }


def test_missing_data_and_unknown_action_are_400(client_for, users, matter_a, today):
    c = client_for(users["staff_a"])
    response = c.post(actions(matter_a), {"action": "refuse"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    response = c.post(actions(matter_a), {"action": "fly"}, format="json")
    assert response.status_code == 400
    assert "没有“fly”这一操作" in response.json()["detail"]
    future = (today + dt.timedelta(days=30)).isoformat()
    response = c.post(actions(matter_a), {"action": "accept", "on": future}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "on"


def test_leader_acting_is_403(client_for, users, matter_a):
    response = client_for(users["leader"]).post(
        actions(matter_a), {"action": "accept"}, format="json"
    )
    assert response.status_code == 403
    assert "您的角色（领导）不能执行“受理”" in response.json()["detail"]  # the role, not the unit
    assert Step.objects.filter(matter=matter_a).count() == 1


def test_data_cannot_smuggle_engine_arguments(client_for, users, matter_a):
    """``public``/``today`` are act()'s own keywords: as data they must be refused, not used."""
    response = client_for(users["leader"]).post(
        actions(matter_a),
        {"action": "accept", "data": {"public": True}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "data.public"
    assert Step.objects.filter(matter=matter_a).count() == 1


def test_nul_characters_are_refused_not_500(client_for, users, matter_a):
    c = client_for(users["staff_a"])
    response = c.post(
        actions(matter_a), {"action": "refuse", "data": {"reason": "a\x00b"}}, format="json"
    )
    assert response.status_code == 400
    assert c.get(LIST, {"search": "a\x00"}).status_code == 400


def test_oversized_json_body_is_413(client_for, users):
    response = client_for(users["staff_a"]).post(
        LIST,
        {"procedure": "help_request", "subject": "x", "details": {"content": "长" * 600_000}},
        format="json",
    )
    assert response.status_code == 413
    assert "过大" in response.json()["detail"]
