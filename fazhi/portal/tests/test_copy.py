"""The public pages' copy fixes of issue #21, each checked where it is rendered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.portal.tests.test_submit import help_data

pytestmark = pytest.mark.django_db


def test_a_radio_left_empty_asks_to_choose(client, intake):
    page = client.post(reverse("portal:submit-help-request"), help_data(kind="")).content.decode()
    assert "请选择“" in page
    assert "请填写“类型" not in page and "请填写“事项类型" not in page
    # a text left empty asks to fill it in
    page = client.post(
        reverse("portal:submit-help-request"), help_data(subject="")
    ).content.decode()
    assert "请填写“标题”" in page


def test_the_submit_box_heading_is_for_a_submission_only(client, intake):
    page = client.post(reverse("portal:submit-help-request"), help_data(kind="")).content.decode()
    assert "提交未成功，请修改以下内容" in page  # on the submission form it is accurate


def test_no_unfinished_entry_in_the_public_nav(client):
    page = client.get(reverse("portal:track")).content.decode()
    nav = page.split('aria-label="公众服务导航"', 1)[1].split("</nav>", 1)[0]
    assert "建设中" not in nav and "soon" not in nav
    assert 'href=""' not in nav  # every entry leads somewhere
