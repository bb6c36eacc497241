"""What keeps a public submission cheap under load (#19, docs/benchmarks.md "Load without loss")."""

from __future__ import annotations

import pytest

from fazhi import settings as fazhi_settings


@pytest.mark.parametrize(
    "url", ["sqlite:////tmp/fazhi-test-conn.sqlite3", "postgres://postgres@127.0.0.1:5432/x"]
)
def test_server_threads_keep_their_database_connection(url, monkeypatch):
    """On both databases a thread keeps its connection for 60 s (health-checked), instead of
    connecting and closing at every request: on SQLite that cost more than a submission's own
    statements, and closing the last connection checkpointed and synced the WAL."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("FAZHI_DB_CONN_MAX_AGE", raising=False)
    db = fazhi_settings._database()
    assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True
    monkeypatch.setenv("FAZHI_DB_CONN_MAX_AGE", "0")
    assert fazhi_settings._database()["CONN_MAX_AGE"] == 0
