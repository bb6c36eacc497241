"""Drafting in the workbench: assign, draft (versions, diff), approve, issue (frozen figures),
the next draft's changes, the public page."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core.tasks import run_pending
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter
from fazhi.reports import drafting, services
from fazhi.reports.assembly import ReportError
from fazhi.reports.models import ReportIssue, ReportState, SectionState
from fazhi.reports.renderers.pdf import soffice

D = dt.date
TODAY = D(2025, 6, 30)


@pytest.fixture
def complaints(district, users):
    """Three complaints of 2024: one refused, one concluded and rated, one still in hand."""
    a, s = district["a"], users["staff_a"]
    refused = make_matter("business_complaint", a, s, D(2024, 1, 5), today=TODAY)
    act(refused, "refuse", s, D(2024, 1, 8), today=TODAY, reason="不属于受理范围")
    done = make_matter("business_complaint", a, s, D(2024, 2, 1), today=TODAY)
    act(done, "accept", s, D(2024, 2, 2), today=TODAY)
    act(done, "conclude", s, D(2024, 2, 20), today=TODAY, result="已解决")
    act(done, "rate", None, D(2024, 2, 25), public=True, today=TODAY, satisfaction="satisfied")
    open_one = make_matter("business_complaint", a, s, D(2024, 11, 4), today=TODAY)
    act(open_one, "accept", s, D(2024, 11, 5), today=TODAY)
    return {"open": open_one}


def test_one_more_complaint_concluded_changes_exactly_its_figures(district, users, complaints):
    office = users["office"]
    report = drafting.create_report(district["root"], 2024, by=office)
    with pytest.raises(ReportError, match="需填写带问题印发的理由"):
        drafting.issue(report, office)
    issue = drafting.issue(report, office, issued_on=D(2025, 3, 20), reason="部分程序尚未上线。")
    issued_before = services.issued(issue)
    assert issued_before.figures["business_complaint.concluded"].value == 1
    assert drafting.changes_since_issue(report) == []

    s = users["staff_a"]
    act(complaints["open"], "conclude", s, D(2024, 12, 20), today=TODAY, result="已协调解决")

    changes = drafting.changes_since_issue(report)
    assert {c.code: (c.issued, c.now) for c in changes} == {
        "business_complaint.concluded": ("1", "2"),
        "business_complaint.in_progress": ("1", "0"),
    }
    draft = drafting.draft_of(report)
    text = "".join(
        p.text
        for sec in draft.sections
        if sec.key == "1.1"
        for para in sec.paragraphs
        for p in para
    )
    assert "2件已办结，0件办理中" in text
    # the issued version is what was issued, whatever the records say now
    issue.refresh_from_db()
    again = services.issued(ReportIssue.objects.get(pk=issue.pk))
    assert again.figures == issued_before.figures
    text = "".join(
        p.text
        for sec in again.sections
        if sec.key == "1.1"
        for para in sec.paragraphs
        for p in para
    )
    assert "1件已办结，1件办理中" in text
    assert again.as_json()["frozen"] is True
    assert issue.reason == "部分程序尚未上线。" and issue.failures


def login(client, user):
    client.force_login(user)
    return client


def test_assign_draft_submit_approve_issue_and_publish(client, district, users, complaints):
    office, staff_a, staff_b = users["office"], users["staff_a"], users["staff_b"]
    login(client, office)
    response = client.post(reverse("reports:list"), {"org": district["root"].pk, "year": "2024"})
    report = district["root"].annual_reports.get(year=2024)
    assert response.status_code == 302
    assert report.publish_due_on == D(2025, 3, 31) and report.sections_due_on == D(2025, 3, 1)
    detail = reverse("reports:detail", args=[report.pk])
    client.post(
        detail,
        {"action": "assign", "key": "1.1", "department": district["a"].pk, "due_on": "2025-02-28"},
    )
    section = report.sections.get(key="1.1")
    assert (section.department, section.due_on, section.state) == (
        district["a"],
        D(2025, 2, 28),
        SectionState.ASSIGNED,
    )

    # the department sees it in its tasks, drafts it with its own figures live, submits it
    login(client, staff_a)
    page = client.get(reverse("reports:list")).content.decode()
    assert "（一）聚焦作用发挥" in page and "2025-02-28" in page
    url = reverse("reports:section", args=[report.pk, "1.1"])
    text = "接到营商环境投诉举报案件{{ business_complaint.received }}件，{{ business_complaint.concluded }}件已办结。"
    preview = client.post(reverse("reports:preview", args=[report.pk, "1.1"]), {"text": text})
    assert "接到营商环境投诉举报案件" in preview.content.decode()
    assert ">3</a>件" in preview.content.decode()
    bad = client.post(url, {"text": "{{ business_complaint.recieved }}", "action": "save"})
    assert bad.status_code == 400 and "不是已知的指标代码" in bad.content.decode()
    client.post(url, {"text": text, "action": "submit", "note": "初稿报送"})
    section.refresh_from_db()
    assert section.state == SectionState.SUBMITTED and section.text == text
    versions = list(section.versions.order_by("number"))
    assert [(v.number, v.by) for v in versions] == [(1, office), (2, staff_a)]
    diff = client.get(reverse("reports:diff", args=[report.pk, "1.1"]) + "?a=1&b=2")
    assert "<ins>+接到营商环境投诉举报案件" in diff.content.decode()
    # after submission the department can no longer change it; another unit cannot see it
    assert client.post(url, {"text": "改", "action": "save"}).status_code == 403
    login(client, staff_b)
    assert client.get(url).status_code == 404
    assert client.get(detail).status_code == 404

    # the office approves the section and the report, then issues it with a reason
    login(client, office)
    client.post(url, {"action": "approve"})
    client.post(detail, {"action": "approve"})
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    refused = client.post(detail, {"action": "issue", "issued_on": "2025-03-20"}, follow=True)
    assert "需填写带问题印发的理由" in refused.content.decode()
    assert not report.issues.exists()
    client.post(
        detail, {"action": "issue", "issued_on": "2025-03-20", "reason": "待补数字尚无程序。"}
    )
    issue = report.issues.get()
    assert issue.reason == "待补数字尚无程序。"

    # the public page, for anyone: the issued text with the issued figures
    client.logout()
    public = client.get(reverse("reports_public:detail", args=[issue.pk])).content.decode()
    assert (
        "接到营商环境投诉举报案件" in public
        and 'href="#fig-2024-business_complaint-received"' in public
    )
    assert "2025年3月20日" in public
    listing = client.get(reverse("reports_public:list")).content.decode()
    assert reverse("reports_public:detail", args=[issue.pk]) in listing
    # the pdf is rendered in the background (fazhi worker); here the queue runs in-process
    assert client.get(reverse("reports_public:pdf", args=[issue.pk])).status_code == 404
    if soffice() is not None:
        run_pending()
        issue.refresh_from_db()
        assert issue.pdf
        pdf = client.get(reverse("reports_public:pdf", args=[issue.pk]))
        assert pdf.status_code == 200
        assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_only_the_office_assigns_approves_and_issues(district, users, complaints):
    report = drafting.create_report(district["root"], 2024, by=users["office"])
    section = report.sections.get(key="1.6")
    with pytest.raises(ReportError, match="只有依法治区办"):
        drafting.assign(section, district["a"], None, users["staff_a"])
    with pytest.raises(ReportError, match="只有依法治区办"):
        drafting.issue(report, users["staff_a"], reason="x")
    drafting.assign(section, district["a"], None, users["office"])
    section.refresh_from_db()
    assert section.due_on == D(2025, 3, 1)  # the report's default: 1 March
    assert drafting.may_edit(users["staff_a"], section)
    assert not drafting.may_edit(users["staff_b"], section)


def test_the_workbench_queue_lists_the_sections_to_draft_and_the_report_to_issue(
    client, district, users
):
    office = users["office"]
    report = drafting.create_report(district["root"], 2024, by=office)
    section = report.sections.get(key="1.6")
    drafting.assign(section, district["a"], D(2025, 2, 28), office)
    client.force_login(users["staff_a"])
    home = client.get(reverse("workbench:home")).content.decode()
    assert "2024年度报告 （六）聚焦公平正义，矛盾化解更加精准" in home
    assert reverse("reports:section", args=[report.pk, "1.6"]) in home and "2025-02-28" in home
    client.force_login(users["staff_b"])  # another department: not its task
    assert 'id="report-tasks"' not in client.get(reverse("workbench:home")).content.decode()
    client.force_login(office)
    home = client.get(reverse("workbench:home")).content.decode()
    assert "印发并向社会公开" in home and "2025-03-31" in home


def test_the_issued_report_keeps_its_charts_and_the_public_page_shows_them(
    client, district, users, complaints
):
    from fazhi.reports import charts

    try:
        charts.cjk_font()
    except charts.ChartsUnavailableError:
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    office = users["office"]
    report = drafting.create_report(district["root"], 2024, by=office)
    issue = drafting.issue(report, office, issued_on=D(2025, 3, 20), reason="部分程序尚未上线。")
    months = issue.charts["months"]
    assert sum(sum(v) for v in months.values()) == 3  # the three complaints of 2024

    # a complaint received later in 2024 changes the draft's chart, not the issued one
    make_matter("business_complaint", district["a"], users["staff_a"], D(2024, 12, 2), today=TODAY)
    now = charts.chart_data(report.org, 2024, drafting.draft_of(report).as_of)
    assert sum(sum(v) for v in now["months"].values()) == 4
    public = client.get(reverse("reports_public:detail", args=[issue.pk])).content.decode()
    assert "2024年各月受理事项（按渠道）" in public and 'src="data:image/svg+xml;base64,' in public
    table = public[public.index("各月受理事项（按渠道）（数据表）") :]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == 1 + len(months)  # the frozen series, one row a channel
    assert ">3</td>" in table and ">4</td>" not in table


def test_the_office_sets_the_due_dates_and_sections_on_the_default_follow(
    client, district, users, complaints
):
    office, staff_a = users["office"], users["staff_a"]
    report = drafting.create_report(district["root"], 2024, by=office)
    sections = report.sections.all()
    drafting.assign(sections.get(key="1.1"), district["a"], None, office)  # the default date
    drafting.assign(sections.get(key="1.2"), district["a"], D(2025, 2, 10), office)  # its own
    detail = reverse("reports:detail", args=[report.pk])
    login(client, office)
    page = client.get(detail).content.decode()
    assert 'name="sections_due_on" value="2025-03-01"' in page
    client.post(
        detail,
        {"action": "due", "sections_due_on": "2025-02-20", "publish_due_on": "2025-03-25"},
    )
    report.refresh_from_db()
    assert (report.sections_due_on, report.publish_due_on) == (D(2025, 2, 20), D(2025, 3, 25))
    assert sections.get(key="1.1").due_on == D(2025, 2, 20)
    assert sections.get(key="1.2").due_on == D(2025, 2, 10)

    # refusals in plain Chinese, nothing changed
    for data, message in (
        ({"sections_due_on": "2025-03-30", "publish_due_on": "2025-03-01"}, "不能早于"),
        ({"sections_due_on": "2025-02-30", "publish_due_on": "2025-03-25"}, "格式错误"),
        ({"sections_due_on": "", "publish_due_on": "2025-03-25"}, "请填写各部门报送期限"),
        ({"sections_due_on": "2027-01-01", "publish_due_on": "2027-03-01"}, "期限应在"),
    ):
        answer = client.post(detail, {"action": "due", **data}, follow=True)
        assert message in answer.content.decode(), data
    report.refresh_from_db()
    assert report.publish_due_on == D(2025, 3, 25)
    login(client, staff_a)
    client.post(
        detail, {"action": "due", "sections_due_on": "2025-01-01", "publish_due_on": "2025-01-02"}
    )
    report.refresh_from_db()
    assert report.sections_due_on == D(2025, 2, 20)
