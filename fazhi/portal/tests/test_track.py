"""Tracking a matter by reference and verification code; rating and reopening it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.procedures.declarations import _REGISTRY, Action, Procedure, register
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act, register_matter

pytestmark = pytest.mark.django_db

RECEIVED = dt.date(2024, 6, 3)  # Monday


def submit(intake, procedure="help_request", **kw):
    details = {"kind": "help", "content": "请帮忙"} if procedure == "help_request" else {}
    with clock.frozen(RECEIVED):
        return register_matter(
            procedure,
            org=intake,
            received_on=RECEIVED,
            subject="办证难",
            public=True,
            channel="web",
            party={"name": "王五", "phone": "13800138000"},
            details=details,
            **kw,
        )


def concluded(intake, users):
    matter = submit(intake)
    with clock.frozen(dt.date(2024, 6, 5)):
        act(matter, "accept", users["staff_a"])
        act(matter, "note", users["staff_a"], text="内部：当事人情绪激动，注意沟通。")
        act(matter, "suspend", users["staff_a"], reason="内部：等待住建局答复函")
        act(matter, "resume", users["staff_a"])
        act(matter, "conclude", users["staff_a"], result="已协调窗口当场办结。")
    return matter


def lookup(client, reference, code, follow=True):
    return client.post(
        reverse("portal:track"), {"reference": reference, "code": code}, follow=follow
    )


def without_tokens(html):
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'name="csrf-token" content="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_tracking_shows_state_dates_and_the_public_timeline(client, intake, users):
    matter = concluded(intake, users)
    with clock.frozen(dt.date(2024, 6, 6)):
        response = lookup(client, matter.reference.lower(), matter.verification_code.lower())
    page = response.content.decode()
    assert response.redirect_chain == [(reverse("portal:tracked"), 302)]
    assert matter.reference in page and "办不成事请找我" in page
    assert '<strong data-testid="public-state">已办结</strong>' in page
    assert "2024年6月3日" in page and "办结日期" in page
    assert intake.name in page
    for label in ("提交并登记", "受理", "中止", "恢复", "办结"):
        assert f"<strong>{label}</strong>" in page
    assert "已协调窗口当场办结。" in page  # the published result


def test_tracking_never_shows_notes_internal_data_or_staff_names(client, intake, users):
    matter = concluded(intake, users)
    page = lookup(client, matter.reference, matter.verification_code).content.decode()
    assert "内部：" not in page  # neither the note nor the suspension's reason
    assert "备注" not in page
    staff = users["staff_a"]
    for name in (staff.username, staff.get_full_name(), staff.last_name, staff.first_name):
        if name:
            assert name not in page
    assert "13800138000" not in page  # the submitter's phone is not echoed either


def test_open_matter_shows_the_expected_due_date(client, intake, users):
    matter = submit(intake)
    page = lookup(client, matter.reference, matter.verification_code).content.decode()
    assert "预计办理期限" in page
    assert f"{matter.due_on.year}年{matter.due_on.month}月{matter.due_on.day}日前" in page
    assert "待受理" in page
    assert 'data-public-action="rate"' not in page  # nothing to rate yet


def test_refusal_reason_is_published(client, intake, users):
    matter = submit(intake)
    with clock.frozen(dt.date(2024, 6, 4)):
        act(matter, "refuse", users["staff_a"], reason="不属于本平台受理范围，请向法院起诉。")
    page = lookup(client, matter.reference, matter.verification_code).content.decode()
    assert "不予受理理由" in page and "请向法院起诉" in page


def test_wrong_code_and_unknown_reference_answer_the_same(client, intake, users):
    matter = submit(intake)
    wrong_code = lookup(client, matter.reference, "ZZZZZZ", follow=False)
    unknown = lookup(client, "BC-2099-999999", "ZZZZZZ", follow=False)
    for response in (wrong_code, unknown):
        assert response.status_code == 200
        assert "未找到对应的事项" in response.content.decode()
        # the box says what happened: nothing was submitted, the lookup found nothing (#21)
        assert "没有查到，请核对以下内容" in response.content.decode()
        assert "提交未成功" not in response.content.decode()
    # Same page apart from the reference echoed back in the form field.
    a = without_tokens(wrong_code.content.decode()).replace(matter.reference, "REF")
    b = without_tokens(unknown.content.decode()).replace("BC-2099-999999", "REF")
    assert a == b
    assert "办证难" not in a and intake.name not in a


def test_a_get_link_with_the_code_looks_nothing_up_and_drops_the_code(client, intake, users):
    """#19 defect 8: lookups by GET link put the verification code into access logs."""
    matter = submit(intake)
    url = reverse("portal:track")
    old = client.get(url, {"reference": matter.reference, "code": matter.verification_code})
    assert old.status_code == 302
    assert matter.verification_code not in old["Location"]
    assert old["Location"] == f"{url}?reference={matter.reference}"
    page = client.get(old["Location"]).content.decode()
    assert "办证难" not in page  # the form, prefilled, asks for the code again
    assert f'value="{matter.reference}"' in page and 'method="post"' in page
    assert lookup(client, matter.reference, matter.verification_code).status_code == 200
    assert (
        "办证难" in client.get(reverse("portal:tracked")).content.decode()
    )  # by POST, then the session


