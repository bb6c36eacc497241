"""The one answer to "may this user take this action": the reason it names, and that act(),
the workbench, the API and the portal all follow it (procedures/permissions.py)."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.procedures.attachments import add_attachment
from fazhi.procedures.errors import InvalidTransition, NotAllowed
from fazhi.procedures.models import Attachment, Step
from fazhi.procedures.permissions import (
    GUARD,
    ROLE,
    STATE,
    UNIT,
    action_refusal,
    allowed_actions,
    attachment_refusal,
    refusal,
)
from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 16)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def matter(district, users):
    return make_matter("business_complaint", district["a"], users["staff_a"], D(2025, 6, 10))


def names(actions):
    return [a.name for a in actions]


def test_a_clerk_refused_an_extension_is_told_it_is_his_role(matter, users):
    """#21: a 经办人 of the lead unit was told the unit was wrong; the reason is his role."""
    extend = matter.declaration.action("extend")
    found = refusal(users["staff_a"], matter, extend)
    assert found is not None and found.reason == ROLE
    assert found.message.startswith("您的角色（经办人）不能执行“延期”，须由部门负责人")
    assert "测试区司法局" not in found.message
    with pytest.raises(NotAllowed) as exc:
        act(matter, "extend", users["staff_a"], TODAY, days=5, reason="材料补正")
    assert str(exc.value.message) == found.message
    assert Step.objects.filter(matter=matter).count() == 1


def test_another_units_clerk_is_told_it_is_the_unit(matter, users):
    message = action_refusal(users["staff_b"], matter, "accept")
    assert message == "该事项由“测试区司法局”承办，不在您所在单位的范围内，您不能对其执行“受理”。"
    with pytest.raises(NotAllowed) as exc:
        act(matter, "accept", users["staff_b"], TODAY)
    assert exc.value.message == message


def test_the_state_is_named_when_role_and_unit_allow(matter, users):
    found = refusal(users["staff_a"], matter, matter.declaration.action("conclude"))
    assert found is not None and found.reason == STATE
    assert "当前状态为" in found.message and "不能执行“办结”" in found.message
    with pytest.raises(InvalidTransition) as exc:
        act(matter, "conclude", users["staff_a"], TODAY, result="已办")
    assert exc.value.message == found.message


def test_role_comes_before_unit_and_unit_before_state(matter, users):
    act(matter, "accept", users["staff_a"], TODAY)
    matter.refresh_from_db()
    # the leader (read-only) on a wrong-state action: the role is what stops him
    assert refusal(users["leader"], matter, matter.declaration.action("accept")).reason == ROLE
    # another unit's clerk on a wrong-state action: the unit
    assert refusal(users["staff_b"], matter, matter.declaration.action("accept")).reason == UNIT


def test_the_guard_is_named_when_listing(matter, users):
    found = refusal(users["staff_a"], matter, matter.declaration.action("resume"))
    assert found is not None and found.reason == GUARD
    assert found.message == "不能执行“恢复”：该事项未中止，无需恢复。"


def test_allowed_actions_per_user(matter, users):
    clerk = names(allowed_actions(users["staff_a"], matter))
    assert "accept" in clerk and "extend" not in clerk and "resume" not in clerk
    # the head's extension is stopped by the limit (the triage period cannot be extended),
    # not by his role
    extend = matter.declaration.action("extend")
    assert refusal(users["head_a"], matter, extend).reason == GUARD
    assert allowed_actions(users["staff_b"], matter) == []
    # the leader reads; of the actions he may take, only those asking an approver (批示)
    leader = allowed_actions(users["leader"], matter)
    assert "accept" not in names(leader) and all(a.needs_approval for a in leader)
    assert "accept" in names(allowed_actions(users["office"], matter))
    # each allowed action has no refusal, each other one has one
    for action in matter.declaration.all_actions():
        refused = action_refusal(users["staff_a"], matter, action)
        assert (refused is None) == (action.name in clerk), action.name


def test_the_public_may_supplement_an_open_matter_rate_a_concluded_one_and_nothing_else(
    matter, users
):
    # open: the submitter's further information (the one generic action open to them)
    assert names(allowed_actions(None, matter, public=True)) == ["supplement"]
    act(matter, "accept", users["staff_a"], TODAY)
    act(matter, "conclude", users["staff_a"], TODAY, result="已办结")
    matter.refresh_from_db()
    assert names(allowed_actions(None, matter, public=True)) == ["rate"]
    assert (
        action_refusal(None, matter, "note", public=True)
        == "公众不能对营商环境投诉举报执行“备注”。"
    )
    # request_reopen's guard (only after a dissatisfied rating) is named
    assert "不满意" in action_refusal(None, matter, "request_reopen", public=True)


def test_the_api_and_the_workbench_offer_exactly_allowed_actions(client, matter, users):
    client.force_login(users["head_a"])
    expected = names(allowed_actions(users["head_a"], matter))
    api = client.get(f"/api/v1/matters/{matter.pk}/actions/")
    assert [a["name"] for a in api.json()] == expected
    page = client.get(reverse("workbench:matter-detail", args=[matter.pk]))
    assert sorted(b.name for b in page.context["actions"]) == sorted(expected)


def test_the_api_refusal_names_the_role(client, matter, users):
    client.force_login(users["staff_a"])
    response = client.post(
        f"/api/v1/matters/{matter.pk}/actions/",
        {"action": "extend", "data": {"days": 5, "reason": "补正"}},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("您的角色（经办人）不能执行“延期”")


def test_add_attachment_checks_scope_itself(matter, users):
    pdf = b"%PDF-1.4 test"
    with pytest.raises(NotAllowed) as exc:
        add_attachment(matter, "a.pdf", pdf, by=users["staff_b"])
    assert exc.value.message == attachment_refusal(users["staff_b"], matter)
    assert "测试区司法局" in exc.value.message
    with pytest.raises(NotAllowed):
        add_attachment(matter, "a.pdf", pdf, by=users["leader"])
    with pytest.raises(NotAllowed):  # no user, and not the submitter's own submission
        add_attachment(matter, "a.pdf", pdf, by=None)
    second = act(matter, "accept", users["staff_a"], TODAY)
    with pytest.raises(NotAllowed):  # the submitter attaches only at submission
        add_attachment(matter, "a.pdf", pdf, by=None, step=second, submitter=True)
    assert not Attachment.objects.filter(matter=matter).exists()
    stored = add_attachment(matter, "a.pdf", pdf, by=users["staff_a"])
    assert stored.matter_id == matter.pk
