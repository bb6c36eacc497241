import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from fazhi.core import audit
from fazhi.core.models import AuditEvent, AuditLogAppendOnlyError, OrgUnit

pytestmark = pytest.mark.django_db


def test_record_scrubs_secrets_and_personal_numbers(district, users):
    event = audit.record(
        "test.data",
        district["a"],
        actor=users["staff_a"],
        data={"password": "hunter2", "note": "身份证11010519491231002X 电话13812345678", "n": 3},
    )
    event.refresh_from_db()
    assert event.data["password"] == "***"
    assert "11010519491231002X" not in event.data["note"]
    assert "13812345678" not in event.data["note"]
    assert event.data["n"] == 3
    assert event.actor_label == users["staff_a"].first_name


def test_audit_rows_cannot_be_edited_or_deleted(district):
    event = audit.record("test.x", district["a"])
    event.action = "tampered"
    with pytest.raises(AuditLogAppendOnlyError):
        event.save()
    with pytest.raises(AuditLogAppendOnlyError):
        event.delete()
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")


def test_database_refuses_update_even_behind_the_orm(district):
    event = audit.record("test.x", district["a"])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'tampered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.x"


def test_admin_changes_are_audited(client, district, users):
    admin_user = users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    unit = district["b"]
    response = client.post(
        reverse("admin:core_orgunit_change", args=[unit.pk]),
        {
            "name": "改名后的局",
            "short_name": "改名局",
            "kind": "department",
            "division_code": "",
            "parent": district["root"].pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert OrgUnit.objects.get(pk=unit.pk).name == "改名后的局"
    event = AuditEvent.objects.for_object(unit).first()
    assert event.action == "admin.change" and event.data["name"] == "改名后的局"


def test_login_is_audited(client, users):
    user = users["staff_a"]
    # through the login form: the lockout backend needs the request (core.lockout)
    client.post("/accounts/login/", {"username": user.username, "password": "pw-test-123"})
    assert AuditEvent.objects.filter(action="auth.login", object_id=str(user.pk)).exists()


def test_object_page_shows_its_audit_in_words(client, district, users):
    from fazhi.core.words import register_words

    register_words(actions={"test.visible": "测试操作"}, keys={"count": "数量"})
    audit.record("test.visible", district["a"], actor=users["office"], data={"count": 3})
    client.force_login(users["staff_a"])
    page = client.get(reverse("core:orgunit-detail", args=[district["a"].pk])).content.decode()
    assert "测试操作" in page and "数量：3" in page
    assert "test.visible" not in page and "count=3" not in page
