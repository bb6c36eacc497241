"""record_activities: many activities validated as record_activity validates one, written in
bulk with one audit event each, all or nothing."""

import datetime as dt

import pytest

from fazhi.core.models import AuditEvent
from fazhi.procedures.activities import NewActivity, record_activities, record_activity
from fazhi.procedures.errors import DuplicateMatter, InvalidData, InvalidDate, NotAllowed
from fazhi.procedures.models import Activity

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)


def screening(org, on, ref="", found=1, **kw):
    return NewActivity(
        "dispute_screening",
        org=org,
        on=on,
        title=f"排查{ref}",
        figures={"found": found, "resolved": found},
        reference=ref,
        **kw,
    )


def test_bulk_rows_and_events_match_one_at_a_time(district, users):
    a = district["a"]
    one = record_activity(
        "dispute_screening",
        org=a,
        on=D(2024, 3, 1),
        title="排查S1",
        figures={"found": 1, "resolved": 1},
        reference="S1",
        by=users["staff_a"],
        today=TODAY,
    )
    many = record_activities(
        [screening(a, D(2024, 3, 1), "S2"), screening(a, D(2024, 4, 1), "S3", found=0)],
        by=users["staff_a"],
        today=TODAY,
    )
    assert all(m.pk for m in many)
    fields = ("kind", "on", "org_id", "figures", "created_by_id")
    rows = {a.reference: a for a in Activity.objects.all()}
    assert [getattr(rows["S2"], f) for f in fields] == [getattr(one, f) for f in fields]
    assert rows["S3"].figures == {"found": 0, "resolved": 0}
    events = {e.object_id: e for e in AuditEvent.objects.filter(action="activity.record")}
    assert set(events) == {str(one.pk), *(str(m.pk) for m in many)}
    first, bulk = events[str(one.pk)], events[str(many[0].pk)]
    for f in ("actor_id", "actor_label", "object_type", "org_id", "data"):
        assert getattr(bulk, f) == getattr(first, f), f


def test_one_bad_item_refuses_all_and_names_its_position(district, users):
    a = district["a"]
    items = [screening(a, D(2024, 3, 1)), screening(a, D(2025, 7, 1))]
    with pytest.raises(InvalidDate, match=r"^第2项：日期 2025-07-01 晚于今天"):
        record_activities(items, today=TODAY)
    bad = NewActivity("dispute_screening", org=a, on=D(2024, 1, 1), title="x", figures={"x": 1})
    with pytest.raises(InvalidData, match=r"^第1项："):
        record_activities([bad], today=TODAY)
    with pytest.raises(NotAllowed):
        record_activities([screening(district["b"], D(2024, 3, 1))], by=users["staff_a"])
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action="activity.record").exists()


def test_references_are_unique_within_the_batch_and_against_stored(district):
    a = district["a"]
    record_activities([screening(a, D(2024, 3, 1), "S1")], today=TODAY)
    with pytest.raises(DuplicateMatter, match="“S2”重复"):
        record_activities(
            [screening(a, D(2024, 3, 1), "S2"), screening(a, D(2024, 3, 2), "S2")], today=TODAY
        )
    with pytest.raises(DuplicateMatter, match="“S1”已存在"):
        record_activities([screening(a, D(2024, 3, 1), "S9"), screening(a, D(2024, 3, 2), "S1")])
    assert list(Activity.objects.values_list("reference", flat=True)) == ["S1"]
