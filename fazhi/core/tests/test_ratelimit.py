"""fazhi.core.ratelimit: per (scope, address) per minute, counted in shared storage."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from fazhi.core import ratelimit
from fazhi.core.models import RateCount
from fazhi.core.ratelimit import client_address, hit, incr, rate_limited, window_key

NOW = 1_700_000_000.0  # a fixed moment, 20 s into its minute


@pytest.fixture
def clean_cache(db):
    ratelimit.clear()
    yield cache
    ratelimit.clear()


def test_the_default_cache_is_the_database(clean_cache):
    assert isinstance(caches["default"], DatabaseCache)


def test_counts_up_to_the_limit_then_refuses(clean_cache):
    assert all(hit("t", "10.0.0.1", limit=3, now=NOW) for _ in range(3))
    assert not hit("t", "10.0.0.1", limit=3, now=NOW)
    assert not hit("t", "10.0.0.1", limit=3, now=NOW)


def test_without_redis_the_count_is_a_row_of_the_counter_table(clean_cache):
    for _ in range(4):
        hit("t", "10.0.0.1", limit=10, now=NOW)
    row = RateCount.objects.get(key=window_key("t", "10.0.0.1", NOW))
    assert (row.n, row.minute) == (4, int(NOW // 60))
    assert ratelimit.count("t", "10.0.0.1", NOW) == 4
    assert cache.get(window_key("t", "10.0.0.1", NOW)) is None  # not in the cache table


def test_a_count_is_one_statement(clean_cache):
    """One atomic UPSERT, no transaction of its own (#19: the cache needed eight statements)."""
    hit("t", "10.0.0.1", limit=10, now=NOW)  # the minute's first count also deletes old ones
    with CaptureQueriesContext(connection) as queries:
        hit("t", "10.0.0.1", limit=10, now=NOW)
    sqls = [q["sql"].upper() for q in queries.captured_queries]
    assert len(sqls) == 1  # inside the test's transaction: no SET LOCAL either
    assert "ON CONFLICT" in sqls[0]


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_only_the_count_skips_the_wal_flush():
    """#19 step 5: ``SET LOCAL synchronous_commit = off`` in the count's own transaction."""
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    ratelimit.clear()
    with CaptureQueriesContext(connection) as queries:
        assert hit("t", "10.0.0.1", limit=10, now=NOW)
    sqls = [q["sql"].upper() for q in queries.captured_queries]
    assert "SET LOCAL SYNCHRONOUS_COMMIT = OFF" in sqls
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # LOCAL: the next transaction waits again
    assert ratelimit.count("t", "10.0.0.1", NOW) == 1
    ratelimit.clear()


def test_past_minutes_are_deleted_when_a_new_one_starts(clean_cache):
    hit("t", "10.0.0.1", limit=10, now=NOW - 180)
    hit("t", "10.0.0.2", limit=10, now=NOW - 60)
    hit("t", "10.0.0.3", limit=10, now=NOW)
    assert sorted(RateCount.objects.values_list("minute", flat=True)) == [
        int(NOW // 60) - 1,
        int(NOW // 60),
    ]


def test_with_a_cache_given_the_count_is_in_that_cache(db):
    other = caches["default"]
    other.clear()
    assert hit("t", "10.0.0.9", limit=2, cache=other, now=NOW)
    assert other.get(window_key("t", "10.0.0.9", NOW)) == 1
    assert not RateCount.objects.exists()
    other.clear()


def test_addresses_and_scopes_are_counted_apart(clean_cache):
    assert all(hit("t", "10.0.0.1", limit=2, now=NOW) for _ in range(2))
    assert not hit("t", "10.0.0.1", limit=2, now=NOW)
    assert hit("t", "10.0.0.2", limit=2, now=NOW)
    assert hit("other", "10.0.0.1", limit=2, now=NOW)


def test_a_new_minute_starts_a_new_count(clean_cache):
    assert all(hit("t", "10.0.0.1", limit=2, now=NOW) for _ in range(2))
    assert not hit("t", "10.0.0.1", limit=2, now=NOW + 30)  # same minute
    assert hit("t", "10.0.0.1", limit=2, now=NOW + 45)  # next minute


def test_default_limit_comes_from_settings(clean_cache):
    with override_settings(FAZHI_PUBLIC_RATE_PER_MINUTE=2):
        assert hit("t", "a", now=NOW)
        assert hit("t", "a", now=NOW)
        assert not hit("t", "a", now=NOW)


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.db.DatabaseCache",
    ],
)
def test_incr_on_each_backend(db, backend):
    settings = {"BACKEND": backend, "LOCATION": "fazhi_cache" if "db" in backend else "rl-test"}
    with override_settings(CACHES={"default": settings}):
        other = caches["default"]
        other.clear()
        assert [incr("k", 60, other) for _ in range(3)] == [1, 2, 3]
        other.clear()


def test_ipv6_addresses_make_valid_keys(clean_cache):
    assert hit("t", "2001:db8::1", limit=1, now=NOW)
    assert not hit("t", "2001:db8::1", limit=1, now=NOW)


def test_client_address_is_remote_addr_by_default():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(request) == "192.0.2.5"


@override_settings(FAZHI_TRUSTED_PROXY_COUNT=1)
def test_trusted_proxy_takes_the_rightmost_forwarded_entry():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7"
    )
    assert client_address(request) == "192.0.2.7"  # the client-supplied 6.6.6.6 is ignored
    bare = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9")
    assert client_address(bare) == "10.0.0.9"


def test_decorator_refuses_with_429_and_only_counts_posts(clean_cache, monkeypatch):
    monkeypatch.setattr(ratelimit, "_now", lambda: NOW)
    calls = []

    @rate_limited("deco", limit=2)
    def view(request):
        calls.append(request.method)
        return HttpResponse("ok")

    rf = RequestFactory()
    for _ in range(5):
        assert view(rf.get("/", REMOTE_ADDR="10.1.1.1")).status_code == 200
    assert view(rf.post("/", REMOTE_ADDR="10.1.1.1")).status_code == 200
    assert view(rf.post("/", REMOTE_ADDR="10.1.1.1")).status_code == 200
    refused = view(rf.post("/", REMOTE_ADDR="10.1.1.1"))
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.content.decode()
    assert int(refused["Retry-After"]) == 40
    assert calls.count("POST") == 2
    assert view(rf.post("/", REMOTE_ADDR="10.1.1.2")).status_code == 200


def test_decorator_uses_the_given_page(clean_cache):
    @rate_limited("page", limit=0, response=lambda request: HttpResponse("慢一点"))
    def view(request):
        return HttpResponse("ok")

    refused = view(RequestFactory().post("/"))
    assert refused.status_code == 429
    assert refused.content.decode() == "慢一点"
    assert "Retry-After" in refused


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_are_not_lost():
    """Several app servers counting at once: every increment is kept (row lock on PostgreSQL)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's concurrency")
    caches["default"].clear()
    ratelimit.clear()
    errors: list[BaseException] = []

    def worker():
        try:
            for _ in range(10):
                incr("race", 60)
                hit("race", "10.9.9.9", limit=1000, now=NOW)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert caches["default"].get("race") == 40
    assert ratelimit.count("race", "10.9.9.9", NOW) == 40
    caches["default"].clear()
    ratelimit.clear()
