"""Error answers in Chinese (issue 20; issue 19 defect 14): pages for people, JSON for programs,
503 with Retry-After when the database is away or locked; the site's name in every title.

The suite runs with DEBUG off (settings_test), as production does.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends import utils
from django.test import Client, override_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"Not Found|Server Error|Forbidden|Bad Request|DEBUG|CSRF verification")


def page_text(response) -> str:
    return response.content.decode()


def assert_chinese_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = page_text(response)
    assert f"<h1>{heading}</h1>" in html
    assert f"错误代码：{status}" in html
    assert not ENGLISH.search(html), ENGLISH.search(html)
    assert f"<title>{heading}" in html and settings.FAZHI_SITE_NAME in html
    return html


def test_settings_are_production_like():
    assert settings.DEBUG is False  # Django's English debug pages cannot appear in these tests


@pytest.mark.parametrize("url", ["/no-such-page/", "/reports/1999/", "/track/nothing/"])
def test_public_404_is_a_chinese_page_in_the_public_layout(client, url):
    html = assert_chinese_page(client.get(url), 404, "页面不存在")
    assert 'class="public-header"' in html
    assert "进度查询" in html


def test_workbench_404_for_a_matter_out_of_scope_is_in_the_workbench_layout(
    client, users, district
):
    from fazhi.core import clock
    from fazhi.procedures.tests.factories import make_matter

    other = make_matter("help_request", district["b"], users["staff_b"], clock.today())
    client.force_login(users["staff_a"])
    html = assert_chinese_page(client.get(f"/workbench/matters/{other.pk}/"), 404, "页面不存在")
    assert 'class="topbar"' in html and "返回工作台" in html


def test_403_shows_the_reason_in_chinese(client, django_user_model):
    user = django_user_model.objects.create_user("no_profile", password="x")  # no org, no role
    client.force_login(user)
    html = assert_chinese_page(client.get("/workbench/"), 403, "无权访问")
    assert "尚未分配机构和角色" in html


def test_csrf_failure_is_a_chinese_page_without_debug(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "t_staff_a", "password": "x"})
    html = assert_chinese_page(response, 403, "安全校验失败，提交未被处理")
    assert "刷新" in html and "Cookie" in html
    assert "DEBUG" not in html and "更多可用信息" not in html


def test_400_on_the_public_site(client):
    # a body with more fields than Django allows: TooManyFieldsSent → handler400
    response = client.post("/track/", "&".join(f"f{i}=1" for i in range(1100)),
                           content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert_chinese_page(response, 400, "请求无法处理")
    assert "字段或文件数量过多" in page_text(response)


def test_500_is_a_chinese_page(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("fazhi.portal.views.render", broken)
    client.raise_request_exception = False
    assert_chinese_page(client.get("/"), 500, "服务器内部错误")


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [("/api/v1/no-such-endpoint/", 404, "NOT_FOUND"), ("/api/v1/matters/abc/", 404, None)],
)
def test_api_errors_outside_a_view_are_json(users, url, status, code):
    client = APIClient()
    client.force_authenticate(users["staff_a"])
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert re.search("[\u4e00-\u9fff]", body["detail"]) and body["field"] is None
    if code:
        assert body["code"] == code


@pytest.mark.parametrize(("suffix", "kind"), [("json", "application/json"), ("xml", "text/xml")])
def test_open311_unknown_path_answers_its_error_format(client, suffix, kind):
    response = client.get(f"/open311/v2/nothing.{suffix}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith(kind)
    text = page_text(response)
    assert "页面不存在" in text or "不存在" in text
    if suffix == "json":
        assert response.json()[0]["code"] == 404


def test_api_csrf_failure_is_chinese_json(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["staff_a"])
    response = client.post("/api/v1/matters/", {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF 校验失败" in response.json()["detail"]
    assert "CSRF Failed" not in page_text(response)


# --- the database away or locked: 503 with Retry-After -----------------------------------


@pytest.fixture
def database_down(monkeypatch):
    """Every query from now on fails as a dead or locked database does."""

    def fail(kind):
        def execute(self, *args, **kwargs):
            raise kind("database is locked" if kind is OperationalError else "connection closed")

        monkeypatch.setattr(utils.CursorWrapper, "execute", execute)
        monkeypatch.setattr(utils.CursorWrapper, "executemany", execute)

    return fail


@pytest.mark.parametrize("fault", [OperationalError, InterfaceError])
def test_database_fault_on_a_page_answers_503_in_chinese(client, database_down, fault):
    database_down(fault)
    response = client.get("/")
    html = assert_chinese_page(response, 503, "服务暂时不可用")
    assert response["Retry-After"] == "30"
    assert "请稍后重试" in html


def test_database_fault_while_reading_the_session_answers_503(client, users, database_down):
    client.force_login(users["staff_a"])
    database_down(OperationalError)
    response = client.get("/workbench/")
    assert_chinese_page(response, 503, "服务暂时不可用")
    assert response["Retry-After"] == "30"


def test_database_fault_on_the_api_answers_503_json(users, database_down):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=users["staff_a"]).key
    database_down(OperationalError)
    response = Client().get("/api/v1/matters/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["code"] == "SERVICE_UNAVAILABLE" and "数据库暂时无法访问" in body["detail"]


def test_database_fault_on_open311_answers_503_in_its_format(client, database_down):
    database_down(OperationalError)
    response = client.get("/open311/v2/requests.xml")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<code>503</code>" in page_text(response)


def test_database_fault_on_a_post_answers_503(client, district, database_down):
    database_down(OperationalError)
    response = client.post("/open311/v2/requests.json", {"service_code": "help_request"})
    assert response.status_code == 503
    assert response.json()[0]["code"] == 503


# --- the site's name ----------------------------------------------------------------------


@override_settings(FAZHI_SITE_NAME="某某区法治政府建设平台")
def test_site_name_is_on_the_login_page_and_in_every_title(client, users):
    for url in ("/accounts/login/", "/", "/no-such-page/", "/track/"):
        html = page_text(client.get(url))
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "某某区法治政府建设平台" in title, (url, title)
        assert "testserver" not in title and "127.0.0.1" not in html
    client.force_login(users["staff_a"])
    title = re.search(r"<title>(.*?)</title>", page_text(client.get("/workbench/")), re.S)
    assert "某某区法治政府建设平台" in title.group(1)


def test_the_demo_installation_runs_with_debug_off(tmp_path):
    """``fazhi demo`` makes its directory a local installation (var/local.json) that runs with
    DEBUG off: its errors are these Chinese pages, never Django's English debug page. Only an
    explicit FAZHI_DEBUG=1 (a developer's shell) shows tracebacks."""
    import os
    import subprocess
    import sys

    from fazhi import localconfig

    localconfig.ensure(tmp_path / "var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAZHI_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    code = "from django.conf import settings as s; print(s.DEBUG, s.CSRF_FAILURE_VIEW)"
    shown = subprocess.run(  # noqa: S603 our own command with fixed arguments
        [sys.executable, "-m", "fazhi", "shell", "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    last = shown.stdout.strip().splitlines()[-1]  # (the shell first counts its auto-imports)
    assert last.split() == ["False", "fazhi.core.errorpages.csrf_failure"]
