"""``fazhi api token|client|clients`` and the admin's one-time key display."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from fazhi.api.models import ApiClient, hash_key

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("api", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_token_command_issues_a_working_token(users):
    key, _ = run("token", "t_staff_a")
    assert Token.objects.get(user=users["staff_a"]).key == key
    assert run("token", "t_staff_a")[0] == key  # the same token again
    new, _ = run("token", "t_staff_a", "--reset")
    assert new != key
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert c.get("/api/v1/me/").json()["username"] == "t_staff_a"


def test_token_command_refuses_unknown_user(db):
    with pytest.raises(CommandError, match="没有用户"):
        run("token", "nobody")


def test_client_command_prints_the_key_once(district):
    key, err = run("client", "12345热线", "--org", "220302")
    client = ApiClient.objects.get(name="12345热线")
    assert client.key_hash == hash_key(key)
    assert key not in str(client.__dict__)  # only the hash is stored
    assert client.org == district["root"]
    assert "只显示这一次" in err
    assert ApiClient.for_key(key) == client
    with pytest.raises(CommandError, match="已存在"):
        run("client", "12345热线")
    new, _ = run("client", "12345热线", "--reset")
    assert ApiClient.for_key(key) is None
    assert ApiClient.for_key(new) == client
    listing, _ = run("clients")
    assert "12345热线" in listing and new[:8] in listing


def test_admin_shows_new_key_once(client, users, district):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="pw-test-123")
    client.force_login(admin)
    response = client.post(
        "/admin/api/apiclient/add/", {"name": "省平台", "active": "on"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    (message,) = [m for m in shown if "api_key" in m]
    raw = message.split("api_key 为：")[1].split()[0]
    assert ApiClient.for_key(raw).name == "省平台"
