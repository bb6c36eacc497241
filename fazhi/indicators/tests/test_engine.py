"""Indicator values built by hand through the engine (make_matter + act, record_activity)."""

import datetime as dt
from dataclasses import astuple
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.core import clock
from fazhi.core.models import OrgKind
from fazhi.core.tests.factories import OrgUnitFactory
from fazhi.indicators.engine import (
    IndicatorError,
    check_values,
    compute_by_unit,
    compute_indicators,
    drill_down,
    rate,
)
from fazhi.indicators.engine.conditional import query_families
from fazhi.indicators.models import StateTally
from fazhi.indicators.registry import (
    Entries,
    Matters,
    Steps,
    Timely,
    all_indicators,
    get_indicator,
)
from fazhi.indicators.rollup import rebuild, tally_differences
from fazhi.indicators.sources import maintain
from fazhi.indicators.sources.keys import is_tallied
from fazhi.procedures.activities import record_activity
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)
Y = 2024


def do(matter, action, user, on, **data):
    if action == "rate":  # the submitter's alone (#19 defect 2)
        return act(matter, action, None, on, public=True, today=TODAY, **data)
    return act(matter, action, user, on, today=TODAY, **data)


def complaint(org, user, received, *steps):
    """A business complaint received on ``received`` with (action, date, data) steps."""
    m = make_matter("business_complaint", org, user, received, today=TODAY)
    for action, on, data in steps:
        do(m, action, user, on, **data)
    return m


def both(org, year=Y, as_of=None):
    """Compute from the tally and from the base tables; they must agree, and the tally must
    hold exactly what the base tables say."""
    fast = compute_indicators(org, year, as_of)
    base = compute_indicators(org, year, as_of, source="base")
    assert fast.values == base.values
    assert tally_differences()[1] == []
    return fast.values


@pytest.fixture
def complaints(district, users):
    a, s = district["a"], users["staff_a"]
    refused = complaint(
        a, s, D(2024, 1, 5), ("refuse", D(2024, 1, 8), {"reason": "不属于受理范围"})
    )
    concluded = complaint(
        a,
        s,
        D(2024, 2, 1),
        ("accept", D(2024, 2, 2), {}),
        ("conclude", D(2024, 2, 20), {"result": "已解决"}),
        ("rate", D(2024, 2, 25), {"satisfaction": "satisfied"}),
    )
    # concluded after the cut-off: in progress for 2024
    late = complaint(
        a,
        s,
        D(2024, 12, 20),
        ("accept", D(2024, 12, 23), {}),
        ("conclude", D(2025, 1, 10), {"result": "已解决"}),
    )
    untriaged = complaint(a, s, D(2024, 12, 30))
    last_year = complaint(a, s, D(2023, 12, 29), ("accept", D(2024, 1, 2), {}))
    return {
        "refused": refused,
        "concluded": concluded,
        "late": late,
        "untriaged": untriaged,
        "last_year": last_year,
    }


def test_complaint_counts_follow_cohort_and_as_of(district, complaints):
    v = both(district["root"])
    assert v["business_complaint.received"] == 4  # last year's is not in the 2024 cohort
    assert v["business_complaint.out_of_scope"] == 1
    assert v["business_complaint.in_scope"] == 2
    assert v["business_complaint.concluded"] == 1
    assert v["business_complaint.in_progress"] == 1  # concluded 2025-01-10, after the cut-off
    assert v["business_complaint.satisfaction_rate"] == Decimal("100.00")


def test_a_later_cut_off_sees_the_later_conclusion(district, complaints):
    v = both(district["root"], as_of=D(2025, 3, 1))
    assert v["business_complaint.concluded"] == 2
    assert v["business_complaint.in_progress"] == 0
    # concluded but not rated: the rate's denominator is the rated ones only
    assert v["business_complaint.satisfaction_rate"] == Decimal("100.00")


def test_an_early_cut_off_excludes_later_receipts_and_steps(district, complaints):
    v = both(district["root"], as_of=D(2024, 2, 10))
    assert v["business_complaint.received"] == 2
    assert v["business_complaint.in_scope"] == 1
    assert v["business_complaint.concluded"] == 0
    assert v["business_complaint.satisfaction_rate"] is None  # nothing rated yet: "—"


def test_a_step_on_the_cut_off_counts(district, complaints):
    v = both(district["root"], as_of=D(2024, 2, 20))
    assert v["business_complaint.concluded"] == 1


def test_rating_changed_after_the_cut_off_does_not_count(district, users, complaints):
    m = complaints["concluded"]
    do(m, "rate", None, D(2025, 1, 5), satisfaction="dissatisfied")
    assert both(district["root"])["business_complaint.satisfaction_rate"] == Decimal("100.00")
    later = both(district["root"], as_of=D(2025, 2, 1))
    assert later["business_complaint.satisfaction_rate"] == Decimal("0.00")


