"""A matter's handler (经办人), the queues by person and unit, the search by phone, and the
leader's hand: instructions (批示) and approvals of an extension (issue #21)."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.models import AuditEvent, Role
from fazhi.core.tests.factories import staff_user
from fazhi.procedures.errors import InvalidData, InvalidTransition, NotAllowed
from fazhi.procedures.models import Matter, Notification, Step
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter
from fazhi.workbench.forms import phone_digits

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 16)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def complaint(org, user, **kw):
    kw.setdefault("subject", "企业反映审批拖延")
    return make_matter("business_complaint", org, user, D(2025, 6, 10), today=TODAY, **kw)


def act_url(m, action):
    return reverse("workbench:matter-act", args=[m.pk, action])


def detail(client, user, m):
    client.force_login(user)
    return client.get(reverse("workbench:matter-detail", args=[m.pk]))


def queue(client, user, **params):
    client.force_login(user)
    return client.get(reverse("workbench:home"), params).content.decode()


# --- the handler ---------------------------------------------------------------------------


def test_assigning_a_handler_is_an_audited_step_and_reassigning_another(district, users):
    m = complaint(district["a"], users["staff_a"])
    other = staff_user(district["a"], Role.STAFF, "t_staff_a2")
    act(m, "assign_handler", users["head_a"], TODAY, today=TODAY, handler=users["staff_a"].pk)
    m.refresh_from_db()
    assert m.handler == users["staff_a"]
    act(m, "assign_handler", users["head_a"], TODAY, today=TODAY, handler=other.username)
    m.refresh_from_db()
    assert m.handler == other
    steps = list(Step.objects.filter(matter=m, action="assign_handler").order_by("seq"))
    assert [s.data["handler"] for s in steps] == [str(users["staff_a"].pk), str(other.pk)]
    assert (
        AuditEvent.objects.filter(action="matter.assign_handler", object_id=str(m.pk)).count() == 2
    )
    assert Notification.objects.filter(recipient=other, matter=m, kind="assigned").exists()


def test_a_handler_must_work_where_the_matter_is(district, users):
    m = complaint(district["a"], users["staff_a"])
    with pytest.raises(InvalidData, match="不能办理“测试区司法局”的事项"):
        act(m, "assign_handler", users["head_a"], TODAY, today=TODAY, handler=users["staff_b"].pk)
    with pytest.raises(InvalidData, match="找不到工作人员"):
        act(m, "assign_handler", users["head_a"], TODAY, today=TODAY, handler="nobody")
    assert Matter.objects.get(pk=m.pk).handler is None


def test_a_transfer_leaves_the_handler_to_the_new_unit(district, users):
    m = complaint(district["a"], users["staff_a"])
    act(m, "assign_handler", users["head_a"], TODAY, today=TODAY, handler=users["staff_a"].pk)
    act(m, "transfer", users["staff_a"], TODAY, today=TODAY, to_org=district["b"].pk, reason="职责")
    assert Matter.objects.get(pk=m.pk).handler is None


def test_the_matter_page_assigns_from_a_list_of_the_units_people(client, district, users):
    m = complaint(district["a"], users["staff_a"])
    client.force_login(users["head_a"])
    form = client.get(act_url(m, "assign_handler"), **HTMX).content.decode()
    assert f'<option value="{users["staff_a"].pk}">' in form
    assert f'<option value="{users["staff_b"].pk}">' not in form  # another department
    response = client.post(act_url(m, "assign_handler"), {"handler": users["staff_a"].pk}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    name = users["staff_a"].get_full_name()
    assert name in body.split('data-testid="matter-handler"')[1][:80]
    assert "经办人：" in body  # the timeline names the person, not the id


def test_queues_assigned_to_me_and_my_unit(client, district, users):
    mine = complaint(district["a"], users["staff_a"], subject="指派给我的事项")
    unit = complaint(district["a"], users["staff_a"], subject="本单位未指派事项")
    below = complaint(district["a1"], users["staff_a"], subject="下级股室事项")
    act(mine, "assign_handler", users["head_a"], TODAY, today=TODAY, handler=users["staff_a"].pk)
    body = queue(client, users["staff_a"], who="me")
    assert mine.reference in body and unit.reference not in body
    assert f"经办人：{users['staff_a'].get_full_name()}" in body
    body = queue(client, users["staff_a"], who="unit")
    assert mine.reference in body and unit.reference in body and below.reference not in body
    body = queue(client, users["staff_a"], who="unassigned")
    assert unit.reference in body and mine.reference not in body
    body = queue(client, users["staff_a"])
    assert below.reference in body  # the whole scope


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("139 1234 5678", "13912345678"),
        ("+86-139-1234-5678", "13912345678"),
        ("１３９１２３４", "1391234"),  # full-width digits
        ("5678", "5678"),
        ("567", ""),  # too short to be a phone search
        ("张三", ""),
    ],
)
def test_phone_digits(typed, digits):
    assert phone_digits(typed) == digits


def test_queue_finds_a_matter_by_the_partys_phone_however_written(client, district, users):
    m = complaint(district["a"], users["staff_a"], party={"name": "李四", "phone": "13912345678"})
    land = complaint(
        district["a"], users["staff_a"], party={"name": "赵六", "phone": "0434-3261234"}
    )
    other = complaint(
        district["a"], users["staff_a"], party={"name": "王五", "phone": "13800138000"}
    )
    for typed in ("13912345678", "139 1234 5678", "+86 139-1234-5678", "１３９１２３４５６７８"):
        body = queue(client, users["staff_a"], q=typed)
        assert m.reference in body and other.reference not in body, typed
    for typed in ("04343261234", "0434 326 1234", "3261234"):
        body = queue(client, users["staff_a"], q=typed)
        assert land.reference in body and m.reference not in body, typed
    body = queue(client, users["staff_a"], q=m.reference)
    assert m.reference in body and other.reference not in body


# --- the leader's hand ----------------------------------------------------------------------


def test_a_leader_instructs_and_the_handler_sees_it_on_the_matter_and_in_the_queue(
    client, district, users
):
    m = complaint(district["a"], users["staff_a"])
    act(m, "assign_handler", users["head_a"], TODAY, today=TODAY, handler=users["staff_a"].pk)
    client.force_login(users["leader"])
    page = client.get(reverse("workbench:matter-detail", args=[m.pk]))
    assert "instruct" in [b.name for b in page.context["actions"]]
    response = client.post(act_url(m, "instruct"), {"text": "请三日内办结并回复企业。"}, **HTMX)
    assert response.status_code == 200
    assert Step.objects.get(matter=m, action="instruct").data["text"] == "请三日内办结并回复企业。"
    assert Notification.objects.filter(recipient=users["staff_a"], kind="instructed").exists()
    body = detail(client, users["staff_a"], m).content.decode()
    assert "领导批示" in body and "请三日内办结并回复企业。" in body
    assert "请三日内办结并回复企业。" in queue(client, users["staff_a"], who="me")


def test_a_clerk_may_not_instruct(district, users):
    m = complaint(district["a"], users["staff_a"])
    with pytest.raises(NotAllowed):
        act(m, "instruct", users["staff_a"], TODAY, today=TODAY, text="自己批示")


def test_an_extension_is_asked_for_and_approved_by_the_leader(client, district, users):
    m = make_matter("reconsideration", district["a"], users["staff_a"], D(2025, 6, 3), today=TODAY)
    act(m, "accept", users["staff_a"], D(2025, 6, 4), today=TODAY)
    client.force_login(users["staff_a"])
    response = client.post(
        act_url(m, "request_extend"), {"days": "10", "reason": "案情复杂"}, **HTMX
    )
    assert response.status_code == 200
    assert "延期申请待审批" in response.content.decode()
    decide = m.clocks.get(limit="reconsideration.decide")  # the matter runs several clocks
    assert decide.due_on == D(2025, 8, 4)  # asked, not yet granted (08-03 is a Sunday)
    with pytest.raises(InvalidTransition, match="已有延期申请"):
        act(m, "request_extend", users["staff_a"], TODAY, today=TODAY, days=5, reason="再申请")

    page = detail(client, users["leader"], m)
    buttons = page.context["actions"]
    assert buttons[0].name == "extend" and buttons[0].label == "批准延期（申请10）"
    assert "refuse_extend" in [b.name for b in buttons]
    form = client.get(act_url(m, "extend"), **HTMX).content.decode()
    assert 'value="10"' in form  # starts from what was asked
    response = client.post(act_url(m, "extend"), {"days": "10", "reason": "案情复杂"}, **HTMX)
    assert response.status_code == 200
    assert m.clocks.get(limit="reconsideration.decide").due_on == D(2025, 8, 13)
    assert (
        "extension_request" in page.context
        and detail(client, users["leader"], m).context["extension_request"] is None
    )


def test_an_extension_request_may_be_refused(district, users):
    m = make_matter("reconsideration", district["a"], users["staff_a"], D(2025, 6, 3), today=TODAY)
    act(m, "accept", users["staff_a"], D(2025, 6, 4), today=TODAY)
    act(m, "request_extend", users["staff_a"], TODAY, today=TODAY, days=10, reason="案情复杂")
    with pytest.raises(NotAllowed):
        act(m, "refuse_extend", users["staff_a"], TODAY, today=TODAY)
    act(m, "refuse_extend", users["head_a"], TODAY, today=TODAY, reason="不符合延期条件")
    assert m.clocks.get(limit="reconsideration.decide").due_on == D(2025, 8, 4)
    with pytest.raises(InvalidTransition, match="没有等待审批的延期申请"):
        act(m, "refuse_extend", users["head_a"], TODAY, today=TODAY)


def test_a_return_is_asked_for_and_approved_or_refused(client, district, users):
    m = complaint(district["b"], users["staff_b"])
    act(m, "transfer", users["staff_b"], TODAY, today=TODAY, to_org=district["a"].pk, reason="职责")
    act(m, "request_return", users["staff_a"], TODAY, today=TODAY, reason="不属本局职责")
    with pytest.raises(InvalidTransition, match="已有退回申请"):
        act(m, "request_return", users["staff_a"], TODAY, today=TODAY, reason="再申请")
    page = detail(client, users["head_a"], m)
    buttons = page.context["actions"]
    assert buttons[0].name == "return" and buttons[0].label == "批准退回"
    assert "退回申请待审批" in page.content.decode()
    act(m, "refuse_return", users["head_a"], TODAY, today=TODAY, reason="请先办理")
    assert Matter.objects.get(pk=m.pk).org == district["a"]
    act(m, "request_return", users["staff_a"], TODAY, today=TODAY, reason="确不属本局职责")
    client.force_login(users["head_a"])
    form = client.get(act_url(m, "return"), **HTMX).content.decode()
    assert "确不属本局职责" in form  # the approval starts from the request's reason
    response = client.post(act_url(m, "return"), {"reason": "确不属本局职责"}, **HTMX)
    assert response.status_code == 200
    assert Matter.objects.get(pk=m.pk).org == district["b"]
