"""The demo year's petitions give part 六's petition figures of the seed report, computed."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core import demo as core_demo
from fazhi.disputes import demo
from fazhi.indicators.engine import compute_indicators, drill_down
from fazhi.procedures.models import Matter, MatterLink

pytestmark = pytest.mark.django_db

SEED = {
    "petition.office_timely_rate": Decimal(100),
    "petition.handler_timely_rate": Decimal(100),
    "petition.to_reconsideration": 1,
    "petition.to_mediation": 222,
    "petition.first_resolution_rate": Decimal("94.16"),
}


def test_the_demo_year_reproduces_the_seed_figures():
    root = core_demo.build_district()
    core_demo.build_users(root)
    summary = demo.build(root, 2024)
    assert "信访事项" in summary
    result = compute_indicators(root, 2024, dt.date(2024, 12, 31), source="base")
    assert {code: result.values[code] for code in SEED} == SEED
    assert result.values["reconsideration.received"] == 19  # the diversion opened no other
    assert not [f for f in result.failures if f.code.startswith("petition")]
    # drill-down: the records behind each figure
    assert drill_down("petition.to_mediation", root, 2024).count() == 222
    assert drill_down("petition.first_resolution_rate", root, 2024).count() == 129
    den = drill_down("petition.first_resolution_rate", root, 2024, part="denominator")
    assert den.count() == 137
    [diverted] = drill_down("petition.to_reconsideration", root, 2024)
    link = MatterLink.objects.get(source=diverted, kind="diverted_to")
    assert link.target.procedure == "reconsideration"
    assert MatterLink.objects.filter(kind="repeat_of").count() == 5
    # building again adds nothing
    before = Matter.objects.of("petition").count()
    demo.build(root, 2024)
    assert Matter.objects.of("petition").count() == before
