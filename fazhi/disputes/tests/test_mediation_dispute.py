"""Mediation (调解) by venue with agreements and judicial confirmation, disputes found by
screening rounds (矛盾纠纷), and the mediation.* / dispute_screening.* indicators."""

import datetime as dt

import pytest

from fazhi.core import clock
from fazhi.indicators.engine import compute_indicators, drill_down
from fazhi.procedures.activities import record_activity
from fazhi.procedures.errors import InvalidData, InvalidDate, InvalidTransition, MissingData
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 6, 30)


def do(matter, action, user, on, **data):
    with clock.frozen(TODAY):
        return act(matter, action, user, on, today=TODAY, **data)


def values(district, year=2025, as_of=None, org=None):
    out = {}
    for source in ("tally", "base"):
        got = compute_indicators(org or district["root"], year, as_of, source=source)
        if out:
            assert got.values == out, "tally and base disagree"
        out = got.values
    return out


def mediation(district, users, on, venue=None, org="a"):
    details = {"venue": venue} if venue else {}
    user = users["staff_a"] if org == "a" else users["admin"]
    return make_matter("mediation", district[org], user, on, today=TODAY, details=details)


def test_mediation_walk_and_refusals(district, users):
    s = users["staff_a"]
    m = mediation(district, users, D(2025, 3, 3), "court")
    assert m.state == "received" and m.due_on is None  # no statutory limit
    with pytest.raises(InvalidTransition):
        do(m, "confirm", s, D(2025, 3, 5), court="区法院")  # no agreement yet
    with pytest.raises(MissingData):
        do(m, "agree", s, D(2025, 3, 5))
    do(m, "agree", s, D(2025, 3, 5), agreement="赔偿2000元")
    assert m.state == "agreed" and m.closed_on == D(2025, 3, 5) and m.outcome == "agreed"
    with pytest.raises(InvalidTransition):
        do(m, "fail", s, D(2025, 3, 6))
    with pytest.raises(InvalidDate):
        do(m, "confirm", s, D(2025, 3, 4), court="区法院")  # before the agreement
    do(m, "confirm", s, D(2025, 3, 20), court="区法院", ruling_number="（2025）吉0302民特1号")
    assert m.state == "confirmed" and m.outcome == "confirmed"
    f = mediation(district, users, D(2025, 3, 3), "police_station")
    do(f, "fail", s, D(2025, 3, 4), guidance="可以向人民法院起诉")
    assert f.state == "failed"
    with pytest.raises(InvalidData):
        mediation(district, users, D(2025, 3, 3), "temple")


def test_mediation_indicators_by_venue(district, users):
    s = users["staff_a"]
    for venue, n in (("police_station", 3), ("court", 2), ("people", 1), ("other", 1)):
        for _ in range(n):
            mediation(district, users, D(2025, 5, 5), venue)
    mediation(district, users, D(2025, 5, 5))  # no venue (opened by a petition): people's
    mediation(district, users, D(2024, 12, 30), "court")  # last year's
    mediation(district, users, D(2025, 5, 5), "court", org="b")  # another unit
    agreed = mediation(district, users, D(2025, 6, 1), "court")
    do(agreed, "agree", s, D(2025, 6, 2), agreement="和解")
    do(agreed, "confirm", s, D(2026, 1, 5), court="区法院")  # after the cut-off
    v = values(district)
    assert v["mediation.police_station"] == 3
    assert v["mediation.court"] == 4
    assert v["mediation.people"] == 2
    assert v["mediation.other"] == 1
    assert v["mediation.cases"] == 10
    assert v["mediation.agreed"] == 1
    assert v["mediation.judicial_confirmation"] == 0
    assert values(district, as_of=None, org=district["a"])["mediation.court"] == 3
    assert drill_down("mediation.court", district["root"], 2025).count() == 4
    with clock.frozen(D(2026, 1, 10)):
        assert (
            compute_indicators(district["root"], 2025, D(2026, 1, 10)).values[
                "mediation.judicial_confirmation"
            ]
            == 1
        )
    result = compute_indicators(district["root"], 2025)
    by_venue = next(c for c in result.checks if c.rule == "mediation.by_venue")
    assert by_venue.ok and "调解案件 10" in by_venue.detail


def screening(district, on, ref, org="street", found=1):
    with clock.frozen(TODAY):
        return record_activity(
            "dispute_screening",
            org=district[org],
            on=on,
            title=f"排查{ref}",
            figures={"found": found},
            reference=ref,
        )


def dispute(district, users, on, ref, org="street"):
    return make_matter(
        "dispute", district[org], users["admin"], on, today=TODAY, details={"screening": ref}
    )


def test_disputes_name_a_round_they_can_have_been_found_by(district, users):
    screening(district, D(2025, 4, 1), "PC-1")
    screening(district, D(2025, 12, 30), "PC-2", org="a")
    with pytest.raises(InvalidData, match="找不到编号为“PC-9”"):
        dispute(district, users, D(2025, 4, 1), "PC-9")
    with pytest.raises(InvalidData, match="排查日期"):
        dispute(district, users, D(2025, 3, 31), "PC-1")  # before the round
    with pytest.raises(InvalidData, match="同一年度"):
        dispute(district, users, D(2026, 1, 2), "PC-2", org="a")  # another year
    with pytest.raises(InvalidData, match="下属单位"):
        dispute(district, users, D(2025, 4, 2), "PC-1", org="b")
    with pytest.raises(MissingData):
        make_matter("dispute", district["street"], users["admin"], D(2025, 4, 1), today=TODAY)
    d = dispute(district, users, D(2025, 4, 2), "PC-1")
    assert d.state == "received" and d.reference.startswith("JF-2025-")


def test_dispute_walk_and_screening_indicators(district, users):
    admin = users["admin"]
    screening(district, D(2025, 4, 1), "PC-1", found=2)
    screening(district, D(2025, 6, 1), "PC-2", found=1)
    screening(district, D(2025, 7, 1), "PC-3", found=0)
    a = dispute(district, users, D(2025, 4, 1), "PC-1")
    b = dispute(district, users, D(2025, 4, 3), "PC-1")
    c = dispute(district, users, D(2025, 6, 1), "PC-2")
    do(a, "resolve", admin, D(2025, 4, 10), method="调解")
    with pytest.raises(MissingData):
        do(b, "escalate", admin, D(2025, 4, 5))
    do(b, "escalate", admin, D(2025, 4, 5), to="区司法局")
    assert b.state == "escalated" and b.closed_on is None
    do(b, "resolve", admin, D(2026, 1, 5))  # after the cut-off
    with pytest.raises(InvalidTransition):
        do(a, "escalate", admin, D(2025, 4, 12), to="区司法局")
    v = values(district)
    assert v["dispute_screening.screenings"] == 3
    assert v["dispute_screening.found"] == 3
    assert v["dispute_screening.resolved"] == 1
    assert v["dispute_screening.reported"] == 3
    assert {m.pk for m in drill_down("dispute_screening.found", district["root"], 2025)} == {
        a.pk,
        b.pk,
        c.pk,
    }
    assert [m.pk for m in drill_down("dispute_screening.resolved", district["root"], 2025)] == [
        a.pk
    ]
    result = compute_indicators(district["root"], 2025)
    assert all(c.ok for c in result.checks)
    screening(district, D(2025, 8, 1), "PC-4", found=1)  # reported, not registered
    failing = compute_indicators(district["root"], 2025).as_json()["checks"]
    assert [c["rule"] for c in failing] == ["dispute_screening.registered"]
