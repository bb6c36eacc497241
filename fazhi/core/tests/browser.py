"""Browser tests drive Debian's chromium (/usr/bin/chromium) through Playwright.

``require_browser()`` at the top of each browser test: without chromium the test is skipped
with the one line that installs it, so the README's ``pytest`` passes on a fresh machine; with
``FAZHI_REQUIRE_BROWSER=1`` (``.ci/run`` sets it) a missing browser fails the run instead, so
CI always runs them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = "apt-get install -y chromium"


def require_browser() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"缺少 {CHROMIUM}，浏览器测试未运行；安装：{INSTALL}"
    if os.environ.get("FAZHI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message}（FAZHI_REQUIRE_BROWSER=1：必须运行浏览器测试）")
    pytest.skip(message)
