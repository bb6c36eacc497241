"""Rate limits of the API's public entry points (DRF throttling over Django's cache)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class PublicSubmissionThrottle(SimpleRateThrottle):
    """Open311 submissions: ``FAZHI_PUBLIC_RATE_PER_MINUTE`` per client address.

    The count lives in the default cache (Redis when configured, the database otherwise), so
    it holds across processes and app servers. The address is REMOTE_ADDR unless the
    deployment declares its reverse proxies (REST_FRAMEWORK["NUM_PROXIES"]): a client-supplied
    X-Forwarded-For is never trusted on its own, or anyone could reset their own limit.
    """

    scope = "open311_submit"

    def get_rate(self) -> str:
        return f"{int(settings.FAZHI_PUBLIC_RATE_PER_MINUTE)}/min"

    def get_ident(self, request: Any) -> str:
        if api_settings.NUM_PROXIES is None:
            return str(request.META.get("REMOTE_ADDR", ""))
        return str(super().get_ident(request))

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
