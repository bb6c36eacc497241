"""Template context shared by every page: the site's name, the user's scope and the nav."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from fazhi.core.nav import nav_links
from fazhi.core.scope import profile_of


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.FAZHI_SITE_NAME,
        "staff_profile": profile_of(getattr(request, "user", None)),
        # Callables: computed only by the templates that show them (the base templates).
        "nav_public": functools.partial(nav_links, "public", request.path),
        "nav_staff": functools.partial(
            nav_links, "staff", request.path, getattr(request, "user", None)
        ),
    }
