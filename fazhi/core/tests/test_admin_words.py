"""The admin in Chinese: permission names and the two-box selector's words (issue #21)."""

import pytest
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db


def test_default_permissions_are_named_in_chinese():
    names = list(Permission.objects.values_list("name", flat=True))
    assert names
    english = [n for n in names if n.startswith("Can ")]
    assert not english, english[:5]
    assert Permission.objects.get(codename="add_matter").name == "可以新增事项"
    assert Permission.objects.get(codename="view_auditevent").name.startswith("可以查看")


def test_the_admins_selector_speaks_chinese(client, django_user_model):
    root = django_user_model.objects.create_superuser("t_root", password="x-Pw-2024-long")
    client.force_login(root)
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    catalog = response.content.decode()
    assert "\\u9009\\u4e2d\\u5de6\\u4fa7\\u7684" in catalog or "选中左侧的" in catalog
