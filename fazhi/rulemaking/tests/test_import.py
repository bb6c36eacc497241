"""An imported year of documents and decisions: the catalog's figures computed by the engine
equal an independent count of the same lines (chinesecalendar for the filing limit)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from fazhi.indicators.engine import compute_indicators
from fazhi.procedures.importing import import_records
from fazhi.rulemaking.tests.generate import decisions, documents, expected

pytestmark = pytest.mark.django_db

Y = 2024
TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize("seed", [1, 2])
def test_an_imported_year_counts_as_the_lines_say(district, seed):
    rng = random.Random(seed)
    orgs = [district["a"].name, district["b"].name]
    records = [*documents(rng, Y, 160, orgs, TODAY), *decisions(rng, Y, 60, orgs, TODAY)]
    report = import_records(
        ((i, r, None) for i, r in enumerate(records, start=1)), name="生成的年度", fmt="jsonl"
    )
    assert report.committed, [str(e) for e in report.errors[:5]]
    assert report.created == len(records)
    for as_of in (dt.date(Y, 12, 31), dt.date(Y, 7, 15)):
        want = expected(records, Y, as_of)
        for source in ("tally", "base"):
            got = compute_indicators(district["root"], Y, as_of, source=source).values
            assert {code: got[code] for code in want} == want, (as_of, source)
    # the sample has every case: late, not filed and published ones
    year_end = expected(records, Y, dt.date(Y, 12, 31))
    assert all(year_end[c] > 0 for c in year_end), year_end
