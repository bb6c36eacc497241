"""The issue's Done-when, in a real browser: open a consultation, comment on an article, see
the closing date; the register lists a document in force and not a repealed one.

Playwright drives Debian's chromium (fazhi/core/tests/browser.py: skipped without it, failed
under FAZHI_REQUIRE_BROWSER=1 as in CI).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from fazhi.core import clock
from fazhi.core.tests.browser import CHROMIUM, require_browser
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act, register_matter

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def _document(district, users, title: str, published_on: dt.date) -> Matter:
    staff, office = users["staff_b"], users["office"]
    m = register_matter(
        "normative_document",
        org=district["b"],
        received_on=published_on - dt.timedelta(days=60),
        subject=title,
        by=staff,
        details={"no_market_impact": True},
    )
    act(m, "submit_review", staff, published_on - dt.timedelta(days=50))
    act(
        m,
        "review_opinion",
        office,
        published_on - dt.timedelta(days=30),
        opinion="approve",
        text="同意",
    )
    act(m, "adopt", staff, published_on - dt.timedelta(days=20), meeting="常务会议")
    act(
        m,
        "publish",
        staff,
        published_on,
        document_number=f"铁西政规〔{published_on.year}〕{m.pk}号",
    )
    return m


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_comment_on_an_article_and_read_the_register(live_server, district, users, monkeypatch):
    require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    today = clock.today()
    closes = today + dt.timedelta(days=40)
    decision = register_matter(
        "major_decision",
        org=district["b"],
        received_on=today,
        subject="城区停车设施专项规划",
        by=users["staff_b"],
        details={"catalog_year": today.year},
    )
    act(
        decision,
        "open_consultation",
        users["staff_b"],
        today,
        closes_on=closes,
        draft="第一条 为规范停车设施建设，制定本规划。\n第二条 新建住宅小区按每户一个车位配建。",
    )
    _document(district, users, "停车场管理办法", today - dt.timedelta(days=10))
    gone = _document(district, users, "占道经营管理规定", today - dt.timedelta(days=8))
    act(gone, "cleanup", users["staff_b"], today, outcome="repeal", reason="上位法已废止")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(locale="zh-CN").new_page()
            page.goto(f"{live_server.url}/juece/")
            page.get_by_role("link", name="城区停车设施专项规划").first.click()
            closing = f"{closes.year}年{closes.month}月{closes.day}日"
            expect(page.get_by_test_id("closes-on")).to_contain_text(closing)
            expect(page.get_by_text("第二条 新建住宅小区按每户一个车位配建。")).to_be_visible()
            if os.environ.get("FAZHI_SCREENSHOT_DIR"):
                shot = Path(os.environ["FAZHI_SCREENSHOT_DIR"]) / "rulemaking-consultation.png"
                page.screenshot(path=str(shot), full_page=True)
            page.get_by_role("link", name="对第二条提意见").click()
            expect(page.get_by_label("针对")).to_have_value("2")
            page.get_by_label("意见内容").fill("建议老旧小区也按比例增设车位。")
            page.get_by_label("姓名").fill("赵六")
            page.get_by_label("联系电话").fill("13944340009")
            page.get_by_role("button", name="提交意见").click()
            expect(page.get_by_text(re.compile(r"您的意见已收到（编号 YJ-"))).to_be_visible()

            page.goto(f"{live_server.url}/guifanxing/")
            expect(page.get_by_role("cell", name="停车场管理办法")).to_be_visible()
            expect(page.get_by_text("占道经营管理规定")).to_have_count(0)
        finally:
            browser.close()

    comment = Matter.objects.get(procedure="draft_comment")
    assert comment.details["article"] == 2 and comment.details["decision"] == decision.reference
