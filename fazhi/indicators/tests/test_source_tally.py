"""The tally of the conditional sources (SourceTally): for every source kind its values as of
every cut-off equal the grouped queries over the base tables (the reference), and it follows
act(), a transfer, a bulk import and its update, the clocks' recomputation and a deletion;
``fazhi indicators verify`` catches a wrong row and ``rebuild`` repairs it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from fazhi.indicators import registry
from fazhi.indicators.engine import compute_indicators, period_of
from fazhi.indicators.engine.conditional import gather_conditional
from fazhi.indicators.models import SourceBuild, SourceTally
from fazhi.indicators.registry import Indicator, Matters, Party, Steps, Timely, detail, step
from fazhi.indicators.sources import maintain
from fazhi.indicators.sources.keys import declared_sources, is_tallied, source_key
from fazhi.indicators.sources.read import gather_tallied
from fazhi.indicators.tests import test_timely as timely_cases
from fazhi.indicators.tests import test_vocabulary as vocab
from fazhi.indicators.tests.test_engine import complaint, do
from fazhi.procedures.importing import import_records
from fazhi.procedures.models import Clock, Matter, Step
from fazhi.procedures.sweeps import recompute_open_deadlines

pytestmark = pytest.mark.django_db

D = dt.date
V, S = vocab.P, timely_cases.P
HEARD = frozenset({"hear"})

SOURCES: list[Any] = [
    Matters(V),
    Matters(V, where=(detail("category", "claim"),)),
    Matters(V, where=(detail("category", "claim", negate=True),)),
    Matters(V, where=(detail("first_time", True),)),
    Matters(V, where=(detail("first_time", True, negate=True),)),
    Matters(V, frozenset({"concluded"}), (step("divert", channel="mediation"),)),
    Matters(V, frozenset({"accepted", "received"})),
    Matters(V, where=(step("divert", negate=True),)),
    Matters(V, where=(step("hear", in_year=True, head_appeared=True),)),
    Matters(V, where=(step("hear", latest=True, head_appeared=True),)),
    Matters(V, where=(Party("organisation"),)),
    Matters(V, cohort="conclude"),
    Matters(V, cohort="conclude", where=(step("request_review", negate=True),)),
    Matters(V, total="amount"),
    Matters(V, frozenset({"concluded"}), total="amount"),
    Steps(Matters(V), HEARD),
    Steps(Matters(V), HEARD, (("head_appeared", frozenset({True})),)),
    Steps(Matters(V, cohort="conclude"), HEARD),
    Steps(Matters(V, frozenset({"concluded"})), HEARD),
    *registry.timely(Matters(S), "sample_case.accept"),
    *registry.timely(Matters(S), "sample_case.accept", frozenset({"accept"})),
    Timely(Matters(S), "sample_case.accept", only="late"),
    Timely(Matters(S), "sample_case.accept", only="overdue"),
    Timely(Matters(S), "sample_case.accept", only="missed"),
    *registry.timely(Matters(S), ("sample_case.accept", "sample_case.conclude")),
    Timely(Matters(S, frozenset({"accepted"})), "sample_case.conclude"),
    Matters("business_complaint", where=(step("accept"),)),
]


def cut_offs() -> list[dt.date]:
    """Every date on which a value can change and the days either side (receipts, steps,
    clock starts, answers and due dates, the year's turn)."""
    events = set(Matter.objects.values_list("received_on", flat=True))
    events |= set(Step.objects.values_list("on", flat=True))
    for field in ("started_on", "answered_on", "due_on"):
        events |= set(Clock.objects.exclude(**{field: None}).values_list(field, flat=True))
    events |= {D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 1)}
    one = dt.timedelta(days=1)
    return sorted({d + k * one for d in events for k in (-1, 0, 1) if (d + k * one).year >= 2024})


def assert_agrees(district: Any, sources: list[Any], days: list[dt.date] | None = None) -> None:
    days = days if days is not None else cut_offs()
    assert days
    for unit in (district["root"], district["a"], district["b"]):
        for as_of in days:
            for year in (2023, 2024):
                if as_of.year < year:
                    continue
                period = period_of(year, as_of)
                want = gather_conditional(sources, unit, period)
                got = gather_tallied(sources, unit, period)
                clean = {o: {s: v for s, v in vs.items() if v} for o, vs in want.items()}
                assert {o: vs for o, vs in clean.items() if vs} == dict(got), (unit.name, period)


@pytest.fixture
def records(district, users):
    """The vocabulary's hand-made matters and the timely rates' (clocks, late and waiting)."""
    made = dict(vocab.cases.__wrapped__(district, users))
    made.update(
        {f"timely_{k}": m for k, m in timely_cases.cases.__wrapped__(district, users).items()}
    )
    b, s = district["b"], users["staff_b"]
    made["at_b"] = vocab.case(
        b, s, D(2024, 6, 1), ("accept", D(2024, 6, 2)), ("hear", D(2024, 6, 3), {}), amount="7.25"
    )
    return made


def test_every_source_kind_agrees_with_the_grouped_queries(district, records):
    assert all(is_tallied(s) for s in SOURCES)
    maintain.rebuild(SOURCES)
    assert SourceBuild.objects.filter(source__in=[source_key(s) for s in SOURCES]).count() == len(
        {source_key(s) for s in SOURCES}
    )
    assert SourceTally.objects.exists()
    assert_agrees(district, SOURCES)


