"""Links and assisting units through the bulk import: references resolved to stored matters or
to earlier lines, an unknown reference a rejected line with a plain message."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from fazhi.procedures.importing import import_file, import_records
from fazhi.procedures.models import Matter, MatterAssistant, MatterLink, Step
from fazhi.procedures.tests import link_procedures
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)
L = link_procedures.CODE


def letter(ref: str, received: str = "2025-03-03", steps=(), **details: Any) -> dict[str, Any]:
    return {
        "procedure": L,
        "reference": ref,
        "org": "220302",
        "received_on": received,
        "subject": "反映噪音",
        "details": details,
        "steps": list(steps),
    }


def sample(ref: str, received: str = "2025-03-06") -> dict[str, Any]:
    return {
        "procedure": "sample_case",
        "reference": ref,
        "org": "220302",
        "received_on": received,
        "subject": "反映噪音",
        "details": {"category": "goods"},
    }


def records(*lines: dict[str, Any]):
    return iter([(i, line, None) for i, line in enumerate(lines, start=1)])


def run(*lines: dict[str, Any], **kw: Any):
    return import_records(records(*lines), today=TODAY, **kw)


def test_a_repeat_links_to_an_earlier_line(district):
    report = run(letter("L-1"), letter("L-2", "2025-04-01", repeat_of="L-1"))
    assert report.committed and report.created == 2
    link = MatterLink.objects.get()
    assert (link.source.reference, link.target.reference, link.kind) == ("L-2", "L-1", "repeat_of")
    assert link.created_on == D(2025, 4, 1)
    assert link.step == Step.objects.get(matter=link.source, seq=1)


def test_links_across_batches_and_to_stored_matters(district, users):
    stored = make_matter(L, district["root"], users["admin"], D(2025, 2, 1), today=TODAY)
    report = run(
        letter("L-1"),
        letter("L-2", repeat_of="L-1"),
        letter("L-3", repeat_of=stored.reference),
        batch_size=1,  # every line its own batch
    )
    assert report.committed and report.created == 3
    assert sorted(MatterLink.objects.values_list("source__reference", "target__reference")) == [
        ("L-2", "L-1"),
        ("L-3", stored.reference),
    ]


def test_an_unknown_reference_rejects_the_line(district):
    report = run(letter("L-1"), letter("L-2", repeat_of="L-404"))
    assert not report.committed and not Matter.objects.exists()
    [error] = report.errors
    assert (error.line, error.field) == (2, "details.repeat_of")
    assert "找不到编号为“L-404”的关联测试信件" in error.message


def test_a_reference_to_a_later_line_is_refused_whatever_the_batches(district):
    for size in (1, 100):
        report = run(letter("L-2", repeat_of="L-1"), letter("L-1"), batch_size=size)
        assert [e.line for e in report.errors] == [1]
        assert "先于本行出现" in report.errors[0].message


def test_skipping_invalid_lines_writes_the_rest_and_no_orphans(district):
    report = run(
        letter("L-1"),
        letter("L-2", repeat_of="L-404"),
        letter("L-3", repeat_of="L-2"),  # names a refused line: refused too
        letter("L-4", repeat_of="L-1"),
        skip_invalid=True,
    )
    assert report.committed and report.created == 2
    assert [e.line for e in report.errors] == [2, 3]
    assert set(Matter.objects.values_list("reference", flat=True)) == {"L-1", "L-4"}
    assert MatterLink.objects.count() == 1 and Step.objects.count() == 2


def test_a_step_links_by_reference(district):
    merge = {"action": "merge", "on": "2025-03-05", "data": {"into": "L-1"}}
    run(letter("L-1"), letter("L-2", steps=[merge]))
    link = MatterLink.objects.get()
    assert (link.source.reference, link.kind, link.created_on) == (
        "L-2",
        "merged_into",
        D(2025, 3, 5),
    )
    assert link.step.action == "merge"


def test_a_step_with_an_unknown_reference_names_the_step(district):
    merge = {"action": "merge", "on": "2025-03-05", "data": {"into": "L-9"}}
    report = run(letter("L-2", steps=[merge]))
    assert [(e.line, e.field) for e in report.errors] == [(1, "steps[0].data.into")]


def test_a_diversion_links_to_the_imported_matter_it_opened(district):
    steps = [
        {"action": "accept", "on": "2025-03-04"},
        {
            "action": "divert",
            "on": "2025-03-06",
            "data": {"channel": "sample_case", "target_reference": "SP-X-1"},
        },
    ]
    report = run(sample("SP-X-1"), letter("L-1", steps=steps))
    assert report.committed
    link = MatterLink.objects.get()
    assert (link.source.reference, link.target.procedure, link.kind) == (
        "L-1",
        "sample_case",
        "diverted_to",
    )
    # without a reference an import opens nothing (the opened matter is a line of its own)
    steps[1]["data"] = {"channel": "sample_case"}
    assert run(letter("L-2", steps=steps)).committed
    assert (
        MatterLink.objects.count() == 1
        and Matter.objects.filter(procedure="sample_case").count() == 1
    )


def test_a_line_may_not_link_to_itself(district):
    report = run(letter("L-1", repeat_of="L-1"))
    assert "不能关联到自身" in report.errors[0].message


def test_an_update_adds_the_links_of_its_new_steps(district):
    run(letter("L-1"), letter("L-2"))
    merge = {"action": "merge", "on": "2025-03-05", "data": {"into": "L-1"}}
    report = run(letter("L-2", steps=[merge]))
    assert report.updated == 1
    assert MatterLink.objects.get().source.reference == "L-2"
    # the same file again: unchanged, and the link is not made twice
    assert run(letter("L-2", steps=[merge])).unchanged == 1
    assert MatterLink.objects.count() == 1


def test_assisting_units_through_import(district):
    add = {"action": "add_assistant", "on": "2025-03-07", "data": {"org": str(district["b"].pk)}}
    assert run(sample("SP-X-1") | {"steps": [add]}).committed
    row = MatterAssistant.objects.get()
    assert (row.org, row.added_on, row.step.action) == (
        district["b"],
        D(2025, 3, 7),
        "add_assistant",
    )


def test_links_through_parallel_workers(district, tmp_path: Path):
    lines = [letter("L-1"), *(letter(f"L-{i}", repeat_of="L-1") for i in range(2, 40))]
    path = tmp_path / "links.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    report = import_file(path, today=TODAY, parallel=True, workers=2, batch_size=5)
    assert report.committed and report.created == 39
    assert MatterLink.objects.filter(target__reference="L-1").count() == 38
