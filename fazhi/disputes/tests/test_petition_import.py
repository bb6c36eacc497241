"""An imported year of petitions with mixed histories gives the indicators that an independent
count of the same records gives: this file's own generator, and its own counter that knows the
rules (15 natural days, start day excluded, a last day on a rest day moved on — by the
``chinesecalendar`` oracle, not the platform's calendar) but none of the engine's code."""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

import chinese_calendar
import pytest

from fazhi.indicators.engine import compute_indicators, drill_down
from fazhi.procedures.importing import import_records

pytestmark = pytest.mark.django_db

D = dt.date
Y = 2025
AS_OF = D(Y, 12, 31)
TODAY = D(2026, 6, 30)  # the import's today: some steps fall after the cut-off
CODES = (
    "petition.office_timely_rate",
    "petition.handler_timely_rate",
    "petition.to_reconsideration",
    "petition.to_mediation",
    "petition.first_resolution_rate",
)


# --- the generator ------------------------------------------------------------------------------


def _day(rng, year=Y):
    start = D(year, 1, 2) if year == Y else D(year, 12, 1)
    end = D(year, 12, 30)
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def generate(rng, handler_name, office_name, n=420):
    """Records of the import format, in order of receipt (a repeat names an earlier one)."""
    received = sorted([_day(rng, Y - 1) for _ in range(20)] + [_day(rng) for _ in range(n)])
    records, concluded = [], []  # concluded: (reference, conclude date) of claims
    counters = {Y - 1: 0, Y: 0}
    for on in received:
        counters[on.year] += 1
        reference = f"XF-{on.year}-{counters[on.year]:06d}"
        category = rng.choices(["claim", "suggestion", "accusation"], [6, 2, 2])[0]
        office = rng.random() < 0.6
        details = {"category": category, "first_time": True, "office": office}
        earlier = [ref for ref, day in concluded if day < on]
        if category == "claim" and earlier and rng.random() < 0.12:
            details.update(first_time=False, repeat_of=rng.choice(earlier))
        elif rng.random() < 0.05:
            details["first_time"] = False  # an earlier petition not kept here
        steps = []

        def step(action, day, steps=steps, **data):
            if day > TODAY:
                return None
            steps.append(
                {"action": action, "on": day.isoformat(), **({"data": data} if data else {})}
            )
            return day

        def after(day, lo, hi):
            return day + dt.timedelta(days=rng.randint(lo, hi))

        got = on
        reached = not office
        if rng.random() < 0.1:
            step("note", on, text="已电话联系信访人。")  # answers no clock
        if office:
            r = rng.random()
            if r < 0.75:
                got = step("route", after(on, 0, 22), mode="assigned", to_org=handler_name)
                reached = got is not None
            elif r < 0.85:
                step("refuse", after(on, 0, 22), reason="不属于信访受理范围。")
            elif r < 0.9:
                got = None
                if step("accept", after(on, 0, 12)):
                    accepted = D.fromisoformat(steps[-1]["on"])
                    _later(rng, step, after, category, accepted, concluded, reference)
        if reached and got is not None:
            h = rng.random()
            if h < 0.72:
                accepted = step("accept", after(got, 0, 22))
                if accepted:
                    _later(rng, step, after, category, accepted, concluded, reference)
            elif h < 0.82:
                step("refuse", after(got, 0, 22), reason="不予受理。")
        records.append(
            {
                "procedure": "petition",
                "reference": reference,
                "org": office_name if office else handler_name,
                "received_on": on.isoformat(),
                "subject": "反映供暖问题",
                "channel": "letter",
                "party": {"name": f"信访人{len(records)}", "phone": f"139{len(records):08d}"},
                "details": details,
                "steps": steps,
            }
        )
    return records


def _later(rng, step, after, category, accepted, concluded, reference):
    r = rng.random()
    if category == "claim" and r < 0.25:
        channel = rng.choice(["mediation", "mediation", "reconsideration", "arbitration"])
        step("divert", after(accepted, 1, 30), channel=channel)
        return
    if r < 0.85:
        done = step("conclude", after(accepted, 3, 70), opinion="已处理。")
        if done is None:
            return
        if category == "claim":
            concluded.append((reference, done))
        if rng.random() < 0.15:
            asked = step("request_review", after(done, 1, 28))
            if asked and rng.random() < 0.5:
                step("review_opinion", after(asked, 1, 25), opinion="维持。")


