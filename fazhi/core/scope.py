"""The one permission layer: who may see and act on what (STYLE.md, "Permissions and scope").

Every list starts from ``scope_queryset(qs, user)``; every single object comes from
``get_for_user(qs, user, pk)``, which answers 404 for a missing and a forbidden object
alike. Views, API endpoints and exports all go through these functions.

Roles (fazhi.core.models.Role):

- system administrator, rule-of-law office: read and act everywhere;
- leader: read everywhere, act nowhere except approvals given to them;
- department staff and heads: read and act within their own unit's subtree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from fazhi.core.models import OrgUnit, Role, StaffProfile

M = TypeVar("M", bound=models.Model)
QS = TypeVar("QS", bound="models.QuerySet[Any]")

ALL_SEEING = frozenset({Role.ADMIN, Role.LAW_OFFICE, Role.LEADER})
ALL_ACTING = frozenset({Role.ADMIN, Role.LAW_OFFICE})
APPROVERS = frozenset({Role.ADMIN, Role.LAW_OFFICE, Role.HEAD, Role.LEADER})

AnyUser = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Scope:
    """What one user may see: everything (``org_path is None``) or one subtree."""

    role: str | None
    org_path: str | None
    all_orgs: bool

    @property
    def is_staff_member(self) -> bool:
        return self.role is not None

    def covers(self, org: OrgUnit | None) -> bool:
        if not self.is_staff_member:
            return False
        if self.all_orgs:
            return True
        return org is not None and self.org_path is not None and org.path.startswith(self.org_path)


NO_SCOPE = Scope(role=None, org_path=None, all_orgs=False)


def profile_of(user: AnyUser | None) -> StaffProfile | None:
    if user is None or not user.is_authenticated or not getattr(user, "is_active", False):
        return None
    try:
        profile: StaffProfile = user.profile  # type: ignore[attr-defined]
    except StaffProfile.DoesNotExist:
        return None
    return profile


def scope_of(user: AnyUser | None) -> Scope:
    """The scope of ``user``; superusers without a profile see everything."""
    profile = profile_of(user)
    if profile is None:
        if user is not None and getattr(user, "is_superuser", False) and user.is_active:
            return Scope(role=Role.ADMIN, org_path=None, all_orgs=True)
        return NO_SCOPE
    if profile.role in ALL_SEEING:
        return Scope(role=profile.role, org_path=profile.org.path, all_orgs=True)
    return Scope(role=profile.role, org_path=profile.org.path, all_orgs=False)


def role_of(user: AnyUser | None) -> str | None:
    return scope_of(user).role


def can_act_on(user: AnyUser | None, org: OrgUnit | None) -> bool:
    """May ``user`` change records of ``org``? Leaders read but do not handle matters."""
    scope = scope_of(user)
    if scope.role in ALL_ACTING:
        return True
    if scope.role in (Role.STAFF, Role.HEAD):
        return scope.covers(org)
    return False


def can_approve(user: AnyUser | None, org: OrgUnit | None) -> bool:
    """May ``user`` approve (extensions, returns) for ``org``?"""
    scope = scope_of(user)
    return scope.role in APPROVERS and scope.covers(org)


def visible_org_ids(user: AnyUser | None) -> list[int] | None:
    """Ids of the org units the user may see (None: all). One query; use for IN filters."""
    scope = scope_of(user)
    if not scope.is_staff_member:
        return []
    if scope.all_orgs:
        return None
    return list(
        OrgUnit.objects.filter(path__startswith=scope.org_path or "-").values_list("pk", flat=True)
    )


def scope_queryset(qs: QS, user: AnyUser | None, field: str = "org") -> QS:
    """Limit ``qs`` to what ``user`` may see, through its org-unit field ``field``.

    ``field="self"`` scopes a queryset of OrgUnit itself.
    """
    scope = scope_of(user)
    if not scope.is_staff_member:
        return qs.none()
    if scope.all_orgs:
        return qs
    ids = visible_org_ids(user)
    if field == "self":
        return qs.filter(pk__in=ids)
    return qs.filter(**{f"{field}_id__in": ids})


def get_for_user(qs: models.QuerySet[M], user: AnyUser | None, pk: object, field: str = "org") -> M:
    """One object the user may see; 404 for missing and forbidden alike."""
    try:
        return scope_queryset(qs, user, field).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
