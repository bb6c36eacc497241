"""#19 defect 12: Content-Security-Policy with no inline script, HSTS in production.

Before: no CSP header at all, no HSTS; a delete confirmation was an ``onsubmit`` handler, the
org tree was indented with ``style=`` attributes, the report's charts were inline SVG full of
``style=`` attributes and the API docs started Swagger UI with an inline script.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import fazhi
from fazhi.core.tests.browser import CHROMIUM, require_browser

pytestmark = pytest.mark.django_db

# reports/annual.html is the annual report as a downloaded file: self-contained, so its
# stylesheet is inline (never a script); where the site shows it (DraftHtmlView) that response
# alone allows inline styles.
STANDALONE = {"reports/annual.html"}
TEMPLATES = sorted(
    p
    for p in Path(fazhi.__file__).parent.glob("**/templates/**/*.html")
    if str(p).split("/templates/", 1)[1] not in STANDALONE
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
STYLE = re.compile(r"""<style\b|\sstyle\s*=\s*["']""", re.I)


def directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p).split("fazhi/", 1)[-1])
def test_no_template_has_inline_script_handlers_or_styles(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static file"
    assert not HANDLER.search(text), "on…= handler: use a static script (fazhi/fazhi.js)"
    assert not STYLE.search(text), "inline style: use a class in a static stylesheet"


def test_the_template_check_sees_what_it_forbids():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/a.js" defer></script>')
    assert HANDLER.search('<form onsubmit="return confirm(1)">')
    assert STYLE.search('<td style="padding-left: 1em">') and STYLE.search("<style>")
    assert not STYLE.search('<p class="style">')


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/open311/v2/services.json"])
def test_public_answers_carry_the_policy(client, path):
    response = client.get(path)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_staff_pages_carry_the_policy(client, users):
    client.force_login(users["staff_a"])
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_admin_and_docs_get_inline_styles_but_never_inline_scripts(client, users):
    client.force_login(users["staff_a"])
    for path in ("/api/v1/docs/", "/api/v1/redoc/", "/admin/login/"):
        policy = directives(client.get(path)["Content-Security-Policy"])
        assert "'unsafe-inline'" in policy["style-src"], path
        assert policy["script-src"] == ["'self'"], path


def test_hsts_on_https_in_production(client, settings):
    assert settings.SECURE_HSTS_SECONDS >= 365 * 24 * 3600
    assert "max-age=31536000" in client.get("/", secure=True)["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in client.get("/")  # never on plain http


def test_the_report_chart_is_an_image(district):
    from fazhi.reports.charts import Chart

    chart = Chart("图", '<svg xmlns="http://www.w3.org/2000/svg"><g style="fill:red"/></svg>', [])
    assert chart.data_uri.startswith("data:image/svg+xml;base64,")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_policy_violation_in_a_browser(live_server, district, users, monkeypatch):
    """The policy blocks nothing on the pages people use (chromium reports each violation on
    its console), and the delete confirmation, now in fazhi.js, still asks."""
    require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    from fazhi.tests.sample.models import SampleServiceItem

    root = get_user_model().objects.create_superuser("csp_root", "", "csp-Root-pw-2024")
    users["admin"].set_password("csp-Admin-pw-2024")
    users["admin"].save()
    item = SampleServiceItem.objects.create(
        org=district["root"],
        name="建设工程规划许可",
        category="permit",
        legal_days=20,
        committed_days=5,
        valid_from="2024-01-01",
    )
    pages = [
        "/",
        reverse("workbench:home"),
        reverse("core:orgunit-list"),
        reverse("workbench:register-detail", args=["sample", "sampleserviceitem", item.pk]),
        "/api/v1/docs/",
        "/api/v1/redoc/",
    ]
    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"]
        )
        try:
            page = browser.new_page()
            page.on(
                "console",
                lambda m: (
                    violations.append(f"{page.url}: {m.text}")
                    if "Content Security Policy" in m.text
                    else None
                ),
            )
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", users["admin"].username)
            page.fill("#id_password", "csp-Admin-pw-2024")
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r"/workbench/"))
            for path in pages:
                page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("networkidle")
            # the confirmation: declined, nothing is deleted; accepted, the entry goes
            page.goto(f"{live_server.url}{pages[3]}")
            asked: list[str] = []
            page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
            page.get_by_role("button", name="删除").click()
            page.wait_for_timeout(300)
            assert asked and "确定删除" in asked[0]
            assert SampleServiceItem.objects.filter(pk=item.pk).exists()
            # the admin, as a superuser
            admin = browser.new_page()
            admin.on(
                "console",
                lambda m: (
                    violations.append(f"admin: {m.text}")
                    if "Content Security Policy" in m.text
                    else None
                ),
            )
            admin.goto(f"{live_server.url}/admin/login/")
            admin.fill("#id_username", root.username)
            admin.fill("#id_password", "csp-Root-pw-2024")
            admin.click("input[type=submit]")
            admin.wait_for_url(re.compile(r"/admin/$"))
            admin.goto(f"{live_server.url}/admin/core/orgunit/")
            admin.wait_for_load_state("networkidle")
        finally:
            browser.close()
    # Redoc's sidebar asks for its logo from its vendor's CDN: the policy refusing it is the
    # policy working (no page loads anything from outside), not something it broke
    outside = [v for v in violations if "Loading the image 'https://cdn.redoc.ly/" in v]
    assert [v for v in violations if v not in outside] == []
