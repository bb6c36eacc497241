"""Issue 20, in a real browser: a 404 and a CSRF failure show the Chinese pages in the site's
layout (DEBUG off, as in production and in the demo)."""

from __future__ import annotations

import pytest

from fazhi.core.tests.browser import CHROMIUM, require_browser

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_404_and_a_csrf_failure_show_the_chinese_pages(live_server, users, monkeypatch):
    require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(locale="zh-CN").new_page()

            response = page.goto(f"{live_server.url}/no-such-page/")
            assert response is not None and response.status == 404
            expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
            expect(page).to_have_title("页面不存在 · 法治政府建设工作平台")
            expect(page.locator("header.public-header")).to_be_visible()
            page.get_by_role("link", name="返回首页").click()
            expect(page).to_have_url(f"{live_server.url}/")

            # a sign-in form whose CSRF cookie has gone (expired, cleared, another tab)
            page.goto(f"{live_server.url}/accounts/login/")
            expect(page).to_have_title("登录 · 法治政府建设工作平台")
            page.context.clear_cookies()
            page.get_by_label("用户名").fill("t_staff_a")
            page.get_by_label("密码").fill("whatever")
            with page.expect_response(lambda r: r.url.endswith("/accounts/login/")) as answer:
                page.get_by_role("button", name="登录").click()
            assert answer.value.status == 403
            expect(page.get_by_role("heading", name="安全校验失败，提交未被处理")).to_be_visible()
            text = page.locator("main").inner_text()
            assert "刷新" in text and "DEBUG" not in text and "Forbidden" not in text
            expect(page.get_by_role("link", name="重新登录")).to_be_visible()
        finally:
            browser.close()
