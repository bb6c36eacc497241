"""An import of a generated year of mediation, dispute and litigation matters with mixed
histories gives the indicators that an independent count of the same file gives.

The generator and the counter are this test's own: the counter reads the generated lines (not
the database) and dates periods with ``chinese_calendar`` as the oracle for rest days.
"""

import datetime as dt
import json
import random
from decimal import Decimal

import chinese_calendar
import pytest

from fazhi.core import clock
from fazhi.indicators.engine import compute_indicators
from fazhi.procedures.activities import record_activity
from fazhi.procedures.importing import import_file

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)
CUT = D(2024, 12, 31)
VENUES = ["police_station", "court", "people", "other", None]


def day_in(rng, start, end):
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def step(action, on, **data):
    out = {"action": action, "on": on.isoformat()}
    if data:
        out["data"] = data
    return out


def generate(rng, org, rounds):
    """Lines of the import format: mediations, disputes and litigation cases."""
    lines = []
    for i in range(120):
        received = day_in(rng, D(2023, 12, 1), D(2024, 12, 28))
        venue = rng.choice(VENUES)
        steps = []
        fate = rng.random()
        if fate < 0.6:
            agreed = received + dt.timedelta(days=rng.randint(0, 20))
            steps.append(step("agree", agreed, agreement="协议"))
            if rng.random() < 0.3:
                steps.append(
                    step("confirm", agreed + dt.timedelta(days=rng.randint(1, 60)), court="区法院")
                )
        elif fate < 0.8:
            steps.append(step("fail", received + dt.timedelta(days=rng.randint(0, 20))))
        lines.append(
            {
                "procedure": "mediation",
                "reference": f"TJ-G-{i}",
                "org": org,
                "received_on": received.isoformat(),
                "subject": "调解",
                "details": {"venue": venue} if venue else {},
                "steps": steps,
            }
        )
    for i in range(40):
        ref, on = rng.choice(rounds)
        received = on + dt.timedelta(days=rng.randint(0, 5))
        if received.year != on.year:
            received = on
        steps = []
        if rng.random() < 0.3:
            steps.append(step("escalate", received + dt.timedelta(days=1), to="区司法局"))
        if rng.random() < 0.7:
            steps.append(step("resolve", received + dt.timedelta(days=rng.randint(2, 40))))
        lines.append(
            {
                "procedure": "dispute",
                "reference": f"JF-G-{i}",
                "org": org,
                "received_on": received.isoformat(),
                "subject": "纠纷",
                "details": {"screening": ref},
                "steps": steps,
            }
        )
    for i in range(60):
        served = day_in(rng, D(2023, 11, 1), D(2024, 12, 20))
        details = {}
        if rng.random() < 0.3:
            details["instance"] = rng.choice(["first", "second", "retrial"])
        steps = []
        day = served
        if rng.random() < 0.9:
            day = served + dt.timedelta(days=rng.randint(3, 22))
            steps.append(step("defend", day))
            for _ in range(rng.randint(0, 2)):
                day += dt.timedelta(days=rng.randint(5, 30))
                steps.append(step("hear", day, head_appeared=rng.random() < 0.7))
            if rng.random() < 0.7:
                day += dt.timedelta(days=rng.randint(5, 30))
                lost = rng.random() < 0.5
                effective = rng.random() < 0.8
                data = {"outcome": "organ_lost" if lost else "organ_won", "effective": effective}
                if lost and effective and rng.random() < 0.8:
                    data["perform_days"] = rng.choice([10, 15, 30])
                steps.append(step("judge", day, **data))
                r = rng.random()
                if not effective and r < 0.5:
                    steps.append(step("appeal", day + dt.timedelta(days=10), appellant="plaintiff"))
                elif "perform_days" in data and r < 0.8:
                    done = day + dt.timedelta(days=rng.randint(1, 45))
                    steps.append(step("perform", done))
                elif r < 0.9:
                    steps.append(step("petition_retrial", day + dt.timedelta(days=20)))
        lines.append(
            {
                "procedure": "litigation",
                "reference": f"YS-G-{i}",
                "org": org,
                "received_on": served.isoformat(),
                "subject": "行政诉讼",
                "details": details,
                "steps": steps,
            }
        )
    return lines


