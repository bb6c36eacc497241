"""The petition office keeps sight of the petitions it assigned or forwarded (交办/转送): it reads
them (workbench, staff API) but does not act; the handling organ holds them; no other unit
gains sight (404) and nothing public shows them — by a step and by a bulk import alike."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.core import clock
from fazhi.core.models import Role
from fazhi.core.tests.factories import staff_user
from fazhi.disputes.models import RoutedPetition
from fazhi.procedures.errors import NotAllowed
from fazhi.procedures.importing import import_records
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 12, 31)
NAME = "孙信访"


@pytest.fixture
def street_staff(district):
    return staff_user(district["street"], Role.STAFF, "t_staff_street")


@pytest.fixture
def routed(district, users):
    m = make_matter(
        "petition",
        district["a"],
        users["staff_a"],
        D(2025, 3, 3),
        today=TODAY,
        subject="反映拆迁安置问题",
        party={"name": NAME, "id_number": "11010519491231002X"},
        details={"category": "claim", "first_time": True, "office": True},
    )
    act(
        m,
        "route",
        users["staff_a"],
        D(2025, 3, 5),
        today=TODAY,
        mode="forwarded",
        to_org=district["b"].pk,
    )
    m.refresh_from_db()
    return m


def sees(user, matter):
    return Matter.objects.for_user(user).filter(pk=matter.pk).exists()


def test_the_office_reads_what_it_routed_but_does_not_act(routed, district, users, street_staff):
    assert routed.org == district["b"]
    row = RoutedPetition.objects.get(matter=routed)
    assert (row.org, row.routed_on) == (district["a"], D(2025, 3, 5))
    assert sees(users["staff_a"], routed) and sees(users["staff_b"], routed)
    assert not sees(street_staff, routed)
    with pytest.raises(NotAllowed):
        act(routed, "accept", users["staff_a"], D(2025, 3, 6), today=TODAY)
    act(routed, "accept", users["staff_b"], D(2025, 3, 6), today=TODAY)
    # still in sight after the organ accepted it, and only the organ's queue lists it
    assert sees(users["staff_a"], routed)


def test_the_office_reads_the_page_and_the_api_another_unit_gets_404(
    client, routed, users, street_staff
):
    url = reverse("workbench:matter-detail", args=[routed.pk])
    client.force_login(users["staff_a"])
    with clock.frozen(TODAY):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and NAME in html
    assert 'data-testid="action-buttons"' not in html and "只读" in html
    api = APIClient()
    api.force_authenticate(users["staff_a"])
    assert api.get(reverse("api:matter-detail", args=[routed.pk])).status_code == 200
    listed = api.get(reverse("api:matter-list"), {"procedure": "petition"}).content.decode()
    assert routed.reference in listed
    assert api.get(reverse("api:matter-actions", args=[routed.pk])).json() in ([], {"actions": []})
    # a unit that neither routed nor holds it
    client.force_login(street_staff)
    assert client.get(url).status_code == 404
    api.force_authenticate(street_staff)
    assert api.get(reverse("api:matter-detail", args=[routed.pk])).status_code == 404
    assert routed.reference not in api.get(reverse("api:matter-list"), {"q": NAME}).content.decode()


def test_nothing_public_shows_it(client, routed):
    for url in ("/", "/open311/v2/requests.json"):
        text = client.get(url).content.decode()
        assert routed.reference not in text and NAME not in text, url


def test_an_imported_routing_keeps_the_office_in_sight(district, users, street_staff):
    record = {
        "procedure": "petition",
        "reference": "XF-2025-000777",
        "org": district["a"].name,
        "received_on": "2025-04-01",
        "subject": "反映供水问题",
        "party": {"name": "周某"},
        "details": {"category": "claim", "first_time": True, "office": True},
        "steps": [
            {
                "action": "route",
                "on": "2025-04-03",
                "data": {"mode": "assigned", "to_org": district["b"].name},
            },
            {"action": "accept", "on": "2025-04-08"},
        ],
    }
    report = import_records([(1, record, None)], today=TODAY)
    assert report.committed, [str(e) for e in report.errors[:3]]
    m = Matter.objects.get(reference="XF-2025-000777")
    assert m.org == district["b"]
    assert RoutedPetition.objects.filter(matter=m, org=district["a"]).exists()
    assert sees(users["staff_a"], m) and sees(users["staff_b"], m)
    assert not sees(street_staff, m)
    # importing the same line again writes nothing twice
    again = import_records([(1, record, None)], today=TODAY)
    assert again.committed
    assert RoutedPetition.objects.filter(matter=m).count() == 1


def test_a_petition_received_directly_gives_no_one_else_sight(district, users, street_staff):
    m = make_matter(
        "petition",
        district["b"],
        users["staff_b"],
        D(2025, 3, 3),
        today=TODAY,
        party={"name": NAME},
        details={"category": "claim", "first_time": True, "office": False},
    )
    assert not RoutedPetition.objects.filter(matter=m).exists()
    assert not sees(users["staff_a"], m) and not sees(street_staff, m)


def test_the_office_lists_what_it_routed(
    client, routed, district, users, street_staff, django_assert_max_num_queries
):
    for i in range(5):
        m = make_matter(
            "petition", district["a"], users["staff_a"], D(2025, 4, 1), today=TODAY,
            party={"name": f"信访人{i}"}, details={"category": "claim", "first_time": True, "office": True},
        )  # fmt: skip
        act(
            m,
            "route",
            users["staff_a"],
            D(2025, 4, 2),
            today=TODAY,
            mode="assigned",
            to_org=district["b"].pk,
        )
    act(routed, "accept", users["staff_b"], D(2025, 3, 6), today=TODAY)
    act(routed, "conclude", users["staff_b"], D(2025, 4, 1), today=TODAY, opinion="已处理")
    url = reverse("petitions:routed")
    client.force_login(users["staff_a"])
    with clock.frozen(TODAY), django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert routed.reference in html and "转送" in html and "交办" in html
    assert html.count("data-reference=") == 6
    assert "已逾期" in html  # the five routed on 04-02 were due to be accepted by 04-17
    with clock.frozen(TODAY):
        open_only = client.get(url, {"open": "1"}).content.decode()
    assert routed.reference not in open_only and open_only.count("data-reference=") == 5
    # the handling organ and another unit routed nothing
    for user in (users["staff_b"], street_staff):
        client.force_login(user)
        assert "data-reference=" not in client.get(url).content.decode()
