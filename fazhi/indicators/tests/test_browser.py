"""The dashboard in a real browser: a leader sees the year's figures from the tally, follows one
to the records behind it, and the list has as many records as the figure says."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connections

from fazhi.core.tests.browser import require_browser
from fazhi.indicators.tests.test_engine import complaint
from fazhi.portal.tests.test_browser import ARGS, CHROMIUM

PASSWORD = "browser-test-Pw-2024"
D = dt.date


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_figure_leads_to_its_records(live_server, district, users, monkeypatch, settings):
    require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # transactional tests do not empty the cache table: no figures from another test
    settings.FAZHI_DASHBOARD_CACHE_SECONDS = 0
    from playwright.sync_api import expect, sync_playwright

    a, staff = district["a"], users["staff_a"]
    for day in (5, 6, 7):
        complaint(a, staff, D(2024, 3, day), ("accept", D(2024, 3, day + 1), {}))
    complaint(a, staff, D(2024, 4, 1), ("refuse", D(2024, 4, 2), {"reason": "不属于受理范围"}))
    leader = users["leader"]
    leader.set_password(PASSWORD)
    leader.save()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(locale="zh-CN").new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("用户名").fill(leader.username)
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(f"{live_server.url}/workbench/**")
            page.goto(f"{live_server.url}/workbench/indicators/?year=2024")
            received = page.locator('tr[data-code="business_complaint.received"] td.value a')
            expect(received).to_have_text("4 件")
            in_scope = page.locator('tr[data-code="business_complaint.in_scope"] td.value a')
            expect(in_scope).to_have_text("3 件")
            assert page.locator("svg").count() >= 1  # the monthly trend, drawn on the server
            in_scope.click()
            page.wait_for_url("**/business_complaint.in_scope/**")
            expect(page.locator("tbody tr")).to_have_count(3)
        finally:
            browser.close()
            connections.close_all()
