"""Template context shared by every page: the site's name and the user's scope."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from fazhi.core.scope import profile_of


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.FAZHI_SITE_NAME,
        "staff_profile": profile_of(getattr(request, "user", None)),
    }
