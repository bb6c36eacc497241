"""Import from the web in a real browser: an office user uploads a file on the workbench's
import page, follows the job's page (htmx polls it) while the worker imports, and downloads
the rejected-lines report. Playwright drives Debian's chromium (fazhi.core.tests.browser)."""

from __future__ import annotations

import csv
import json
import threading

import pytest
from django.db import connections

from fazhi.core.models import Job
from fazhi.core.tasks import run_pending
from fazhi.core.tests.browser import require_browser
from fazhi.procedures.models import Matter
from fazhi.procedures.tests.test_import import complaint
from fazhi.reports.tests.test_browser import ARGS, PASSWORD, log_in


def _work() -> None:
    try:
        run_pending()
    finally:
        connections.close_all()  # this thread's connection (PostgreSQL drops the test database)


def _file(lines) -> bytes:
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_upload_watch_and_download_the_rejected_lines(
    live_server, district, users, monkeypatch, settings, tmp_path
):
    chromium = require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.MEDIA_ROOT = tmp_path / "media"
    from playwright.sync_api import expect, sync_playwright

    office = users["office"]
    office.set_password(PASSWORD)
    office.save()
    good = [complaint(f"YS-2025-{i:06d}") for i in range(1, 6)]
    bad = complaint("YS-2025-000099", received_on="2025-02-30")
    url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            page = log_in(browser, url, office)
            page.goto(f"{url}/workbench/io/")
            page.get_by_role("link", name="导入事项").first.click()
            page.wait_for_url(f"{url}/workbench/io/import/")
            page.get_by_label("导入文件").set_input_files(
                files=[
                    {
                        "name": "第二季度投诉.jsonl",
                        "mimeType": "application/x-ndjson",
                        "buffer": _file([*good[:3], bad, *good[3:]]),
                    }
                ]
            )
            page.get_by_role("button", name="上传并导入").click()
            page.wait_for_url(f"{url}/workbench/jobs/*/")
            status = page.locator("#job-status")
            expect(status).to_have_attribute("data-status", "queued")
            expect(status).to_contain_text("等待后台任务进程")

            # the worker takes it while the page keeps polling (htmx, every second)
            worker = threading.Thread(target=_work)
            worker.start()
            worker.join(timeout=60)
            expect(status).to_have_attribute("data-status", "failed", timeout=10_000)
            expect(status).to_contain_text("整个文件未导入")
            expect(status.locator("progress")).to_have_attribute("value", "6")
            expect(status).to_contain_text("6 / 6 行（100%）")
            expect(status.locator("table")).to_contain_text("拒绝行")

            with page.expect_download() as caught:
                page.get_by_role("link", name="下载拒绝行报告.csv").click()
            download = caught.value
            assert download.suggested_filename == "拒绝行报告.csv"
            saved = tmp_path / "report.csv"
            download.save_as(saved)
            with saved.open(encoding="utf-8-sig", newline="") as f:
                rows = list(csv.reader(f))
            assert rows[0] == ["行号", "字段", "原因"]
            assert [r[0] for r in rows[1:]] == ["4"]

            # the import page lists it among the recent imports
            page.goto(f"{url}/workbench/io/import/")
            expect(page.locator("table")).to_contain_text("第二季度投诉.jsonl")
            assert Matter.objects.count() == 0
            assert Job.objects.get().status == Job.Status.FAILED
        finally:
            browser.close()
            connections.close_all()
