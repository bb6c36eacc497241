"""Template context shared by every page: the site's name, the user's scope and the nav."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from fazhi.core.nav import nav_links
from fazhi.core.scope import profile_of


def _district_name(code: str) -> str:
    """The name of the deployment's root unit (the district): one indexed query."""
    from fazhi.core.models import OrgUnit

    unit = OrgUnit.objects.filter(division_code=code).only("name").first()
    return unit.name if unit is not None else ""


def district_name() -> str:
    """``FAZHI_DISTRICT_NAME``, or the root unit's name (e.g. 铁西区人民政府)."""
    return settings.FAZHI_DISTRICT_NAME or _district_name(settings.FAZHI_ROOT_DIVISION_CODE)


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.FAZHI_SITE_NAME,
        "district_name": district_name,  # a callable: only the public pages ask
        "staff_profile": profile_of(getattr(request, "user", None)),
        # Callables: computed only by the templates that show them (the base templates).
        "nav_public": functools.partial(nav_links, "public", request.path),
        "nav_staff": functools.partial(
            nav_links, "staff", request.path, getattr(request, "user", None)
        ),
    }
