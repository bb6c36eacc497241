"""Heads' duties (report section 三): the register of heads in office, one law report a year
each, its evaluation, and the coverage over the heads in office at the cut-off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.accountability.models import Head
from fazhi.core.registers import save_entry
from fazhi.indicators.engine import compute_indicators, drill_down
from fazhi.procedures.errors import InvalidData, NotAllowed
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date
JAN_2023 = D(2023, 1, 1)
DEC_5 = D(2024, 12, 5)


def _head(org, name, start=JAN_2023, end=None):
    values = {"org": org, "name": name, "post": "局长", "organ": org.name}
    values.update(organ_kind="department", valid_from=start, valid_to=end)
    return save_entry(Head, values, by=None)


def _report(org, name, by, on=DEC_5, year=2024):
    return register_matter(
        "law_report",
        org=org,
        received_on=on,
        subject=f"{name}述法",
        by=by,
        details={"head_name": name, "year": year, "form": "written"},
    )


def test_coverage_counts_evaluated_reports_over_heads_in_office(district, users):
    a, b, office = district["a"], district["b"], users["office"]
    _head(a, "张立新")
    _head(b, "李海峰")
    _head(b, "王志强", end=D(2024, 6, 30))  # left office: not in the denominator
    first = _report(a, "张立新", users["staff_a"])
    _report(b, "李海峰", users["staff_b"])  # reported, not yet evaluated
    act(first, "evaluate", office, D(2024, 12, 20), score=92, grade="excellent", comments="好")
    values = compute_indicators(district["root"], 2024).values
    assert values["accountability.law_reports"] == 1
    assert values["accountability.heads_in_office"] == 2
    assert values["accountability.law_report_coverage"] == Decimal(50)
    assert list(drill_down("accountability.law_reports", district["root"], 2024)) == [first]
    # evaluated after the cut-off: not counted as of 30 December
    assert (
        compute_indicators(district["root"], 2024, D(2024, 12, 19)).values[
            "accountability.law_reports"
        ]
        == 0
    )


def test_the_evaluation_records_score_grade_and_comments(district, users):
    a = district["a"]
    _head(a, "张立新")
    report = _report(a, "张立新", users["staff_a"])
    with pytest.raises(NotAllowed):  # the unit does not evaluate its own head
        act(
            report,
            "evaluate",
            users["staff_a"],
            D(2024, 12, 20),
            score=90,
            grade="good",
            comments="x",
        )
    with pytest.raises(InvalidData, match="不能大于 100"):
        act(
            report,
            "evaluate",
            users["office"],
            D(2024, 12, 20),
            score=101,
            grade="good",
            comments="x",
        )
    act(
        report,
        "evaluate",
        users["office"],
        D(2024, 12, 20),
        score=88,
        grade="good",
        comments="较好",
    )
    report.refresh_from_db()
    assert report.state == "evaluated" and report.outcome == "good"
    assert report.details["score"] == 88


def test_only_a_head_in_office_reports_and_only_once_a_year(district, users):
    a, s = district["a"], users["staff_a"]
    _head(a, "张立新", start=D(2024, 7, 1))
    with pytest.raises(InvalidData, match="没有在任的党政主要负责人“赵某某”"):
        _report(a, "赵某某", s)
    with pytest.raises(InvalidData, match="没有在任"):
        _report(a, "张立新", s, on=D(2024, 6, 1))  # before taking office
    _report(a, "张立新", s)
    with pytest.raises(InvalidData, match="已登记2024年度的述法"):
        _report(a, "张立新", s, on=D(2024, 12, 6))


def test_no_heads_in_office_gives_no_rate(district):
    values = compute_indicators(district["root"], 2024).values
    assert values["accountability.law_report_coverage"] is None