# --- the independent counter --------------------------------------------------------------------


def due_after(start, days=15):
    day = start + dt.timedelta(days=days)
    while not chinese_calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _dated(record):
    return [(s["action"], D.fromisoformat(s["on"]), s.get("data", {})) for s in record["steps"]]


def _timely(start, answer, actions):
    """(in numerator, in denominator) of one clock that started on ``start`` (by as_of) and was
    answered by ``answer`` (action, day) or never."""
    due = due_after(start)
    if answer is not None and answer[1] <= AS_OF:
        if answer[0] not in actions:
            return 0, 0
        return int(answer[1] <= due), 1
    return 0, int(due < AS_OF)


def count(records):
    c = dict.fromkeys(
        (
            "office_num",
            "office_den",
            "handler_num",
            "handler_den",
            "recon",
            "med",
            "fr_num",
            "fr_den",
        ),
        0,
    )
    repeats_of = {}
    for r in records:
        of = r["details"].get("repeat_of")
        if of and D.fromisoformat(r["received_on"]) <= AS_OF:
            repeats_of.setdefault(of, []).append(r)
    for r in records:
        received = D.fromisoformat(r["received_on"])
        if received.year != Y:
            continue
        details, steps = r["details"], [s for s in _dated(r) if s[0] != "note"]
        first = steps[0] if steps else None
        if details["office"]:
            n, d = _timely(received, first, {"route", "refuse"})
            c["office_num"] += n
            c["office_den"] += d
            if first is not None and first[0] == "route" and first[1] <= AS_OF:
                answer = steps[1] if len(steps) > 1 else None
                n, d = _timely(first[1], answer, {"accept", "refuse"})
                c["handler_num"] += n
                c["handler_den"] += d
        else:
            n, d = _timely(received, first, {"accept", "refuse"})
            c["handler_num"] += n
            c["handler_den"] += d
        if details["category"] != "claim":
            continue
        done = {a for a, on, _data in steps if on <= AS_OF}
        channels = {data.get("channel") for a, on, data in steps if a == "divert" and on <= AS_OF}
        c["recon"] += "reconsideration" in channels
        c["med"] += "mediation" in channels
        if details["first_time"] and "conclude" in done:
            c["fr_den"] += 1
            if "request_review" not in done and r["reference"] not in repeats_of:
                c["fr_num"] += 1
    return c


def rate(num, den):
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@pytest.mark.parametrize("seed", [1, 2])
def test_an_imported_year_gives_what_an_independent_count_gives(district, users, seed):
    rng = random.Random(seed)
    records = generate(rng, district["b"].name, district["a"].name)
    report = import_records(((i, r, None) for i, r in enumerate(records, 1)), today=TODAY)
    assert report.committed, [str(e) for e in report.errors[:5]]
    assert report.created == len(records)
    c = count(records)
    # the generator makes every kind of history the figures distinguish
    assert c["office_den"] > c["office_num"] > 0 and c["handler_den"] > c["handler_num"] > 0
    assert c["recon"] and c["med"] and c["fr_den"] > c["fr_num"] > 0
    root = district["root"]
    values = compute_indicators(root, Y, AS_OF, source="base").values
    expected = {
        "petition.office_timely_rate": rate(c["office_num"], c["office_den"]),
        "petition.handler_timely_rate": rate(c["handler_num"], c["handler_den"]),
        "petition.to_reconsideration": c["recon"],
        "petition.to_mediation": c["med"],
        "petition.first_resolution_rate": rate(c["fr_num"], c["fr_den"]),
    }
    assert {code: values[code] for code in CODES} == expected
    # the drill-down lists as many records as the count
    first_num = drill_down("petition.first_resolution_rate", root, Y, AS_OF)
    first_den = drill_down("petition.first_resolution_rate", root, Y, AS_OF, part="denominator")
    assert (first_num.count(), first_den.count()) == (c["fr_num"], c["fr_den"])
    assert drill_down("petition.to_mediation", root, Y, AS_OF).count() == c["med"]
    assert (
        drill_down("petition.office_timely_rate", root, Y, AS_OF, part="denominator").count()
        == c["office_den"]
    )
    # the tally (the dashboard's fast path) agrees with the base tables
    tally = compute_indicators(root, Y, AS_OF, source="tally").values
    assert {code: tally[code] for code in CODES} == expected
