"""The heads' duties screen: heads in office at the cut-off with their law reports, scores and
comments, the coverage (the same figure as the indicator here), the register's own screens,
the activities in the workbench; a department sees its own heads only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.accountability.models import Head
from fazhi.accountability.views import head_rows
from fazhi.core import clock
from fazhi.core.registers import save_entry
from fazhi.indicators.engine import compute_indicators
from fazhi.procedures.activities import record_activity
from fazhi.procedures.models import Activity
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 3, 1)
JAN_2023 = D(2023, 1, 1)


def head(org, name, start=JAN_2023, end=None):
    values = {"org": org, "name": name, "post": "局长", "organ": org.name}
    values.update(organ_kind="department", valid_from=start, valid_to=end)
    return save_entry(Head, values, by=None)


def report(org, name, by):
    return register_matter(
        "law_report",
        org=org,
        received_on=D(2024, 12, 5),
        subject=f"{name}2024年度述法",
        by=by,
        details={"head_name": name, "year": 2024, "form": "written"},
        today=TODAY,
    )


@pytest.fixture
def heads(district, users):
    a, b = district["a"], district["b"]
    head(a, "张立新")
    head(b, "李海峰")
    head(district["street"], "赵国庆")
    head(b, "王志强", end=D(2024, 6, 30))  # left office before the cut-off
    first = report(a, "张立新", users["staff_a"])
    report(b, "李海峰", users["staff_b"])
    act(
        first,
        "evaluate",
        users["office"],
        D(2024, 12, 20),
        score=92,
        grade="excellent",
        comments="述法内容全面，履职到位。",
        today=TODAY,
    )
    return first


def get(client, user, **params):
    client.force_login(user)
    with clock.frozen(TODAY):
        r = client.get(reverse("accountability:home"), {"year": 2024, **params})
    assert r.status_code == 200
    return r.content.decode()


def test_each_head_in_office_with_the_report_score_and_comments(client, users, heads):
    html = get(client, users["office"])
    assert "张立新" in html and "92" in html and "述法内容全面，履职到位。" in html
    assert "李海峰" in html and "待评议" in html
    assert "赵国庆" in html and "未述法" in html
    assert "王志强" not in html  # out of office on 31 December
    missing = get(client, users["office"], show="未述法")
    assert "赵国庆" in missing and "张立新" not in missing


def test_the_coverage_is_the_indicators_figure(client, users, heads, district):
    rows = head_rows(users["office"], 2024, D(2024, 12, 31))
    assert [r.status for r in rows] == ["已评议", "待评议", "未述法"]
    html = get(client, users["office"])
    assert "述法评议覆盖率 <strong>33.3%</strong>" in html
    values = compute_indicators(district["root"], 2024).values
    assert float(values["accountability.law_report_coverage"]) == pytest.approx(100 / 3, abs=0.1)


def test_an_evaluation_after_the_cut_off_does_not_count(users, heads):
    rows = head_rows(users["office"], 2024, D(2024, 12, 19))
    assert [r.status for r in rows] == ["待评议", "待评议", "未述法"]


def test_a_department_sees_its_own_heads(client, users, heads):
    html = get(client, users["staff_b"])
    assert "李海峰" in html and "张立新" not in html


def test_the_register_screens_list_and_show_a_head(client, users, heads):
    client.force_login(users["office"])
    listed = client.get(reverse("workbench:register-list", args=["accountability", "head"]))
    assert listed.status_code == 200 and "张立新" in listed.content.decode()
    entry = Head.objects.get(name="张立新")
    shown = client.get(
        reverse("workbench:register-detail", args=["accountability", "head", entry.pk])
    )
    assert shown.status_code == 200 and "局长" in shown.content.decode()
    client.force_login(users["staff_b"])  # another department's head: 404
    assert (
        client.get(
            reverse("workbench:register-detail", args=["accountability", "head", entry.pk])
        ).status_code
        == 404
    )


def test_study_sessions_and_meetings_are_activities_in_the_workbench(client, users, district):
    record_activity(
        "law_study",
        org=district["root"],
        on=D(2024, 4, 16),
        title="理论学习中心组专题学习习近平法治思想",
        figures={"attendees": 32},
        by=users["office"],
    )
    html = get(client, users["office"])
    assert "领导干部专题学法</a>：1次" in html and "听取法治工作汇报</a>：0次" in html
    client.force_login(users["office"])
    listed = client.get(reverse("indicators:activity-list"), {"kind": "law_study", "year": 2024})
    assert "理论学习中心组专题学习习近平法治思想" in listed.content.decode()
    with clock.frozen(TODAY):
        form = client.get(reverse("indicators:activity-create"), {"kind": "law_briefing"})
        assert form.status_code == 200 and "听取法治工作汇报" in form.content.decode()
        r = client.post(
            reverse("indicators:activity-create"),
            {
                "kind": "law_briefing",
                "org": district["root"].pk,
                "on": "2024-06-26",
                "title": "听取第2季度法治工作汇报",
                "reference": "",
                "note": "",
            },
        )
    assert r.status_code == 302
    assert Activity.objects.of("law_briefing").count() == 1
