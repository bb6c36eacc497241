"""Describe the configured database without leaking its password (for error messages)."""

from __future__ import annotations

from django.conf import settings


def describe_database() -> str:
    """``postgresql postgres@127.0.0.1:5432/test`` or ``sqlite /path/file``; never a password."""
    db = settings.DATABASES["default"]
    engine = str(db.get("ENGINE", "")).rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return f"sqlite {db.get('NAME')}"
    user = db.get("USER") or ""
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or ""
    where = f"{host}:{port}" if port else str(host)
    return f"{engine} {user}@{where}/{db.get('NAME')}"
