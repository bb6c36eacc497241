"""The workbench: queue, matter page, actions through htmx, attachments, reminders, scope."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from fazhi.core import clock
from fazhi.procedures.models import Attachment, Matter, Notification, Step
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 16)  # Monday


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def complaint(org, user, received_on=None, **kw):
    received_on = received_on or D(2025, 6, 10)
    kw.setdefault("subject", "企业反映审批拖延")
    return make_matter("business_complaint", org, user, received_on, today=TODAY, **kw)


def detail_url(m):
    return reverse("workbench:matter-detail", args=[m.pk])


def act_url(m, action):
    return reverse("workbench:matter-act", args=[m.pk, action])


HTMX = {"HTTP_HX_REQUEST": "true"}


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["workbench:home", "workbench:matter-create", "workbench:notifications"]
)
def test_anonymous_goes_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_matter_page_goes_to_login(client, district, users):
    m = complaint(district["a"], users["staff_a"])
    response = client.get(detail_url(m))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- queue --------------------------------------------------------------------------------


def test_queue_shows_only_my_scope(client_for, district, users):
    mine = complaint(district["a1"], users["staff_a"], subject="司法局下属股室事项")
    theirs = complaint(district["b"], users["staff_b"], subject="市场监管局事项")
    body = client_for(users["staff_b"]).get(reverse("workbench:home")).content.decode()
    assert theirs.reference in body
    assert mine.reference not in body
    body = client_for(users["staff_a"]).get(reverse("workbench:home")).content.decode()
    assert mine.reference in body
    assert theirs.reference not in body


def test_queue_sorted_by_due_date_and_coloured(client_for, district, users):
    # received 06-04: triage due 06-09 → overdue; 06-12: due 06-17 → warning; 06-16: due 06-19
    late = complaint(district["a"], users["staff_a"], D(2025, 6, 4), subject="逾期件")
    soon = complaint(district["a"], users["staff_a"], D(2025, 6, 12), subject="临期件")
    fresh = complaint(district["a"], users["staff_a"], D(2025, 6, 16), subject="新件")
    response = client_for(users["staff_a"]).get(reverse("workbench:home"))
    rows = list(response.context["matters"])
    assert [m.pk for m in rows] == [late.pk, soon.pk, fresh.pk]
    assert [m.due_status for m in rows] == ["overdue", "warning", "warning"]
    body = response.content.decode()
    assert f'<tr class="overdue" data-matter="{late.pk}">' in body
    assert f'<tr class="warning" data-matter="{soon.pk}">' in body


def test_counts_per_state(client_for, district, users):
    a, b, c = (complaint(district["a"], users["staff_a"], D(2025, 6, d)) for d in (4, 12, 13))
    act(a, "accept", users["staff_a"], D(2025, 6, 5), today=TODAY)
    act(b, "refuse", users["staff_a"], D(2025, 6, 13), today=TODAY, reason="不属于受理范围")
    complaint(district["b"], users["staff_b"])  # another department: not counted
    response = client_for(users["staff_a"]).get(reverse("workbench:home"))
    (group,) = response.context["counts"]
    assert group.code == "business_complaint"
    by_state = {s.state: (s.total, s.warning, s.overdue) for s in group.states}
    # a: in_scope, due 06-26 (15 working days from 06-05) → ok; c: received 06-13, due 06-18
    assert by_state == {"in_scope": (1, 0, 0), "received": (1, 1, 0)}
    assert response.context["open_total"] == 2
    assert c.pk in {m.pk for m in response.context["matters"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "in_scope"}, {"accepted"}),
        ({"status": "closed"}, {"refused"}),
        ({"status": "all"}, {"accepted", "refused", "late", "fresh"}),
        ({"overdue": "on"}, {"late"}),
        ({"due": "overdue"}, {"late"}),
        ({"procedure": "help_request"}, {"fresh"}),
        ({"received_from": "2025-06-12", "received_to": "2025-06-16"}, {"fresh"}),
        ({"q": "拆迁"}, {"late"}),
        ({"q": "王五"}, {"accepted"}),
    ],
)
def test_filters(client_for, district, users, query, expected):
    made = {
        "late": complaint(district["a"], users["staff_a"], D(2025, 6, 3), subject="拆迁补偿投诉"),
        "accepted": complaint(district["a1"], users["staff_a"], party={"name": "王五"}),
        "refused": complaint(district["a"], users["staff_a"]),
        "fresh": make_matter(
            "help_request", district["a"], users["staff_a"], D(2025, 6, 13), today=TODAY
        ),
    }
    act(made["accepted"], "accept", users["staff_a"], D(2025, 6, 11), today=TODAY)
    act(made["refused"], "refuse", users["staff_a"], D(2025, 6, 11), today=TODAY, reason="重复")
    response = client_for(users["staff_a"]).get(reverse("workbench:home"), query)
    names = {k for k, m in made.items() if m.pk in {r.pk for r in response.context["matters"]}}
    assert names == expected


def test_unit_filter_lists_only_my_units_and_includes_subunits(client_for, district, users):
    sub = complaint(district["a1"], users["staff_a"])
    top = complaint(district["a"], users["staff_a"])
    c = client_for(users["staff_a"])
    response = c.get(reverse("workbench:home"))
    choices = {v for v, _ in response.context["filters"].fields["org"].choices if v != ""}
    assert choices == {district["a"].pk, district["a1"].pk}
    response = c.get(reverse("workbench:home"), {"org": district["a1"].pk})
    assert [m.pk for m in response.context["matters"]] == [sub.pk]
    response = c.get(reverse("workbench:home"), {"org": district["a"].pk})
    assert {m.pk for m in response.context["matters"]} == {sub.pk, top.pk}
    response = c.get(reverse("workbench:home"), {"org": district["b"].pk})  # not mine: refused
    assert "org" in response.context["filters"].errors


def test_bad_filter_values_do_not_break_the_queue(client_for, district, users):
    complaint(district["a"], users["staff_a"])
    response = client_for(users["staff_a"]).get(
        reverse("workbench:home"),
        {"received_from": "2025-13-40", "status": "bogus", "received_to": "x"},
    )
    assert response.status_code == 200
    assert len(response.context["matters"]) == 1


def test_htmx_filter_returns_only_the_table(client_for, district, users):
    complaint(district["a"], users["staff_a"])
    response = client_for(users["staff_a"]).get(
        reverse("workbench:home"), {"status": "all"}, HTTP_HX_TARGET="queue-results", **HTMX
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="queue-results"')
    assert "<html" not in body
    assert "counts" not in response.context


def test_queue_has_no_n_plus_one(client_for, district, users, django_assert_max_num_queries):
    for i in range(30):
        org = district["a"] if i % 2 else district["a1"]
        complaint(org, users["staff_a"], D(2025, 6, 1 + i % 15), subject=f"事项{i}")
    c = client_for(users["staff_a"])
    with django_assert_max_num_queries(14):
        response = c.get(reverse("workbench:home"))
    assert len(response.context["matters"]) == 30


def test_queue_paginates_by_50(client_for, district, users):
    for i in range(51):
        complaint(district["a"], users["staff_a"], subject=f"事项{i}")
    c = client_for(users["staff_a"])
    response = c.get(reverse("workbench:home"))
    assert len(response.context["matters"]) == 50
    assert response.context["total"] == 51
    assert len(c.get(reverse("workbench:home"), {"page": 2}).context["matters"]) == 1


def test_leader_sees_everything(client_for, district, users):
    a = complaint(district["a"], users["staff_a"])
    b = complaint(district["b"], users["staff_b"])
    response = client_for(users["leader"]).get(reverse("workbench:home"))
    assert {m.pk for m in response.context["matters"]} == {a.pk, b.pk}


# --- matter page --------------------------------------------------------------------------


def test_matter_page_shows_everything(client_for, district, users):
    m = complaint(
        district["a"],
        users["staff_a"],
        party={"name": "某某有限公司", "id_number": "91350100M000100Y43", "phone": "13800138000"},
        details={"respondent": "某审批科", "content": "审批超期"},
    )
    response = client_for(users["staff_a"]).get(detail_url(m))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="matter-state" data-state="received">待受理<' in body
    assert m.verification_code not in body  # shown once at registration (#19 defect 4)
    for text in (
        m.reference,
        "营商环境投诉举报",
        "测试区司法局",
        "某某有限公司",
        "91350100M000100Y43",  # staff in scope see the party in full
        "13800138000",
        "被投诉单位",
        "某审批科",
        "2025-06-13",  # triage: 3 working days from 06-10
        "涉企投诉受理审查，3个工作日，依据本地规定",  # the rule's name and basis in words
        "登记",
        "登记事项",  # the operation record in words
    ):
        assert text in body, text
    for code in ("matter.register", "spec/procedures.md", "business_complaint.triage"):
        assert code not in body, code
    # the actions are buttons, the usual next one first; no form is open yet
    assert [b.name for b in response.context["actions"]][:2] == ["accept", "refuse"]
    assert response.context["actions"][0].primary
    assert 'data-testid="action-accept"' in body
    assert "<form data-action=" not in body
    assert 'data-testid="action-conclude"' not in body  # not from this state
    # a button opens its form in place (htmx) with the date of effect folded away
    form = client_for(users["staff_a"]).get(act_url(m, "refuse"), **HTMX).content.decode()
    assert form.lstrip().startswith('<form data-action="refuse"')
    assert 'name="reason"' in form
    assert '<details class="effective-date">' in form
    assert "生效日期：今天（2025-06-16）" in form
    assert 'name="on"' in form and 'value="2025-06-16"' in form
    # without JavaScript the button is a link that opens the same form on the page
    page = client_for(users["staff_a"]).get(detail_url(m), {"action": "accept"})
    assert '<form data-action="accept"' in page.content.decode()


@override_settings(FAZHI_LOCAL_RULE_NAME="《测试区营商环境投诉处理办法》")
def test_a_local_rule_is_named_as_configured(client_for, district, users):
    m = complaint(district["a"], users["staff_a"])
    body = client_for(users["staff_a"]).get(detail_url(m)).content.decode()
    assert "涉企投诉受理审查，3个工作日，依据《测试区营商环境投诉处理办法》" in body


def test_another_department_gets_404(client_for, district, users):
    m = complaint(district["a"], users["staff_a"])
    c = client_for(users["staff_b"])
    assert c.get(detail_url(m)).status_code == 404
    assert c.post(act_url(m, "accept"), {"on": "2025-06-16"}).status_code == 404
    assert c.get(detail_url(Matter(pk=999999))).status_code == 404
    assert Matter.objects.get(pk=m.pk).state == "received"


def test_matter_page_has_no_n_plus_one(client_for, district, users, django_assert_max_num_queries):
    m = complaint(district["a"], users["staff_a"], D(2025, 6, 2))
    act(m, "accept", users["staff_a"], D(2025, 6, 3), today=TODAY)
    for i in range(10):
        act(m, "note", users["staff_a"], D(2025, 6, 4), today=TODAY, text=f"备注{i}")
    act(
        m,
        "transfer",
        users["staff_a"],
        D(2025, 6, 5),
        today=TODAY,
        to_org=district["a1"].pk,
        reason="内设机构办理",
    )
    c = client_for(users["staff_a"])
    # 17: the portal's block of notices to the submitter (on every matter's page) reads the
    # matter's subscriptions once; what matters is that 13 steps cost no query each
    with django_assert_max_num_queries(17):
        response = c.get(detail_url(m))
    body = response.content.decode()
    assert "司法局行政复议股" in body  # the org id in the step data shown as a name
    assert "备注9" in body


def test_htmx_action_returns_the_panel_with_the_new_state(client_for, district, users):
    m = complaint(district["a"], users["staff_a"])
    response = client_for(users["staff_a"]).post(act_url(m, "accept"), {"on": "2025-06-11"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="matter-panel"')
    assert 'data-state="in_scope">办理中<' in body
    assert 'data-testid="action-conclude"' in body  # the next action's button
    assert "办理：受理" in body  # the timeline and record updated in the same answer
    m.refresh_from_db()
    assert m.state == "in_scope"
    assert m.due_on == D(2025, 7, 2)  # 15 working days from 06-11
    assert Step.objects.filter(matter=m, action="accept", on=D(2025, 6, 11)).exists()


def test_plain_action_post_redirects(client_for, district, users):
    m = complaint(district["a"], users["staff_a"])
    response = client_for(users["staff_a"]).post(act_url(m, "refuse"), {"reason": "不属受理范围"})
    assert response.status_code == 302
    assert response["Location"] == detail_url(m)
    m.refresh_from_db()
    assert m.state == "out_of_scope"
    assert m.closed_on == TODAY  # ``on`` left blank: today


def test_invalid_action_shows_the_message_and_changes_nothing(client_for, district, users):
    m = complaint(district["a"], users["staff_a"])
    c = client_for(users["staff_a"])
    steps = Step.objects.count()
    response = c.post(act_url(m, "refuse"), {"on": "2025-06-11", "reason": ""}, **HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-field="reason"' in body
    assert "缺少“不予受理理由”" in body
    response = c.post(act_url(m, "accept"), {"on": "2025-06-20"})  # future date, no htmx
    assert response.status_code == 200
    assert "晚于今天" in response.content.decode()
    response = c.post(act_url(m, "conclude"), {"result": "已办"}, **HTMX)  # wrong state
    assert response.status_code == 422
    assert "不能执行“办结”" in response.content.decode()
    response = c.post(act_url(m, "accept"), {"on": "06/11/2025"}, **HTMX)  # malformed date
    assert response.status_code == 422
    assert "不是有效的日期" in response.content.decode()
    assert Step.objects.count() == steps
    assert Matter.objects.get(pk=m.pk).state == "received"


def test_unknown_action_is_404(client_for, district, users):
    m = complaint(district["a"], users["staff_a"])
    assert client_for(users["staff_a"]).post(act_url(m, "explode"), {}).status_code == 404


def test_get_on_act_without_htmx_opens_the_form_on_the_page(client_for, district, users):
    m = complaint(district["a"], users["staff_a"])
    response = client_for(users["staff_a"]).get(act_url(m, "accept"))
    assert response.status_code == 302
    assert response["Location"] == detail_url(m) + "?action=accept#action-slot"


def test_an_action_not_available_opens_no_form(client_for, district, users):
    m = complaint(district["a"], users["staff_a"])
    body = client_for(users["staff_a"]).get(act_url(m, "conclude"), **HTMX).content.decode()
    assert "<form" not in body
    assert "当前状态为" in body and "不能执行“办结”" in body  # the reason (permissions.py)


def test_leader_reads_the_matter_and_may_only_instruct_or_approve(client_for, district, users):
    m = complaint(district["a"], users["staff_a"])
    c = client_for(users["leader"])
    response = c.get(detail_url(m))
    assert response.status_code == 200
    assert [b.name for b in response.context["actions"]] == ["instruct"]
    response = c.post(act_url(m, "accept"), {"on": "2025-06-11"}, **HTMX)
    assert response.status_code == 422  # the engine refuses, the view only reports it
    assert "您的角色（领导）不能执行" in response.content.decode()
    assert Matter.objects.get(pk=m.pk).state == "received"


def test_head_may_approve_an_extension_where_the_law_allows(client_for, district, users):
    m = make_matter("reconsideration", district["a"], users["staff_a"], D(2025, 6, 3), today=TODAY)
    act(m, "accept", users["staff_a"], D(2025, 6, 4), today=TODAY)
    staff_actions = client_for(users["staff_a"]).get(detail_url(m)).context["actions"]
    assert "extend" not in [b.name for b in staff_actions]
    c = client_for(users["head_a"])
    assert "extend" in [b.name for b in c.get(detail_url(m)).context["actions"]]
    response = c.post(act_url(m, "extend"), {"days": "10", "reason": "案情复杂"}, **HTMX)
    assert response.status_code == 200
    decide = m.clocks.get(limit="reconsideration.decide")
    assert decide.due_on == D(2025, 8, 13)  # 60 + 10 natural days from 06-04
    leader_actions = client_for(users["leader"]).get(detail_url(m)).context["actions"]
    assert "extend" in [b.name for b in leader_actions]


def test_transfer_form_offers_org_units_and_the_engine_resolves_them(client_for, district, users):
    m = complaint(district["a"], users["staff_a"])
    c = client_for(users["staff_a"])
    body = c.get(act_url(m, "transfer"), **HTMX).content.decode()
    assert f'<option value="{district["b"].pk}">' in body
    response = c.post(
        act_url(m, "transfer"), {"to_org": str(district["b"].pk), "reason": "职责"}, **HTMX
    )
    assert response.status_code == 200
    m.refresh_from_db()
    assert m.org == district["b"]
    assert "测试区市场监督管理局" in response.content.decode()
    assert client_for(users["staff_a"]).get(detail_url(m)).status_code == 404  # no longer mine


# --- register -----------------------------------------------------------------------------


def test_register_a_matter(client_for, district, users):
    c = client_for(users["staff_a"])
    page = c.get(reverse("workbench:matter-create"), {"procedure": "business_complaint"})
    assert page.status_code == 200
    assert 'name="party.id_number"' in page.content.decode()
    assert 'name="details.respondent"' in page.content.decode()
    response = c.post(
        reverse("workbench:matter-create"),
        {
            "procedure": "business_complaint",
            "org": str(district["a1"].pk),
            "received_on": "2025-06-12",
            "subject": "企业反映证照办理慢",
            "channel": "phone",
            "party.name": "某某有限公司",
            "party.id_number": "91350100M000100Y43",
            "details.respondent": "某窗口",
        },
    )
    m = Matter.objects.get(subject="企业反映证照办理慢")
    assert response.status_code == 302
    assert response["Location"] == detail_url(m)
    assert (m.org, m.received_on, m.channel, m.party_kind) == (
        district["a1"],
        D(2025, 6, 12),
        "phone",
        "organisation",
    )
    assert m.details == {"respondent": "某窗口", "consent_publish": False}
    assert m.due_on == D(2025, 6, 17)


def test_register_errors_are_shown_inline(client_for, district, users):
    c = client_for(users["staff_a"])
    response = c.post(
        reverse("workbench:matter-create"),
        {
            "procedure": "business_complaint",
            "org": str(district["a"].pk),
            "received_on": "2025-06-12",
            "subject": "事由",
            "party.name": "张三",
            "party.id_number": "110105194912310021",
        },
    )
    assert response.status_code == 200
    assert 'data-field="party.id_number"' in response.content.decode()
    assert not Matter.objects.exists()
    response = c.post(
        reverse("workbench:matter-create"),
        {
            "procedure": "business_complaint",
            "org": str(district["b"].pk),
            "subject": "x",
            "received_on": "2025-06-12",
        },
    )
    assert "不能为" in response.content.decode()  # another department's unit: the engine refuses
    assert not Matter.objects.exists()


def test_leader_cannot_register(client_for, users):
    response = client_for(users["leader"]).get(
        reverse("workbench:matter-create"), {"procedure": "business_complaint"}
    )
    assert "不能登记" in response.content.decode()


# --- attachments --------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(c, m, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return c.post(
        reverse("workbench:matter-attach", args=[m.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_attachment_upload_and_download_in_scope(client_for, district, users, media):
    m = complaint(district["a"], users["staff_a"])
    c = client_for(users["staff_a"])
    response = upload(c, m, "材料.pdf", b"%PDF-1.4 test")
    assert response.status_code == 302
    attachment = Attachment.objects.get(matter=m)
    download = c.get(reverse("workbench:attachment-download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    other = client_for(users["staff_b"])
    assert (
        other.get(reverse("workbench:attachment-download", args=[attachment.pk])).status_code == 404
    )
    assert upload(other, m, "x.pdf", b"%PDF-1.4").status_code == 404


def test_attachment_refusals(client_for, district, users, media, settings):
    settings.FAZHI_MAX_ATTACHMENT_BYTES = 1024 * 1024
    m = complaint(district["a"], users["staff_a"])
    c = client_for(users["staff_a"])
    response = upload(c, m, "big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 10))
    assert "过大" in response.content.decode()
    response = upload(c, m, "run.exe", b"MZ....")
    assert "类型不允许" in response.content.decode()
    response = upload(c, m, "fake.pdf", b"not a pdf")
    assert "不符" in response.content.decode()
    assert not Attachment.objects.exists()


def test_leader_cannot_upload(client_for, district, users, media):
    m = complaint(district["a"], users["staff_a"])
    assert upload(client_for(users["leader"]), m, "a.pdf", b"%PDF-1").status_code == 403


# --- notifications ------------------------------------------------------------------------


def test_notifications_inbox_and_mark_read(client_for, district, users):
    m = complaint(district["a"], users["office"])
    mine = Notification.objects.filter(recipient=users["staff_a"])
    assert mine.count() == 1  # registered by someone else: the unit's staff are told
    c = client_for(users["staff_a"])
    page = c.get(reverse("workbench:notifications"))
    body = page.content.decode()
    assert m.reference in body
    assert 'id="nav-notifications">提醒 <span class="nav-count"' in body
    note = mine.get()
    response = c.post(reverse("workbench:notification-read", args=[note.pk]), **HTMX)
    assert response.status_code == 200
    assert "已读" in response.content.decode()
    note.refresh_from_db()
    assert note.read_at is not None
    other = client_for(users["head_a"])
    assert other.post(reverse("workbench:notification-read", args=[note.pk])).status_code == 404


def test_mark_all_read(client_for, district, users):
    complaint(district["a"], users["office"])
    complaint(district["a"], users["office"])
    c = client_for(users["staff_a"])
    response = c.post(reverse("workbench:notifications-read-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=users["staff_a"], read_at=None).exists()
    assert Notification.objects.filter(recipient=users["head_a"], read_at=None).count() == 2


def test_matters_without_a_running_limit_come_last_across_pages(client_for, district, users):
    dated = [
        complaint(district["a"], users["staff_a"], D(2025, 6, 2 + i % 10), subject=f"期限{i}")
        for i in range(48)
    ]
    paused = []
    for i in range(4):
        m = complaint(district["a"], users["staff_a"], D(2025, 6, 10 + i), subject=f"中止{i}")
        act(m, "suspend", users["staff_a"], D(2025, 6, 13), today=TODAY, reason="等待材料")
        paused.append(m)
    c = client_for(users["staff_a"])
    first = c.get(reverse("workbench:home"))
    second = c.get(reverse("workbench:home"), {"page": 2})
    rows = list(first.context["matters"]) + list(second.context["matters"])
    assert first.context["total"] == 52
    assert [m.pk for m in rows[:48]] == [
        m.pk for m in sorted(dated, key=lambda m: (m.due_on, m.pk))
    ]
    assert [m.pk for m in rows[48:]] == [m.pk for m in reversed(paused)]  # latest received first
    assert 'class="tag badge-provisional">中止中<' in second.content.decode()
    filtered = c.get(reverse("workbench:home"), {"q": "中止", "page": 1})
    assert filtered.context["total"] == 4
