"""The unit suggestion on the help window's matter page: shown to staff, confirmed or corrected,
optionally transferred, counted in the accuracy; other departments get 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.models import AuditEvent
from fazhi.procedures.tests.factories import make_matter
from fazhi.services import duties
from fazhi.services.models import UnitSuggestion
from fazhi.services.routing import accuracy, confirm_unit

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2024, 9, 2)


@pytest.fixture
def lists(district):
    duties.publish_version(
        district["street"],
        "2024年版",
        D(2024, 1, 1),
        [
            {"kind": "basic", "name": "环境卫生整治", "keywords": "垃圾清运、卫生死角"},
            {
                "kind": "cooperative",
                "name": "食品安全协管",
                "keywords": "过期食品、食物中毒",
                "responsible": district["b"],
            },
        ],
        by=None,
    )


@pytest.fixture
def matter(district, users, lists):
    return make_matter(
        "help_request",
        district["a"],
        users["staff_a"],
        D(2024, 9, 2),
        subject="超市卖过期食品",
        details={"kind": "complaint", "content": "买到过期食品，吃了肚子疼"},
    )


def page(client, user, matter):
    client.force_login(user)
    with clock.frozen(TODAY):
        return client.get(reverse("workbench:matter-detail", args=[matter.pk]))


def test_staff_see_the_suggestion_on_the_matter_page(client, users, matter, district):
    html = page(client, users["staff_a"], matter).content.decode()
    assert 'data-testid="unit-suggestion"' in html
    assert district["b"].name in html and "食品安全协管" in html


def test_confirming_a_suggested_unit_records_its_rank(client, users, matter, district):
    client.force_login(users["staff_a"])
    with clock.frozen(TODAY):
        r = client.post(
            reverse("services:confirm-unit", args=[matter.pk]), {"org": district["b"].pk}
        )
    assert r.status_code == 302
    row = UnitSuggestion.objects.get(matter=matter)
    assert (row.confirmed_org, row.rank, row.confirmed_by) == (district["b"], 1, users["staff_a"])
    assert row.suggested[0]["name"] == district["b"].name
    event = AuditEvent.objects.get(action="services.unit_confirmed")
    assert event.data["rank"] == 1
    matter.refresh_from_db()
    assert matter.org == district["a"]  # no transfer asked
    assert "已确认承办单位" in page(client, users["staff_a"], matter).content.decode()


def test_a_correction_with_transfer_moves_the_matter(users, matter, district):
    with clock.frozen(TODAY):
        row = confirm_unit(matter, district["street"], by=users["staff_a"], transfer=True)
    assert row.rank is None  # a correction: the street was not suggested
    matter.refresh_from_db()
    assert matter.org == district["street"]
    assert matter.steps.filter(action="transfer").count() == 1


def test_another_department_gets_404_and_changes_nothing(client, users, matter, district):
    client.force_login(users["staff_b"])
    r = client.post(reverse("services:confirm-unit", args=[matter.pk]), {"org": district["b"].pk})
    assert r.status_code == 404
    assert not UnitSuggestion.objects.exists()


def test_a_leader_may_read_but_not_confirm(client, users, matter, district):
    client.force_login(users["leader"])
    with clock.frozen(TODAY):
        r = client.post(
            reverse("services:confirm-unit", args=[matter.pk]),
            {"org": district["b"].pk},
            follow=True,
        )
    assert "无权" in r.content.decode()
    assert not UnitSuggestion.objects.exists()


def test_no_unit_chosen_is_a_plain_message(client, users, matter):
    client.force_login(users["staff_a"])
    r = client.post(reverse("services:confirm-unit", args=[matter.pk]), {"org": "x"}, follow=True)
    assert r.status_code == 200 and "请选择承办单位" in r.content.decode()


def test_accuracy_counts_confirmed_matters(client, users, matter, district):
    other = make_matter(
        "help_request",
        district["a"],
        users["staff_a"],
        D(2024, 9, 2),
        subject="楼下垃圾没人清运",
        details={"kind": "complaint"},
    )
    with clock.frozen(TODAY):
        confirm_unit(matter, district["b"], by=users["staff_a"])
        confirm_unit(other, district["a"], by=users["staff_a"])  # not among the suggestions
    acc = accuracy(UnitSuggestion.objects.all())
    assert (acc.confirmed, acc.top1, acc.top3) == (2, 1, 1)
    assert acc.rate(acc.top3) == "50%"
    client.force_login(users["office"])
    html = client.get(reverse("services:suggestions"), {"year": 2024}).content.decode()
    assert "已确认 <strong>2</strong> 件" in html and "50%" in html


def test_duty_lists_page(client, users, lists, district):
    client.force_login(users["office"])
    html = client.get(reverse("services:duty-lists"), {"on": "2024-09-01"}).content.decode()
    assert "环境卫生整治" in html and "2024年版" in html and district["b"].name in html
    bad = client.get(reverse("services:duty-lists"), {"on": "2024-13-01"})
    assert bad.status_code == 200 and "格式错误" in bad.content.decode()


@pytest.fixture
def hotline(district, users, lists):
    """A 12345 order dispatched to the justice bureau; its category and address point to the
    street's food-safety duty (the subject alone names no duty item)."""
    return make_matter(
        "hotline_order",
        district["a"],
        users["staff_a"],
        D(2024, 9, 2),
        subject="市民来电反映问题",
        channel="hotline",
        party={"name": "王女士", "phone": "13912345678"},
        details={"urgency": "ordinary", "category": "过期食品", "address": "测试街道某超市"},
    )


def test_a_hotline_order_gets_the_suggestion_as_the_help_window_does(
    client, users, hotline, district
):
    html = page(client, users["staff_a"], hotline).content.decode()
    assert 'data-testid="unit-suggestion"' in html
    assert district["b"].name in html and "食品安全协管" in html
    # confirmed and transferred from the order's page, counted in the accuracy
    client.force_login(users["staff_a"])
    with clock.frozen(TODAY):
        r = client.post(
            reverse("services:confirm-unit", args=[hotline.pk]),
            {"org": district["b"].pk, "transfer": "1"},
        )
    assert r.status_code == 302
    row = UnitSuggestion.objects.get(matter=hotline)
    assert (row.confirmed_org, row.rank) == (district["b"], 1)
    hotline.refresh_from_db()
    assert hotline.org == district["b"]
    assert hotline.steps.filter(action="transfer").count() == 1


def test_another_procedure_gets_no_suggestion(client, users, district, lists):
    other = make_matter("reconsideration", district["a"], users["staff_a"], D(2024, 9, 2))
    html = page(client, users["staff_a"], other).content.decode()
    assert 'data-testid="unit-suggestion"' not in html
