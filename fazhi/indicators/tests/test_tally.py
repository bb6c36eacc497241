"""The tally (StateTally): counts as of any cut-off equal the base tables', it follows act(),
transfers, imports and deletions, and ``fazhi indicators verify`` catches a wrong row."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from fazhi.indicators import registry
from fazhi.indicators.engine import compute, compute_indicators, monthly_trend
from fazhi.indicators.models import StateTally
from fazhi.indicators.registry import MatterSet
from fazhi.indicators.rollup import rebuild, tally_differences
from fazhi.indicators.tests.test_engine import complaint, do
from fazhi.procedures.importing import import_file
from fazhi.procedures.models import Clock, Matter, Step

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def history(district, users):
    """Complaints across two years: a transfer, a reopening, a rating changed, a late step."""
    a, s, office = district["a"], users["staff_a"], users["office"]
    moved = complaint(a, s, D(2024, 1, 30), ("accept", D(2024, 2, 1), {}))
    do(moved, "transfer", office, D(2024, 2, 29), to_org=str(district["b"].pk), reason="职责")
    reopened = complaint(
        a,
        s,
        D(2024, 3, 15),
        ("accept", D(2024, 3, 15), {}),
        ("conclude", D(2024, 3, 31), {"result": "已解决"}),
        ("rate", D(2024, 4, 1), {"satisfaction": "dissatisfied"}),
        ("reopen", D(2024, 4, 1), {"reason": "重办"}),
        ("conclude", D(2024, 4, 30), {"result": "再次办结"}),
        ("rate", D(2024, 5, 2), {"satisfaction": "satisfied"}),
    )
    spanning = complaint(
        a,
        s,
        D(2024, 12, 31),
        ("accept", D(2025, 1, 2), {}),
        ("conclude", D(2025, 1, 31), {"result": "已解决"}),
    )
    refused = complaint(a, s, D(2024, 6, 1), ("refuse", D(2024, 6, 3), {"reason": "不属于"}))
    earlier = complaint(a, s, D(2023, 12, 31), ("accept", D(2024, 1, 1), {}))
    return [moved, reopened, spanning, refused, earlier]


def cut_offs() -> list[dt.date]:
    """Every day on which a figure can change, and the days either side: each receipt, step
    and due date of the history, each month's first and last day, and the next year's first.
    Between two of them every count stands still, so these cut-offs cover every other."""
    events = set(Matter.objects.values_list("received_on", flat=True))
    events |= set(Step.objects.values_list("on", flat=True))
    events |= set(Clock.objects.exclude(due_on=None).values_list("due_on", flat=True))
    for month in range(1, 13):
        first = D(2024, month, 1)
        events |= {first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)}
    events.add(D(2025, 1, 1))
    one = dt.timedelta(days=1)
    days = {d + k * one for d in events for k in (-1, 0, 1)}
    return sorted(d for d in days if d.year >= 2024)  # a 2024 cut-off in 2024 or later


def test_every_cut_off_agrees_with_the_base_tables(district, history, monkeypatch):
    assert tally_differences()[1] == []
    # the tally counts states (MatterSet sources): compare the indicators made of them alone
    # (the other sources read the same tables whatever ``source`` says)
    counted = [
        i
        for i in registry.computed_indicators()
        if all(isinstance(s, MatterSet) for s in (i.numerator, i.denominator) if s is not None)
    ]
    assert any(i.procedure == "business_complaint" for i in counted)
    monkeypatch.setattr(compute, "computed_indicators", lambda: counted)
    days = cut_offs()
    assert D(2024, 2, 29) in days and D(2025, 1, 31) in days  # the transfer, a late conclusion
    for unit in (district["root"], district["a"], district["b"]):
        for as_of in days:
            tally = compute_indicators(unit, 2024, as_of).values
            base = compute_indicators(unit, 2024, as_of, source="base").values
            assert tally == base, (unit.name, as_of)
    # and the previous year's cohort, seen from 2024
    assert (
        compute_indicators(district["root"], 2023, D(2024, 1, 1)).values
        == compute_indicators(district["root"], 2023, D(2024, 1, 1), source="base").values
    )


def test_transfer_moves_the_whole_history_to_the_new_unit(district, history):
    a = compute_indicators(district["a"], 2024, D(2024, 2, 28)).values
    b = compute_indicators(district["b"], 2024, D(2024, 2, 28)).values
    # as of the 28th the moved matter is counted for b already: a matter belongs to the unit
    # that handles it now (spec/indicators.md), for every cut-off
    assert a["business_complaint.received"] == 0
    assert b["business_complaint.received"] == 1
    left_at_a = StateTally.objects.filter(org=district["a"], year=2024, on__lt=D(2024, 3, 1))
    assert not left_at_a.exclude(n=0).exists()


def test_monthly_trend_counts_receipts_up_to_the_cut_off(district, history):
    for as_of in (D(2024, 3, 14), D(2024, 3, 15), D(2024, 3, 31), D(2024, 12, 31), D(2025, 2, 1)):
        want = Counter(
            m.received_on.month
            for m in Matter.objects.filter(
                received_on__year=2024, received_on__lte=as_of, procedure="business_complaint"
            )
        )
        got = monthly_trend(district["root"], 2024, as_of)["business_complaint"]
        assert got == [want.get(month, 0) for month in range(1, 13)], as_of
    b = monthly_trend(district["b"], 2024)["business_complaint"]
    assert b == [1] + [0] * 11  # the transferred matter, received in January


def line(ref: str, steps: list[dict[str, object]]) -> str:
    return json.dumps(
        {
            "procedure": "business_complaint",
            "reference": ref,
            "org": "220302",
            "received_on": "2024-05-06",
            "subject": "噪音",
            "steps": steps,
        },
        ensure_ascii=False,
    )


def test_import_and_appended_steps_keep_the_tally_exact(district, users, history, tmp_path):
    accept = {"action": "accept", "on": "2024-05-07"}
    conclude = {"action": "conclude", "on": "2024-06-20", "data": {"result": "已办结"}}
    rate = {
        "action": "rate",
        "on": "2024-06-21",
        "data": {"satisfaction": "satisfied"},
        "by": "public",
    }
    first = tmp_path / "a.jsonl"
    first.write_text(
        "\n".join([line("T-1", [accept]), line("T-2", [accept, conclude])]) + "\n",
        encoding="utf-8",
    )
    assert import_file(first).created == 2
    second = tmp_path / "b.jsonl"
    second.write_text(
        "\n".join([line("T-1", [accept, conclude, rate]), line("T-3", [])]) + "\n",
        encoding="utf-8",
    )
    report = import_file(second)
    assert (report.created, report.updated) == (1, 1)
    assert tally_differences()[1] == []
    for as_of in (D(2024, 5, 31), D(2024, 6, 20), D(2024, 12, 31)):
        assert (
            compute_indicators(district["root"], 2024, as_of).values
            == compute_indicators(district["root"], 2024, as_of, source="base").values
        )
    values = compute_indicators(district["root"], 2024).values
    assert values["business_complaint.received"] == 7  # 4 of the history's 2024 ones + 3


def test_verify_names_a_wrong_tally_row_and_rebuild_mends_it(district, history):
    row = StateTally.objects.filter(grain="month").exclude(n=0).order_by("pk").first()
    assert row is not None
    StateTally.objects.filter(pk=row.pk).update(n=row.n + 1)
    bad = tally_differences()[1]
    assert bad == [
        (row.grain, row.year, row.procedure, row.on, row.org_id, row.state, row.satisfaction)
    ]
    with pytest.raises(CommandError, match="指标计数表与事项、步骤基础表不一致"):
        call_command("indicators", "verify")
    assert rebuild() == StateTally.objects.count() > 0
    assert tally_differences()[1] == []
    call_command("indicators", "verify", "--org", "220302", "--year", "2024")


def test_a_missing_tally_is_built_after_migrate(district, history):
    from fazhi.indicators.rollup import build_if_missing

    want = sorted(StateTally.objects.exclude(n=0).values_list("grain", "on", "org_id", "n"))
    StateTally.objects.all().delete()
    build_if_missing(sender=None)
    assert sorted(StateTally.objects.exclude(n=0).values_list("grain", "on", "org_id", "n")) == want


@pytest.mark.django_db(transaction=True)
def test_concurrent_steps_on_the_same_day_and_unit_keep_the_tally_exact(district, users):
    """Several staff acting at once change the same tally rows: no count is lost, no deadlock
    (PostgreSQL row locks taken in key order)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's concurrency")
    matters = [complaint(district["a"], users["staff_a"], D(2024, 3, 1)) for _ in range(8)]
    errors: list[BaseException] = []

    def worker(m: Matter) -> None:
        try:
            do(m, "accept", users["staff_a"], D(2024, 3, 4))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(m,)) for m in matters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert tally_differences()[1] == []
    values = compute_indicators(district["root"], 2024, D(2024, 3, 4)).values
    assert values["business_complaint.in_scope"] == 8


