"""Petitions are confidential: absent from every public page and endpoint, and another department
gets 404 — staff API, workbench, drill-down, portal tracking, Open311, public listings."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.api.models import ApiClient
from fazhi.core import clock, ratelimit
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
SUBJECT = "反映征收补偿款长期未发放问题"
NAME, PHONE, ID = "钱秘密", "13711112222", "11010519491231002X"


@pytest.fixture(autouse=True)
def _fresh_cache():
    ratelimit.clear()  # rate-limit counters
    yield
    ratelimit.clear()


@pytest.fixture
def petition(district, users):
    today = clock.today()
    m = make_matter(
        "petition",
        district["a"],
        users["staff_a"],
        today - dt.timedelta(days=3),
        subject=SUBJECT,
        party={"name": NAME, "phone": PHONE, "id_number": ID, "address": "铁西区某小区1号"},
        details={"category": "claim", "first_time": True, "office": False},
    )
    with clock.frozen(today):
        act(m, "accept", users["staff_a"], today - dt.timedelta(days=2))
    m.refresh_from_db()
    return m


def api(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def leaks(text: str, matter: Matter) -> list[str]:
    return [s for s in (matter.reference, SUBJECT, NAME, PHONE, ID, "信访") if s in text]


def test_the_staff_api_answers_the_unit_and_404s_another_department(petition, users):
    mine = api(users["staff_a"]).get(reverse("api:matter-detail", args=[petition.pk]))
    assert mine.status_code == 200 and mine.json()["reference"] == petition.reference
    listed = api(users["staff_a"]).get(reverse("api:matter-list"), {"procedure": "petition"})
    assert petition.reference in listed.content.decode()
    other = api(users["staff_b"])
    assert other.get(reverse("api:matter-detail", args=[petition.pk])).status_code == 404
    for params in ({}, {"procedure": "petition"}, {"q": NAME}, {"q": PHONE}):
        text = other.get(reverse("api:matter-list"), params).content.decode()
        assert not leaks(text, petition), params
    # no one unauthenticated reads it
    assert api().get(reverse("api:matter-detail", args=[petition.pk])).status_code in (401, 403)


def test_the_workbench_shows_it_to_the_unit_and_404s_another_department(client, petition, users):
    url = reverse("workbench:matter-detail", args=[petition.pk])
    client.force_login(users["staff_a"])
    page = client.get(url)
    assert page.status_code == 200 and NAME in page.content.decode()
    client.force_login(users["staff_b"])
    assert client.get(url).status_code == 404
    act_url = reverse("workbench:matter-act", args=[petition.pk, "conclude"])
    assert client.get(act_url).status_code == 404
    assert client.post(act_url, {"opinion": "x"}).status_code == 404
    repeats = reverse("petitions:repeats", args=[petition.pk])
    assert client.get(repeats).status_code == 404
    queue = client.get(reverse("workbench:home"), {"q": NAME}).content.decode()
    # (the search box echoes the name typed; the procedure filter names 信访)
    assert petition.reference not in queue and SUBJECT not in queue and PHONE not in queue
    # the indicators' drill-down of another department's scope: 404, not the records
    drill = reverse("indicators:drill", args=["petition.received"])
    year = petition.received_on.year
    response = client.get(drill, {"org": petition.org.pk, "year": year})
    assert response.status_code == 404


def test_the_portal_never_finds_it(petition):
    web = Client()
    page = web.post(
        reverse("portal:track"),
        {"reference": petition.reference, "code": petition.verification_code},
        follow=True,
    ).content.decode()
    assert "未找到对应的事项" in page and SUBJECT not in page and NAME not in page
    for name in ("portal:home", "portal:replies"):
        text = web.get(reverse(name)).content.decode()
        assert not leaks(text, petition), name
    disclosure = web.get(reverse("enforcement:disclosure"), {"q": SUBJECT[:6]}).content.decode()
    assert SUBJECT not in disclosure and petition.reference not in disclosure
    assert not Matter.objects.public().filter(pk=petition.pk).exists()


def test_open311_neither_offers_nor_shows_petitions(petition, district):
    web = Client()
    services = web.get("/open311/v2/services.json").json()
    assert "petition" not in {s["service_code"] for s in services}
    assert web.get("/open311/v2/services/petition.json").status_code == 404
    assert web.get(f"/open311/v2/requests/{petition.reference}.json").status_code == 404
    assert web.get(f"/open311/v2/requests/{petition.reference}.xml").status_code == 404
    assert not leaks(web.get("/open311/v2/requests.json").content.decode(), petition)
    key_client = ApiClient(name="12345热线")
    key = key_client.set_new_key()
    key_client.save()
    submitted = web.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "petition",
            "description": "我要信访",
            "phone": "13912345678",
            "first_name": "明",
            "last_name": "王",
        },
    )
    assert submitted.status_code in (400, 404)
    assert Matter.objects.of("petition").count() == 1


def test_the_public_api_schema_lists_no_petition_service(petition):
    text = Client().get("/open311/v2/services.xml").content.decode()
    assert "petition" not in text and "信访" not in text


def test_a_diverted_matters_unit_does_not_see_the_petition(district, users, petition):
    """The reconsideration organ gets the opened matter, never the petition or its link."""
    from fazhi.procedures.links import links_for

    b = district["b"]
    with clock.frozen(clock.today()):
        act(
            petition,
            "divert",
            users["staff_a"],
            clock.today(),
            channel="reconsideration",
            to_org=b.pk,
            respondent="某局",
            contested_act="征收补偿决定",
        )
    opened = Matter.objects.of("reconsideration").get()
    assert opened.org == b
    assert links_for(opened, users["staff_b"]) == []
    client = Client()
    client.force_login(users["staff_b"])
    page = client.get(reverse("workbench:matter-detail", args=[opened.pk])).content.decode()
    assert petition.reference not in page
    assert client.get(reverse("workbench:matter-detail", args=[petition.pk])).status_code == 404
