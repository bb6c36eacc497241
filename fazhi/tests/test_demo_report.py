"""The demo district's 2024 records, computed by the indicator engine, give the seed report's figures.

The demo data is generated through the engine (``fazhi demo``); the expected values are the
2024 report of Tiexi district (spec/indicators.md, "2024 seed"), for every indicator whose
procedure or activity kind exists.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from fazhi.core.models import OrgUnit
from fazhi.indicators.engine import compute_indicators

SEED_2024 = {
    "business_complaint.received": 12,
    "business_complaint.out_of_scope": 7,
    "business_complaint.in_scope": 5,
    "business_complaint.concluded": 3,
    "business_complaint.in_progress": 2,
    "business_complaint.satisfaction_rate": Decimal(100),
    "reconsideration.received": 19,
    "reconsideration.accepted": 16,
    "reconsideration.rejected": 2,
    "reconsideration.not_corrected": 1,
    "reconsideration.concluded": 16,
    "mailbox_letter.received": 16,
    "mailbox_letter.reply_rate": Decimal(100),
    "dispute_screening.screenings": 2666,
    "dispute_screening.found": 9,
    "dispute_screening.resolved": 9,
    "org.township_internal_units": 8,
    "org.street_internal_units": 6,
}


@pytest.mark.django_db
def test_demo_2024_reproduces_the_seed_report():
    call_command("demo", "--no-serve", stdout=io.StringIO())
    root = OrgUnit.objects.get(division_code="220302")
    for source in ("tally", "base"):
        result = compute_indicators(root, 2024, dt.date(2024, 12, 31), source=source)
        got = {code: result.values[code] for code in SEED_2024}
        assert got == SEED_2024, source
        assert result.failures == []
    # "60余" field inspections: the exact count is kept, the report rounds it
    assert 60 <= compute_indicators(root, 2024).values["supervision.field_inspections"] < 70