def test_a_deleted_matter_leaves_the_tally(district, history):
    history[1].delete()
    assert tally_differences()[1] == []
    assert compute_indicators(district["root"], 2024).values["business_complaint.received"] == 3


@pytest.mark.parametrize("buffer_keys", [1, 10_000])
def test_an_import_in_many_batches_writes_the_tally_once_or_when_full(
    district, history, tmp_path, monkeypatch, buffer_keys
):
    from fazhi.indicators import rollup

    monkeypatch.setattr(rollup, "TALLY_BUFFER_KEYS", buffer_keys)
    accept = {"action": "accept", "on": "2024-05-07"}
    conclude = {"action": "conclude", "on": "2024-06-20", "data": {"result": "已办结"}}
    path = tmp_path / "many.jsonl"
    lines = [line(f"M-{i}", [accept, conclude][: i % 3]) for i in range(30)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert import_file(path, batch_size=4).created == 30
    assert tally_differences()[1] == []
    assert compute_indicators(district["root"], 2024).values["business_complaint.received"] == 34


@pytest.mark.parametrize("copy_min_keys", [0, 1_000_000])
def test_an_import_tally_by_copy_or_by_upserts(
    district, history, tmp_path, monkeypatch, copy_min_keys
):
    """PostgreSQL copies a large sum into a temporary table (here: any sum) or upserts it key
    by key; SQLite always upserts: the same tally either way."""
    from fazhi.indicators import rollup

    monkeypatch.setattr(rollup, "COPY_MIN_KEYS", copy_min_keys)
    accept = {"action": "accept", "on": "2024-05-07"}
    path = tmp_path / "copy.jsonl"
    path.write_text("\n".join(line(f"C-{i}", [accept][: i % 2]) for i in range(12)) + "\n")
    assert import_file(path).created == 12
    assert import_file(path).unchanged == 12  # and again: nothing changes
    assert tally_differences()[1] == []
    assert compute_indicators(district["root"], 2024).values["business_complaint.received"] == 16


def test_a_refused_import_leaves_the_tally_as_it_was(district, history, tmp_path):
    before = sorted(StateTally.objects.values_list("grain", "on", "org_id", "state", "n"))
    path = tmp_path / "bad.jsonl"
    path.write_text(
        line("B-1", [{"action": "accept", "on": "2024-05-07"}])
        + "\n"
        + line("B-2", [{"action": "fly", "on": "2024-05-07"}])
        + "\n",
        encoding="utf-8",
    )
    report = import_file(path)
    assert not report.committed and report.rejected == 1
    assert sorted(StateTally.objects.values_list("grain", "on", "org_id", "state", "n")) == before


def test_month_grains_are_the_sums_of_their_days(district, history):
    """An import sums day grains only and completes the months once (``with_months``): the
    same changes as counting each step on both grains."""
    from fazhi.indicators import rollup

    ratings = rollup.rating_fields()
    both: Any = rollup.defaultdict(int)
    days: Any = rollup.defaultdict(int)
    for m in history:
        steps = [(s.seq, s.action, s.on, s.state_after, s.data) for s in m.steps.order_by("seq")]
        rollup.matter_deltas(m.procedure, m.org_id, m.received_on, steps, ratings, 1, both)
        rollup.matter_deltas(
            m.procedure, m.org_id, m.received_on, steps, ratings, 1, days, months=False
        )
    assert {k[0] for k in days} == {"day", "received_day"}
    assert {k: n for k, n in rollup.with_months(days).items() if n} == {
        k: n for k, n in both.items() if n
    }
