"""Likely repeats of a newly registered petition (same petitioner, like matter), in scope, and the
staff's confirmation making the ``repeat_of`` link."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.disputes.petitions.repeats import likely_repeats
from fazhi.procedures.models import MatterLink
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 12, 31)


def petition(org, user, received, subject, **party):
    party = {"name": "周某", "phone": "13600001234", "id_number": "11010519491231002X", **party}
    return make_matter(
        "petition",
        org,
        user,
        received,
        today=TODAY,
        subject=subject,
        party=party,
        details={"category": "claim", "first_time": True, "office": False},
    )


@pytest.fixture
def history(district, users):
    a, s = district["a"], users["staff_a"]
    return {
        "same": petition(a, s, D(2025, 3, 3), "反映某小区冬季供暖温度不达标问题"),
        "unlike": petition(a, s, D(2025, 4, 1), "建议增设公交站点"),
        "stranger": petition(
            a,
            s,
            D(2025, 4, 2),
            "反映某小区冬季供暖温度不达标问题",
            name="吴某",
            phone="13600009999",
            id_number="",
        ),
        "elsewhere": petition(
            district["b"], users["staff_b"], D(2025, 4, 3), "反映某小区冬季供暖温度不达标问题"
        ),
        "later": petition(a, s, D(2025, 12, 1), "反映某小区冬季供暖温度不达标问题"),
    }


def test_the_same_petitioner_on_a_like_matter_is_suggested_within_scope(history, users):
    new = petition(
        history["same"].org, users["staff_a"], D(2025, 11, 3), "再次反映小区供暖温度不达标"
    )
    found = likely_repeats(new, users["staff_a"])
    assert [c.matter for c in found] == [history["same"]]
    assert found[0].why == "身份证号相同" and found[0].percent >= 50
    # the other department's petition of the same person is outside staff_a's scope; an
    # administrator sees both, likeliest and latest first
    everyone = [c.matter for c in likely_repeats(new, users["admin"])]
    assert everyone == [history["elsewhere"], history["same"]]
    by_phone = petition(
        history["same"].org,
        users["staff_a"],
        D(2025, 11, 4),
        "反映小区冬季供暖温度不达标",
        id_number="",
        name="周先生",
    )
    found = likely_repeats(by_phone, users["staff_a"])
    assert {c.matter for c in found} == {history["same"], new}
    assert {c.why for c in found} == {"联系电话相同"}


def test_staff_confirm_a_suggestion_from_the_page(client, history, users):
    s = users["staff_a"]
    new = petition(history["same"].org, s, D(2025, 11, 3), "再次反映小区供暖温度不达标")
    client.force_login(s)
    detail = client.get(reverse("workbench:matter-detail", args=[new.pk])).content.decode()
    url = reverse("petitions:repeats", args=[new.pk])
    assert url in detail and "疑似重复信访" in detail
    page = client.get(url).content.decode()
    assert history["same"].reference in page and "确认为重复信访" in page
    assert history["unlike"].reference not in page and history["elsewhere"].reference not in page
    refused = client.post(url, {"repeat_of": history["unlike"].reference})
    assert (
        refused.status_code == 400 and "请从所列的疑似原信访事项中选择" in refused.content.decode()
    )
    assert not MatterLink.objects.exists()
    done = client.post(url, {"repeat_of": history["same"].reference})
    assert done.status_code == 302
    link = MatterLink.objects.get()
    assert (link.source, link.target, link.kind) == (new, history["same"], "repeat_of")
    new.refresh_from_db()
    assert (
        new.details["first_time"] is False and new.details["repeat_of"] == history["same"].reference
    )
    assert likely_repeats(new, s) == []  # confirmed: no longer suggested


def test_another_department_cannot_confirm_or_read(client, history, users):
    client.force_login(users["staff_b"])
    url = reverse("petitions:repeats", args=[history["later"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"repeat_of": history["same"].reference}).status_code == 404
    client.force_login(users["leader"])  # sees everything, acts on nothing
    page = client.get(url).content.decode()
    assert history["same"].reference in page and "确认为重复信访</button>" not in page


def test_the_petitions_urls_are_included_at_the_root():
    assert reverse("petitions:repeats", args=[1]) == "/workbench/petitions/1/repeats/"
