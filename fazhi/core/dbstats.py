"""Planner statistics: keep the query planner's picture of the big tables current.

SQLite has no autovacuum/autoanalyze: without statistics it may pick a non-covering index for
the queue's grouped counts (87 ms instead of 25 ms on a million matters, docs/benchmarks.md).
``refresh_statistics`` runs a bounded ANALYZE there (PRAGMA analysis_limit keeps it to well
under a second on millions of rows) and a plain ANALYZE of the named tables on PostgreSQL,
whose autovacuum does the same on its own schedule. Called by ``fazhi sweep`` (daily) and at
the end of a bulk import.
"""

from __future__ import annotations

from django.db import connection

BIG_TABLES = ("procedures_matter", "procedures_step", "procedures_activity")


def refresh_statistics(tables: tuple[str, ...] = BIG_TABLES) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=2000")
            for table in tables:
                cursor.execute(f'ANALYZE "{table}"')
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(f'"{t}"' for t in tables))
