"""The workbench in a real browser (issue #21's Done-when): a clerk takes the next action from
the matter page's buttons and sees the timeline update without a reload."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connections

from fazhi.core import clock
from fazhi.core.tests.browser import require_browser
from fazhi.portal.tests.test_browser import ARGS, CHROMIUM, PHONE, fits_the_screen, too_wide
from fazhi.procedures.tests.factories import make_matter

PASSWORD = "browser-test-Pw-2024"
D = dt.date


def log_in(browser, live_server, user, viewport=None):
    user.set_password(PASSWORD)
    user.save()
    context = browser.new_context(locale="zh-CN", viewport=viewport) if viewport else None
    page = (context or browser.new_context(locale="zh-CN")).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/workbench/**")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clerk_takes_the_next_action_from_the_buttons(live_server, district, users, monkeypatch):
    require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    staff = users["staff_a"]
    m = make_matter("help_request", district["a"], staff, clock.today(), subject="窗口求助")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = log_in(browser, live_server, staff)
            page.goto(f"{live_server.url}/workbench/matters/{m.pk}/")
            page.evaluate("window.__same_page = true")  # gone if the page reloads
            assert page.locator("form[data-action]").count() == 0  # no form open yet
            buttons = page.get_by_test_id("action-buttons").locator("a")
            expect(buttons.first).to_have_text("受理")  # the usual next action first
            buttons.first.click()
            form = page.locator('form[data-action="accept"]')
            expect(form).to_be_visible()
            expect(form.locator("summary")).to_contain_text("生效日期：今天")
            expect(form.locator('[name="on"]')).to_be_hidden()  # folded away
            form.get_by_role("button", name="受理").click()
            expect(page.get_by_test_id("matter-state")).to_have_text("办理中")
            expect(page.get_by_test_id("timeline").locator("li")).to_have_count(2)
            expect(page.get_by_test_id("timeline")).to_contain_text("受理")
            expect(page.get_by_test_id("action-conclude")).to_be_visible()
            assert page.evaluate("window.__same_page === true")  # no reload
        finally:
            browser.close()
            connections.close_all()
    m.refresh_from_db()
    assert m.state == "in_scope"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_matter_page_fits_a_phone(live_server, district, users, monkeypatch):
    require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from fazhi.portal.models import Subscription
    from fazhi.procedures.services import act

    staff = users["staff_a"]
    m = make_matter("help_request", district["a"], staff, clock.today(), subject="窗口求助")
    Subscription.objects.create(matter=m, channel="sms", address="13912345678")
    act(m, "accept", staff, clock.today())  # a notice queued: the block of notices is shown
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = log_in(browser, live_server, staff, viewport=PHONE)
            page.goto(f"{live_server.url}/workbench/matters/{m.pk}/")
            expect(page.get_by_test_id("notice")).to_contain_text("受理")
            assert fits_the_screen(page), too_wide(page)
        finally:
            browser.close()
            connections.close_all()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leader_records_an_instruction_and_approves_an_extension(
    live_server, district, users, monkeypatch
):
    require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from fazhi.procedures.services import act

    staff, leader = users["staff_a"], users["leader"]
    today = clock.today()
    m = make_matter("reconsideration", district["a"], staff, today, subject="不服罚款决定")
    act(m, "accept", staff, today)
    act(m, "request_extend", staff, today, days=10, reason="案情复杂，需调取证据")
    due_before = m.clocks.get(limit="reconsideration.decide").due_on  # one of its clocks
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = log_in(browser, live_server, leader)
            page.goto(f"{live_server.url}/workbench/matters/{m.pk}/")
            expect(page.get_by_test_id("extension-request")).to_contain_text("申请延长 10")
            # the instruction
            page.get_by_test_id("action-instruct").click()
            form = page.locator('form[data-action="instruct"]')
            # the form swapped in by htmx states its text's limit and counts down (#21)
            expect(form.locator(".counter")).to_contain_text("还可输入")
            form.locator('[name="text"]').fill("依法从快审查，按时答复申请人。")
            form.get_by_role("button", name="批示").click()
            expect(page.get_by_test_id("instructions")).to_contain_text("依法从快审查")
            # the approval: the first button, its form filled from the request
            approve = page.get_by_test_id("action-extend")
            expect(approve).to_have_text("批准延期（申请10）")
            approve.click()
            form = page.locator('form[data-action="extend"]')
            expect(form.locator('[name="days"]')).to_have_value("10")
            form.get_by_role("button", name="延期").click()
            expect(page.get_by_test_id("extension-request")).to_have_count(0)
            expect(page.get_by_test_id("timeline")).to_contain_text("延期")
        finally:
            browser.close()
            connections.close_all()
    decide = m.clocks.get(limit="reconsideration.decide")
    assert decide.due_on >= due_before + dt.timedelta(
        days=8
    )  # 10 more days (a rest day may move either)
    assert list(m.steps.values_list("action", flat=True).order_by("seq"))[-2:] == [
        "instruct",
        "extend",
    ]


SKIP_IN_CRAWL = ("export", "download", ".csv", ".xlsx", ".docx", ".pdf", "format=", "/output")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_staff_page_fits_a_phone(live_server, district, users, monkeypatch, settings):
    """From the queue, every staff page the office reaches through links (two clicks deep,
    downloads aside) is at most 390 px wide on a 390 px phone."""
    require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.FAZHI_DASHBOARD_CACHE_SECONDS = 0
    from playwright.sync_api import sync_playwright

    from fazhi.procedures.activities import record_activity
    from fazhi.procedures.services import act

    staff, office = users["staff_a"], users["office"]
    today = clock.today()
    m = make_matter(
        "help_request",
        district["a"],
        staff,
        today,
        subject="窗口反映不动产登记材料多次补正，要求一次告知全部材料",
        party={"name": "某某科技有限公司", "phone": "13912345678", "address": "测试区某路1号"},
    )
    act(m, "assign_handler", users["head_a"], today, handler=staff.pk)
    act(m, "instruct", users["leader"], today, text="请尽快办理并回复当事人。")
    make_matter("reconsideration", district["a"], staff, today)
    record_activity(
        "dispute_screening",
        org=district["a"],
        on=today,
        title="排查",
        figures={"found": 3, "resolved": 2},
        by=staff,
    )
    seen: dict[str, bool] = {}
    wide: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = log_in(browser, live_server, office, viewport=PHONE)
            frontier = [
                f"/workbench/matters/{m.pk}/",
                f"/workbench/matters/{m.pk}/?action=assign_handler",
                "/workbench/",
                "/workbench/indicators/",
            ]
            for depth in range(3):
                found: list[str] = []
                for path in frontier:
                    if path in seen or len(seen) >= 80:
                        continue
                    response = page.goto(live_server.url + path)
                    seen[path] = bool(response and response.ok)
                    if not fits_the_screen(page):
                        wide.append(f"{path}: {too_wide(page)}")
                    if depth == 2:
                        continue
                    for href in page.eval_on_selector_all(
                        "a[href^='/workbench/']", "els => els.map(e => e.getAttribute('href'))"
                    ):
                        href = href.split("#")[0]
                        if href and not any(s in href for s in SKIP_IN_CRAWL):
                            found.append(href)
                frontier = list(dict.fromkeys(found))
        finally:
            browser.close()
            connections.close_all()
    assert len(seen) >= 20, sorted(seen)  # the crawl reached the staff site, not one page
    assert all(seen.values()), [p for p, ok in seen.items() if not ok]
    assert not wide, wide
