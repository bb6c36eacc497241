"""The matter page and the API for links and shared handling: both matters show their link,
an assisting unit reads the matter and gives its opinion, an unrelated department gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.core import clock
from fazhi.core.models import Role
from fazhi.core.tests.factories import staff_user
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act
from fazhi.procedures.tests import link_procedures
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 16)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def page(client, user, matter):
    client.force_login(user)
    return client.get(reverse("workbench:matter-detail", args=[matter.pk]))


def api(user, matter):
    c = APIClient()
    c.force_authenticate(user)
    return c.get(f"/api/v1/matters/{matter.pk}/")


@pytest.fixture
def shared(district, users):
    m = make_matter(
        "sample_case",
        district["a"],
        users["staff_a"],
        D(2025, 6, 2),
        today=TODAY,
        details={"category": "goods"},
    )
    act(m, "add_assistant", users["staff_a"], D(2025, 6, 3), org=district["b"].pk)
    return m


def test_the_assisting_unit_reads_the_page_and_may_only_give_its_opinion(client, users, shared):
    response = page(client, users["staff_b"], shared)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="assisting-note"' in text and "会办单位" in text
    actions = [b.name for b in response.context["actions"]]
    assert actions == ["opinion"]


def test_the_opinion_through_the_page_and_the_leads_reply(client, district, users, shared):
    client.force_login(users["staff_b"])
    url = reverse("workbench:matter-act", args=[shared.pk, "opinion"])
    response = client.post(url, {"on": "2025-06-04", "text": "建议核实票据"})
    assert response.status_code == 302
    lead = page(client, users["staff_a"], shared)
    assert "建议核实票据" in lead.content.decode()
    assert "opinion_reply" in [b.name for b in lead.context["actions"]]
    url = reverse("workbench:matter-act", args=[shared.pk, "opinion_reply"])
    response = client.post(
        url, {"on": "2025-06-05", "org": str(district["b"].pk), "text": "已核实"}
    )
    assert response.status_code == 302
    assert list(shared.steps.values_list("action", flat=True))[-2:] == ["opinion", "opinion_reply"]


def test_an_unrelated_department_gets_404(client, district, shared):
    street = staff_user(district["street"], Role.STAFF, "t_staff_street")
    assert page(client, street, shared).status_code == 404
    assert api(street, shared).status_code == 404


def test_the_api_lists_assistants_and_links(district, users, shared):
    data = api(users["staff_b"], shared).json()
    assert data["assistants"] == [
        {"org": district["b"].pk, "org_name": district["b"].name, "added_on": "2025-06-03"}
    ]
    assert data["links"] == []


def test_both_matters_show_their_link(client, district, users):
    a, s = district["a"], users["staff_a"]
    first = make_matter(link_procedures.CODE, a, s, D(2025, 6, 2), today=TODAY)
    repeat = make_matter(
        link_procedures.CODE, a, s, D(2025, 6, 9), today=TODAY,
        details={"repeat_of": first.reference},
    )  # fmt: skip
    text = page(client, s, repeat).content.decode()
    assert "重复反映，原事项" in text and first.reference in text
    text = page(client, s, first).content.decode()
    assert "重复反映本事项" in text and repeat.reference in text
    [link] = api(s, first).json()["links"]
    assert link["direction"] == "incoming" and link["matter"]["reference"] == repeat.reference


def test_a_diverted_matters_page_keeps_the_petition_out_of_sight(client, district, users):
    a, s = district["a"], users["staff_a"]
    petition = make_matter(link_procedures.CODE, a, s, D(2025, 6, 2), today=TODAY)
    act(petition, "accept", s, D(2025, 6, 3))
    act(
        petition, "divert", s, D(2025, 6, 4),
        channel="sample_case", to_org=district["b"].pk, category="goods",
    )  # fmt: skip
    opened = Matter.objects.get(procedure="sample_case")
    text = page(client, users["staff_b"], opened).content.decode()
    assert 'data-testid="matter-links"' not in text and petition.reference not in text
    assert api(users["staff_b"], opened).json()["links"] == []
    text = page(client, s, petition).content.decode()
    assert "导入至" in text and "您无权查看" in text and opened.reference in text
    assert reverse("workbench:matter-detail", args=[opened.pk]) not in text


def test_the_assisted_matter_is_in_the_assisting_units_queue(client, district, users, shared):
    client.force_login(users["staff_b"])
    text = client.get(reverse("workbench:home")).content.decode()
    assert shared.reference in text
    street = staff_user(district["street"], Role.STAFF, "t_staff_street")
    client.force_login(street)
    assert shared.reference not in client.get(reverse("workbench:home")).content.decode()
