"""The hotline page's scope: a department sees its own orders' figures only, the dispatcher
(the whole tree) every unit's and every street's; the page's cards count what waits."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.oversight.tests.test_hotline import year_2024  # noqa: F401  the hand-built year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("year_2024")]


def page(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("oversight-hotline:home"), {"year": 2024, **params})
    assert response.status_code == 200
    return response


def test_a_department_sees_its_own_row_only(client, district, users):
    mine = page(client, users["staff_b"], month="2024-03")
    assert [r["unit"].pk for r in mine.context["units"]] == [district["b"].pk]
    assert mine.context["streets"] == []
    assert mine.context["categories"] == []  # A's March orders are not B's
    text = mine.content.decode()
    assert district["a"].name not in text.split("<h2>")[1]


def test_the_dispatcher_sees_every_unit_and_street(client, district, users):
    every = page(client, users["office"], month="2024-03")
    units = {r["unit"].pk for r in every.context["units"]}
    assert units == {district["a"].pk, district["b"].pk}
    assert [r["unit"].pk for r in every.context["streets"]] == [district["street"].pk]
    cells = dict(next(r for r in every.context["units"] if r["unit"] == district["a"])["cells"])
    assert cells["hotline_order.response_rate"] == "75%"
    # waiting: o5 and o6 not signed
    assert every.context["to_sign"] == 2
    assert every.context["returns"] == 0  # o4's return was approved
    assert isinstance(every.context["month"], dt.date)
