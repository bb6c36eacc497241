"""Without chromium a browser test is skipped with the install line; CI makes it a failure."""

from pathlib import Path

import pytest

from fazhi.core.tests import browser


def test_missing_chromium_skips_with_the_line_that_installs_it(monkeypatch):
    monkeypatch.setattr(browser, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.delenv("FAZHI_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        browser.require_browser()


def test_missing_chromium_fails_where_the_browser_is_required(monkeypatch):
    monkeypatch.setattr(browser, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.setenv("FAZHI_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="FAZHI_REQUIRE_BROWSER=1"):
        browser.require_browser()


def test_present_chromium_is_used(monkeypatch, tmp_path):
    exe = tmp_path / "chromium"
    exe.write_text("")
    monkeypatch.setattr(browser, "CHROMIUM", exe)
    assert browser.require_browser() == exe
