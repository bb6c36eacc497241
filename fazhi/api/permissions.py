"""The API's permission: a staff member (a user with an org unit and a role).

What such a user may see and change is decided by ``fazhi.core.scope`` in the views (lists
from ``for_user``, single objects through ``get_for_user``) and by the engine when acting.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from fazhi.core.scope import scope_of


class IsStaffMember(BasePermission):
    message = "您的账号尚未分配机构和角色，不能使用接口。请联系系统管理员。"

    def has_permission(self, request: Request, view: Any) -> bool:
        return (
            bool(request.user and request.user.is_authenticated)
            and scope_of(request.user).is_staff_member
        )
