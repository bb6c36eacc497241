"""A reconsideration's parallel clocks (行政复议法 §48, §62): the copy to the respondent, the
respondent's reply and the decision run at once; the workbench matter page and the API show
each with its own due date and basis, and the matter is due at the earliest."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.core import clock
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 3, 20)


@pytest.fixture
def matter(district, users):
    s = users["staff_a"]
    m = make_matter("reconsideration", district["a"], s, D(2025, 3, 3), today=TODAY)
    act(m, "accept", s, D(2025, 3, 5), today=TODAY)
    act(m, "send_copy", s, D(2025, 3, 12), today=TODAY)
    return m


def test_the_clocks_of_a_reconsideration(matter, users):
    running = {c.limit: c for c in matter.clocks.running()}
    assert set(running) == {"reconsideration.respondent_reply", "reconsideration.decide"}
    assert running["reconsideration.respondent_reply"].due_on == D(2025, 3, 26)
    assert running["reconsideration.decide"].due_on == D(2025, 5, 6)
    copy = matter.clocks.get(limit="reconsideration.copy_to_respondent")
    assert (copy.answered_on, copy.answered_action, copy.in_time) == (
        D(2025, 3, 12),
        "send_copy",
        True,
    )
    matter.refresh_from_db()
    assert (matter.due_on, matter.due_rule) == (D(2025, 3, 26), "reconsideration.respondent_reply")
    act(matter, "receive_reply", users["staff_a"], D(2025, 3, 20), today=TODAY)
    matter.refresh_from_db()
    assert (matter.due_on, matter.due_rule) == (D(2025, 5, 6), "reconsideration.decide")


def test_the_matter_page_lists_each_running_clock(client, matter, users):
    client.force_login(users["staff_a"])
    with clock.frozen(TODAY):
        page = client.get(reverse("workbench:matter-detail", args=[matter.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="clocks"' in html
    assert 'data-limit="reconsideration.respondent_reply"' in html
    assert 'data-limit="reconsideration.decide"' in html
    assert "行政复议法 第四十八条" in html and "行政复议法 第六十二条" in html
    assert "2025-03-26" in html and "2025-05-06" in html


def test_the_api_detail_lists_the_clocks(matter, users):
    c = APIClient()
    c.force_authenticate(users["staff_a"])
    data = c.get(f"/api/v1/matters/{matter.pk}/").json()
    assert [(k["limit"], k["due_on"], k["answered_on"]) for k in data["clocks"]] == [
        ("reconsideration.review", "2025-03-10", "2025-03-05"),
        ("reconsideration.copy_to_respondent", "2025-03-14", "2025-03-12"),
        ("reconsideration.decide", "2025-05-06", None),
        ("reconsideration.respondent_reply", "2025-03-26", None),
    ]
    assert data["due_on"] == "2025-03-26"
    other = APIClient()
    other.force_authenticate(users["staff_b"])
    assert other.get(f"/api/v1/matters/{matter.pk}/").status_code == 404