def test_the_tracking_page_masks_what_is_not_the_submitters_own(client, intake, users):
    """#19 defect 8: subject and replies were shown unmasked to anyone with number and code."""
    with clock.frozen(RECEIVED):
        matter = register_matter(
            "help_request",
            org=intake,
            received_on=RECEIVED,
            subject="身份证220302198512314561办不了",
            public=True,
            channel="web",
            party={"name": "欧阳娜娜", "phone": "13800138000"},
            details={"kind": "help", "content": "请帮忙"},
        )
    with clock.frozen(dt.date(2024, 6, 5)):
        act(matter, "accept", users["staff_a"])
        act(
            matter,
            "conclude",
            users["staff_a"],
            result="欧阳娜娜您好：已转张建国同志，电话186.7777.6666，卡号6217 0000 0000 0006。",
        )
    page = lookup(client, matter.reference, matter.verification_code).content.decode()
    for secret in ("198512314561", "欧阳娜娜", "张建国", "7777", "0000 0000"):
        assert secret not in page, secret
    assert "办不了" in page and "已转" in page


def test_the_session_keeps_only_a_signed_expiring_id(client, intake, users):
    matter = submit(intake)
    lookup(client, matter.reference, matter.verification_code)
    from fazhi.portal.views import TRACK_KEY

    stored = dict(client.session.items())
    assert set(stored) == {TRACK_KEY}
    assert matter.verification_code not in str(stored) and matter.reference not in str(stored)
    session = client.session
    session[TRACK_KEY] = stored[TRACK_KEY][:-2] + "xx"  # tampered
    session.save()
    page = client.get(reverse("portal:tracked"), follow=True).content.decode()
    assert "办证难" not in page and 'name="reference"' in page
    client.post(
        reverse("portal:track"), {"reference": matter.reference, "code": matter.verification_code}
    )
    client.post(reverse("portal:track-end"))
    assert TRACK_KEY not in client.session


def test_rating_through_tracking(client, intake, users):
    matter = concluded(intake, users)
    lookup(client, matter.reference, matter.verification_code)
    page = client.get(reverse("portal:tracked"), follow=True).content.decode()
    assert 'data-public-action="rate"' in page
    assert 'data-public-action="request_reopen"' not in page  # only after a dissatisfied rating
    with clock.frozen(dt.date(2024, 6, 7)):
        response = client.post(
            reverse("portal:track-act", args=["rate"]),
            {"rate-satisfaction": "satisfied", "rate-comment": "窗口态度很好"},
            follow=True,
        )
    matter.refresh_from_db()
    assert matter.satisfaction == "satisfied"
    step = matter.steps.order_by("-seq").first()
    assert (step.action, step.actor, step.actor_label) == ("rate", None, "公众")
    assert step.data == {"satisfaction": "satisfied", "comment": "窗口态度很好"}
    page = response.content.decode()
    assert "评价已提交" in page and "您的评价" in page and "满意" in page


def test_invalid_rating_is_refused_with_the_reason(client, intake, users):
    matter = concluded(intake, users)
    lookup(client, matter.reference, matter.verification_code)
    response = client.post(reverse("portal:track-act", args=["rate"]), {"rate-satisfaction": "meh"})
    assert response.status_code == 200
    assert "“满意度”的选项无效" in response.content.decode()
    assert "评价未提交，请修改以下内容" in response.content.decode()
    assert not matter.steps.filter(action="rate").exists()


