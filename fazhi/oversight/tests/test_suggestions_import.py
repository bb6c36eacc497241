"""A generated year of suggestions, proposals and procuratorial/judicial suggestions, imported
as JSON Lines, gives the indicators that an independent count of the same file gives.

The generator and the counter are this file's own: the counter reads the lines with the spec's
definitions (spec/indicators.md, time-limits.md) — state as of the cut-off from the steps dated
by it, the month rule by ``calendar.monthrange``, a last day on a rest day moved by
``chinese_calendar.is_workday`` — and shares no code with the engine.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import chinese_calendar
import pytest

from fazhi.indicators.engine import compute_by_unit, compute_indicators
from fazhi.procedures.importing import import_file
from fazhi.procedures.models import Step

pytestmark = pytest.mark.django_db

D = dt.date
Y = 2024
AS_OF = D(Y, 12, 31)
DEPUTY = ("npc_suggestion", "cppcc_proposal")
ORGAN = ("procuratorial_suggestion", "judicial_suggestion")
SATISFIED = {"satisfied", "basically_satisfied"}


# --- the generator -----------------------------------------------------------------------------


def _later(day: D, rng: random.Random, lo: int, hi: int) -> D:
    return day + dt.timedelta(days=rng.randint(lo, hi))


def _deputy_line(procedure: str, i: int, rng: random.Random, units: list[str]) -> dict[str, Any]:
    received = D(Y, 1, 2) + dt.timedelta(days=rng.randrange(360))
    lead = rng.choice(units)
    steps: list[dict[str, Any]] = []
    day = received
    if rng.random() < 0.3:
        helper = rng.choice([u for u in units if u != lead])
        steps.append({"action": "add_assistant", "on": str(day), "data": {"org": helper}})
        day = _later(day, rng, 3, 30)
        steps.append({"action": "opinion", "on": str(day), "data": {"org": helper, "text": "同意"}})
    if rng.random() < 0.5:
        day = _later(day, rng, 1, 20)
        steps.append(
            {"action": "consult", "on": str(day), "data": {"form": "face", "text": "面商"}}
        )
    fate = rng.random()
    if fate < 0.1:  # not replied (yet): waiting, perhaps past its limit at the cut-off
        return _line(procedure, i, received, lead, steps, deputy=True)
    if rng.random() < 0.2:
        day = _later(day, rng, 20, 60)
        months = rng.randint(1, 3)
        steps.append(
            {"action": "extend", "on": str(day), "data": {"days": months, "reason": "情况复杂"}}
        )
    day = _later(day, rng, 15, 130)
    steps.append({"action": "reply", "on": str(day), "data": {"result": rng.choice("ABC")}})
    while rng.random() < 0.8:
        day = _later(day, rng, 2, 20)
        satisfaction = rng.choice(["satisfied", "basically_satisfied", "dissatisfied"])
        steps.append({"action": "feedback", "on": str(day), "data": {"satisfaction": satisfaction}})
        if satisfaction == "dissatisfied" and rng.random() < 0.7:
            day = _later(day, rng, 1, 10)
            steps.append({"action": "redo", "on": str(day), "data": {"reason": "不满意"}})
            day = _later(day, rng, 5, 40)
            steps.append({"action": "reply", "on": str(day), "data": {"result": rng.choice("AB")}})
            continue
        break
    if rng.random() < 0.7:
        steps.append({"action": "conclude", "on": str(_later(day, rng, 1, 15))})
    return _line(procedure, i, received, lead, steps, deputy=True)


def _organ_line(procedure: str, i: int, rng: random.Random, units: list[str]) -> dict[str, Any]:
    received = D(Y, 1, 2) + dt.timedelta(days=rng.randrange(360))
    details: dict[str, Any] = {"issuer": "某人民检察院" if procedure[0] == "p" else "某人民法院"}
    if rng.random() < 0.25:
        details["reply_months"] = rng.randint(1, 3)
    if procedure == "procuratorial_suggestion" and rng.random() < 0.2:
        details["urgent"] = True
    steps: list[dict[str, Any]] = []
    if rng.random() < 0.9:
        day = _later(received, rng, 5, 80)
        steps.append({"action": "reply", "on": str(day), "data": {"measures": "整改"}})
        if rng.random() < 0.7:
            steps.append({"action": "close", "on": str(_later(day, rng, 1, 30))})
    line = _line(procedure, i, received, rng.choice(units), steps, deputy=False)
    line["details"] = details
    return line


def _line(
    procedure: str, i: int, received: D, org: str, steps: list[dict[str, Any]], *, deputy: bool
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "procedure": procedure,
        "reference": f"GEN-{procedure[:3].upper()}-{i:05d}",
        "org": org,
        "received_on": str(received),
        "subject": "生成的事项",
        "steps": steps,
    }
    if deputy:
        line["details"] = {"deputy": "代表", "session": "第一次会议", "number": str(i)}
    return line


def generate(n: int, units: list[str], seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    lines = []
    for procedure in DEPUTY:
        lines += [_deputy_line(procedure, i, rng, units) for i in range(n)]
    for procedure in ORGAN:
        lines += [_organ_line(procedure, i, rng, units) for i in range(n // 2)]
    return lines


# --- the counter -------------------------------------------------------------------------------


def months_later(day: D, n: int) -> D:
    month = day.month - 1 + n
    year, month = day.year + month // 12, month % 12 + 1
    return D(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def roll(day: D) -> D:
    while not chinese_calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def rate(num: int, den: int) -> Decimal | None:
    if not den:
        return None
    return (Decimal(100) * num / den).quantize(Decimal("0.01"), ROUND_HALF_UP)


STATES = {
    "reply": "replied",
    "conclude": "concluded",
    "redo": "received",
    "close": "closed",
}


def _steps_by(line: dict[str, Any], as_of: D) -> list[dict[str, Any]]:
    return [s for s in line["steps"] if D.fromisoformat(s["on"]) <= as_of]


def _state(line: dict[str, Any], as_of: D) -> str:
    state = "received"
    for s in _steps_by(line, as_of):
        state = STATES.get(s["action"], state)
    return state


def _first_reply_clock(line: dict[str, Any], as_of: D) -> tuple[bool, bool]:
    """(counts in the on-time rate's base, in time) of the reply's first clock."""
    received = D.fromisoformat(line["received_on"])
    details = line.get("details", {})
    months = 3 if line["procedure"] in DEPUTY else (details.get("reply_months") or 2)
    extension, reply = 0, None
    for s in line["steps"]:
        if s["action"] == "extend":
            extension += s["data"]["days"]
        if s["action"] == "reply":
            reply = D.fromisoformat(s["on"])
            break
    if details.get("urgent"):
        due = roll(received + dt.timedelta(days=15))
    else:
        due = roll(months_later(received, months + extension))
    if reply is not None and reply <= as_of:
        return True, reply <= due
    return due < as_of, False


def count(lines: list[dict[str, Any]], as_of: D = AS_OF) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for procedure in (*DEPUTY, *ORGAN):
        mine = [
            line
            for line in lines
            if line["procedure"] == procedure and D.fromisoformat(line["received_on"]).year == Y
        ]
        states = [_state(line, as_of) for line in mine]
        clocks = [_first_reply_clock(line, as_of) for line in mine]
        on_time = rate(sum(1 for base, ok in clocks if ok), sum(1 for base, _ in clocks if base))
        if procedure in ORGAN:
            out[f"{procedure}.received"] = len(mine)
            replied = sum(1 for s in states if s in ("replied", "closed"))
            out[f"{procedure}.reply_rate"] = rate(replied, len(mine))
            out[f"{procedure}.on_time_rate"] = on_time
            continue
        out[f"{procedure}.handled"] = len(mine)
        replied_lines = [
            line for line, s in zip(mine, states, strict=True) if s in ("replied", "concluded")
        ]
        out[f"{procedure}.reply_rate"] = rate(len(replied_lines), len(mine))
        out[f"{procedure}.completion_rate"] = rate(states.count("concluded"), len(mine))
        out[f"{procedure}.on_time_rate"] = on_time
        out[f"{procedure}.results"] = len(replied_lines)
        for cls in "ABC":
            out[f"{procedure}.results.{cls}"] = sum(
                1
                for line in replied_lines
                if [s for s in _steps_by(line, as_of) if s["action"] == "reply"][-1]["data"][
                    "result"
                ]
                == cls
            )
        feedbacks = [
            [s for s in _steps_by(line, as_of) if s["action"] == "feedback"] for line in mine
        ]
        rated = [f for f in feedbacks if f]
        out[f"{procedure}.satisfaction_rate"] = rate(
            sum(1 for f in rated if f[-1]["data"]["satisfaction"] in SATISFIED), len(rated)
        )
        for code, action in (("consulted", "consult"), ("redone", "redo")):
            out[f"{procedure}.{code}"] = sum(
                1 for line in mine if any(s["action"] == action for s in _steps_by(line, as_of))
            )
    return out


CODES = sorted(count([]))


def test_the_counter_counts_what_the_spec_says():
    lines = [
        # assigned 31 January: due 30 April; replied that day (in time), concluded
        _line(
            "npc_suggestion",
            1,
            D(Y, 1, 31),
            "u",
            [
                {"action": "reply", "on": "2024-04-30", "data": {"result": "A"}},
                {"action": "feedback", "on": "2024-05-06", "data": {"satisfaction": "satisfied"}},
                {"action": "conclude", "on": "2024-05-10"},
            ],
            deputy=True,
        ),
        # late reply of class C, dissatisfied, redone, replied again as B after the cut-off
        _line(
            "npc_suggestion",
            2,
            D(Y, 8, 1),
            "u",
            [
                {"action": "reply", "on": "2024-11-05", "data": {"result": "C"}},
                {
                    "action": "feedback",
                    "on": "2024-11-10",
                    "data": {"satisfaction": "dissatisfied"},
                },
                {"action": "redo", "on": "2024-11-12", "data": {"reason": "x"}},
                {"action": "reply", "on": "2025-01-05", "data": {"result": "B"}},
            ],
            deputy=True,
        ),
    ]
    got = count(lines)
    assert got["npc_suggestion.handled"] == 2
    assert got["npc_suggestion.reply_rate"] == Decimal(50)  # the redone one is back in hand
    assert got["npc_suggestion.on_time_rate"] == Decimal(50)
    assert (got["npc_suggestion.results.A"], got["npc_suggestion.results.C"]) == (1, 0)
    assert got["npc_suggestion.satisfaction_rate"] == Decimal(50)
    assert count(lines, D(2025, 1, 31))["npc_suggestion.results.B"] == 1


@pytest.fixture
def units(district):
    return [district[k].name for k in ("a", "b", "street")]


def write(lines: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return path


def _engine(org: Any, as_of: D = AS_OF, source: str = "tally") -> dict[str, Any]:
    values = compute_indicators(org, Y, as_of, source=source).values
    return {c: values[c] for c in CODES}


def test_an_imported_year_gives_the_independent_count(district, units, tmp_path):
    lines = generate(120, units)
    path = write(lines, tmp_path / "suggestions.jsonl")
    report = import_file(path)
    assert report.committed and report.rejected == 0, report.errors[:3]
    assert report.created == len(lines) == 360
    expected = count(lines)
    # the generated year is not trivial: every rate strictly between 0 and 100
    for code, value in expected.items():
        if code.endswith("_rate"):
            assert value not in (None, Decimal(0), Decimal(100)), code
    for source in ("tally", "base"):
        assert _engine(district["root"], source=source) == expected, source
    # a later cut-off sees the next year's steps
    later = D(Y + 1, 6, 30)
    assert _engine(district["root"], later) == count(lines, later)
    # per unit (the statistics page's rows): each unit's figures are the count of its lines
    rows = {u.unit.name: u.values for u in compute_by_unit(district["root"], Y)}
    for name in units:
        mine = [x for x in lines if x["org"] == name]
        assert {c: rows[name][c] for c in CODES} == count(mine), name
    # the same file again adds nothing
    before = Step.objects.count()
    again = import_file(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 360)
    assert Step.objects.count() == before
