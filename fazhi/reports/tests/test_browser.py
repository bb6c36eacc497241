"""The annual report in a real browser: the office assigns a section, the department drafts it
(its figures previewed live) and submits it, the office approves and issues, the public page
shows the issued report. Playwright drives Debian's chromium (fazhi.core.tests.browser)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connections

from fazhi.core.tests.browser import require_browser
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter
from fazhi.reports.models import ReportIssue

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
PASSWORD = "browser-test-Pw-2024"
TODAY = dt.date(2025, 6, 30)


def log_in(browser, url, user):
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{url}/workbench/**")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_assign_draft_approve_issue_and_publish_in_a_browser(
    live_server, district, users, monkeypatch
):
    chromium = require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    office, staff = users["office"], users["staff_a"]
    for user in (office, staff):
        user.set_password(PASSWORD)
        user.save()
    for day in (dt.date(2024, 4, 1), dt.date(2024, 7, 1)):
        m = make_matter("business_complaint", district["a"], staff, day, today=TODAY)
        act(m, "accept", staff, day + dt.timedelta(days=1), today=TODAY)
    url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            # the office creates the 2024 report and assigns （一） to the justice bureau
            desk = log_in(browser, url, office)
            desk.get_by_role("link", name="年度报告").first.click()
            desk.get_by_label("年度", exact=True).fill("2024")
            desk.get_by_role("button", name="建立年度报告").click()
            expect(desk.get_by_role("heading", level=1)).to_contain_text("2024年度")
            row = desk.locator("#row-1\\.1")
            row.get_by_label("承办部门").select_option(
                label=district["a"].short_name or district["a"].name
            )
            row.get_by_label("报送期限").fill("2025-02-28")
            row.get_by_role("button", name="分配").click()
            expect(desk.locator("#row-1\\.1 .state")).to_have_text("起草中")

            # the department finds it among its tasks, drafts it with its figures live, submits
            dept = log_in(browser, url, staff)
            dept.goto(f"{url}/workbench/reports/")
            dept.get_by_role("link", name="（一）聚焦作用发挥，政府履职更加高效").click()
            dept.wait_for_load_state("load")  # htmx listens only once its script has run
            text = dept.get_by_label("正文")
            text.fill(
                "优化营商环境。接到营商环境投诉举报案件{{ business_complaint.received }}件，"
                "受理范围{{ business_complaint.in_scope }}件。"
            )
            text.press("End")  # typing (or pasting: any input) refreshes the preview
            expect(dept.locator("#preview")).to_contain_text(
                "接到营商环境投诉举报案件2件，受理范围2件。"
            )
            dept.get_by_role("button", name="报送").click()
            expect(dept.locator("#section-state")).to_have_text("已报送")

            # the office approves the section and the report, and issues it with a reason
            desk.reload()
            desk.get_by_role("link", name="（一）聚焦作用发挥，政府履职更加高效").click()
            desk.get_by_role("button", name="审定该部分").click()
            expect(desk.locator("#section-state")).to_have_text("已审定")
            desk.get_by_role("link", name=re.compile("← .*2024年度")).click()
            desk.get_by_role("button", name="审定报告").click()
            expect(desk.locator("#report-state")).to_have_text("已审定")
            desk.get_by_label("落款日期").fill("2025-03-20")
            desk.get_by_label(re.compile("带问题印发的理由")).fill("部分程序尚未上线，数字待补。")
            desk.get_by_role("button", name="印发并公开").click()
            expect(desk.locator("#report-state")).to_have_text("已印发")

            # anyone reads it on the public site
            issue = ReportIssue.objects.get()
            public = browser.new_context(locale="zh-CN").new_page()
            public.goto(f"{url}/reports/")
            public.get_by_role(
                "link", name=re.compile("关于2024年度法治政府建设情况的报告")
            ).click()
            expect(public.locator(".report-doc h1")).to_contain_text(
                "关于2024年度法治政府建设情况的报告"
            )
            expect(public.locator(".report-doc")).to_contain_text(
                "接到营商环境投诉举报案件2件，受理范围2件。"
            )
            expect(public.locator(".report-doc")).to_contain_text("2025年3月20日")
            assert public.url.endswith(f"/reports/{issue.pk}/")
        finally:
            browser.close()
            # The ORM calls above ran under Playwright's event loop, where Django keeps a
            # separate connection; close it, or PostgreSQL cannot drop the test database.
            connections.close_all()