def test_dissatisfied_rating_then_reopen(client, intake, users):
    matter = concluded(intake, users)
    lookup(client, matter.reference, matter.verification_code)
    with clock.frozen(dt.date(2024, 6, 7)):
        client.post(
            reverse("portal:track-act", args=["rate"]), {"rate-satisfaction": "dissatisfied"}
        )
        page = client.get(reverse("portal:tracked"), follow=True).content.decode()
        assert 'data-public-action="request_reopen"' in page
        response = client.post(
            reverse("portal:track-act", args=["request_reopen"]),
            {"request_reopen-reason": "问题并未解决，窗口仍要求补材料。"},
            follow=True,
        )
    matter.refresh_from_db()
    assert matter.state == "in_scope" and matter.closed_on is None
    assert matter.due_on is not None
    assert "重办申请已提交" in response.content.decode()
    assert "办理中" in response.content.decode()


def test_reopen_is_refused_when_not_available(client, intake, users):
    matter = concluded(intake, users)
    lookup(client, matter.reference, matter.verification_code)
    response = client.post(
        reverse("portal:track-act", args=["request_reopen"]),
        {"request_reopen-reason": "想重办"},
        follow=True,
    )
    assert "该事项当前不能进行此操作" in response.content.decode()
    matter.refresh_from_db()
    assert matter.state == "concluded"


@pytest.mark.parametrize("action", ["accept", "conclude", "note", "reopen"])
def test_staff_actions_are_never_reachable(client, intake, users, action):
    matter = concluded(intake, users) if action == "reopen" else submit(intake)
    before = matter.steps.count()
    lookup(client, matter.reference, matter.verification_code)
    client.post(reverse("portal:track-act", args=[action]), {f"{action}-result": "x"})
    assert matter.steps.count() == before


def test_acting_without_a_tracking_session_is_refused(client, intake, users):
    matter = concluded(intake, users)
    response = client.post(
        reverse("portal:track-act", args=["rate"]), {"rate-satisfaction": "satisfied"}, follow=True
    )
    assert "查询已过期" in response.content.decode()
    assert not matter.steps.filter(action="rate").exists()


def test_mailbox_letter_reply_is_shown_and_rated(client, intake, users):
    matter = submit(intake, "mailbox_letter")
    with clock.frozen(dt.date(2024, 6, 5)):
        act(matter, "reply", users["staff_a"], reply="已安排在北山小区增设站点。")
    page = lookup(client, matter.reference, matter.verification_code).content.decode()
    assert "回复内容" in page and "增设站点。" in page
    assert "北山小区" not in page  # a place in a reply is masked like on every public page
    assert 'data-public-action="rate"' in page


@pytest.fixture
def secret_procedure():
    """A confidential procedure, as petitions will be: never found by the public."""
    procedure = register(
        Procedure(
            code="test_secret",
            label="保密测试程序",
            states={"received": "收到", "done": "办结"},
            closed_states=frozenset({"done"}),
            actions=(Action("finish", "办结", frozenset({"received"}), "done"),),
            confidential=True,
            public_trackable=True,
            public_submission=True,
        )
    )
    yield procedure
    _REGISTRY.pop("test_secret", None)


def test_confidential_matters_are_never_found(client, intake, secret_procedure):
    matter = submit(intake, "test_secret")
    assert not Matter.objects.public().filter(pk=matter.pk).exists()
    response = lookup(client, matter.reference, matter.verification_code, follow=False)
    assert "未找到对应的事项" in response.content.decode()
    page = client.get(
        reverse("portal:track"),
        {"reference": matter.reference, "code": matter.verification_code},
        follow=True,
    ).content.decode()
    assert "保密测试程序" not in page


def test_a_remembered_matter_that_became_confidential_is_not_shown(
    client, intake, secret_procedure
):
    """Even the session token goes through Matter.objects.public()."""
    from django.core import signing

    from fazhi.portal.views import TRACK_KEY, TRACK_SALT

    matter = submit(intake, "test_secret")
    session = client.session
    session[TRACK_KEY] = signing.dumps(matter.pk, salt=TRACK_SALT)
    session.save()
    page = client.get(reverse("portal:tracked"), follow=True).content.decode()
    assert "保密测试程序" not in page and 'name="reference"' in page
