"""Published mailbox replies: only with consent and staff's release, masked, paginated."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.procedures.publicity import release_matter, withhold_matter
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db


def letter(
    intake,
    users,
    *,
    consent,
    reply=True,
    name="欧阳建国",
    subject="建议增设公交站点",
    release=True,
):
    with clock.frozen(dt.date(2024, 6, 3)):
        matter = register_matter(
            "mailbox_letter",
            org=intake,
            received_on=dt.date(2024, 6, 3),
            subject=subject,
            public=True,
            channel="web",
            party={"name": name, "phone": "13912345678"},
            details={
                "content": f"我是{name}，电话13912345678，身份证11010519491231002X，北山小区缺公交站。",
                "consent_publish": consent,
            },
        )
    if reply:
        with clock.frozen(dt.date(2024, 6, 10)):
            act(
                matter,
                "reply",
                users["staff_a"],
                reply=f"{name}您好：已安排增设站点，如有疑问请拨打13812345678。",
            )
    if release and consent:
        release_matter(matter, users["staff_a"])
    return matter


def test_only_replied_letters_with_consent_are_published(client, intake, users):
    letter(intake, users, consent=True, subject="同意公开的来信")
    letter(intake, users, consent=False, subject="不同意公开的来信")
    letter(intake, users, consent=True, reply=False, subject="尚未答复的来信")
    page = client.get(reverse("portal:replies")).content.decode()
    assert "同意公开的来信" in page
    assert "不同意公开的来信" not in page
    assert "尚未答复的来信" not in page


def test_published_letters_are_masked(client, intake, users):
    letter(intake, users, consent=True)
    page = client.get(reverse("portal:replies")).content.decode()
    assert "来信人：欧***" in page
    assert "欧阳建国" not in page  # not in the letter, nor in the reply's greeting
    assert "13912345678" not in page and "13812345678" not in page
    assert "11010519491231002X" not in page and "110105********002X" in page
    assert "已安排增设站点" in page and intake.name in page
    assert "2024年6月10日答复" in page
    assert users["staff_a"].username not in page


def test_the_home_page_lists_the_latest_published_replies(client, intake, users):
    letter(intake, users, consent=True, subject="首页可见的来信")
    letter(intake, users, consent=False, subject="首页不可见的来信")
    page = client.get(reverse("portal:home")).content.decode()
    assert "首页可见的来信" in page and "首页不可见的来信" not in page


def test_replies_are_paginated_without_extra_queries_per_letter(
    client, intake, users, django_assert_max_num_queries
):
    for i in range(12):
        letter(intake, users, consent=True, subject=f"第{i}封来信")
    with django_assert_max_num_queries(8):
        first = client.get(reverse("portal:replies"))
    assert len(first.context["replies"]) == 10
    assert "第 1 / 2 页" in first.content.decode()
    second = client.get(reverse("portal:replies"), {"page": 2})
    assert len(second.context["replies"]) == 2


def test_a_reply_is_not_public_the_moment_it_is_written(client, intake, users):
    """#19 defect 1: mailbox replies went public as soon as they were written."""
    matter = letter(intake, users, consent=True, release=False, subject="等待审核的来信")
    page = client.get(reverse("portal:replies")).content.decode()
    assert "等待审核的来信" not in page
    release_matter(matter, users["staff_a"])
    assert "等待审核的来信" in client.get(reverse("portal:replies")).content.decode()
    withhold_matter(matter, users["staff_a"], reason="涉及第三人隐私")  # "do not publish"
    assert "等待审核的来信" not in client.get(reverse("portal:replies")).content.decode()


def test_a_release_before_the_reply_does_not_publish_the_reply(client, intake, users):
    matter = letter(intake, users, consent=True, reply=False, release=False, subject="先审后答")
    release_matter(matter, users["staff_a"])
    with clock.frozen(dt.date(2024, 6, 10)):
        act(matter, "reply", users["staff_a"], reply="答复内容尚未审核")
    page = client.get(reverse("portal:replies")).content.decode()
    assert "先审后答" not in page and "答复内容尚未审核" not in page
    release_matter(matter, users["staff_a"])
    assert "答复内容尚未审核" in client.get(reverse("portal:replies")).content.decode()


def test_words_staff_hide_are_hidden(client, intake, users):
    matter = letter(intake, users, consent=True, release=False)
    release_matter(matter, users["staff_a"], hidden_words="北山\n增设站点")
    page = client.get(reverse("portal:replies")).content.decode()
    assert "北山" not in page and "增设站点" not in page
