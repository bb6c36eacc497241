"""The hotline's main door: a generated year of 12345 orders imported from JSON Lines gives the
indicators that an independent count of the same file gives (its own generator, its own
counter: no engine code, working days from the ``chinese_calendar`` oracle); a second import
of the same file adds nothing, a changed one updates; the platform's xlsx export is read by
its headers."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import chinese_calendar
import pytest

from fazhi.indicators.engine import compute_indicators
from fazhi.oversight.hotline import stats
from fazhi.procedures.importing import import_file
from fazhi.procedures.models import Matter, Step

pytestmark = pytest.mark.django_db

D = dt.date
AS_OF = D(2024, 12, 31)
SATISFIED = {"satisfied", "basically_satisfied"}


# --- the generator ----------------------------------------------------------------------------


def _moment(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0)) + dt.timedelta(minutes=minutes)


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def generate(n: int, units: list[str], seed: int = 7, year: int = 2024) -> list[dict[str, Any]]:
    """``n`` hotline orders of ``year`` (a few from the December before), with every kind of
    history: returned, never signed, signed late or in time (both tiers), concluded,
    revisited, reopened, steps after the year's end."""
    rng = random.Random(seed)
    start = D(year - 1, 12, 1)
    span = (D(year, 12, 31) - start).days + 1
    records = []
    for i in range(n):
        received = start + dt.timedelta(days=rng.randrange(span))
        urgent = rng.random() < 0.15
        received_at = _moment(received, rng.randrange(6 * 60, 23 * 60))
        steps: list[dict[str, Any]] = []
        record = {
            "procedure": "hotline_order",
            "reference": f"GEN{seed}-{i:07d}",
            "org": rng.choice(units),
            "received_on": received.isoformat(),
            "received_at": _iso(received_at),
            "subject": "诉求内容",
            "channel": "hotline",
            "party": {"name": "来电人", "phone": f"139{rng.randrange(10**8):08d}"},
            "details": {
                "urgency": "urgent" if urgent else "ordinary",
                "category": rng.choice(["供热", "噪音", "物业", "道路"]),
            },
            "steps": steps,
        }
        records.append(record)
        roll = rng.random()
        if roll < 0.05:
            steps.append(
                {
                    "action": "request_return",
                    "on": received.isoformat(),
                    "data": {"reason": "非本单位职责"},
                }
            )
            steps.append(
                {"action": "return", "on": received.isoformat(), "data": {"reason": "非本单位职责"}}
            )
            continue
        if roll < 0.10:
            continue  # never signed
        if urgent:
            signed_at = received_at + dt.timedelta(minutes=rng.randrange(10, 200))
            signed = signed_at.date()
            steps.append({"action": "sign", "on": signed.isoformat(), "at": _iso(signed_at)})
        else:
            signed = received + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5]))
            steps.append({"action": "sign", "on": signed.isoformat()})
        if rng.random() < 0.15:
            continue  # still being handled
        done = signed + dt.timedelta(days=rng.randrange(0, 9))
        resolved = rng.choice(["yes", "yes", "yes", "partly", "no"])
        steps.append(
            {
                "action": "conclude",
                "on": done.isoformat(),
                "data": {"result": "已办理", "resolved": resolved},
            }
        )
        if rng.random() < 0.25:
            continue
        revisit = done + dt.timedelta(days=rng.randrange(1, 4))
        steps.append(
            {
                "action": "revisit",
                "on": revisit.isoformat(),
                "data": {
                    "resolved": rng.choice(["yes", "yes", "partly", "no"]),
                    "satisfaction": rng.choice(
                        ["satisfied", "satisfied", "basically_satisfied", "dissatisfied"]
                    ),
                },
            }
        )
        if rng.random() < 0.12:
            again = revisit + dt.timedelta(days=rng.randrange(0, 3))
            steps.append({"action": "reopen", "on": again.isoformat()})
            if rng.random() < 0.6:
                steps.append(
                    {
                        "action": "conclude",
                        "on": (again + dt.timedelta(days=2)).isoformat(),
                        "data": {"result": "重办", "resolved": "yes"},
                    }
                )
    return records


