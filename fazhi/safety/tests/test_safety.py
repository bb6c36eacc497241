"""Safety (report part 五): hazards with their rectification deadline and the inspection that
found them, the activity figures and the direct enterprises' inspection and publicity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from fazhi.core.registers import save_entry
from fazhi.indicators.engine import compute_indicators, drill_down
from fazhi.procedures.activities import record_activity
from fazhi.procedures.errors import InvalidData, InvalidTransition
from fazhi.procedures.models import Clock
from fazhi.procedures.services import act, register_matter
from fazhi.safety import direct
from fazhi.safety.models import DirectEnterprise

pytestmark = pytest.mark.django_db

D = dt.date
CODE = "91220302MA17000014"  # a valid unified social credit code


MARCH_4 = D(2024, 3, 4)


def _round(org, reference="AJ-1", on=MARCH_4, **figures):
    values = {"inspectors": 4, "units": 10, "hazards": 2, **figures}
    return record_activity(
        "safety_inspection", org=org, on=on, title="春季检查", figures=values, reference=reference
    )


def _hazard(org, by, inspection="AJ-1", on=MARCH_4, level="general"):
    return register_matter(
        "safety_hazard",
        org=org,
        received_on=on,
        subject="消防通道堵塞",
        by=by,
        party={"name": "四平市某商贸有限公司", "kind": "organisation"},
        details={"inspection": inspection, "level": level, "description": "消防通道堵塞。"},
    )


def test_the_rectification_clock_is_due_on_the_orders_date(district, users):
    b, staff = district["b"], users["staff_b"]
    _round(b)
    hazard = _hazard(b, staff)
    assert hazard.state == "found" and hazard.due_on is None
    act(hazard, "order_rectification", staff, D(2024, 3, 5), rectify_by="2024-03-20")
    hazard.refresh_from_db()
    assert hazard.state == "ordered"
    assert hazard.due_on == D(2024, 3, 20)  # the order's date, not 30 days
    clock = Clock.objects.get(matter=hazard, limit="safety.rectify")
    assert clock.due_on == D(2024, 3, 20) and "安全生产法" in clock.basis
    act(hazard, "rectify", staff, D(2024, 3, 25), result="已整改")
    late = Clock.objects.get(matter=hazard, limit="safety.rectify")
    assert late.answered_on == D(2024, 3, 25) and late.in_time is False
    hazard.refresh_from_db()
    assert hazard.state == "rectified" and hazard.due_on is not None  # the re-inspection's


def test_a_failed_reinspection_orders_a_new_date_and_keeps_the_old_clock(district, users):
    b, staff = district["b"], users["staff_b"]
    _round(b)
    hazard = _hazard(b, staff)
    act(hazard, "order_rectification", staff, D(2024, 3, 5), rectify_by="2024-03-20")
    act(hazard, "rectify", staff, D(2024, 3, 18), result="已整改")
    act(
        hazard,
        "fail_verification",
        staff,
        D(2024, 3, 22),
        rectify_by="2024-04-10",
        reason="通道仍有堆放",
    )
    hazard.refresh_from_db()
    assert hazard.state == "ordered" and hazard.due_on == D(2024, 4, 10)
    clocks = list(Clock.objects.filter(matter=hazard, limit="safety.rectify").order_by("seq"))
    assert [(c.due_on, c.in_time) for c in clocks] == [
        (D(2024, 3, 20), True),
        (D(2024, 4, 10), None),
    ]


def test_an_order_dated_before_itself_is_refused(district, users):
    b, staff = district["b"], users["staff_b"]
    _round(b)
    hazard = _hazard(b, staff)
    with pytest.raises(InvalidTransition, match="早于责令整改之日"):
        act(hazard, "order_rectification", staff, D(2024, 3, 5), rectify_by="2024-03-01")


def test_a_hazard_names_an_inspection_that_exists(district, users):
    b, staff = district["b"], users["staff_b"]
    with pytest.raises(InvalidData, match="没有编号为“AJ-9”的安全生产执法检查"):
        _hazard(b, staff, inspection="AJ-9")


def test_a_hazard_is_not_found_before_its_inspection(district, users):
    b, staff = district["b"], users["staff_b"]
    _round(b, on=D(2024, 3, 4))
    with pytest.raises(InvalidData, match="早于检查"):
        _hazard(b, staff, on=D(2024, 3, 1))


def test_a_hazard_cannot_name_another_departments_inspection(district, users):
    _round(district["a"], reference="AJ-A")
    with pytest.raises(InvalidData, match="不是本单位"):
        _hazard(district["b"], users["admin"], inspection="AJ-A")


def test_the_indicators_count_activities_and_hazards(district, users):
    b, staff, root = district["b"], users["staff_b"], district["root"]
    for i, n in enumerate((120, 95)):
        record_activity(
            "safety_training", org=b, on=D(2024, 5, 1 + i), title="培训", figures={"attendees": n}
        )
    record_activity("safety_campaign", org=root, on=D(2024, 1, 8), title="百日攻坚")
    _round(b, "AJ-1", inspectors=6, units=15, hazards=2)
    _round(b, "AJ-2", on=D(2024, 4, 1), inspectors=3, units=7, hazards=0)
    first = _hazard(b, staff)
    second = _hazard(b, staff, level="major")
    act(first, "rectify", staff, D(2024, 3, 4), result="当场整改")
    act(first, "verify", staff, D(2024, 3, 6))
    act(second, "order_rectification", staff, D(2024, 3, 5), rectify_by="2024-03-10")
    values = compute_indicators(root, 2024).values
    assert values["safety.trainings"] == 2
    assert values["safety.training_attendance"] == 215
    assert values["safety.campaigns"] == 1
    assert values["safety.inspector_person_times"] == 9
    assert values["safety.units_inspected"] == 22
    assert values["safety.hazards_found"] == 2
    assert values["safety.hazards_major"] == 1
    assert values["safety.hazards_rectified"] == 1
    assert values["safety.rectification_rate"] == Decimal(50)
    # the major hazard's order passed its date unrectified: it counts against the timely rate
    assert values["safety.rectification_timely_rate"] == Decimal(0)
    result = compute_indicators(root, 2024)
    assert not [c for c in result.failures if c.rule.startswith("safety.")]
    # drill-down: the records behind the hazards figure are the two matters
    records = drill_down("safety.hazards_found", root, 2024)
    assert {m.pk for m in records} == {first.pk, second.pk}


def test_a_round_whose_hazards_were_not_all_recorded_fails_the_check(district, users):
    b, staff, root = district["b"], users["staff_b"], district["root"]
    _round(b, hazards=3)
    _hazard(b, staff)
    failures = compute_indicators(root, 2024).failures
    assert [c.rule for c in failures if c.rule.startswith("safety.")] == [
        "safety.hazards_match_inspections"
    ]


def _direct(org, code=CODE):
    return save_entry(
        DirectEnterprise,
        {
            "org": org,
            "name": "四平市铁西区某化工有限公司",
            "credit_code": code,
            "valid_from": D(2023, 1, 1),
        },
        by=None,
    )


def test_direct_enterprises_inspection_and_publicity_rates(district, users):
    b = district["b"]
    _direct(b)
    other = _direct(b, "91220302MA17000027")
    cover = direct.coverage(district["root"], 2024)
    assert (cover.enterprises, cover.inspected, cover.inspection_rate) == (2, 0, Decimal(0))
    assert cover.publicity_rate is None  # no inspection: "—", not 0% nor 100%
    _round(b, "AJ-1", enterprise=CODE, public=True)
    _round(b, "AJ-2", on=D(2024, 5, 1), enterprise=other.credit_code)
    cover = direct.coverage(district["root"], 2024)
    assert cover.inspection_rate == Decimal(100)
    assert cover.publicity_rate == Decimal(50)
    assert cover.not_inspected == []


def test_a_direct_enterprise_needs_a_valid_credit_code(district):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _direct(district["b"], "91220302MA17000010")


def test_the_public_list_shows_only_published_inspections(district, users, client):
    b, staff = district["b"], users["staff_b"]
    _direct(b)
    _round(b, "AJ-1", enterprise=CODE, public=True)
    _round(b, "AJ-2", on=D(2024, 5, 1), enterprise=CODE)  # not made public
    hazard = _hazard(b, staff)
    act(hazard, "rectify", staff, D(2024, 3, 4), result="当场整改")
    act(hazard, "verify", staff, D(2024, 3, 6))
    response = client.get(reverse("safety:public"), {"year": 2024})
    assert response.status_code == 200
    items = list(response.context["page"].object_list)
    assert [(i.credit_code, i.hazards, i.verified) for i in items] == [(CODE, 1, 1)]
    assert client.get(reverse("safety:public"), {"year": "x"}).status_code == 200


def test_the_staff_pages_keep_to_the_users_scope(district, users, client):
    b = district["b"]
    found = _round(b)
    _hazard(b, users["staff_b"])
    client.force_login(users["staff_b"])
    assert client.get(reverse("safety:home"), {"year": 2024}).status_code == 200
    page = client.get(reverse("safety:inspection", args=[found.pk]))
    assert page.status_code == 200 and len(page.context["page"].object_list) == 1
    client.force_login(users["staff_a"])
    assert client.get(reverse("safety:inspection", args=[found.pk])).status_code == 404
    home = client.get(reverse("safety:home"), {"year": 2024})
    assert home.status_code == 200 and list(home.context["rows"]) == []
