"""The Content-Security-Policy header (django-csp; the policy is in settings.py).

Every page of ours loads its scripts and styles from /static/ only: no inline ``<script>``,
no ``on…=`` handlers, no ``style=`` attributes (a confirmation before a delete is
``data-confirm`` with ``fazhi/fazhi.js``; charts are SVG images). So an injected script tag
or handler does not run even if escaping ever failed somewhere.

Pages that are not ours need inline *styles* (never scripts): Django's admin templates carry
``style=`` attributes, and the API's documentation pages (Swagger UI, Redoc) insert
``<style>`` elements (and Redoc starts a Web Worker from a ``blob:`` URL). Under those paths
this middleware adds ``'unsafe-inline'`` to ``style-src`` (and ``blob:`` to ``worker-src``
on the docs pages); ``script-src`` stays ``'self'`` everywhere.
"""

from __future__ import annotations

from functools import cache

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase
from django.urls import NoReverseMatch, reverse


@cache
def _relaxations() -> tuple[tuple[str, dict[str, list[str]]], ...]:
    """(path prefix, directives added there): the third-party pages' needs."""
    styles = {"style-src": [UNSAFE_INLINE]}
    # Redoc runs its search in a Web Worker made from a blob: URL of its own script
    docs = {**styles, "worker-src": ["'self'", "blob:"]}
    found = []
    for name, extra in (("admin:index", styles), ("api:docs", docs), ("api:redoc", docs)):
        try:
            found.append((reverse(name), extra))
        except NoReverseMatch:
            continue
    return tuple(found)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.update is None:
            for prefix, extra in _relaxations():
                if request.path.startswith(prefix):
                    parts.update = extra
                    break
        return parts
