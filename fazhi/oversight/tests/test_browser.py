"""The oversight pages in a real browser, as a department's clerk uses them: the suggestions list
and its filters, the per-unit statistics and the records behind one figure; the supervision
list, one activity with its files (downloaded as stored), and a file added to it.

Playwright drives Debian's chromium (fazhi/core/tests/browser.py: skipped without it, failed
under FAZHI_REQUIRE_BROWSER=1 as in CI).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connections

from fazhi.core.tests.browser import require_browser
from fazhi.oversight.models import ActivityFile
from fazhi.oversight.supervision import record_supervision
from fazhi.oversight.tests.test_suggestion_pages import year
from fazhi.portal.tests.test_browser import ARGS, CHROMIUM
from fazhi.workbench.tests.test_browser import log_in

__all__ = ["year"]  # the fixture (six suggestions of 2025), used by name

D = dt.date
PDF = b"%PDF-1.4 audit report"


@pytest.fixture
def browser_page(live_server, monkeypatch, settings):
    require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # transactional tests do not empty the cache table: no figures from another test
    settings.FAZHI_DASHBOARD_CACHE_SECONDS = 0
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_filters_the_suggestions_and_follows_a_figure_to_its_records(
    live_server, browser_page, district, users, year
):
    from playwright.sync_api import expect

    m = year
    page = log_in(browser_page, live_server, users["staff_a"])
    page.goto(f"{live_server.url}/workbench/suggestions/")
    table = page.get_by_test_id("suggestion-list")
    # unit A's own: three NPC suggestions and the procuratorial one; B's proposal is not shown
    expect(table.locator("tbody tr")).to_have_count(4)
    for mine in (m[1], m[2], m[3], m[5]):
        expect(table.get_by_role("link", name=mine.reference)).to_be_visible()
    expect(table.get_by_text(m[4].reference)).to_have_count(0)
    expect(table).to_contain_text("代表001")
    expect(table).to_contain_text(district["b"].name)  # the assisting unit of 001 and 002

    page.get_by_label("状态").select_option(label="已答复（待办结）")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**state=replied**")
    expect(table.locator("tbody tr")).to_have_count(1)  # 003, replied late, not yet concluded
    expect(table.get_by_role("link", name=m[3].reference)).to_be_visible()
    expect(table).to_contain_text("已答复")

    page.get_by_role("link", name="各承办单位办理情况统计").click()
    page.get_by_label("类别").select_option(label="人大代表建议")
    page.get_by_label("年度").fill("2025")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**year=2025**")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "2025年人大代表建议办理情况（按主办单位）"
    )
    stats = page.get_by_test_id("suggestion-statistics")
    row = stats.locator("tbody tr", has_text=district["a"].name)
    expect(row).to_have_count(1)
    assigned = row.locator("td").nth(1).locator("a")  # 交办: the unit's three suggestions
    expect(assigned).to_contain_text("3")

    assigned.click()
    page.wait_for_url("**/npc_suggestion.handled/**")
    expect(page.locator("#record-count")).to_have_text("3")
    records = page.locator("table.grid tbody tr")
    expect(records).to_have_count(3)
    for mine in (m[1], m[2], m[3]):
        expect(page.get_by_role("link", name=mine.reference)).to_be_visible()
    page.get_by_role("link", name=m[2].reference).click()  # on to the matter itself
    page.wait_for_url(f"**/workbench/matters/{m[2].pk}/")
    expect(page.get_by_test_id("matter-state")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_opens_an_activity_reads_its_file_and_adds_one(
    live_server, browser_page, district, users, settings, tmp_path
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    activity = record_supervision(
        "audit",
        org=district["a"],
        on=D(2024, 5, 6),
        title="2023年度预算执行审计",
        figures={"issues_found": 7, "amount": "120.5", "rectified": 5},
        files=[("审计报告.pdf", PDF)],
        by=users["staff_a"],
    )
    record_supervision(
        "field_supervision",
        org=district["b"],
        on=D(2024, 6, 3),
        title="市场监管局专项督查",
        by=users["staff_b"],
    )
    page = log_in(browser_page, live_server, users["staff_a"])
    page.goto(f"{live_server.url}/workbench/supervision/")
    listed = page.get_by_test_id("supervision-list")
    expect(listed.locator("tbody tr")).to_have_count(1)  # another department's is not shown
    row = listed.locator("tbody tr").first
    expect(row).to_contain_text("2024-05-06")
    expect(row).to_contain_text("发现问题（个） 7")
    expect(row.locator("td").last).to_have_text("1")  # one file

    row.get_by_role("link", name="2023年度预算执行审计").click()
    page.wait_for_url(f"**/workbench/supervision/{activity.pk}/")
    files = page.get_by_test_id("activity-files")
    expect(files.locator("li")).to_have_count(1)
    with page.expect_download() as caught:
        files.get_by_role("link", name="审计报告.pdf").click()
    download = caught.value
    assert download.suggested_filename == "审计报告.pdf"
    assert download.path().read_bytes() == PDF

    upload = tmp_path / "整改情况.txt"
    upload.write_text("已整改5项，其余2项限期整改。", encoding="utf-8")
    page.get_by_label("上传文件").set_input_files(str(upload))
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.locator("p.messages")).to_contain_text("已上传1个文件。")
    expect(files.locator("li")).to_have_count(2)
    expect(files.get_by_role("link", name="整改情况.txt")).to_be_visible()

    page.goto(f"{live_server.url}/workbench/supervision/")
    expect(page.get_by_test_id("supervision-list").locator("tbody tr td").last).to_have_text("2")
    stored = ActivityFile.objects.filter(activity=activity).order_by("pk")
    assert [f.name for f in stored] == ["审计报告.pdf", "整改情况.txt"]