def test_reopened_matter_is_in_progress_until_concluded_again(district, users, complaints):
    m, s = complaints["concluded"], users["staff_a"]
    do(m, "rate", s, D(2024, 3, 1), satisfaction="dissatisfied")
    do(m, "reopen", s, D(2024, 3, 2), reason="群众不满意")
    v = both(district["root"], as_of=D(2024, 6, 30))
    assert v["business_complaint.concluded"] == 0
    assert v["business_complaint.in_progress"] == 1
    assert v["business_complaint.satisfaction_rate"] is None  # rated, but not concluded now
    before = both(district["root"], as_of=D(2024, 3, 1))
    assert before["business_complaint.concluded"] == 1
    assert before["business_complaint.satisfaction_rate"] == Decimal("0.00")
    do(m, "conclude", s, D(2024, 7, 1), result="重新办结")
    do(m, "rate", s, D(2024, 7, 2), satisfaction="basically_satisfied")
    v = both(district["root"])
    assert v["business_complaint.concluded"] == 1
    assert v["business_complaint.satisfaction_rate"] == Decimal("100.00")


def test_scope_excludes_other_units(district, users, complaints):
    complaint(district["b"], users["staff_b"], D(2024, 5, 5))
    assert both(district["a"])["business_complaint.received"] == 4
    assert both(district["b"])["business_complaint.received"] == 1
    assert both(district["root"])["business_complaint.received"] == 5
    assert both(district["street"])["business_complaint.received"] == 0


def test_transferred_matter_counts_for_its_new_unit(district, users):
    m = complaint(district["a"], users["staff_a"], D(2024, 5, 5))
    do(m, "transfer", users["office"], D(2024, 5, 6), to_org=str(district["b"].pk), reason="职责")
    assert both(district["a"])["business_complaint.received"] == 0
    assert both(district["b"])["business_complaint.received"] == 1


def test_rate_rounds_to_two_decimals_and_zero_denominator_is_none():
    assert rate(1, 3) == Decimal("33.33")
    assert rate(2, 3) == Decimal("66.67")
    assert rate(0, 0) is None
    assert rate(5, 5) == Decimal("100.00")


def test_reconsideration_counts(district, users):
    a, s = district["a"], users["staff_a"]
    ok = make_matter("reconsideration", a, s, D(2024, 3, 4), today=TODAY)
    do(ok, "accept", s, D(2024, 3, 5))
    do(ok, "decide", s, D(2024, 4, 1), outcome="upheld")
    open_ = make_matter("reconsideration", a, s, D(2024, 11, 4), today=TODAY)
    do(open_, "accept", s, D(2024, 11, 5))
    no = make_matter("reconsideration", a, s, D(2024, 5, 6), today=TODAY)
    do(no, "refuse", s, D(2024, 5, 7), reason="超过期限")
    lapsed = make_matter("reconsideration", a, s, D(2024, 6, 3), today=TODAY)
    do(lapsed, "request_correction", s, D(2024, 6, 4), items="补交材料")
    do(lapsed, "lapse", s, D(2024, 6, 25))
    make_matter("reconsideration", a, s, D(2024, 12, 30), today=TODAY)  # not reviewed yet
    v = both(district["root"])
    assert v["reconsideration.received"] == 5
    assert v["reconsideration.accepted"] == 2
    assert v["reconsideration.rejected"] == 1
    assert v["reconsideration.not_corrected"] == 1
    assert v["reconsideration.concluded"] == 1


def test_mailbox_reply_rate(district, users):
    a, s = district["a"], users["staff_a"]
    for day in (1, 2, 3):
        m = make_matter("mailbox_letter", a, s, D(2024, 4, day), today=TODAY)
        if day < 3:
            do(m, "reply", s, D(2024, 4, 10), reply="已答复")
    v = both(district["root"])
    assert v["mailbox_letter.received"] == 3
    assert v["mailbox_letter.reply_rate"] == Decimal("66.67")
    assert both(district["b"])["mailbox_letter.reply_rate"] is None


def test_help_request_additions(district, users):
    a, s = district["a"], users["staff_a"]
    m = make_matter("help_request", a, s, D(2024, 4, 1), today=TODAY)
    do(m, "accept", s, D(2024, 4, 1))
    do(m, "conclude", s, D(2024, 4, 3), result="办好了")
    do(m, "rate", s, D(2024, 4, 4), satisfaction="dissatisfied")
    v = both(district["root"])
    assert v["help_request.received"] == 1
    assert v["help_request.concluded"] == 1
    assert v["help_request.satisfaction_rate"] == Decimal("0.00")
    assert get_indicator("help_request.received").addition


