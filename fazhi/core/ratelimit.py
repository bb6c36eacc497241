"""Rate limits per client address: a fixed one-minute window counted in shared storage.

The count is never in process memory, so several app servers share one limit (DESIGN.md:
nothing may assume one process). Each (scope, address, minute) is one counter, counted with
one atomic statement:

- with ``REDIS_URL`` (the default cache is Redis): ``INCRBY`` on a cache key created with
  ``cache.add`` (django-redis runs it as one Lua script);
- otherwise (the default cache is the database's): a row of ``core.RateCount``, counted with
  ``INSERT … ON CONFLICT (key) DO UPDATE SET n = n + 1 RETURNING n`` — one statement in
  autocommit, atomic on SQLite and PostgreSQL alike. Django's database cache would need a
  transaction of eight statements, one of them a ``COUNT(*)`` of the whole cache table (#19:
  the largest single cost of a public submission). Past minutes are deleted when a new
  minute's first count is made.

``incr`` still counts on any cache backend (an increment under a row lock on the database
cache: Django's own ``DatabaseCache.incr`` is a read followed by a write).

Client address: ``fazhi.core.addresses.client_address`` (``REMOTE_ADDR``, or the entry of
``X-Forwarded-For`` that ``FAZHI_TRUSTED_PROXY_COUNT`` trusted proxies wrote).

Usage::

    @rate_limited("portal")
    def submit(request): ...

    if not hit("open311", client_address(request)): ...
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Collection
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from fazhi.core.addresses import client_address

WINDOW_SECONDS = 60
DEFAULT_PER_MINUTE = 30

__all__ = [
    "clear",
    "client_address",
    "count",
    "hit",
    "incr",
    "rate_limited",
    "seconds_to_next_window",
]

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def _now() -> float:
    """Seconds since the epoch (a seam for tests: the cache itself keeps the real clock)."""
    return time.time()


def per_minute() -> int:
    """The configured number of public POSTs per address per minute."""
    return int(getattr(settings, "FAZHI_PUBLIC_RATE_PER_MINUTE", DEFAULT_PER_MINUTE))


def window_key(scope: str, address: str, now: float | None = None) -> str:
    """The cache key counting ``scope`` for ``address`` in the current minute."""
    minute = int((_now() if now is None else now) // WINDOW_SECONDS)
    # Addresses may contain ':' (IPv6): the key stays valid for every backend (no spaces).
    return f"ratelimit:{scope}:{address.replace(' ', '_')}:{minute}"


def _incr_database(cache: DatabaseCache, key: str, timeout: int) -> int:
    """Atomic increment on Django's database cache: add, lock the row, read, write."""
    db = router.db_for_write(cache.cache_model_class)
    connection = connections[db]
    with transaction.atomic(using=db):
        cache.add(key, 0, timeout)
        if connection.features.has_select_for_update:
            # SQLite has no row locks; its writes are serialised (IMMEDIATE transactions).
            quote = connection.ops.quote_name
            table = quote(cache.cache_model_class._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT 1 FROM {table} WHERE {quote('cache_key')} = %s FOR UPDATE",  # noqa: S608 table name from settings, quoted; the key is a parameter  # nosec B608
                    [cache.make_and_validate_key(key)],
                )
        value = int(cache.get(key, 0) or 0) + 1
        cache.set(key, value, timeout)
    return value


def _counter_table() -> str:
    from fazhi.core.models import RateCount

    return RateCount._meta.db_table


def _uses_table(cache: BaseCache | None) -> bool:
    """True when counts go to ``core.RateCount``: no cache given and no Redis configured."""
    return cache is None and isinstance(caches[DEFAULT_CACHE_ALIAS], DatabaseCache)