def natural_due(start, days):
    """Start day excluded; a last day on a rest day moves to the next working day."""
    due = start + dt.timedelta(days=days)
    while not chinese_calendar.is_workday(due):
        due += dt.timedelta(days=1)
    return due


def on(s):
    return D.fromisoformat(s["on"])


def count(lines):
    """The catalog's definitions, counted over the generated lines."""
    c = dict.fromkeys(
        [
            "mediation.cases",
            "mediation.police_station",
            "mediation.court",
            "mediation.people",
            "mediation.other",
            "mediation.agreed",
            "mediation.judicial_confirmation",
            "dispute_screening.found",
            "dispute_screening.resolved",
            "litigation.cases",
            "litigation.hearings",
            "litigation.appeals",
            "litigation.retrial_petitions",
            "litigation.unperformed_judgments",
        ],
        0,
    )
    heads = defences = defences_on_time = 0
    for line in lines:
        received = D.fromisoformat(line["received_on"])
        if received.year != 2024:
            continue
        steps = [s for s in line["steps"] if on(s) <= CUT]
        actions = {s["action"] for s in steps}
        if line["procedure"] == "mediation":
            venue = line["details"].get("venue") or "people"
            c["mediation.cases"] += 1
            c[f"mediation.{venue}"] += 1
            c["mediation.agreed"] += "agree" in actions
            c["mediation.judicial_confirmation"] += "confirm" in actions
        elif line["procedure"] == "dispute":
            c["dispute_screening.found"] += 1
            c["dispute_screening.resolved"] += "resolve" in actions
        else:
            if line["details"].get("instance") in ("second", "retrial"):
                continue
            c["litigation.cases"] += 1
            hearings = [s for s in steps if s["action"] == "hear"]
            c["litigation.hearings"] += len(hearings)
            heads += sum(1 for s in hearings if s["data"]["head_appeared"])
            c["litigation.appeals"] += "appeal" in actions
            c["litigation.retrial_petitions"] += "petition_retrial" in actions
            due = natural_due(received, 15)
            defend = next((s for s in steps if s["action"] == "defend"), None)
            if defend is not None or due < CUT:
                defences += 1
                defences_on_time += defend is not None and on(defend) <= due
            judge = next((s for s in line["steps"] if s["action"] == "judge"), None)
            if judge is not None and on(judge) <= CUT and judge["data"].get("perform_days"):
                pdue = natural_due(on(judge), judge["data"]["perform_days"])
                perform = next((s for s in steps if s["action"] == "perform"), None)
                if (perform is not None and on(perform) > pdue) or (perform is None and pdue < CUT):
                    c["litigation.unperformed_judgments"] += 1
    hearings = c["litigation.hearings"]
    c["litigation.head_appearance_rate"] = (
        (Decimal(heads) * 100 / hearings).quantize(Decimal("0.01")) if hearings else None
    )
    c["litigation.defence_timely_rate"] = (
        (Decimal(defences_on_time) * 100 / defences).quantize(Decimal("0.01")) if defences else None
    )
    return c


def test_imported_year_equals_an_independent_count(district, tmp_path):
    rng = random.Random(20241231)
    org = district["street"]
    rounds = []
    with clock.frozen(TODAY):
        for i in range(30):
            day = day_in(rng, D(2023, 12, 1), D(2024, 12, 25))
            ref = f"PC-G-{i}"
            record_activity(
                "dispute_screening",
                org=org,
                on=day,
                title=f"排查{i}",
                figures={"found": 1},
                reference=ref,
            )
            rounds.append((ref, day))
    lines = generate(rng, org.name, rounds)
    path = tmp_path / "year.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    report = import_file(path, today=TODAY, parallel=False)
    assert report.committed and report.created == len(lines), report.errors[:3]
    expected = count(lines)
    assert expected["litigation.unperformed_judgments"] > 0  # the mix has each kind of case
    assert expected["litigation.appeals"] > 0 and expected["mediation.judicial_confirmation"] > 0
    for source in ("tally", "base"):
        got = compute_indicators(district["root"], 2024, CUT, source=source).values
        assert {k: got[k] for k in expected} == expected, source
