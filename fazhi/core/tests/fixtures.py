"""Shared pytest fixtures: a small org tree and one user per role (loaded by the root conftest)."""

import pytest

from fazhi.core.models import OrgKind, OrgUnit, Role
from fazhi.core.tests.factories import OrgUnitFactory, staff_user


@pytest.fixture
def district(db):
    """A small tree: district → two departments (one with an internal body) and a street."""
    root = OrgUnitFactory(name="测试区人民政府", kind=OrgKind.GOVERNMENT, division_code="220302")
    a = OrgUnitFactory(name="测试区司法局", parent=root)
    a1 = OrgUnitFactory(name="司法局行政复议股", parent=a, kind=OrgKind.INTERNAL)
    b = OrgUnitFactory(name="测试区市场监督管理局", parent=root)
    s = OrgUnitFactory(name="测试街道办事处", parent=root, kind=OrgKind.STREET)
    return {"root": root, "a": a, "a1": a1, "b": b, "street": s}


@pytest.fixture
def users(district):
    return {
        "admin": staff_user(district["root"], Role.ADMIN, "t_admin"),
        "office": staff_user(district["a"], Role.LAW_OFFICE, "t_office"),
        "staff_a": staff_user(district["a"], Role.STAFF, "t_staff_a"),
        "head_a": staff_user(district["a"], Role.HEAD, "t_head_a"),
        "staff_b": staff_user(district["b"], Role.STAFF, "t_staff_b"),
        "leader": staff_user(district["root"], Role.LEADER, "t_leader"),
    }


@pytest.fixture
def reload_units(district):
    def _reload():
        return {k: OrgUnit.objects.get(pk=v.pk) for k, v in district.items()}

    return _reload
