"""The demo district's 2024 records, computed by the indicator engine, give the seed report's figures.

The demo data is generated through the engine (``fazhi demo``); the expected values are the
2024 report of Tiexi district (spec/indicators.md, "2024 seed"), for every indicator whose
procedure or activity kind exists.
"""

import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

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
    "services.business_supervisors": 24,
    "services.time_limit_compression": Decimal(85),
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
    "petition.office_timely_rate": Decimal(100),
    "petition.handler_timely_rate": Decimal(100),
    "petition.to_reconsideration": 1,
    "petition.to_mediation": 222,
    "petition.first_resolution_rate": Decimal("94.16"),
    "mediation.police_station": 145,
    "mediation.court": 63,
    "mediation.judicial_confirmation": 4,
    "litigation.cases": 3,
    "litigation.head_appearance_rate": Decimal(100),
    "litigation.appeals": 0,
    "litigation.retrial_petitions": 0,
    "litigation.unperformed_judgments": 0,
    "org.township_internal_units": 8,
    "org.street_internal_units": 6,
    "normative_document.enacted": 0,
    "normative_document.filed_late": 0,
    "normative_document.not_filed": 0,
    "major_decision.published": 1,
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
    _assert_annual_report_matches_the_seed()  # the same demo build (it takes a while)


# Every figure of the 2024 seed report (spec/indicators.md, "2024 seed" column; rows marked
# "—" have no figure in the report). Strings ending in 余 are compared as the report writes them.
SEED_REPORT_2024: dict[str, int | Decimal | str] = {
    "business_complaint.received": 12,
    "business_complaint.out_of_scope": 7,
    "business_complaint.in_scope": 5,
    "business_complaint.concluded": 3,
    "business_complaint.in_progress": 2,
    "business_complaint.satisfaction_rate": Decimal(100),
    "services.business_supervisors": 24,
    "services.time_limit_compression": Decimal(85),
    "normative_document.enacted": 0,
    "normative_document.filed_late": 0,
    "normative_document.not_filed": 0,
    "major_decision.published": 1,
    "safety.trainings": 4,
    "safety.training_attendance": "800余",
    "safety.campaigns": 4,
    "safety.inspector_person_times": 3498,
    "safety.units_inspected": 8021,
    "safety.hazards_found": 3703,
    "mediation.police_station": 145,
    "mediation.court": 63,
    "mediation.judicial_confirmation": 4,
    "dispute_screening.screenings": 2666,
    "dispute_screening.found": 9,
    "dispute_screening.resolved": 9,
    "reconsideration.received": 19,
    "reconsideration.accepted": 16,
    "reconsideration.rejected": 2,
    "reconsideration.not_corrected": 1,
    "reconsideration.concluded": 16,
    "litigation.cases": 3,
    "litigation.head_appearance_rate": Decimal(100),
    "litigation.appeals": 0,
    "litigation.retrial_petitions": 0,
    "litigation.unperformed_judgments": 0,
    "petition.office_timely_rate": Decimal(100),
    "petition.handler_timely_rate": Decimal(100),
    "petition.to_reconsideration": 1,
    "petition.to_mediation": 222,
    "petition.first_resolution_rate": Decimal("94.16"),
    "npc_suggestion.handled": 25,
    "cppcc_proposal.handled": 49,
    "npc_suggestion.reply_rate": Decimal(100),
    "cppcc_proposal.reply_rate": Decimal(100),
    "npc_suggestion.completion_rate": Decimal(100),
    "cppcc_proposal.completion_rate": Decimal(100),
    "procuratorial_suggestion.received": 6,
    "judicial_suggestion.received": 6,
    "procuratorial_suggestion.reply_rate": Decimal(100),
    "judicial_suggestion.reply_rate": Decimal(100),
    "mailbox_letter.received": 16,
    "mailbox_letter.reply_rate": Decimal(100),
    "hotline_order.concluded": "13000余",
    "supervision.field_inspections": "60余",
    "enforcement.case_file_reviews": 2,
    "accountability.law_reports": 43,
    "accountability.law_report_coverage": Decimal(100),
    "org.township_internal_units": 8,
    "org.street_internal_units": 6,
}

SEED_PART_ONE = Path(__file__).with_name("seed_2024_part1.txt")


def _annual(fmt: str) -> str:
    out = io.StringIO()
    call_command(
        "report", "annual", "--org", "220302", "--year", "2024", "--format", fmt, stdout=out
    )
    return out.getvalue()


def _assert_annual_report_matches_the_seed() -> None:
    """After the demo build: the json has every seed figure that the platform computes, equal
    to the seed, and lists every other one as a placeholder; part 一 of the md reads like the
    seed's paragraphs, a 【待补：code】 standing where the platform has no figure yet."""
    data = json.loads(_annual("json"))
    figures = {f["code"]: f for f in data["figures"]}
    placeholder_codes = {p["code"] for p in data["placeholders"]}
    computed = 0
    for code, seed in SEED_REPORT_2024.items():
        fig = figures[code]
        assert fig["as_of"] == "2024-12-31", code
        assert fig["label"] and fig["definition"], code
        if fig["status"] == "computed":
            computed += 1
            if isinstance(seed, str):
                assert fig["approx"] == seed, code
            else:
                assert Decimal(str(fig["value"])) == seed, code
        else:
            assert code in data["pending_figures"], code
            assert fig["display"] == f"【待补：{code}】", code
    # the demo's texts use every pending seed figure except those written as words (（二）)
    words = {"normative_document.enacted", "normative_document.filed_late"}
    words |= {
        "normative_document.not_filed",
        "safety.campaigns",
        "litigation.unperformed_judgments",
    }
    words |= {"accountability.law_report_coverage"}
    expected = {c for c in SEED_REPORT_2024 if figures[c]["status"] == "pending"} - words
    assert placeholder_codes == expected
    assert computed >= len(SEED_2024)  # at least the figures of the domains built so far

    md = _annual("md")
    paragraphs = [p.strip() for p in md.split("\n\n") if p.strip()]
    for line in SEED_PART_ONE.read_text(encoding="utf-8").splitlines():
        line = line.strip().replace(",", "，")
        if not line or line.startswith("#"):
            continue
        if line.startswith("（") and len(line) < 30:  # one of the seven headings
            assert f"### {line}" in paragraphs, line
            continue
        assert any(_reads_like(p, line) for p in paragraphs), line


def _without_previous_year(text: str) -> str:
    return re.sub(r"（上年[^）]*）", "", text)


def _reads_like(md_paragraph: str, seed_line: str) -> bool:
    """The seed line, word for word, but for a figure where the md has 【待补：code】."""
    parts = re.split(r"【待补：[^】]*】", _without_previous_year(md_paragraph))
    pattern = r"[^，。、；]+?".join(re.escape(part) for part in parts)
    return re.fullmatch(pattern, seed_line) is not None
