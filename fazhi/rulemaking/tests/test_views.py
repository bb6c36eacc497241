"""The public register, the consultation page and its comment form, and the staff's screens
(smoke, permission: another department gets 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.procedures.models import Matter
from fazhi.rulemaking import cleanup
from fazhi.rulemaking.models import CleanupCampaign
from fazhi.rulemaking.tests.test_procedures import D, decision, do, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    with clock.frozen(D(2024, 12, 31)):
        yield D(2024, 12, 31)


def login(client, user):
    client.force_login(user)
    return client


def test_the_register_lists_documents_in_force_not_repealed_ones(client, district, users, today):
    kept = publish(district, users, D(2024, 3, 1))
    repealed = publish(district, users, D(2024, 3, 1))
    repealed.subject = "已废止的办法"
    repealed.save(update_fields=["subject"])
    do(repealed, "cleanup", users["staff_b"], D(2024, 9, 10), outcome="repeal", reason="废止")
    page = client.get(reverse("rulemaking:register")).content.decode()
    assert kept.reference in page and "某某管理办法" in page
    assert "已废止的办法" not in page
    assert "2029年2月28日" in page  # five years' validity from 1 March 2024
    search = client.get(reverse("rulemaking:register"), {"q": "不存在"}).content.decode()
    assert kept.reference not in search
    bad = client.get(reverse("rulemaking:register"), {"organ": "x"})
    assert bad.status_code == 200 and "制定机关无效" in bad.content.decode()


def open_decision(district, users, on=None):
    m = decision(district, users)
    do(
        m,
        "open_consultation",
        users["staff_b"],
        on or D(2024, 12, 2),
        closes_on=D(2025, 1, 10),
        draft="第一条 为改善居住条件，制定本方案。\n第二条 改造资金由财政和居民分担。",
    )
    return m


def test_the_public_comments_on_an_article_within_the_window(client, district, users, today):
    m = open_decision(district, users)
    url = reverse("rulemaking:decision", kwargs={"reference": m.reference})
    page = client.get(url).content.decode()
    assert "征求意见截止日期：<strong>2025年1月10日</strong>" in page
    assert "第二条 改造资金由财政和居民分担。" in page
    post = reverse("rulemaking:comment", kwargs={"reference": m.reference})
    answer = client.post(
        post,
        {"article": "2", "text": "建议明确居民分担比例。", "name": "张三", "phone": "13944340001"},
    )
    assert answer.status_code == 302
    made = Matter.objects.get(procedure="draft_comment")
    assert made.details == {"decision": m.reference, "article": 2, "text": "建议明确居民分担比例。"}
    assert made.party_name == "张三"
    assert "您的意见已收到" in client.get(answer["Location"]).content.decode()
    bad = client.post(post, {"article": "9", "text": "", "name": "", "phone": ""})
    assert bad.status_code == 400 and "请选择草案中的一条" in bad.content.decode()


def test_no_comment_once_the_window_has_closed(client, district, users):
    with clock.frozen(D(2024, 12, 31)):
        m = open_decision(district, users)
    with clock.frozen(D(2025, 1, 11)):
        post = reverse("rulemaking:comment", kwargs={"reference": m.reference})
        answer = client.post(
            post, {"article": "0", "text": "意见", "name": "李四", "phone": "13944340002"}
        )
    assert answer.status_code == 400
    assert "已于2025年1月10日截止" in answer.content.decode()  # a public page (core.dates)
    assert not Matter.objects.filter(procedure="draft_comment").exists()


def test_the_adoption_note_is_published_masked(client, district, users, today):
    m = open_decision(district, users, on=D(2024, 11, 1))
    post = reverse("rulemaking:comment", kwargs={"reference": m.reference})
    client.post(post, {"article": "1", "text": "支持。", "name": "王五", "phone": "13944340003"})
    # close: the staff's page drafts the note from the groups; they quote the commenter
    with clock.frozen(D(2025, 1, 13)):
        staff = login(client, users["staff_b"])
        comments = reverse("rulemaking:comments", kwargs={"pk": m.pk})
        page = staff.get(comments).content.decode()
        assert "征求意见期间共收到意见1条" in page
        answer = staff.post(comments, {"adoption_note": "王五（13944340003）提出的意见予以采纳。"})
        assert answer.status_code == 302
        client.logout()
        public = client.get(reverse("rulemaking:decision", kwargs={"reference": m.reference}))
    text = public.content.decode()
    assert "意见采纳情况" in text and "予以采纳" in text
    assert "王五" not in text and "13944340003" not in text


def test_staff_screens_and_another_department_gets_404(client, district, users, today):
    m = open_decision(district, users)
    staff = login(client, users["staff_b"])
    for name in ("rulemaking:home", "rulemaking:documents", "rulemaking:campaigns"):
        assert staff.get(reverse(name)).status_code == 200, name
    for name in ("rulemaking:versions", "rulemaking:comments"):
        assert staff.get(reverse(name, kwargs={"pk": m.pk})).status_code == 200, name
    other = login(client, users["staff_a"])
    for name in ("rulemaking:versions", "rulemaking:comments"):
        assert other.get(reverse(name, kwargs={"pk": m.pk})).status_code == 404, name
    client.logout()
    assert client.get(reverse("rulemaking:home")).status_code == 302  # to the login


def test_versions_screen_saves_and_compares(client, district, users, today):
    m = decision(district, users)
    staff = login(client, users["staff_b"])
    url = reverse("rulemaking:versions", kwargs={"pk": m.pk})
    assert staff.post(url, {"label": "征求意见稿", "text": "第一条 目的。"}).status_code == 302
    assert staff.post(url, {"label": "公布稿", "text": "第一条 宗旨。"}).status_code == 302
    page = staff.get(url, {"a": "1", "b": "2"}).content.decode()
    assert "<del>目的</del>" in page and "<ins>宗旨</ins>" in page
    assert staff.post(url, {"label": "", "text": "x"}).status_code == 400


def test_a_cleanup_campaign_updates_the_register(client, district, users, today):
    kept = publish(district, users, D(2024, 3, 1))
    gone = publish(district, users, D(2024, 3, 1))
    office = login(client, users["admin"])  # the district's unit: every document in scope
    answer = office.post(
        reverse("rulemaking:campaigns"),
        {"code": "QL-2024-09", "title": "2024年度清理", "scope": "现行有效文件"},
    )
    assert answer.status_code == 302
    campaign = CleanupCampaign.objects.get(code="QL-2024-09")
    url = reverse("rulemaking:campaign", kwargs={"pk": campaign.pk})
    assert "纳入清理 2 件，已作出结论 0 件" in office.get(url).content.decode()
    office.post(url, {"matter": kept.pk, "outcome": "keep"})
    office.post(url, {"matter": gone.pk, "outcome": "repeal", "reason": "上位法废止"})
    assert "已作出结论 2 件" in office.get(url).content.decode()
    in_force = set(cleanup.documents_in_force().values_list("pk", flat=True))
    assert in_force == {kept.pk}
    bad = office.post(url, {"matter": kept.pk, "outcome": "bogus"})
    assert bad.status_code == 400 and "不在可选范围内" in bad.content.decode()
    assert (
        office.post(
            reverse("rulemaking:campaigns"), {"code": "QL-2024-09", "title": "x"}
        ).status_code
        == 400
    )


def test_expiring_documents_are_alerted(district, users, today):
    m = publish(district, users, D(2024, 3, 1), validity_years=1)
    rows = cleanup.expiring(Matter.objects.all(), D(2025, 1, 1))
    assert [(r.matter.pk, r.ends) for r in rows] == [(m.pk, dt.date(2025, 2, 28))]
    assert cleanup.expiring(Matter.objects.all(), D(2024, 6, 1)) == []


def test_the_portal_forms_for_comments_and_the_mailbox(client, district, users, today):
    m = open_decision(district, users)
    base = {"name": "钱七", "phone": "13944340005", "subject": "意见", "website": ""}
    wrong = client.post(
        reverse("portal:submit-draft-comment"),
        {**base, "decision": "JC-2024-999999", "article": "1", "text": "意见"},
    )
    assert wrong.status_code == 200 and "没有编号为“JC-2024-999999”" in wrong.content.decode()
    right = client.post(
        reverse("portal:submit-draft-comment"),
        {**base, "decision": m.reference, "article": "1", "text": "支持第一条。"},
    )
    assert right.status_code == 302
    assert Matter.objects.get(procedure="draft_comment").details["article"] == 1
    letter = client.post(reverse("portal:submit-decision-opinion"), {**base, "text": "建议。"})
    assert letter.status_code == 302
    assert Matter.objects.filter(procedure="decision_opinion").count() == 1
