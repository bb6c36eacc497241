"""Reference numbers and the verification codes of public tracking."""

from __future__ import annotations

import hmac
import secrets

from django.db import connections, router

from fazhi.procedures.declarations import Procedure
from fazhi.procedures.models import (
    Matter,
    ReferenceCounter,
)

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over the phone
# --- references -----------------------------------------------------------------------------


def reference_prefix(procedure: Procedure) -> str:
    return procedure.reference_prefix or procedure.code.upper()[:6]


def next_reference(procedure: Procedure, year: int) -> str:
    """``FY-2024-000017``: the next sequential number of the procedure's prefix and year.

    One statement inside the caller's transaction: ``INSERT … ON CONFLICT (prefix, year) DO
    UPDATE SET last = last + 1 RETURNING last`` (SQLite ≥ 3.35 and PostgreSQL alike), so
    concurrent registrations on several app servers never share a number, a rolled-back
    registration gives its number back (no gaps), and the counter row is locked from this
    statement to the commit only (#19: it was three, a read, an update and a read again).
    """
    prefix = reference_prefix(procedure)
    connection = connections[router.db_for_write(ReferenceCounter)]
    quote = connection.ops.quote_name
    table = quote(ReferenceCounter._meta.db_table)
    p, y, last = quote("prefix"), quote("year"), quote("last")
    sql = (
        f"INSERT INTO {table} ({p}, {y}, {last}) VALUES (%s, %s, 1) "  # noqa: S608 names from the model, quoted; values are parameters  # nosec B608
        f"ON CONFLICT ({p}, {y}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, year])
        number = int(cursor.fetchone()[0])
    return f"{prefix}-{year}-{number:06d}"


CODE_POLICY = (
    "查询码只在提交或登记时显示一次，凭查询编号和查询码在网上查询进度；"
    "查询码遗失无法找回，工作人员看不到查询码，也不会向您索要。"
)
"""The one policy on verification codes (#19 defect 4), stated the same on the public receipt
and to staff: shown once — to the submitter on the receipt, or to the clerk registering a
trackable matter on the party's behalf, to hand over there and then — and never again."""


def shows_verification_code(matter: Matter) -> bool:
    """Whether ``matter``'s code means anything to its party: only a matter the public
    tracking page can find has one worth giving (never a reconsideration's or a petition's)."""
    procedure = matter.declaration
    return procedure.public_trackable and not procedure.confidential


def new_verification_code(length: int = 6) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def find_for_tracking(reference: str, code: str) -> Matter | None:
    """The public matter with this reference and verification code; None for any mismatch.

    Confidential procedures (petitions) are never found. The code comparison is constant-time.
    """
    reference = (reference or "").strip().upper()
    code = (code or "").strip().upper()
    if not reference or not code:
        return None
    for matter in Matter.objects.public().filter(reference=reference)[:5]:
        if hmac.compare_digest(matter.verification_code.upper(), code):
            return matter
    return None