def write(records: Iterable[dict[str, Any]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


# --- the counter (the spec's definitions, by hand) ---------------------------------------------

TARGET = {
    "sign": "signed",
    "return": "returned",
    "conclude": "concluded",
    "revisit": "revisited",
    "reopen": "signed",
}


def _next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while not chinese_calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _rate(num: int, den: int) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def count(
    records: Iterable[dict[str, Any]], year: int = 2024, as_of: dt.date = AS_OF
) -> dict[str, Any]:
    received = concluded = resp_num = resp_den = done = resolved = revisited = satisfied = 0
    for r in records:
        steps = [s for s in r["steps"] if D.fromisoformat(s["on"]) <= as_of]
        if any(s["action"] == "conclude" and D.fromisoformat(s["on"]).year == year for s in steps):
            concluded += 1
        on = D.fromisoformat(r["received_on"])
        if on.year != year or on > as_of:
            continue
        received += 1
        state = "received"
        for s in steps:
            state = TARGET.get(s["action"], state)
        if not any(s["action"] == "return" for s in steps):
            sign = next((s for s in steps if s["action"] == "sign"), None)
            if r["details"]["urgency"] == "urgent":
                due_at = dt.datetime.fromisoformat(r["received_at"]) + dt.timedelta(hours=2)
                due_on = due_at.date()
                in_time = sign is not None and (
                    dt.datetime.fromisoformat(sign["at"]) <= due_at
                    if "at" in sign  # a step without its moment is judged by its date
                    else D.fromisoformat(sign["on"]) <= due_on
                )
            else:
                due_on = _next_working_day(on)
                in_time = sign is not None and D.fromisoformat(sign["on"]) <= due_on
            if sign is not None or due_on < as_of:
                resp_den += 1
                resp_num += in_time
        if state in ("concluded", "revisited"):
            done += 1
            last = [s for s in steps if s["action"] in ("conclude", "revisit")][-1]
            resolved += last["data"]["resolved"] == "yes"
        revisits = [s for s in steps if s["action"] == "revisit"]
        if revisits:
            revisited += 1
            satisfied += revisits[-1]["data"]["satisfaction"] in SATISFIED
    return {
        "hotline_order.received": received,
        "hotline_order.concluded": concluded,
        "hotline_order.response_rate": _rate(resp_num, resp_den),
        "hotline_order.resolution_rate": _rate(resolved, done),
        "hotline_order.satisfaction_rate": _rate(satisfied, revisited),
    }


CODES = list(count([]))


def test_the_counter_counts_what_the_spec_says():
    """The counter itself on two orders worked out by hand."""
    records = [
        {
            "received_on": "2024-09-30",
            "received_at": "2024-09-30T10:00",
            "details": {"urgency": "ordinary"},
            "steps": [
                {"action": "sign", "on": "2024-10-08"},  # the next working day after the holiday
                {"action": "conclude", "on": "2024-10-10", "data": {"resolved": "no"}},
                {
                    "action": "revisit",
                    "on": "2024-10-11",
                    "data": {"resolved": "yes", "satisfaction": "basically_satisfied"},
                },
            ],
        },
        {
            "received_on": "2024-03-15",
            "received_at": "2024-03-15T22:30",
            "details": {"urgency": "urgent"},
            "steps": [{"action": "sign", "on": "2024-03-16", "at": "2024-03-16T00:31"}],
        },
    ]
    assert count(records) == {
        "hotline_order.received": 2,
        "hotline_order.concluded": 1,
        "hotline_order.response_rate": Decimal(50),
        "hotline_order.resolution_rate": Decimal(100),
        "hotline_order.satisfaction_rate": Decimal(100),
    }


@pytest.fixture
def units(district):
    return [district[k].name for k in ("a", "b", "street")]


def _engine(org, as_of=AS_OF):
    values = compute_indicators(org, 2024, as_of).values
    return {c: values[c] for c in CODES}


def test_an_imported_year_gives_the_independent_count(district, units, tmp_path):
    records = generate(1500, units)
    path = write(records, tmp_path / "hotline.jsonl")
    report = import_file(path)
    assert report.committed and report.rejected == 0, report.errors[:3]
    assert report.created == 1500
    expected = count(records)
    assert expected["hotline_order.response_rate"] not in (None, Decimal(0), Decimal(100))
    assert _engine(district["root"]) == expected
    for source in ("tally", "base"):
        values = compute_indicators(district["root"], 2024, source=source).values
        assert {c: values[c] for c in CODES} == expected, source
    # per unit: the page's table against the count of each unit's lines
    rows = {r.unit.name: r.values for r in stats.rates_by_unit(district["root"], 2024)}
    for name in units:
        mine = [r for r in records if r["org"] == name]
        assert {c: rows[name][c] for c in CODES} == count(mine), name
    # a later cut-off sees the January steps
    later = D(2025, 1, 31)
    assert _engine(district["root"], later) == count(records, as_of=later)

    # the same file again: nothing added
    steps_before = Step.objects.count()
    again = import_file(path)
    assert (again.created, again.updated, again.unchanged, again.steps) == (0, 0, 1500, 0)
    assert Step.objects.count() == steps_before

    # the next day's export: some orders moved on, a few new ones
    changed = json.loads(json.dumps(records))
    moved = 0
    for r in changed:
        if not r["steps"] and D.fromisoformat(r["received_on"]) < D(2024, 12, 1):
            r["steps"].append({"action": "sign", "on": "2025-01-02"})
            moved += 1
    assert moved
    fresh = generate(20, units, seed=8)
    path2 = write(changed + fresh, tmp_path / "hotline-2.jsonl")
    update = import_file(path2)
    assert (update.created, update.updated, update.unchanged) == (20, moved, 1500 - moved)
    assert _engine(district["root"], later) == count(changed + fresh, as_of=later)
    assert Matter.objects.filter(procedure="hotline_order").count() == 1520


# --- the platform's xlsx export ------------------------------------------------------------------


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "序号",
            "工单编号",
            "来电时间",
            "来电渠道",
            "诉求分类",
            "诉求地址",
            "诉求内容",
            "来电人",
            "联系电话",
            "承办单位",
            "紧急程度",
        ]
    )
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_the_platform_export_is_read_by_its_headers(district, users, tmp_path):
    a, street = district["a"].name, district["street"].name
    path = _sheet(
        tmp_path / "工单导出.xlsx",
        [
            [
                1,
                "SP20240315001",
                dt.datetime(2024, 3, 15, 22, 30),  # noqa: DTZ001 an Excel cell has no zone
                "12345电话",
                "噪音扰民",
                "北沟街道某小区",
                "夜间施工噪音扰民，" * 40,
                "王女士",
                "13912345678",
                a,
                "紧急",
            ],
            [
                2,
                "SP20240316002",
                "2024/3/16 9:05",
                "微信公众号",
                "供热采暖",
                "",
                "室温不达标",
                "李先生 13800001111",
                "",
                street,
                "",
            ],
            [3, "", "", "", "", "", "", "", "", "", ""],  # a blank row
        ],
    )
    report = import_file(path)
    assert report.committed and report.rejected == 0, report.errors
    assert report.created == 2
    first = Matter.objects.get(procedure="hotline_order", reference="SP20240315001")
    assert (first.received_on, first.channel, first.org_id) == (
        D(2024, 3, 15),
        "hotline",
        district["a"].pk,
    )
    assert first.details == {
        "urgency": "urgent",
        "category": "噪音扰民",
        "address": "北沟街道某小区",
    }
    assert len(first.subject) == 300 and first.subject.endswith("…")
    assert first.party_phone == "13912345678"
    sign = first.clocks.get(limit="hotline_order.sign_urgent")
    assert sign.due_at == dt.datetime(2024, 3, 16, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    second = Matter.objects.get(reference="SP20240316002")
    assert (second.channel, second.party_name, second.party_phone) == (
        "mobile",
        "李先生",
        "13800001111",
    )
    assert second.details["urgency"] == "ordinary"
    # the same export the next day adds nothing
    again = import_file(path)
    assert (again.created, again.unchanged) == (0, 2)


def test_a_bad_platform_row_is_named_in_chinese(district, tmp_path):
    path = _sheet(
        tmp_path / "bad.xlsx",
        [
            [
                1,
                "SP1",
                "昨天晚上",
                "电话",
                "噪音",
                "",
                "噪音扰民",
                "王女士",
                "13912345678",
                district["a"].name,
                "",
            ],
            [
                2,
                "SP2",
                "2024-03-16 09:05",
                "电话",
                "噪音",
                "",
                "噪音扰民",
                "王女士",
                "13912345678",
                "不存在的单位",
                "",
            ],
        ],
    )
    report = import_file(path, skip_invalid=True)
    messages = {e.line: str(e) for e in report.errors}
    assert report.created == 0 and report.rejected == 2
    assert "来电时间“昨天晚上”无法识别" in messages[2]
    assert "不存在的单位" in messages[3]


def test_a_layout_matches_by_its_headers_in_any_order():
    from fazhi.oversight.hotline.platform import PLATFORM_EXPORT
    from fazhi.procedures.importing.layouts import match_layout

    header = ["承办单位", "备注", " 诉求内容 ", "来电时间", "工单编号"]
    assert PLATFORM_EXPORT.match(header) == {0: "unit", 2: "content", 3: "time", 4: "order_number"}
    assert PLATFORM_EXPORT.match(["工单编号", "来电时间", "诉求内容"]) is None  # no unit
    assert match_layout(header, "hotline_order") == (PLATFORM_EXPORT, PLATFORM_EXPORT.match(header))
    assert match_layout(header, "reconsideration") is None
    assert match_layout(["reference", "org", "received_on"], None) is None  # a template's header
