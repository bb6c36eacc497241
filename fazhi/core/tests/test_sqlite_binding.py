"""The sqlite3 adapters of ``fazhi.core.sqlite`` bind exactly what sqlite3 binds without them."""

from __future__ import annotations

import sqlite3

import pytest

from fazhi.core.sqlite import register_adapters


def test_registered_when_django_starts() -> None:
    assert (type(None), sqlite3.PrepareProtocol) in sqlite3.adapters
    assert (bool, sqlite3.PrepareProtocol) in sqlite3.adapters


@pytest.mark.parametrize(
    ("value", "stored", "kind"),
    [(None, None, "null"), (True, 1, "integer"), (False, 0, "integer"), (7, 7, "integer")],
)
def test_values_bind_as_without_adapters(value: object, stored: object, kind: str) -> None:
    register_adapters()  # idempotent
    db = sqlite3.connect(":memory:")
    try:
        db.execute("CREATE TABLE t (v)")
        db.executemany("INSERT INTO t VALUES (?)", [(value,), (value,)])
        db.execute("INSERT INTO t VALUES (:v)", {"v": value})
        rows = db.execute("SELECT v, typeof(v) FROM t").fetchall()
    finally:
        db.close()
    assert rows == [(stored, kind)] * 3
    assert all(type(v) is type(stored) for v, _ in rows)
