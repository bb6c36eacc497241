"""Links between matters made by steps (MatterLink): by reference, at registration, and a
diversion opening the linked matter through the same registration as any new matter."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core import clock
from fazhi.core.models import AuditEvent
from fazhi.procedures.errors import InvalidData, NotAllowed, ProcedureError
from fazhi.procedures.links import links_for
from fazhi.procedures.models import Channel, Matter, MatterLink, Step
from fazhi.procedures.services import act
from fazhi.procedures.tests import link_procedures
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)
MARCH_3 = D(2025, 3, 3)
L = link_procedures.CODE


def letter(org, user, received=MARCH_3, **details):
    return make_matter(
        L,
        org,
        user,
        received,
        today=TODAY,
        details=details,
        party={"name": "王五", "phone": "13800000000"},
    )


def test_a_repeat_names_the_earlier_letter_at_registration(district, users):
    first = letter(district["a"], users["staff_a"])
    repeat = letter(district["a"], users["staff_a"], D(2025, 4, 1), repeat_of=first.reference)
    link = MatterLink.objects.get()
    assert (link.source, link.target, link.kind) == (repeat, first, "repeat_of")
    assert link.created_on == D(2025, 4, 1)
    assert link.step == Step.objects.get(matter=repeat, seq=1)
    assert AuditEvent.objects.filter(action="matter.link").count() == 1


def test_an_unknown_reference_refuses_the_registration(district, users):
    with pytest.raises(InvalidData, match="找不到编号为“LL-2099-000001”的关联测试信件") as exc:
        letter(district["a"], users["staff_a"], repeat_of="LL-2099-000001")
    assert exc.value.field == "details.repeat_of"
    assert not Matter.objects.filter(procedure=L).exists()  # one transaction: nothing kept


def test_merge_links_by_reference(district, users):
    a, s = district["a"], users["staff_a"]
    into, merged = letter(a, s), letter(a, s)
    with clock.frozen(TODAY):
        act(merged, "merge", s, D(2025, 3, 5), today=TODAY, into=into.reference)
    link = MatterLink.objects.get()
    assert (link.source, link.target, link.kind) == (merged, into, "merged_into")
    with clock.frozen(TODAY), pytest.raises(InvalidData, match="找不到编号"):
        act(letter(a, s), "merge", s, D(2025, 3, 5), today=TODAY, into="LL-2025-999999")


def test_a_diversion_opens_the_target_matter(district, users):
    a, b, s = district["a"], district["b"], users["staff_a"]
    petition = letter(a, s)
    with clock.frozen(TODAY):
        act(petition, "accept", s, D(2025, 3, 4), today=TODAY)
        step = act(
            petition,
            "divert",
            s,
            D(2025, 3, 6),
            today=TODAY,
            channel="sample_case",
            to_org=b.pk,
            category="service",
        )
    opened = Matter.objects.get(procedure="sample_case")
    # registered through register_matter: its own reference, register step, state and due date
    assert opened.org == b and opened.received_on == D(2025, 3, 6)
    assert opened.reference.startswith("SP-2025-") and opened.channel == Channel.LINKED
    assert opened.state == "received" and opened.due_on is not None
    assert opened.details["category"] == "service" and opened.party_name == "王五"
    assert list(opened.steps.values_list("action", flat=True)) == ["register"]
    link = MatterLink.objects.get()
    assert (link.source, link.target, link.kind, link.step) == (
        petition,
        opened,
        "diverted_to",
        step,
    )
    assert AuditEvent.objects.filter(action="matter.register", object_id=str(opened.pk)).exists()
    # the target's unit sees it; the petition stays out of its sight and off its page
    assert Matter.objects.for_user(users["staff_b"]).filter(pk=opened.pk).exists()
    assert not Matter.objects.for_user(users["staff_b"]).filter(pk=petition.pk).exists()
    assert links_for(opened, users["staff_b"]) == []
    # the diverting unit sees the link, and the opened matter only by its procedure
    [view] = links_for(petition, s)
    assert (view.wording, view.other, view.procedure_label) == ("导入至", None, "示例事项")
    assert view.reference == opened.reference
    [admin_view] = links_for(opened, users["admin"])
    assert admin_view.other == petition and admin_view.wording == "由此导入"


def test_a_refused_opening_refuses_the_diversion(district, users):
    """sample_case needs a category: the opened matter's own rules refuse, so nothing is kept."""
    a, s = district["a"], users["staff_a"]
    petition = letter(a, s)
    with clock.frozen(TODAY):
        act(petition, "accept", s, D(2025, 3, 4), today=TODAY)
        with pytest.raises(ProcedureError, match="导入示例事项未能登记：缺少“事项类别”") as exc:
            act(petition, "divert", s, D(2025, 3, 6), today=TODAY, channel="sample_case")
    assert exc.value.field == "category"
    petition.refresh_from_db()
    assert petition.state == "accepted"
    assert not Matter.objects.filter(procedure="sample_case").exists()
    assert not MatterLink.objects.exists()


def test_a_diversion_elsewhere_opens_nothing(district, users):
    a, s = district["a"], users["staff_a"]
    petition = letter(a, s)
    with clock.frozen(TODAY):
        act(petition, "accept", s, D(2025, 3, 4), today=TODAY)
        act(petition, "divert", s, D(2025, 3, 6), today=TODAY, channel="arbitration")
    assert not MatterLink.objects.exists() and not Matter.objects.filter(procedure="sample_case")


def test_a_diversion_to_an_existing_matter_by_reference(district, users):
    a, s = district["a"], users["staff_a"]
    existing = make_matter(
        "sample_case", a, s, D(2025, 3, 1), today=TODAY, details={"category": "goods"}
    )
    petition = letter(a, s)
    with clock.frozen(TODAY):
        act(petition, "accept", s, D(2025, 3, 4), today=TODAY)
        act(
            petition,
            "divert",
            s,
            D(2025, 3, 6),
            today=TODAY,
            channel="sample_case",
            target_reference=existing.reference,
        )
    assert Matter.objects.filter(procedure="sample_case").count() == 1
    assert MatterLink.objects.get().target == existing


def test_another_department_cannot_divert(district, users):
    petition = letter(district["a"], users["staff_a"])
    with clock.frozen(TODAY), pytest.raises(NotAllowed):
        act(petition, "accept", users["staff_b"], D(2025, 3, 4), today=TODAY)


def test_the_link_event_reads_in_words(district, users):
    from fazhi.core.words import action_words, data_words

    first = letter(district["a"], users["staff_a"])
    letter(district["a"], users["staff_a"], D(2025, 4, 1), repeat_of=first.reference)
    event = AuditEvent.objects.get(action="matter.link")
    assert action_words(event.action) == "关联事项"
    assert ("类别", "重复") in data_words(event.data)
    assert ("关联事项", first.reference) in data_words(event.data)
