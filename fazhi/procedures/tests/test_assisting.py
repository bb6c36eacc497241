"""Shared handling (主办/会办): an assisting unit reads the matter and records its opinion, the
lead unit answers; acting stays with the lead; an unrelated department sees nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from fazhi.core import clock
from fazhi.core.models import Role
from fazhi.core.tests.factories import staff_user
from fazhi.procedures.errors import InvalidTransition, NotAllowed
from fazhi.procedures.models import Matter, MatterAssistant
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)


@pytest.fixture
def shared(district, users):
    """A sample matter led by unit a, assisted by unit b."""
    m = make_matter(
        "sample_case",
        district["a"],
        users["staff_a"],
        D(2025, 3, 3),
        today=TODAY,
        details={"category": "goods"},
    )
    with clock.frozen(TODAY):
        act(m, "add_assistant", users["staff_a"], D(2025, 3, 4), today=TODAY, org=district["b"].pk)
    return m


def test_adding_an_assistant_records_the_unit(district, shared):
    row = MatterAssistant.objects.get()
    assert (row.matter, row.org, row.added_on) == (shared, district["b"], D(2025, 3, 4))
    assert row.step.action == "add_assistant"


def test_the_assisting_unit_reads_the_matter(district, users, shared):
    assert Matter.objects.for_user(users["staff_b"]).get(pk=shared.pk) == shared
    assert Matter.objects.get_for_user(users["staff_b"], shared.pk) == shared


def test_an_unrelated_department_gets_404(district, shared):
    street = staff_user(district["street"], Role.STAFF, "t_staff_street")
    assert not Matter.objects.for_user(street).filter(pk=shared.pk).exists()
    with pytest.raises(Http404):
        Matter.objects.get_for_user(street, shared.pk)
    with clock.frozen(TODAY), pytest.raises(NotAllowed):
        act(shared, "opinion", street, D(2025, 3, 5), today=TODAY, text="我们也想说")


def test_acting_stays_with_the_lead(users, shared):
    with clock.frozen(TODAY), pytest.raises(NotAllowed):
        act(shared, "accept", users["staff_b"], D(2025, 3, 5), today=TODAY)
    with clock.frozen(TODAY), pytest.raises(NotAllowed):  # the lead does not give the opinion
        act(shared, "opinion", users["staff_a"], D(2025, 3, 5), today=TODAY, text="主办意见")


def test_the_opinion_and_the_leads_reply(district, users, shared):
    with clock.frozen(TODAY):
        opinion = act(
            shared, "opinion", users["staff_b"], D(2025, 3, 5), today=TODAY, text="建议补充材料"
        )
    assert opinion.data == {
        "org": str(district["b"].pk),
        "org_name": district["b"].name,
        "text": "建议补充材料",
    }
    shared.refresh_from_db()
    assert shared.state == "received"  # an opinion moves nothing
    # the lead sees it in the matter's history and answers it
    assert shared.steps.filter(action="opinion").get() == opinion
    with clock.frozen(TODAY):
        reply = act(
            shared,
            "opinion_reply",
            users["staff_a"],
            D(2025, 3, 6),
            today=TODAY,
            org=district["b"].pk,
            text="已补充",
        )
    assert reply.data["org_name"] == district["b"].name
    with clock.frozen(TODAY), pytest.raises(NotAllowed):  # the assisting unit does not reply
        act(
            shared,
            "opinion_reply",
            users["staff_b"],
            D(2025, 3, 6),
            today=TODAY,
            org=district["b"].pk,
            text="x",
        )


def test_an_opinion_needs_an_assisting_unit(district, users):
    alone = make_matter(
        "sample_case",
        district["a"],
        users["staff_a"],
        D(2025, 3, 3),
        today=TODAY,
        details={"category": "goods"},
    )
    with clock.frozen(TODAY), pytest.raises(InvalidTransition, match="还没有会办意见"):
        act(
            alone,
            "opinion_reply",
            users["staff_a"],
            D(2025, 3, 6),
            today=TODAY,
            org=district["b"].pk,
            text="x",
        )
    with clock.frozen(TODAY), pytest.raises(InvalidTransition, match="没有会办单位"):
        act(alone, "opinion", users["office"], D(2025, 3, 6), today=TODAY, text="x")


def test_an_assisting_unit_speaks_only_for_itself(district, users, shared):
    with clock.frozen(TODAY), pytest.raises(NotAllowed):
        act(
            shared,
            "opinion",
            users["staff_b"],
            D(2025, 3, 5),
            today=TODAY,
            org=district["a"].pk,
            text="冒名",
        )


def test_the_migration_rebuilds_assistants_from_the_steps(district, shared):
    """Matters whose assisting units were added before MatterAssistant existed (0008)."""
    import importlib

    from django.apps import apps

    MatterAssistant.objects.all().delete()
    migration = importlib.import_module("fazhi.procedures.migrations.0008_assistants_from_details")
    migration.forwards(apps, None)
    row = MatterAssistant.objects.get()
    assert (row.matter_id, row.org_id, row.added_on) == (shared.pk, district["b"].pk, D(2025, 3, 4))


def test_the_assisting_unit_and_then_the_lead_are_notified(district, users, shared):
    from fazhi.procedures.models import Notification

    assert list(
        Notification.objects.filter(kind="assisting").values_list("recipient", flat=True)
    ) == [users["staff_b"].pk]
    with clock.frozen(TODAY):
        act(shared, "opinion", users["staff_b"], D(2025, 3, 5), today=TODAY, text="意见")
    lead = set(Notification.objects.filter(kind="opinion").values_list("recipient", flat=True))
    assert lead == {users["staff_a"].pk, users["head_a"].pk}