def _incr_table(key: str, minute: int) -> int:
    """One atomic UPSERT on ``core.RateCount`` (autocommit, or the caller's transaction)."""
    from fazhi.core.models import RateCount

    db = router.db_for_write(RateCount)
    connection = connections[db]
    quote = connection.ops.quote_name
    table = quote(_counter_table())
    sql = (
        f"INSERT INTO {table} ({quote('key')}, {quote('minute')}, {quote('n')}) "  # noqa: S608 table name from the model, quoted; values are parameters  # nosec B608
        f"VALUES (%s, %s, 1) ON CONFLICT ({quote('key')}) "
        f"DO UPDATE SET {quote('n')} = {table}.{quote('n')} + 1 RETURNING {quote('n')}"
    )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # A count need not survive a crash: its commit does not wait for the WAL flush
        # (#19: ≈ 8 ms a commit on this VM's disk). Only this transaction, never the
        # registration's.
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            return _count_row(cursor, sql, table, quote("minute"), key, minute)
    with connection.cursor() as cursor:
        return _count_row(cursor, sql, table, quote("minute"), key, minute)


def _count_row(cursor: Any, sql: str, table: str, minute_col: str, key: str, minute: int) -> int:
    cursor.execute(sql, [key, minute])
    value = int(cursor.fetchone()[0])
    if value == 1:  # the first count of this key this minute: forget minutes past
        cursor.execute(
            f"DELETE FROM {table} WHERE {minute_col} < %s",  # noqa: S608 names from the model, quoted  # nosec B608
            [minute - 1],
        )
    return value


def count(scope: str, address: str, now: float | None = None) -> int:
    """The current minute's count of ``scope`` for ``address`` (0 if none)."""
    key = window_key(scope, address, now)
    if _uses_table(None):
        from fazhi.core.models import RateCount

        row = RateCount.objects.filter(key=key).values_list("n", flat=True).first()
        return int(row or 0)
    return int(caches[DEFAULT_CACHE_ALIAS].get(key, 0) or 0)


def clear() -> None:
    """Forget every count (tests; an operator lifting a block)."""
    from fazhi.core.models import RateCount

    RateCount.objects.all().delete()
    caches[DEFAULT_CACHE_ALIAS].clear()


def incr(key: str, timeout: int, cache: BaseCache | None = None) -> int:
    """Increment the counter ``key`` (created at 0 with ``timeout``); returns the new count."""
    cache = cache or caches[DEFAULT_CACHE_ALIAS]  # the backend itself, not the proxy
    if isinstance(cache, DatabaseCache):
        return _incr_database(cache, key, timeout)
    cache.add(key, 0, timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # the key expired between add and incr: start a fresh window
        cache.add(key, 1, timeout)
        return 1


def hit(
    scope: str,
    address: str,
    *,
    limit: int | None = None,
    cache: BaseCache | None = None,
    now: float | None = None,
) -> bool:
    """Count one request of ``scope`` from ``address``; False once the minute's limit is passed."""
    limit = per_minute() if limit is None else limit
    key = window_key(scope, address, now)
    if _uses_table(cache):
        minute = int((_now() if now is None else now) // WINDOW_SECONDS)
        return _incr_table(key, minute) <= limit
    return incr(key, WINDOW_SECONDS + 5, cache) <= limit


def seconds_to_next_window(now: float | None = None) -> int:
    now = _now() if now is None else now
    return max(1, WINDOW_SECONDS - int(now % WINDOW_SECONDS))


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """A plain Chinese 429 answer (faces may pass their own page to ``rate_limited``)."""
    wait = seconds_to_next_window()
    response = HttpResponse(
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>请求过于频繁</title>'
        f"<h1>请求过于频繁</h1><p>您提交得太快了，请在 {wait} 秒后再试。</p></html>",
        status=429,
        content_type="text/html; charset=utf-8",
    )
    response["Retry-After"] = str(wait)
    return response


def rate_limited(
    scope: str,
    *,
    methods: Collection[str] = ("POST",),
    limit: int | None = None,
    response: Callable[[HttpRequest], HttpResponse] | None = None,
) -> Callable[[View], View]:
    """Decorate a view: count ``methods`` requests per (scope, client address) per minute.

    Past the limit the view is not called; ``response`` (default ``too_many_requests``)
    answers with status 429 and a ``Retry-After`` header.
    """
    answer = response or too_many_requests
    wanted = {m.upper() for m in methods}

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in wanted and not hit(scope, client_address(request), limit=limit):
                refused = answer(request)
                refused.status_code = 429
                refused.setdefault("Retry-After", str(seconds_to_next_window()))
                return refused
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorate
