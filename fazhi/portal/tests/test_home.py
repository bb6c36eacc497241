"""The home page: the three channels with their time limits, tracking, room for disclosure."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from fazhi.portal.public import time_limit_text
from fazhi.procedures.declarations import get_procedure

pytestmark = pytest.mark.django_db


def test_home_lists_the_three_channels_with_their_time_limits(client):
    page = client.get(reverse("portal:home")).content.decode()
    for url in ("/help/", "/complaint/", "/mailbox/"):
        assert f'href="{url}"' in page
    assert page.count("3个工作日内受理审查，受理后15个工作日内办结") == 2
    assert "15个工作日内回复" in page
    assert 'action="/track/"' in page
    assert "执法公示" in page and 'href="/zhifa/gongshi/"' in page
    # the 政务公开 card comes from the enforcement domain's nav.py (area "open")
    assert '<a href="/zhifa/gongshi/">行政执法公示</a>' in page and "执法证件查验" in page
    assert "建设中" not in page  # no unfinished sections in the nav or on the page
    assert "外部资源" not in page  # the footer speaks to citizens, not of the build


def test_the_public_header_names_the_district(client, district):
    with override_settings(FAZHI_ROOT_DIVISION_CODE=district["root"].division_code):
        page = client.get(reverse("portal:home")).content.decode()
    header = page.split("</header>")[0]
    assert f'<span class="district" data-testid="district">{district["root"].name}</span>' in header
    assert f"主办：{district['root'].name}" in page


def test_time_limits_come_from_the_configured_limits():
    with override_settings(FAZHI_TIME_LIMIT_OVERRIDES={"help_request.conclude": {"length": 10}}):
        assert time_limit_text(get_procedure("help_request")) == (
            "3个工作日内受理审查，受理后10个工作日内办结"
        )


def test_pages_work_on_a_phone_and_without_remote_assets(client):
    page = client.get(reverse("portal:home")).content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "http://" not in page and "https://" not in page  # no CDN, no remote fonts
    assert '<a class="skip" href="#main">' in page
    assert 'lang="zh-CN"' in page


def test_the_stylesheet_is_served_by_the_app():
    """Found by the staticfiles finders, which WhiteNoise serves from (WHITENOISE_USE_FINDERS)."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    found = finders.find("portal/portal.css")
    assert found and "body.public" in Path(found).read_text(encoding="utf-8")
