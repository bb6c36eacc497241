"""The staff's government-services page: the registers in force on the cut-off (the same
compression as the indicator), the open matters, the scope of a department."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.nav import nav_links
from fazhi.services.tests.test_registers import item

pytestmark = pytest.mark.django_db

D = dt.date


def get(client, user, **params):
    client.force_login(user)
    with clock.frozen(D(2025, 2, 1)):
        r = client.get(reverse("services:home"), {"year": 2024, **params})
    assert r.status_code == 200
    return r.content.decode()


def test_the_page_shows_the_compression_over_the_items_in_force(client, users, district):
    a, b = district["a"], district["b"]
    item(a, 20, 2)
    item(b, 30, 6)
    item(a, 10, 10, end=D(2024, 6, 30), name="已取消")
    html = get(client, users["office"])
    assert "在用政务服务事项 <strong>2</strong> 项" in html
    assert '<strong data-testid="compression">84%</strong>' in html  # as the indicator
    # a department sees its own items: 1 − 2 / 20
    own = get(client, users["staff_a"])
    assert "在用政务服务事项 <strong>1</strong> 项" in own
    assert '<strong data-testid="compression">90%</strong>' in own


def test_the_page_links_the_parts_pages_and_is_in_the_navigation(client, users):
    html = get(client, users["staff_a"])
    assert reverse("services:duty-lists") in html and reverse("services:suggestions") in html
    labels = {link.label for link in nav_links("staff", user=users["staff_a"])}
    assert {"政务服务", "安全生产", "重点任务", "第一责任人"} <= labels
