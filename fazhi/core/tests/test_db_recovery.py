"""#19 faults: the database going away mid-session, then coming back — the app recovers.

On PostgreSQL the server ends the app's connection (``pg_terminate_backend``, what a restart
or a failover does to it). The next request answers at once — 503 with Retry-After if it met
the dead connection, or 200 if the health check (``CONN_HEALTH_CHECKS``) replaced it first —
and the one after is served normally, with no restart of the app.

A server calls ``close_old_connections`` at the start and end of every request (Django's
``request_started``/``request_finished``), which drops a connection that failed; Django's test
client disconnects those signals, so the test calls it around each request as the server does.
"""

from __future__ import annotations

import psycopg
import pytest
from django.db import close_old_connections, connection

pytestmark = pytest.mark.django_db(transaction=True)


def served(client, path):
    close_old_connections()  # request_started
    try:
        return client.get(path)
    finally:
        close_old_connections()  # request_finished


def test_the_app_recovers_when_postgresql_drops_its_connection(client):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: a SQLite file has no server to go away")
    assert served(client, "/replies/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    s = connection.settings_dict
    params = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"]}
    if s["PASSWORD"]:
        params["password"] = s["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    first = served(client, "/replies/")
    assert first.status_code in (200, 503), first.status_code
    if first.status_code == 503:
        assert first["Retry-After"] and "数据库" in first.content.decode()
    again = served(client, "/replies/")
    assert again.status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid  # a new connection
