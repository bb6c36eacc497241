"""#19 defect 10: wrong passwords lock the account and the address (django-axes, core.lockout).

Before: 30 wrong passwords and then the right one logged in, on /accounts/login/ and on
/admin/login/ alike.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from fazhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def sign_in(web, url, username, password, address="10.0.0.1"):
    return web.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(web):
    return "_auth_user_id" in web.session


def test_thirty_wrong_passwords_then_the_right_one_is_refused(users, settings):
    user = users["staff_a"]
    web = Client()
    answers = [sign_in(web, LOGIN, user.username, f"wrong-{i}") for i in range(30)]
    assert answers[0].status_code == 200  # the form again, with its error
    assert answers[-1].status_code == 429
    refused = sign_in(web, LOGIN, user.username, "pw-test-123")
    assert refused.status_code == 429
    assert not signed_in(web)
    page = refused.content.decode()
    assert "登录已暂时锁定" in page
    assert f"{settings.AXES_FAILURE_LIMIT} 次" in page and "分钟后再试" in page
    assert int(refused["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()


def test_the_admin_login_is_locked_too(users):
    admin = get_user_model().objects.create_superuser("root_t", "", "pw-root-123")
    web = Client()
    for i in range(30):
        sign_in(web, ADMIN_LOGIN, admin.username, f"wrong-{i}", address="10.0.0.2")
    refused = sign_in(web, ADMIN_LOGIN, admin.username, "pw-root-123", address="10.0.0.2")
    assert refused.status_code == 429
    assert not signed_in(web)
    assert "登录已暂时锁定" in refused.content.decode()


def test_lock_is_per_account_from_any_address(users, settings):
    user = users["staff_a"]
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), LOGIN, user.username, "wrong", address=f"10.1.0.{i}")
    web = Client()
    assert sign_in(web, LOGIN, user.username, "pw-test-123", address="10.2.0.1").status_code == 429
    assert not signed_in(web)
    # another account from a fresh address is not affected
    other = Client()
    assert sign_in(other, LOGIN, users["staff_b"].username, "pw-test-123", address="10.2.0.2")
    assert signed_in(other)


def test_lock_is_per_address_across_accounts(users, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), LOGIN, f"guess{i}", "wrong", address="10.3.0.1")
    web = Client()
    assert (
        sign_in(
            web, LOGIN, users["staff_a"].username, "pw-test-123", address="10.3.0.1"
        ).status_code
        == 429
    )
    assert not signed_in(web)
    elsewhere = Client()
    sign_in(elsewhere, LOGIN, users["staff_a"].username, "pw-test-123", address="10.3.0.2")
    assert signed_in(elsewhere)


def test_forged_forwarded_for_does_not_escape_the_address_lock(users, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), LOGIN, f"guess{i}", "wrong", address="10.4.0.1")
    web = Client()
    answer = web.post(
        LOGIN,
        {"username": users["staff_a"].username, "password": "pw-test-123"},
        REMOTE_ADDR="10.4.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.9",
    )
    assert answer.status_code == 429


def test_below_the_limit_the_right_password_still_works(users, settings):
    user = users["staff_a"]
    web = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(web, LOGIN, user.username, "wrong")
    assert sign_in(web, LOGIN, user.username, "pw-test-123").status_code == 302
    assert signed_in(web)


def test_failures_and_the_lockout_are_audited(users, settings):
    user = users["staff_a"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), LOGIN, user.username, "wrong", address="10.5.0.1")
    failed = AuditEvent.objects.filter(action="auth.login_failed", object_id=str(user.pk))
    assert failed.count() == settings.AXES_FAILURE_LIMIT
    locked = AuditEvent.objects.get(action="auth.locked_out", object_id=str(user.pk))
    assert str(locked.ip) == "10.5.0.1"
    assert locked.data["username"] == user.username
    assert "***" not in str(locked.data) and "wrong" not in str(locked.data)


def test_lockout_of_an_unknown_name_is_audited(db, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), LOGIN, "nobody", "wrong", address="10.6.0.1")
    locked = AuditEvent.objects.get(action="auth.locked_out")
    assert (locked.object_type, locked.object_id, locked.object_repr) == ("auth.user", "", "nobody")
