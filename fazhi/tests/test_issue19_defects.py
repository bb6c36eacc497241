"""Issue #19, defects 2, 4 and 8, checked on every surface that showed them.

2. A rating is the submitter's alone: no staff role can rate (engine, workbench, API); one
   rating per conclusion, changed at most once and shown as changed; a staff callback (回访)
   is recorded as such and is not a rating.
4. One policy on the verification code (``CODE_POLICY``): shown once — on the receipt, or to
   the clerk registering a trackable matter — and never again, to anyone; a matter the public
   cannot track (a reconsideration) shows no code at all.
8. The tracking page masks the subject and the replies through the one public masking, and a
   lookup is a POST: a GET with the code looks nothing up.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.core import clock
from fazhi.procedures.errors import InvalidTransition, NotAllowed
from fazhi.procedures.models import IntakeRoute, Matter, Step
from fazhi.procedures.services import CODE_POLICY, act, register_matter

pytestmark = pytest.mark.django_db

RECEIVED = dt.date(2024, 6, 3)  # Monday
DONE = dt.date(2024, 6, 5)


@pytest.fixture
def intake(district):
    for code in ("help_request", "business_complaint", "mailbox_letter"):
        IntakeRoute.objects.create(procedure=code, org=district["a"])
    return district["a"]


def submitted(intake, subject="办证难", party=None):
    with clock.frozen(RECEIVED):
        return register_matter(
            "help_request",
            org=intake,
            received_on=RECEIVED,
            subject=subject,
            public=True,
            channel="web",
            party=party or {"name": "王五", "phone": "13800138000"},
            details={"kind": "help", "content": "请帮忙"},
        )


def concluded(intake, users, **kw):
    matter = submitted(intake, **kw)
    with clock.frozen(DONE):
        act(matter, "accept", users["staff_a"])
        act(matter, "conclude", users["staff_a"], result="已协调窗口当场办结。")
    return matter


def lookup(client, matter):
    return client.post(
        reverse("portal:track"),
        {"reference": matter.reference, "code": matter.verification_code},
        follow=True,
    )


def rate_publicly(client, satisfaction):
    with clock.frozen(DONE):
        return client.post(
            reverse("portal:track-act", args=["rate"]),
            {"rate-satisfaction": satisfaction},
            follow=True,
        )


def api(user):
    from rest_framework.authtoken.models import Token

    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


# --- defect 2: forged ratings ----------------------------------------------------------------


def test_no_staff_role_can_rate_through_the_engine(intake, users):
    matter = concluded(intake, users)
    for who in ("staff_a", "head_a", "office", "admin", "leader"):
        with clock.frozen(DONE), pytest.raises(NotAllowed):
            act(matter, "rate", users[who], satisfaction="satisfied")
    matter.refresh_from_db()
    assert matter.satisfaction == ""
    assert not Step.objects.filter(matter=matter, action="rate").exists()


def test_the_clerk_sees_no_rating_form_and_cannot_post_one(client, intake, users):
    matter = concluded(intake, users)
    client.force_login(users["staff_a"])
    page = client.get(reverse("workbench:matter-detail", args=[matter.pk]))
    assert "rate" not in [b.name for b in page.context["actions"]]
    with clock.frozen(DONE):
        client.post(
            reverse("workbench:matter-act", args=[matter.pk, "rate"]),
            {"satisfaction": "satisfied", "on": DONE.isoformat()},
        )
    matter.refresh_from_db()
    assert matter.satisfaction == ""
    assert not Step.objects.filter(matter=matter, action="rate").exists()


def test_the_api_offers_no_rating_to_staff_and_refuses_one(intake, users):
    matter = concluded(intake, users)
    c = api(users["staff_a"])
    url = f"/api/v1/matters/{matter.pk}/actions/"
    assert "rate" not in [a["name"] for a in c.get(url).json()]
    response = c.post(url, {"action": "rate", "data": {"satisfaction": "satisfied"}}, format="json")
    assert response.status_code == 403, response.json()
    assert "提交人" in response.json()["detail"]
    assert Matter.objects.get(pk=matter.pk).satisfaction == ""


def test_one_rating_per_conclusion_changed_at_most_once_and_visibly(client, intake, users):
    matter = concluded(intake, users)
    lookup(client, matter)
    rate_publicly(client, "dissatisfied")
    page = rate_publicly(client, "satisfied").content.decode()
    matter.refresh_from_db()
    assert matter.satisfaction == "satisfied"  # the change replaces the rating …
    assert "<strong>评价</strong>" in page and "<strong>修改评价</strong>" in page  # … visibly
    assert 'data-public-action="rate"' not in page  # no third rating offered
    with clock.frozen(DONE), pytest.raises(InvalidTransition, match="修改过一次"):
        act(matter, "rate", None, public=True, satisfaction="dissatisfied")
    assert Step.objects.filter(matter=matter, action="rate").count() == 2
    # a new conclusion may be rated again
    with clock.frozen(DONE):
        act(matter, "reopen", users["staff_a"], reason="复核")
        act(matter, "conclude", users["staff_a"], result="再次办结")
        act(matter, "rate", None, public=True, satisfaction="basically_satisfied")
    assert Matter.objects.get(pk=matter.pk).satisfaction == "basically_satisfied"


def test_a_callback_is_the_staff_s_record_not_the_submitter_s_rating(client, intake, users):
    from fazhi.indicators.engine import compute_indicators

    matter = concluded(intake, users)
    with clock.frozen(DONE):
        step = act(matter, "callback", users["staff_a"], source="phone", satisfaction="satisfied")
    assert (step.actor, step.data["source"]) == (users["staff_a"], "phone")
    matter.refresh_from_db()
    assert matter.satisfaction == ""  # not the submitter's rating …
    values = compute_indicators(intake.parent, 2024, dt.date(2024, 12, 31)).values
    assert values["help_request.satisfaction_rate"] is None  # … nor counted as one (none rated)
    page = lookup(client, matter).content.decode()
    assert "您的评价" not in page and 'data-public-action="rate"' in page


# --- defect 4: the verification code --------------------------------------------------------


def test_staff_never_see_the_code_after_registration(client, intake, users):
    matter = submitted(intake)
    client.force_login(users["staff_a"])
    body = client.get(reverse("workbench:matter-detail", args=[matter.pk])).content.decode()
    assert matter.verification_code not in body
    assert CODE_POLICY in body
    data = api(users["staff_a"]).get(f"/api/v1/matters/{matter.pk}/").json()
    assert data["verification_code"] == ""


def test_the_receipt_states_the_same_policy(client):
    from django.http import HttpResponse

    from fazhi.portal.views import RECEIPT_COOKIE, set_receipt

    response = HttpResponse()
    set_receipt(
        response,
        {
            "reference": "BC-2024-000001",
            "code": "ABC234",
            "procedure": "办不成事请找我",
            "received_on": "2024年6月3日",
            "unit": "测试区司法局",
            "time_limits": "",
        },
    )
    client.cookies[RECEIPT_COOKIE] = response.cookies[RECEIPT_COOKIE].value
    body = client.get(reverse("portal:submitted")).content.decode()
    assert "ABC234" in body and CODE_POLICY in body


def test_a_clerk_registering_hands_the_code_over_once(client, intake, users):
    client.force_login(users["staff_a"])
    with clock.frozen(RECEIVED):
        matter = register_matter(
            "help_request",
            org=intake,
            received_on=RECEIVED,
            subject="窗口求助",
            by=users["staff_a"],
            channel="window",
            party={"name": "赵六", "phone": "13900001111"},
            details={"kind": "help", "content": "咨询"},
        )
    c = api(users["staff_a"])
    created = c.post(
        "/api/v1/matters/",
        {
            "procedure": "help_request",
            "subject": "电话求助",
            "party": {"name": "钱七", "phone": "13900002222"},
            "details": {"kind": "help", "content": "咨询"},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    code = created.json()["verification_code"]
    assert len(code) == 6 and code == Matter.objects.get(pk=created.json()["id"]).verification_code
    again = c.get(f"/api/v1/matters/{created.json()['id']}/").json()
    assert again["verification_code"] == ""
    assert matter.verification_code not in c.get(f"/api/v1/matters/{matter.pk}/").content.decode()


def test_an_untrackable_matter_shows_no_code_anywhere(client, district, users):
    office = users["office"]
    c = api(office)
    created = c.post(
        "/api/v1/matters/",
        {
            "procedure": "reconsideration",
            "org": district["a"].pk,
            "subject": "不服行政处罚",
            "party": {"name": "孙八", "phone": "13900003333"},
            "details": {"respondent": "某局", "contested_act": "罚款决定"},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    matter = Matter.objects.get(pk=created.json()["id"])
    assert created.json()["verification_code"] == ""  # the public lookup cannot find it
    client.force_login(office)
    body = client.get(reverse("workbench:matter-detail", args=[matter.pk])).content.decode()
    assert matter.verification_code not in body and "查询码" not in body
    assert (
        client.post(
            reverse("portal:track"),
            {"reference": matter.reference, "code": matter.verification_code},
        ).status_code
        == 200
    )


# --- defect 8: the tracking page --------------------------------------------------------------


def test_tracking_masks_the_party_in_the_subject(client, intake, users):
    matter = concluded(
        intake,
        users,
        subject="欧阳娜娜住幸福小区3栋，电话13800138000，办证难",
        party={"name": "欧阳娜娜", "phone": "13800138000"},
    )
    page = lookup(client, matter).content.decode()
    assert "办证难" in page
    for secret in ("欧阳娜娜", "13800138000"):
        assert secret not in page, secret


def test_a_get_with_the_code_looks_nothing_up(client, intake, users):
    matter = concluded(intake, users)
    response = client.get(
        reverse("portal:track"),
        {"reference": matter.reference, "code": matter.verification_code},
        follow=True,
    )
    body = response.content.decode()
    assert "已协调窗口当场办结" not in body
    for url, _status in response.redirect_chain:
        assert matter.verification_code not in url
