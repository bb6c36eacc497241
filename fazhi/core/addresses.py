"""The client's address: the one function every limit, lockout and audit row asks.

``REMOTE_ADDR``, unless the deployment declares ``FAZHI_TRUSTED_PROXY_COUNT`` reverse proxies
in front of the app that append to ``X-Forwarded-For``: the address is then the entry that
many places from the right of that header, which a client cannot forge (what a client writes
into the header itself stays to the left). With no proxies declared the header is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the trusted entry of X-Forwarded-For."""
    proxies = int(getattr(settings, "FAZHI_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])[:64]
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:64]


def client_ip(request: HttpRequest | None) -> str | None:
    """``client_address`` where it is an IP address (columns typed inet on PostgreSQL: the audit
    log, the login lockout); None otherwise (a request built without ``REMOTE_ADDR``)."""
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None
