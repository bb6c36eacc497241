import pytest
from django.urls import reverse

from fazhi.core.models import OrgUnit
from fazhi.core.scope import can_act_on, can_approve, get_for_user, scope_queryset

pytestmark = pytest.mark.django_db


def test_subtree_is_one_prefix_query(district, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(OrgUnit.objects.subtree_of(district["a"]).values_list("name", flat=True))
    assert names == {"测试区司法局", "司法局行政复议股"}


def test_moving_a_unit_moves_its_subtree(district):
    a, a1, b = district["a"], district["a1"], district["b"]
    a.parent = b
    a.save()
    a1.refresh_from_db()
    assert a1.is_within(b) and a1.depth == 3
    assert set(OrgUnit.objects.subtree_of(b)) == {b, a, a1}


def test_department_staff_see_only_their_subtree(district, users):
    visible = set(scope_queryset(OrgUnit.objects.all(), users["staff_a"], "self"))
    assert visible == {district["a"], district["a1"]}


@pytest.mark.parametrize("who", ["admin", "office", "leader"])
def test_all_seeing_roles_see_everything(users, who):
    assert (
        scope_queryset(OrgUnit.objects.all(), users[who], "self").count() == OrgUnit.objects.count()
    )


def test_leader_reads_but_does_not_act(district, users):
    assert not can_act_on(users["leader"], district["a"])
    assert can_approve(users["leader"], district["a"])
    assert can_act_on(users["staff_a"], district["a1"])
    assert not can_act_on(users["staff_a"], district["b"])
    assert not can_approve(users["staff_a"], district["a"])
    assert can_approve(users["head_a"], district["a"])


def test_forbidden_and_missing_are_both_404(district, users):
    from django.http import Http404

    with pytest.raises(Http404):
        get_for_user(OrgUnit.objects.all(), users["staff_a"], district["b"].pk, "self")
    with pytest.raises(Http404):
        get_for_user(OrgUnit.objects.all(), users["staff_a"], 999999, "self")


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_profile_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="pw-test-123")
    client.force_login(user)
    assert client.get(reverse("workbench:home")).status_code == 403


@pytest.mark.parametrize("name", ["core:orgunit-detail"])
def test_another_department_gets_404_on_detail(client, district, users, name):
    client.force_login(users["staff_b"])
    assert client.get(reverse(name, args=[district["a"].pk])).status_code == 404
    assert client.get(reverse(name, args=[district["b"].pk])).status_code == 200


def test_lists_and_exports_are_scoped(client, district, users):
    client.force_login(users["staff_b"])
    page = client.get(reverse("core:orgunit-list")).content.decode()
    assert "测试区市场监督管理局" in page and "测试区司法局" not in page
    export = b"".join(client.get(reverse("core:orgunit-export")).streaming_content).decode()
    assert "测试区市场监督管理局" in export and "测试区司法局" not in export
    people = b"".join(client.get(reverse("core:staff-export")).streaming_content).decode()
    assert "t_staff_b" in people and "t_staff_a" not in people


def test_audit_page_is_scoped(client, district, users):
    from fazhi.core import audit

    audit.record("test.touch", district["a"], actor=users["staff_a"])
    audit.record("test.touch", district["b"], actor=users["staff_b"])
    client.force_login(users["staff_b"])
    page = client.get(reverse("core:audit-list")).content.decode()
    assert "测试区市场监督管理局" in page and "测试区司法局" not in page


def test_workbench_pages_render_for_every_role(client, district, users):
    for user in users.values():
        client.force_login(user)
        for name in ["workbench:home", "core:orgunit-list", "core:staff-list", "core:audit-list"]:
            assert client.get(reverse(name)).status_code == 200, (user, name)