def record(kind, org, on, ref, **figures):
    with clock.frozen(TODAY):
        return record_activity(
            kind, org=org, on=on, title=f"{kind} {ref}", figures=figures, reference=ref
        )


def test_activities_count_by_their_own_date(district):
    a, b = district["a"], district["b"]
    record("dispute_screening", a, D(2024, 3, 1), "S1", found=3, resolved=2)
    record("dispute_screening", b, D(2024, 9, 1), "S2", found=1, resolved=1)
    record("dispute_screening", a, D(2024, 2, 1), "S3", found=0)
    record("dispute_screening", a, D(2023, 12, 31), "S0", found=5, resolved=5)
    record("field_supervision", a, D(2024, 5, 1), "F1")
    record("field_supervision", a, D(2025, 1, 2), "F2")
    v = both(district["root"])
    assert v["dispute_screening.screenings"] == 3
    assert v["dispute_screening.reported"] == 4  # the rounds' own figures
    assert v["dispute_screening.found"] == 0  # no dispute matter registered (fazhi/disputes)
    assert v["supervision.field_inspections"] == 1
    assert both(district["a"])["dispute_screening.reported"] == 3
    assert both(district["root"], as_of=D(2024, 6, 30))["dispute_screening.screenings"] == 2


def test_internal_units_per_township_and_street(district):
    t1 = OrgUnitFactory(name="甲乡", parent=district["root"], kind=OrgKind.TOWNSHIP)
    t2 = OrgUnitFactory(name="乙乡", parent=district["root"], kind=OrgKind.TOWNSHIP)
    for i in range(3):
        OrgUnitFactory(name=f"甲乡办{i}", parent=t1, kind=OrgKind.INTERNAL)
    for i in range(2):
        OrgUnitFactory(name=f"乙乡办{i}", parent=t2, kind=OrgKind.INTERNAL)
    OrgUnitFactory(name="已撤销办", parent=t2, kind=OrgKind.INTERNAL, is_active=False)
    for i in range(6):
        OrgUnitFactory(name=f"街道办{i}", parent=district["street"], kind=OrgKind.INTERNAL)
    v = both(district["root"])
    assert v["org.township_internal_units"] == 3  # not uniform: the largest
    assert v["org.street_internal_units"] == 6
    assert both(t2)["org.township_internal_units"] == 2
    assert both(district["a"])["org.township_internal_units"] is None  # no township in scope
    assert drill_down("org.street_internal_units", district["root"], Y).count() == 6


def test_pending_indicators_are_none_with_a_reason(district, pending_code):
    v = compute_indicators(district["root"], Y).values
    pending = [i for i in all_indicators() if i.is_pending]  # none once every domain is in
    for ind in pending:
        assert v[ind.code] is None
        assert "尚未建立" in ind.pending
    assert pending_code in v and get_indicator(pending_code).is_pending


def test_every_catalog_code_is_registered(district):
    codes = {i.code for i in all_indicators()}
    for code in (
        "business_complaint.satisfaction_rate",
        "reconsideration.not_corrected",
        "mailbox_letter.reply_rate",
        "dispute_screening.resolved",
        "supervision.field_inspections",
        "org.street_internal_units",
        "key_task.completion_rate",
        "petition.first_resolution_rate",
    ):
        assert code in codes


def test_drill_down_lists_exactly_the_records(district, users, complaints):
    root = district["root"]
    v = compute_indicators(root, Y).values
    for code in (
        "business_complaint.received",
        "business_complaint.in_scope",
        "business_complaint.out_of_scope",
        "business_complaint.concluded",
        "business_complaint.in_progress",
    ):
        assert drill_down(code, root, Y).count() == v[code], code
    assert set(drill_down("business_complaint.in_progress", root, Y)) == {complaints["late"]}
    num = set(drill_down("business_complaint.satisfaction_rate", root, Y))
    den = set(drill_down("business_complaint.satisfaction_rate", root, Y, part="denominator"))
    assert num <= den
    assert num == {complaints["concluded"]}
    assert complaints["last_year"] not in set(drill_down("business_complaint.received", root, Y))


def test_drill_down_refuses_bad_requests(district, pending_code):
    root = district["root"]
    with pytest.raises(IndicatorError, match="没有分母"):
        drill_down("business_complaint.received", root, Y, part="denominator")
    with pytest.raises(IndicatorError, match="尚未计算"):
        drill_down(pending_code, root, Y)
    with pytest.raises(IndicatorError, match="未知"):
        drill_down("no.such", root, Y)
    with pytest.raises(IndicatorError, match="早于"):
        compute_indicators(root, Y, D(2023, 12, 31))
    with pytest.raises(IndicatorError, match="年度"):
        compute_indicators(root, 1899)


