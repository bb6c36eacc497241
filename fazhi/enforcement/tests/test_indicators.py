"""An imported year of enforcement decisions, made by this test's own generator, gives the
indicators the same figures as this test's own count of the lines it wrote."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from fazhi.core.registers import save_entry
from fazhi.enforcement.models import EnforcementOfficer
from fazhi.enforcement.types import ACTION_TYPES
from fazhi.indicators.engine import check_values, evaluate, gather, period_of, source_records
from fazhi.indicators.registry import all_indicators, get_indicator
from fazhi.procedures.importing import import_records

pytestmark = pytest.mark.django_db

D = dt.date
Y = 2024
TODAY = D(2025, 3, 31)
CUTOFF = D(Y, 12, 31)


def generate(org_ids, rng, n=400):
    """Lines of decisions and what they should count: by type, published by the cut-off,
    withdrawn by the cut-off — counted here, not by the platform."""
    lines, expected = [], Counter()
    for i in range(1, n + 1):
        kind = rng.choice([k for k, _ in ACTION_TYPES])
        year = rng.choice([Y - 1, Y, Y, Y, Y + 1])
        decided = D(year, 1, 2) + dt.timedelta(days=rng.randrange(340))
        if decided > TODAY:
            decided = TODAY - dt.timedelta(days=30)
        steps = []
        published = decided + dt.timedelta(days=rng.randint(1, 40))
        if rng.random() < 0.85 and published <= TODAY:
            steps.append({"action": "publish", "on": published.isoformat()})
            if rng.random() < 0.1:
                changed = published + dt.timedelta(days=3)
                gone = changed + dt.timedelta(days=1)
                if gone <= TODAY:
                    steps.append(
                        {
                            "action": "mark_changed",
                            "on": changed.isoformat(),
                            "data": {"change": "revoked"},
                        }
                    )
                    steps.append(
                        {"action": "withdraw", "on": gone.isoformat(), "data": {"reason": "撤销"}}
                    )
                    if decided.year == Y and gone <= CUTOFF:
                        expected["withdrawn"] += 1
            if decided.year == Y and published <= CUTOFF:
                expected["published"] += 1
        if decided.year == Y:
            expected["decisions"] += 1
            expected[f"decisions.{kind}"] += 1
        lines.append(
            {
                "procedure": "enforcement_decision",
                "reference": f"ZF-T-{i:05d}",
                "org": rng.choice(org_ids),
                "received_on": decided.isoformat(),
                "subject": f"决定{i}",
                "party": {"name": f"某某公司{i}", "kind": "organisation"},
                "details": {
                    "action_type": kind,
                    "decision_number": f"第{i}号",
                    "legal_basis": "依据",
                    "result": "结果",
                    "handlers": "JL0001、JL0002",
                },
                "steps": steps,
            }
        )
    return lines, expected


def test_an_imported_year_gives_the_independent_count(district):
    for number in ("JL0001", "JL0002"):
        save_entry(
            EnforcementOfficer,
            {
                "org": district["b"],
                "name": "执法员",
                "certificate_number": number,
                "issuing_body": "吉林省人民政府",
                "valid_from": D(2020, 1, 1),
            },
            by=None,
        )
    org_ids = [district["a"].pk, district["b"].pk, district["street"].pk]
    lines, expected = generate(org_ids, random.Random(20240101))
    report = import_records(((i, r, None) for i, r in enumerate(lines, 1)), today=TODAY)
    assert report.committed, report.errors[:3]

    codes = [i for i in all_indicators() if i.code.startswith("enforcement.") and not i.is_pending]
    period = period_of(Y, CUTOFF)
    values = evaluate(codes, gather(district["root"], period, codes))
    assert values["enforcement.decisions"] == expected["decisions"] > 50
    for kind, _label in ACTION_TYPES:
        assert values[f"enforcement.decisions.{kind}"] == expected[f"decisions.{kind}"]
    assert values["enforcement.published"] == expected["published"]
    assert values["enforcement.withdrawn"] == expected["withdrawn"] > 0
    failed = [c for c in check_values(values) if not c.ok and c.rule.startswith("enforcement.")]
    assert failed == []
    # the drill-down lists exactly the records counted
    src = get_indicator("enforcement.decisions.penalty").numerator
    assert len(list(source_records(src, district["root"], period))) == expected["decisions.penalty"]
