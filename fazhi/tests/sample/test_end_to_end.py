"""The sample domain end to end, found from INSTALLED_APPS alone: submitted on the portal,
handled in the workbench queue, counted on the dashboard (and offered by Open311)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from fazhi.core import clock, ratelimit
from fazhi.procedures.models import IntakeRoute, Matter

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 11)  # a Wednesday


@pytest.fixture(autouse=True)
def _today_and_fresh_limits(db):
    ratelimit.clear()
    with clock.frozen(TODAY):
        yield
    ratelimit.clear()


def form_data(**overrides):
    data = {
        "category": "service",
        "party_kind": "person",
        "name": "王五",
        "phone": "13800138000",
        "id_number": "",
        "venue": "shop",
        "first_time": "on",
        "urgency": "urgent",
        "amount": "199.90",
        "subject": "预付卡商家关门",
        "content": "办了预付卡，商家突然关门，余额无法退还。",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_public_form_is_built_from_the_declaration(client, district):
    page = client.get(reverse("portal:submit-sample-case")).content.decode()
    # nav entry (the domain's nav.py), with the current page marked
    assert re.search(r'<a href="/sample/" aria-current="page">示例事项</a>', page)
    # fields in the intake's order, with the intake's labels and help texts
    order = [page.index(f'name="{n}"') for n in ("category", "name", "venue", "amount", "content")]
    assert order == sorted(order)
    assert "在哪里发生" in page and "请选择事项类别。" in page
    assert 'type="radio" name="urgency" value="urgent"' in page  # a choice: radio buttons
    assert 'type="checkbox" name="first_time"' in page  # a yes/no: a check box
    assert 'class="amount"' in page and 'step="0.01"' in page  # the custom widget hook
    assert "3个工作日内受理审查，受理后10个工作日内办结" in page  # from the domain's limits
    # the home page lists the channel
    home = client.get(reverse("portal:home")).content.decode()
    assert "示例领域的公众提交（仅测试）。" in home


def test_bad_input_is_shown_next_to_its_field(client, district):
    response = client.post(
        reverse("portal:submit-sample-case"), form_data(category="nonsense", amount="-3")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“事项类别”的选项无效，请重新选择。" in page
    assert "“涉及金额（元）”不能小于 0。" in page
    assert not Matter.objects.exists()


def test_submitted_handled_and_counted(client, district, users):
    IntakeRoute.objects.create(procedure="sample_case", org=district["a"])
    response = client.post(reverse("portal:submit-sample-case"), form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    matter = Matter.objects.get()
    assert matter.procedure == "sample_case" and matter.org == district["a"]
    assert matter.reference.startswith("SP-") and matter.channel == "web"
    assert matter.details == {
        "category": "service",
        "venue": "shop",
        "first_time": True,
        "urgency": "urgent",
        "amount": "199.90",
        "content": "办了预付卡，商家突然关门，余额无法退还。",
    }
    assert Decimal(matter.details["amount"]) == Decimal("199.90")
    receipt = client.get(reverse("portal:submitted")).content.decode()
    assert matter.reference in receipt

    # handled in the workbench queue
    client.force_login(users["staff_a"])
    queue = client.get(reverse("workbench:home")).content.decode()
    assert matter.reference in queue and "预付卡商家关门" in queue
    act = reverse("workbench:matter-act", args=[matter.pk, "accept"])
    assert client.post(act, {"on": "2025-06-11"}).status_code == 302
    act = reverse("workbench:matter-act", args=[matter.pk, "conclude"])
    assert client.post(act, {"on": "2025-06-11", "result": "已协调退款"}).status_code == 302
    matter.refresh_from_db()
    assert matter.state == "concluded" and matter.closed_on == TODAY

    # counted on the dashboard (the leader sees the whole district)
    client.force_login(users["leader"])
    response = client.get(reverse("indicators:dashboard"), {"year": 2025})
    assert response.status_code == 200
    values = response.context["result"].values
    assert values["sample_case.received"] == 1
    assert values["sample_case.concluded"] == 1
    assert "示例事项已办结" in response.content.decode()
    # its consistency check (indicators.py's register_check) is computed with the figures
    check = next(c for c in response.context["result"].checks if c.rule == "sample_case.balance")
    assert check.ok and check.detail == "收到 1，已办结 1"


def test_offered_as_an_open311_service_in_its_group(client, district):
    services = client.get("/open311/v2/services.json").json()
    sample = next(s for s in services if s["service_code"] == "sample_case")
    assert sample["group"] == "示例分组"
    assert sample["service_name"] == "示例事项"