def test_consistency_checks_fire_when_broken():
    broken = {
        "business_complaint.received": 3,
        "business_complaint.in_scope": 2,
        "business_complaint.out_of_scope": 2,
        "business_complaint.concluded": 1,
        "business_complaint.in_progress": 0,
        "reconsideration.received": 1,
        "reconsideration.accepted": 1,
        "reconsideration.rejected": 1,
        "reconsideration.not_corrected": 0,
        "mailbox_letter.reply_rate": Decimal("120.00"),
        "dispute_screening.found": 1,
        "dispute_screening.resolved": 2,
    }
    failed = {c.rule for c in check_values(broken) if not c.ok}
    assert failed == {
        "business_complaint.triage",
        "business_complaint.progress",
        "reconsideration.review",
        "mailbox_letter.reply_rate.range",
        "dispute_screening.resolved",
    }


def test_checks_pass_on_real_data_and_failures_reach_json(district, complaints):
    result = compute_indicators(district["root"], Y)
    assert result.checks and all(c.ok for c in result.checks)
    assert result.as_json()["checks"] == []
    record("dispute_screening", district["a"], D(2024, 3, 1), "X", found=1)
    failing = compute_indicators(district["root"], Y).as_json()["checks"]
    assert [c["rule"] for c in failing] == ["dispute_screening.registered"]


def test_as_json_shape(district, complaints, pending_code):
    data = compute_indicators(district["root"], Y).as_json()
    assert set(data) == {"org", "year", "as_of", "values", "checks"}
    assert data["org"] == "220302"
    assert data["as_of"] == "2024-12-31"
    assert data["values"]["business_complaint.received"] == 4
    assert isinstance(data["values"]["business_complaint.received"], int)
    assert data["values"]["business_complaint.satisfaction_rate"] == 100.0
    assert data["values"][pending_code] is None


def test_by_unit_splits_the_scope(district, users, complaints):
    complaint(district["b"], users["staff_b"], D(2024, 5, 5))
    rows = {u.unit.pk: u for u in compute_by_unit(district["root"], Y)}
    assert rows[district["a"].pk].values["business_complaint.received"] == 4
    assert rows[district["b"].pk].values["business_complaint.received"] == 1
    assert rows[district["root"].pk].own
    assert rows[district["root"].pk].values["business_complaint.received"] == 0


def test_query_count_is_bounded(district, users):
    """A fixed number of grouped queries whatever the number of matters and units: the tally
    or base query, the activities, one per family of conditional sources (a domain's
    ``Matters``) — the same for one unit as for six."""
    root = district["root"]

    def add_units(n, start):
        for i in range(start, start + n):
            unit = OrgUnitFactory(name=f"部门{i}", parent=root)
            complaint(unit, users["admin"], D(2024, 3, 1 + i), ("accept", D(2024, 3, 10), {}))
            make_matter("mailbox_letter", unit, users["admin"], D(2024, 4, 1), today=TODAY)
            record("field_supervision", unit, D(2024, 5, 1), f"Q{i}")

    def counts():
        out = []
        for call in (
            lambda: compute_indicators(root, Y),
            lambda: compute_indicators(root, Y, source="base"),
            lambda: compute_by_unit(root, Y),
        ):
            maintain.forget_built()  # each computation reads the list of built sources
            with CaptureQueriesContext(connection) as ctx:
                call()
            out.append(len(ctx.captured_queries))
        return out

    add_units(1, 0)
    one = counts()
    add_units(5, 1)
    assert counts() == one
    # the matters' (tally or base) query, activities, org bodies, the units listed by
    # compute_by_unit, and one per family of conditional sources the domains declare
    families = query_families(
        s
        for ind in all_indicators()
        for s in (ind.numerator, ind.denominator)
        if isinstance(s, Matters | Steps | Timely | Entries)
    )
    assert max(one) <= 4 + families, one
    # the conditional sources the tally keeps are one query in all, not one per family
    assert one[0] < one[1] and one[0] <= 6 + families - len(kept_families()), one


def kept_families() -> set[tuple[str, str, str]]:
    from fazhi.indicators.engine.conditional import _family

    return {
        astuple(_family(s))
        for ind in all_indicators()
        for s in (ind.numerator, ind.denominator)
        if is_tallied(s)
    }


def test_tally_matches_base_and_rebuilds(district, complaints):
    compared, bad = tally_differences()
    assert compared == StateTally.objects.exclude(n=0).count() > 0 and bad == []
    row = StateTally.objects.filter(org=district["a"], grain="month").exclude(n=0).first()
    StateTally.objects.filter(pk=row.pk).update(n=row.n + 2)
    assert tally_differences()[1] == [
        (row.grain, row.year, row.procedure, row.on, row.org_id, row.state, row.satisfaction)
    ]
    StateTally.objects.all().delete()
    assert rebuild() > 0
    assert tally_differences()[1] == []
    assert compute_indicators(district["root"], Y).values["business_complaint.in_progress"] == 1
