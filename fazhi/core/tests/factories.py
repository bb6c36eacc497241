"""factory_boy factories for org units, users and staff profiles."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from fazhi.core.models import OrgKind, OrgUnit, Role, StaffProfile


class OrgUnitFactory(factory.django.DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"测试机构{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[-6:])
    kind = OrgKind.DEPARTMENT
    parent = None


class UserFactory(factory.django.DjangoModelFactory):  # type: ignore[type-arg]
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"人员{n}")
    password = factory.django.Password("pw-test-123")


class StaffProfileFactory(factory.django.DjangoModelFactory[StaffProfile]):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    org = factory.SubFactory(OrgUnitFactory)
    role = Role.STAFF
    position = "科员"


def staff_user(org: OrgUnit, role: Role = Role.STAFF, username: str | None = None):  # type: ignore[no-untyped-def]
    """A user with a profile in ``org`` holding ``role``."""
    kwargs = {"org": org, "role": role}
    if username:
        kwargs["user__username"] = username
    return StaffProfileFactory(**kwargs).user
