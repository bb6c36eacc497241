"""The daily sweep takes a decision down when its publicity period has ended: the ``expire``
step recorded through ``act()`` by the platform itself, once, audited, the disclosure index and
the public page following."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.models import AuditEvent
from fazhi.enforcement import search
from fazhi.enforcement.expiry import ended
from fazhi.enforcement.models import DisclosureEntry
from fazhi.enforcement.public import disclosed
from fazhi.enforcement.tests.test_decisions import COMPANY, PERSON, decide, do, officers
from fazhi.procedures.errors import NotAllowed
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act
from fazhi.procedures.sweeps import sweep

pytestmark = pytest.mark.django_db

__all__ = ["officers"]  # the fixture, used by name

D = dt.date
PUBLISHED = D(2024, 1, 9)
ENDS = D(2026, 1, 9)  # a natural person's 2 years (a Friday)


@pytest.fixture
def person(district, users, officers):
    m = decide(district, users, D(2024, 1, 8), kind="license", handlers="JL0001", party=PERSON)
    do(m, "publish", users, PUBLISHED)
    return m


@pytest.fixture
def company(district, users, officers):
    m = decide(district, users, D(2024, 1, 8), kind="license", handlers="JL0001")
    do(m, "publish", users, PUBLISHED)
    return m


def swept(day):
    with clock.frozen(day):
        return sweep(day)


def test_the_day_the_period_ends_the_sweep_takes_the_decision_down(person, company):
    assert swept(ENDS - dt.timedelta(days=1))["recorded"] == 0
    assert Matter.objects.get(pk=person.pk).state == "published"
    counts = swept(ENDS)
    assert counts["recorded"] == 1
    person.refresh_from_db()
    assert (person.state, person.outcome, person.closed_on) == ("expired", "expired", ENDS)
    step = person.steps.get(action="expire")
    assert (step.on, step.actor, step.actor_label) == (ENDS, None, "系统")
    event = AuditEvent.objects.get(action="matter.expire", object_id=str(person.pk))
    assert event.actor is None and event.actor_label == "系统"
    assert event.data["state"] == "expired"
    # an organisation's period (5 years) runs on; nothing else is touched
    assert Matter.objects.get(pk=company.pk).state == "published"


def test_running_the_sweep_again_records_nothing(person):
    swept(ENDS)
    steps = person.steps.count()
    events = AuditEvent.objects.count()
    assert swept(ENDS)["recorded"] == 0
    assert swept(ENDS + dt.timedelta(days=30))["recorded"] == 0
    assert person.steps.count() == steps and AuditEvent.objects.count() == events


def test_a_late_sweep_dates_the_step_on_the_day_the_period_ended(person):
    assert swept(D(2026, 3, 2))["recorded"] == 1
    assert person.steps.get(action="expire").on == ENDS


def test_withdrawn_and_minors_decisions_are_left_alone(district, users, officers):
    withdrawn = decide(district, users, D(2024, 1, 8), party=PERSON)
    do(withdrawn, "publish", users, PUBLISHED)
    do(withdrawn, "mark_changed", users, D(2024, 2, 1), change="revoked")
    do(withdrawn, "withdraw", users, D(2024, 2, 2), reason="原决定已撤销。")
    decide(district, users, D(2024, 1, 8), party=PERSON, minor=True)  # never published
    assert ended(D(2030, 1, 1)) == []
    assert swept(D(2026, 6, 1))["recorded"] == 0
    assert withdrawn.steps.filter(action="expire").count() == 0


def test_the_public_page_and_the_search_follow(client, person, company):
    url = reverse("enforcement:disclosure")
    with clock.frozen(ENDS - dt.timedelta(days=1)):
        before = client.get(url)
    assert before.context["total"] == 2 and "欧***" in before.content.decode()
    swept(ENDS)
    assert not DisclosureEntry.objects.filter(matter=person).exists()
    assert DisclosureEntry.objects.filter(matter=company).exists()
    # the list as the public sees it, and the index as made again from the decisions
    assert list(disclosed(today=ENDS - dt.timedelta(days=1))) == [
        DisclosureEntry.objects.get(matter=company)
    ]
    assert search.rebuild() == 1
    with clock.frozen(ENDS):
        after = client.get(url)
        by_name = client.get(url, {"q": "某某商贸"})
    assert after.context["total"] == 1 and "欧***" not in after.content.decode()
    assert by_name.context["total"] == 1 and COMPANY["name"] in by_name.content.decode()


def test_the_command_says_what_the_sweep_recorded(person):
    out = StringIO()
    with clock.frozen(ENDS):
        call_command("sweep", stdout=out)
    assert "到期自动记录办理步骤 1 项" in out.getvalue()
    assert Matter.objects.get(pk=person.pk).state == "expired"


def test_only_an_action_that_declares_it_is_taken_by_the_platform(district, users, officers):
    m = decide(district, users, D(2024, 1, 8), party=PERSON)
    with pytest.raises(NotAllowed), clock.frozen(ENDS):
        act(m, "publish", None, PUBLISHED, system=True)
    with pytest.raises(ValueError, match="no user"):
        act(m, "publish", users["staff_b"], PUBLISHED, system=True)
    assert Matter.objects.get(pk=m.pk).state == "decided"


def test_a_refused_expiry_is_logged_and_the_sweep_goes_on(company, person, monkeypatch, caplog):
    from fazhi.enforcement import expiry

    real = expiry.publicity_ends

    def wrong_for_organisations(party_kind, published_on):  # as if the period had been shorter
        return D(2025, 1, 1) if party_kind == "organisation" else real(party_kind, published_on)

    monkeypatch.setattr(expiry, "publicity_ends", wrong_for_organisations)
    day = D(2026, 6, 1)
    assert [pk for pk, _on in ended(day)] == [company.pk, person.pk]  # the company first
    counts = swept(day)  # the rules refuse the company's expiry inside act(): its savepoint
    assert counts["recorded"] == 1
    assert Matter.objects.get(pk=company.pk).state == "published"
    assert Matter.objects.get(pk=person.pk).state == "expired"
    assert f"执法决定 {company.reference} 未能到期下线：" in caplog.text
    assert "公示期尚未届满" in caplog.text