def test_a_source_is_named_by_its_declaration():
    a = Matters(V, where=(detail("category", "claim", "suggestion"),))
    b = Matters(V, where=(detail("category", "suggestion", "claim"),))
    assert source_key(a) == source_key(b)  # sets in any order
    assert source_key(Matters(V, where=(detail("first_time", True),))) != source_key(
        Matters(V, where=(detail("first_time", 1),))
    )
    assert not is_tallied(Matters(V, where=(registry.Linked("repeat_of"),)))


@pytest.fixture
def declared(monkeypatch, db):
    """SOURCES as computed indicators (so the write path keeps them), built on no records."""
    for i, src in enumerate(SOURCES):
        code = (
            "test.accepted_complaints" if src.procedure == "business_complaint" else f"test.src{i}"
        )
        ind = Indicator(code, f"源{i}", "6", "", "件", numerator=src)
        monkeypatch.setitem(registry._INDICATORS, ind.code, ind)
    assert set(SOURCES) <= set(declared_sources())
    maintain.rebuild(SOURCES)
    assert not SourceTally.objects.exclude(n=0).exists()
    yield SOURCES
    maintain.forget_built()


def assert_kept(district: Any) -> None:
    assert maintain.differences()[1] == []
    assert_agrees(district, SOURCES)
    for unit in (district["root"], district["a"]):
        fast = compute_indicators(unit, 2024).values
        base = compute_indicators(unit, 2024, source="base").values
        assert fast == base


def test_the_write_path_keeps_it(district, users, declared, records):
    assert SourceTally.objects.exclude(n=0).exists()  # act() wrote it: nothing was rebuilt
    assert_kept(district)
    # a transfer moves what the matter adds to the other unit, for every cut-off
    moved = complaint(
        district["a"], users["staff_a"], D(2024, 1, 30), ("accept", D(2024, 2, 1), {})
    )
    do(
        moved,
        "transfer",
        users["office"],
        D(2024, 2, 29),
        to_org=str(district["b"].pk),
        reason="职责",
    )
    assert_kept(district)
    b = compute_indicators(district["b"], 2024, D(2024, 2, 28)).values
    assert b["test.accepted_complaints"] == 1
    # the deletion of a matter takes away what it added
    records["timely_waiting"].delete()
    records["reviewed"].delete()
    assert_kept(district)


def test_an_import_and_its_update(district, declared):
    def line(ref, received, steps, **details):
        details.setdefault("category", "claim")
        return {"procedure": V, "reference": ref, "org": str(district["a"].pk),
                "received_on": received, "subject": "导入", "details": details,
                "steps": steps}  # fmt: skip

    first = [
        line("I-1", "2024-02-01", [{"action": "accept", "on": "2024-02-02"}], amount="5"),
        line(
            "I-2",
            "2024-03-01",
            [
                {"action": "accept", "on": "2024-03-02"},
                {"action": "hear", "on": "2024-03-04", "data": {"head_appeared": True}},
            ],
            first_time=True,
        ),
    ]  # fmt: skip
    report = import_records(iter([(i, x, None) for i, x in enumerate(first, 1)]), today=vocab.TODAY)
    assert report.committed and report.created == 2
    assert_kept(district)
    rows = sorted(SourceTally.objects.exclude(n=0).values_list("source", "on", "org", "n"))
    # the same file again: replayed as new, found stored and unchanged, taken back
    again = import_records(iter([(i, x, None) for i, x in enumerate(first, 1)]), today=vocab.TODAY)
    assert again.committed and again.created == 0 and again.unchanged == 2
    assert sorted(SourceTally.objects.exclude(n=0).values_list("source", "on", "org", "n")) == rows
    assert_kept(district)
    # the same lines with more steps: an update of both
    first[0]["steps"].append({"action": "conclude", "on": "2024-04-01"})
    first[1]["steps"].append({"action": "conclude", "on": "2025-01-05"})
    report = import_records(iter([(i, x, None) for i, x in enumerate(first, 1)]), today=vocab.TODAY)
    assert report.committed and report.updated == 2
    assert_kept(district)


def test_recomputed_clocks_move_the_timely_figures(district, users, declared, records):
    clock = Clock.objects.get(matter=records["timely_waiting"], limit="sample_case.accept")
    right = clock.due_on
    Clock.objects.filter(pk=clock.pk).update(due_on=D(2024, 12, 30))  # as if computed wrongly
    call_command("indicators", "rebuild")
    assert maintain.differences()[1] == []
    assert recompute_open_deadlines() >= 1
    assert (
        Clock.objects.get(matter=records["timely_waiting"], limit="sample_case.accept").due_on
        == right
    )
    assert_kept(district)


def test_verify_reports_a_wrong_row_and_rebuild_repairs_it(district, declared, records):
    call_command("indicators", "verify")
    row = SourceTally.objects.exclude(n=0).first()
    SourceTally.objects.filter(pk=row.pk).update(n=row.n + 1)
    with pytest.raises(CommandError, match="条件指标计数"):
        call_command("indicators", "verify")
    call_command("indicators", "rebuild")
    call_command("indicators", "verify")
    assert_kept(district)


def test_an_unbuilt_source_reads_the_base_tables(district, declared, records):
    src = SOURCES[1]
    SourceBuild.objects.filter(source=source_key(src)).delete()
    SourceTally.objects.filter(source=source_key(src)).update(n=0)  # wrong, but not read
    maintain.forget_built()
    fast = compute_indicators(district["root"], 2024).values
    assert fast == compute_indicators(district["root"], 2024, source="base").values
    assert fast["test.src1"] == 4  # the 2024 claims: mediated, reviewed, refused, at_b
