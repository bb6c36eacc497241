"""An import of a generated year of reconsiderations with mixed histories (refusals, corrections
supplied or lapsed, acceptance by either procedure, the copy and the reply, hearings, decisions,
terminations, settlements, letters, cases still open at the cut-off, steps after it) gives the
reconsideration.* figures that an independent count of the same file gives, and the case file
of an imported case reads its materials and letters.

The generator and the counter are this test's own: the counter reads the lines (not the
database), knows the states each action leads to, and dates the correction period with
``chinese_calendar`` as the oracle for working days.
"""

import datetime as dt
import json
import random

import chinese_calendar
import pytest

from fazhi.disputes.casefile import case_file
from fazhi.indicators.engine import compute_indicators, drill_down
from fazhi.procedures.importing import import_file
from fazhi.procedures.models import Matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 3, 31)  # the import's today: some steps fall after the cut-off
CUT = D(2024, 12, 31)
CODES = ("received", "accepted", "rejected", "not_corrected", "concluded")
STATE_AFTER = {
    "accept": "accepted",
    "refuse": "rejected",
    "request_correction": "correction_requested",
    "supply_correction": "received",
    "lapse": "not_corrected",
    "decide": "decided",
    "terminate": "terminated",
    "settle": "settled",
}
OUTCOMES = ["upheld", "revoked", "altered", "confirmed_unlawful", "ordered_to_act", "dismissed"]


def working_days_after(start, n):
    """The n-th working day after ``start`` (the start day excluded), by the oracle."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def generate(rng, org, n=150):
    lines = []
    for i in range(n):
        received = D(2023, 11, 1) + dt.timedelta(days=rng.randrange(420))  # to 2024-12-24
        steps = []
        day = received

        def add(action, lo, hi, steps=steps, **data):
            nonlocal day
            day = day + dt.timedelta(days=rng.randint(lo, hi))
            steps.append(
                {"action": action, "on": day.isoformat(), **({"data": data} if data else {})}
            )

        fate = rng.random()
        if fate < 0.12:
            add("refuse", 1, 6, reason="超过法定申请期限")
        elif fate < 0.22:
            add("request_correction", 1, 4, items="补交身份证明")
            notice = day
            day = working_days_after(notice, 10)
            add("lapse", 1, 20)
        elif fate < 0.3:
            add("request_correction", 1, 4, items="补充复议请求")  # still waiting at the cut-off?
        else:
            if rng.random() < 0.35:
                add("request_correction", 1, 4, items="补交证据")
                if rng.random() < 0.5:
                    add("receive_materials", 1, 3, materials="证据材料", submitted_by="applicant")
                add("supply_correction", 0, 5, supplied="补交的证据")
            simplified = rng.random() < 0.25
            add("accept", 1, 6, **({"simplified": True} if simplified else {}))
            if rng.random() < 0.8:
                add("send_copy", 1, 5)
                if rng.random() < 0.8:
                    add("receive_reply", 2, 12, evidence="答复及证据")
            if rng.random() < 0.2:
                add("hear", 3, 15, kind=rng.choice(["hearing", "opinions"]), record="笔录")
            end = rng.random()
            if end < 0.55:
                add("decide", 5, 25, outcome=rng.choice(OUTCOMES), document_number=f"复决{i}号")
                if rng.random() < 0.3:
                    add(
                        "issue_opinion",
                        1,
                        10,
                        kind="opinion",
                        to_org="某局",
                        document_number=f"复意{i}号",
                    )
                    if rng.random() < 0.6:
                        add(
                            "opinion_acted",
                            10,
                            40,
                            acted=rng.random() < 0.8,
                            document_number=f"复意{i}号",
                        )
            elif end < 0.7:
                add("terminate", 5, 25, reason="申请人撤回")
            elif end < 0.8:
                add("settle", 5, 25)
        # the history as far as the import's today
        steps = [s for s in steps if D.fromisoformat(s["on"]) <= TODAY]
        lines.append(
            {
                "procedure": "reconsideration",
                "reference": f"FY-G-{i:04d}",
                "org": org,
                "received_on": received.isoformat(),
                "subject": "不服行政处罚申请行政复议",
                "party": {"name": f"申请人{i}"},
                "details": {"respondent": "某局", "contested_act": "罚款决定"},
                "steps": steps,
            }
        )
    return lines


def count(lines):
    c = dict.fromkeys(CODES, 0)
    for line in lines:
        if D.fromisoformat(line["received_on"]).year != CUT.year:
            continue
        state = "received"
        for s in line["steps"]:
            if D.fromisoformat(s["on"]) <= CUT:
                state = STATE_AFTER.get(s["action"], state)
        c["received"] += 1
        c["accepted"] += state in {"accepted", "decided", "terminated", "settled"}
        c["rejected"] += state == "rejected"
        c["not_corrected"] += state == "not_corrected"
        c["concluded"] += state in {"decided", "terminated", "settled"}
    return {f"reconsideration.{k}": v for k, v in c.items()}


def test_an_imported_year_gives_what_an_independent_count_gives(district, tmp_path):
    lines = generate(random.Random(20250331), district["a"].name)
    path = tmp_path / "reconsideration.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    report = import_file(path, today=TODAY, parallel=False)
    assert report.committed and report.created == len(lines), report.errors[:3]
    expected = count(lines)
    # the mix has every kind of history the figures tell apart, open ones at the cut-off too
    assert expected["reconsideration.accepted"] > expected["reconsideration.concluded"] > 0
    assert (
        expected["reconsideration.rejected"] > 0 and expected["reconsideration.not_corrected"] > 0
    )
    root = district["root"]
    for source in ("tally", "base"):
        got = compute_indicators(root, CUT.year, CUT, source=source).values
        assert {k: got[k] for k in expected} == expected, source
    listed = drill_down("reconsideration.concluded", root, CUT.year, CUT)
    assert listed.count() == expected["reconsideration.concluded"]
    # the case file of an imported case with a letter acted on reads back from the import
    line = next(x for x in lines if any(s["action"] == "opinion_acted" for s in x["steps"]))
    f = case_file(Matter.objects.get(reference=line["reference"]))
    acted = next(s for s in line["steps"] if s["action"] == "opinion_acted")["data"]["acted"]
    assert f.letters[0].status == ("已落实" if acted else "未落实")
    assert f.conclusion.action == "decide" and f.materials[0].how == "申请"
