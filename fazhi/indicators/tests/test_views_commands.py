"""Dashboard and drill-down pages (smoke, scope, CSV), the activity form, and the commands."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from fazhi.core import clock
from fazhi.indicators.engine.conditional import query_families
from fazhi.indicators.registry import (
    Entries,
    Matters,
    Steps,
    Timely,
    all_indicators,
    pending_indicators,
)
from fazhi.procedures.activities import record_activity
from fazhi.procedures.models import Activity
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 30)


@pytest.fixture
def data(district, users):
    s = users["staff_a"]
    m = make_matter("business_complaint", district["a"], s, D(2024, 3, 1), today=TODAY)
    act(m, "accept", s, D(2024, 3, 2), today=TODAY)
    other = make_matter(
        "mailbox_letter", district["b"], users["staff_b"], D(2024, 4, 1), today=TODAY
    )
    return {"a": m, "b": other}


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


FIXED_QUERIES = 20


def test_dashboard_smoke(client, users, district, data, django_assert_max_num_queries):
    client.force_login(users["office"])
    # A fixed number (session, scope, activities, the intake-by-channel chart …), and one
    # grouped query per family of conditional sources: it grows with the procedures the
    # domains declare, never with the indicators, matters or units.
    families = query_families(
        s
        for ind in all_indicators()
        for s in (ind.numerator, ind.denominator)
        if isinstance(s, Matters | Steps | Timely | Entries)
    )
    with clock.frozen(TODAY), django_assert_max_num_queries(FIXED_QUERIES + families):
        r = client.get(reverse("indicators:dashboard"), {"org": district["root"].pk, "year": 2024})
    html = r.content.decode()
    assert r.status_code == 200
    assert "（一）政府履职" in html and "（七）制约监督" in html
    # a figure whose procedure is not built yet says so (none left once every domain is in)
    assert ("—（尚未建立该程序）" in html) == bool(pending_indicators())
    assert "<svg" in html and "各单位比较" in html
    assert 'data-code="business_complaint.received"' in html
    assert "每月收到事项（按渠道）" in html
    assert '<div class="code">' not in html  # indicator codes only on request
    assert "<details" in html  # sections folded


def test_dashboard_opens_on_the_latest_year_with_records_and_the_cut_off_follows_the_year(
    client, users, district, data
):
    client.force_login(users["office"])
    url = reverse("indicators:dashboard")
    with clock.frozen(TODAY):
        html = client.get(url, {"org": district["root"].pk}).content.decode()
        assert "显示有记录的最近年度：2024年" in html
        assert '<span data-testid="as-of">2024-12-31</span>' in html
        # the form kept 2026's cut-off while the year changed to 2024: it follows the year
        html = client.get(
            url,
            {"org": district["root"].pk, "year": 2024, "as_of": "2026-12-31", "as_of_year": 2026},
        ).content.decode()
        assert '<span data-testid="as-of">2024-12-31</span>' in html
        html = client.get(
            url,
            {"org": district["root"].pk, "year": 2024, "as_of": "2024-06-30", "as_of_year": 2024},
        ).content.decode()
        assert '<span data-testid="as-of">2024-06-30</span>' in html
        html = client.get(url, {"year": 2024, "codes": 1}).content.decode()
        assert '<div class="code">business_complaint.received</div>' in html


def test_dashboard_bad_year_and_date_are_explained(client, users, district):
    r = get(
        client, users["office"], reverse("indicators:dashboard"), year="abc", as_of="2024-02-30"
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "年度“abc”无效" in html and "截止日期“2024-02-30”格式错误" in html


def test_department_sees_only_its_subtree(client, users, district, data):
    url = reverse("indicators:dashboard")
    r = get(client, users["staff_a"], url)
    html = r.content.decode()
    assert r.status_code == 200
    assert district["a"].name in html or district["a"].label in html
    assert f'value="{district["b"].pk}"' not in html
    assert get(client, users["staff_a"], url, org=district["b"].pk).status_code == 404
    drill = reverse("indicators:drill", args=["mailbox_letter.received"])
    assert get(client, users["staff_a"], drill, org=district["b"].pk, year=2024).status_code == 404
    assert get(client, users["staff_b"], drill, org=district["b"].pk, year=2024).status_code == 200


def test_drill_down_page_and_csv(client, users, district, data):
    url = reverse("indicators:drill", args=["business_complaint.in_scope"])
    r = get(client, users["staff_a"], url, org=district["a"].pk, year=2024)
    html = r.content.decode()
    assert r.status_code == 200
    assert f"/workbench/matters/{data['a'].pk}/" in html
    assert '<dd id="record-count">1</dd>' in html
    r = get(client, users["staff_a"], url, org=district["a"].pk, year=2024, format="csv")
    body = b"".join(r.streaming_content).decode()
    assert r["Content-Type"].startswith("text/csv")
    assert data["a"].reference in body and len(body.strip().splitlines()) == 2
    missing = reverse("indicators:drill", args=["no.such"])
    assert get(client, users["staff_a"], missing, year=2024).status_code == 404


def test_anonymous_goes_to_login(client):
    r = client.get(reverse("indicators:dashboard"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_activity_form_records_and_reports_errors(client, users, district):
    client.force_login(users["staff_a"])
    url = reverse("indicators:activity-create")
    r = client.post(
        url,
        {
            "kind": "dispute_screening",
            "org": district["a"].pk,
            "on": "2024-05-01",
            "title": "",
            "found": "-1",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200 and "errorlist" in html
    assert not Activity.objects.exists()
    r = client.post(
        url,
        {
            "kind": "dispute_screening",
            "org": district["b"].pk,
            "on": "2024-05-01",
            "title": "排查",
            "found": "2",
        },
    )
    assert r.status_code == 200 and not Activity.objects.exists()  # b is outside staff_a's scope
    with clock.frozen(TODAY):
        r = client.post(
            url,
            {
                "kind": "dispute_screening",
                "org": district["a"].pk,
                "on": "2024-05-01",
                "title": "春季排查",
                "found": "2",
                "resolved": "1",
            },
        )
    assert r.status_code == 302
    a = Activity.objects.get()
    assert a.figures == {"found": 2, "resolved": 1} and a.created_by == users["staff_a"]
    r = get(client, users["staff_a"], reverse("indicators:activity-list"))
    assert "春季排查" in r.content.decode()
    r = get(client, users["staff_b"], reverse("indicators:activity-list"))
    assert "春季排查" not in r.content.decode()


def test_leader_cannot_record(client, users):
    r = get(
        client, users["leader"], reverse("indicators:activity-create"), kind="field_supervision"
    )
    assert "只能查看" in r.content.decode()


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_report_json_and_table(district, data, pending_code):
    out = run("report", "indicators", "--org", "220302", "--year", "2024", "--format", "json")
    payload = json.loads(out)
    assert payload["org"] == "220302" and payload["year"] == 2024
    assert payload["values"]["business_complaint.in_scope"] == 1
    assert payload["values"][pending_code] is None
    table = run(
        "report", "indicators", "--org", "220302", "--year", "2024", "--as-of", "2024-03-01"
    )
    assert "营商环境投诉举报案件" in table
    assert ("—（尚未建立该程序）" in table) == bool(pending_indicators())


def test_report_xlsx(district, data, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "ind.xlsx"
    run(
        "report",
        "indicators",
        "--org",
        "220302",
        "--year",
        "2024",
        "--format",
        "xlsx",
        "-o",
        str(path),
    )
    sheet = load_workbook(path)["指标"]
    codes = {row[1].value: row[3].value for row in sheet.iter_rows(min_row=3)}
    assert codes["business_complaint.received"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "999999", "--year", "2024"], "找不到机构"),
        (["--org", "220302", "--year", "1800"], "年度"),
        (["--org", "220302", "--year", "2024", "--as-of", "2024-02-30"], "格式错误"),
        (["--org", "220302", "--year", "2024", "--format", "xlsx"], "-o"),
    ],
)
def test_report_errors_in_chinese(district, args, message):
    with pytest.raises(CommandError, match=message):
        run("report", "indicators", *args)


def test_activities_import_export_round_trip(district, tmp_path):
    good = tmp_path / "a.jsonl"
    good.write_text(
        '{"kind":"dispute_screening","on":"2024-03-02","org":"220302","title":"排查","reference":"P1","figures":{"found":3}}\n'
        '{"kind":"field_supervision","on":"2024-04-02","org":"220302","title":"督查","reference":"D1"}\n',
        encoding="utf-8",
    )
    with clock.frozen(TODAY):
        assert "新增 2 项" in run("activities", "import", str(good))
        assert "跳过 2 项" in run("activities", "import", str(good))
    bad = tmp_path / "b.jsonl"
    bad.write_text(
        '{"kind":"dispute_screening","on":"2024-03-03","org":"220302","title":"排查","reference":"P2","figures":{"found":1}}\n'
        '{"kind":"dispute_screening","on":"2024-13-03","org":"220302","title":"排查","reference":"P3","figures":{"found":1}}\n'
        '{"kind":"nope","reference":"x"}\n',
        encoding="utf-8",
    )
    with clock.frozen(TODAY), pytest.raises(CommandError, match="第 2 行") as exc:
        run("activities", "import", str(bad))
    assert "第 3 行" in str(exc.value)
    assert Activity.objects.count() == 2  # all or nothing
    csv_path = tmp_path / "out.csv"
    run("activities", "export", "--format", "csv", "-o", str(csv_path))
    text = csv_path.read_text(encoding="utf-8")
    assert "found" in text and "P1" in text
    Activity.objects.all().delete()
    with clock.frozen(TODAY):
        assert "新增 2 项" in run("activities", "import", str(csv_path))
    assert Activity.objects.get(reference="P1").figures == {"found": 3}


def test_indicators_verify_and_rebuild(district, data):
    assert "核对通过" in run("indicators", "verify", "--org", "220302", "--year", "2024")
    assert "已重建" in run("indicators", "rebuild")
    from fazhi.indicators.models import StateTally

    StateTally.objects.filter(org=data["a"].org).delete()
    with pytest.raises(CommandError, match="不一致"):
        run("indicators", "verify")
    with clock.frozen(TODAY):
        record_activity("field_supervision", org=district["a"], on=D(2024, 1, 3), title="督查")
