"""A generated year of normative documents and major decisions (import lines), and the
independent count of the catalog's figures from those lines — by the definitions of
spec/indicators.md, with chinesecalendar (not the platform's calendar) for the filing limit.

Used by ``test_import.py`` (a few hundred records) and ``bench/bench_rulemaking_import.py``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from typing import Any

D = dt.date
ONE = dt.timedelta(days=1)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _step(action: str, on: dt.date, **data: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"action": action, "on": on.isoformat()}
    if data:
        out["data"] = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}
    return out


def documents(
    rng: random.Random, year: int, n: int, orgs: Sequence[str], today: dt.date
) -> Iterator[dict[str, Any]]:
    """``n`` documents drafted from October of the year before to December: most published,
    their filing in time, late or never; some cleaned up."""
    for i in range(1, n + 1):
        drafted = _day(rng, D(year - 1, 10, 1), D(year, 11, 30))
        steps = []
        on = drafted + dt.timedelta(days=rng.randint(3, 20))
        steps.append(_step("submit_review", on))
        on += dt.timedelta(
            days=rng.randint(14, 30)
        )  # at least 5 working days, whatever the holidays
        steps.append(_step("review_opinion", on, opinion="approve", text="同意"))
        record = {
            "procedure": "normative_document",
            "reference": f"GF-{drafted.year}-{i:06d}",
            "org": orgs[i % len(orgs)],
            "received_on": drafted.isoformat(),
            "subject": f"规范性文件{i}",
            "channel": "other",
            "details": {"no_market_impact": True},
            "steps": steps,
        }
        if rng.random() < 0.1:  # still under review
            steps.pop()
            if on <= today:
                yield record
            continue
        on += dt.timedelta(days=rng.randint(1, 10))
        steps.append(_step("adopt", on, meeting="常务会议"))
        on += dt.timedelta(days=rng.randint(1, 10))
        published = on
        steps.append(_step("publish", on, document_number=f"政规〔{on.year}〕{i}号"))
        roll = rng.random()
        if roll < 0.75:
            on = published + dt.timedelta(days=rng.randint(1, 30))
        elif roll < 0.9:
            on = published + dt.timedelta(days=rng.randint(31, 70))
        else:
            on = None  # never filed
        if on is not None:
            steps.append(_step("file", on, filed_with="市政府"))
            if rng.random() < 0.2:
                on += dt.timedelta(days=rng.randint(30, 200))
                outcome = rng.choice(["keep", "amend", "repeal", "expire"])
                steps.append(_step("cleanup", on, outcome=outcome))
        if max(dt.date.fromisoformat(s["on"]) for s in steps) <= today:
            yield record


GATES = (
    ("open_consultation", 0),
    ("close_consultation", 35),
    ("expert_argument", 5),
    ("risk_assessment", 5),
    ("submit_legality_review", 3),
    ("legality_review", 14),
    ("collective_decision", 5),
    ("publish", 5),
)


def decisions(
    rng: random.Random, year: int, n: int, orgs: Sequence[str], today: dt.date
) -> Iterator[dict[str, Any]]:
    """``n`` items of the year's catalog, each walking its gates as far as it got (a few
    skipping expert argument or risk assessment with a reason)."""
    for i in range(1, n + 1):
        cataloged = _day(rng, D(year, 1, 10), D(year, 10, 31))
        stop = rng.randint(0, len(GATES))
        on = closes = cataloged
        steps = []
        for action, gap in GATES[:stop]:
            on += dt.timedelta(days=gap + rng.randint(1, 10))
            if action == "open_consultation":
                closes = _thirty_days(on) + dt.timedelta(days=rng.randint(0, 5))
                steps.append(_step(action, on, closes_on=closes, draft="第一条 目的。"))
            elif action == "close_consultation":
                on = closes + dt.timedelta(days=rng.randint(1, 10))
                steps.append(_step(action, on, adoption_note="无"))
            elif action in ("expert_argument", "risk_assessment") and rng.random() < 0.2:
                steps.append(_step(f"skip_{action}", on, reason="依法不需要"))
            elif action == "expert_argument":
                steps.append(_step(action, on, experts="专家组", opinion="可行"))
            elif action == "risk_assessment":
                steps.append(_step(action, on, level="low", text="低"))
            elif action == "legality_review":
                steps.append(_step(action, on, opinion="approve", text="同意"))
            elif action == "collective_decision":
                steps.append(_step(action, on, result="adopted", meeting="常务会议"))
            else:
                steps.append(_step(action, on))
        while steps and dt.date.fromisoformat(steps[-1]["on"]) > today:
            steps.pop()
        yield {
            "procedure": "major_decision",
            "reference": f"JC-{year}-{i:06d}",
            "org": orgs[i % len(orgs)],
            "received_on": cataloged.isoformat(),
            "subject": f"重大行政决策事项{i}",
            "channel": "other",
            "details": {"catalog_year": year},
            "steps": steps,
        }


# --- the independent count -----------------------------------------------------------------


def _thirty_days(start: dt.date) -> dt.date:
    """30 natural days, start day excluded; a last day on a rest day moves to the next working
    day (民法典 §201, §203) — by chinesecalendar, not the platform's calendar."""
    import chinese_calendar

    due = start + dt.timedelta(days=30)
    while not chinese_calendar.is_workday(due):
        due += ONE
    return due


def expected(records: Sequence[dict[str, Any]], year: int, as_of: dt.date) -> dict[str, int]:
    """The catalog's four figures counted from the lines themselves."""
    counts = dict.fromkeys(
        (
            "normative_document.enacted",
            "normative_document.filed_late",
            "normative_document.not_filed",
            "major_decision.published",
            "major_decision.gate_skipped",
        ),
        0,
    )
    for r in records:
        by_action: dict[str, dt.date] = {}
        for s in r["steps"]:
            day = dt.date.fromisoformat(s["on"])
            if day <= as_of:
                by_action.setdefault(s["action"], day)
        if r["procedure"] == "normative_document":
            published = by_action.get("publish")
            if published is None or published.year != year:
                continue
            counts["normative_document.enacted"] += 1
            due = _thirty_days(published)
            filed = by_action.get("file")
            if filed is not None and filed > due:
                counts["normative_document.filed_late"] += 1
            if filed is None and due < as_of and "cleanup" not in by_action:
                counts["normative_document.not_filed"] += 1
        else:
            if dt.date.fromisoformat(r["received_on"]).year != year:
                continue
            if "publish" in by_action:
                counts["major_decision.published"] += 1
            if any(a.startswith("skip_") for a in by_action):
                counts["major_decision.gate_skipped"] += 1
    return counts
