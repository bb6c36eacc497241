"""The audit log's hash chain (#19 "Audit integrity").

Every audit row has a position ``seq`` (1, 2, 3 … without gaps, unique), the hash of the row
before it (``prev_hash``; "" for the first) and its own ``row_hash``: SHA-256 over
``prev_hash`` and the row's canonical serialisation (``canonical``). An edited row no longer
matches its hash; a deleted row leaves a gap in ``seq`` and the next row's ``prev_hash`` points
at nothing; an inserted row either takes a position that is not free (the unique ``seq``
refuses it), or its ``prev_hash`` or hash do not fit. ``verify`` walks the chain and names each
such row; ``fazhi audit verify`` runs it.

Writers are serialised so the chain never forks: on PostgreSQL a transaction-scoped advisory
lock (``pg_advisory_xact_lock``) is taken before the head is read, and held until the change's
transaction commits; on SQLite every write transaction begins IMMEDIATE (settings), holding
the single write lock. The unique ``seq`` is the last guard either way.

What a chain alone cannot tell: rows cut from the end, or a forged row appended with a correct
hash by someone who can write to the database. ``verify`` prints the head (``seq`` and hash);
kept elsewhere (the backup log, a ticket), it is checked with ``--expect-head``.

Changing ``canonical`` changes every hash: a new version needs a new ``VERSION`` and a
migration that re-chains (0004 imports this module to backfill).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections

VERSION = "fazhi-audit-v1"
LOCK_KEY = 0x66617A68  # "fazh": the advisory lock of the audit chain on PostgreSQL

FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "org_id",
    "data",
    "ip",
)


def _json_value(value: Any) -> Any:
    """JSON as any database gives it back: integral floats as integers (PostgreSQL's jsonb
    reads 1e20 back as an integer), tuples as lists."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return str(value)


def _moment(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _ip(value: str | None) -> str:
    if not value:
        return ""
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return str(value)


def canonical(values: Mapping[str, Any]) -> bytes:
    """The row as the hash sees it: ``FIELDS`` in a fixed form, sorted-key compact JSON."""
    row = {
        "seq": int(values["seq"]),
        "at": _moment(values.get("at")),
        "actor_id": values.get("actor_id"),
        "actor_label": str(values.get("actor_label") or ""),
        "action": str(values.get("action") or ""),
        "object_type": str(values.get("object_type") or ""),
        "object_id": str(values.get("object_id") or ""),
        "object_repr": str(values.get("object_repr") or ""),
        "org_id": values.get("org_id"),
        "data": _json_value(values.get("data") or {}),
        "ip": _ip(values.get("ip")),
    }
    return json.dumps(
        [VERSION, row], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def row_hash(prev_hash: str, values: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(values))
    return digest.hexdigest()


def values_of(row: Any) -> dict[str, Any]:
    """The hashed fields of a model instance (current or historical)."""
    return {name: getattr(row, name) for name in FIELDS}


# --- appending ---------------------------------------------------------------------------------


def lock_chain(using: str) -> None:
    """Serialise audit writers until this transaction ends (PostgreSQL); SQLite's IMMEDIATE
    write transactions are serialised already."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def head(model: Any, using: str) -> tuple[int, str]:
    """The last row's ``seq`` and hash, (0, "") for an empty log: one indexed read (``seq`` is
    unique), written out rather than built by the ORM at every audited change."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table, seq, row_hash_ = quote(model._meta.db_table), quote("seq"), quote("row_hash")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {seq}, {row_hash_} FROM {table} ORDER BY {seq} DESC LIMIT 1")  # noqa: S608 names from the model, quoted  # nosec B608
        last = cursor.fetchone()
    return (int(last[0]), str(last[1])) if last else (0, "")


def chain(rows: Sequence[Any], after: tuple[int, str]) -> None:
    """Give ``rows`` (unsaved) their places after ``after`` = (seq, hash)."""
    seq, prev = after
    for row in rows:
        seq += 1
        row.seq = seq
        row.prev_hash = prev
        row.row_hash = row_hash(prev, values_of(row))
        prev = row.row_hash


# --- verifying ---------------------------------------------------------------------------------


EDITED = "edited"
MISSING = "missing"
INSERTED = "inserted"
HEAD = "head"


@dataclass(frozen=True)
class Problem:
    kind: str  # EDITED, MISSING, INSERTED or HEAD
    seq: int
    pk: int | None
    message: str


@dataclass
class Verdict:
    rows: int = 0
    head_seq: int = 0
    head_hash: str = ""
    problems: list[Problem] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _walk(rows: Iterable[Any], expect_head: tuple[int, str] | None) -> Iterator[Problem | Any]:
    expected_seq, prev_hash = 1, ""
    for row in rows:
        yield row
        if row.seq > expected_seq:
            gap = (
                f"第{expected_seq}条"
                if row.seq == expected_seq + 1
                else f"第{expected_seq}至{row.seq - 1}条"
            )
            yield Problem(MISSING, row.seq, row.pk, f"第{row.seq}条之前缺少{gap}（已被删除）。")
        elif row.prev_hash != prev_hash:
            yield Problem(
                INSERTED,
                row.seq,
                row.pk,
                f"第{row.seq}条（编号{row.pk}）与前一条接不上：前一条被替换，或此条为插入的记录。",
            )
        if row_hash(row.prev_hash, values_of(row)) != row.row_hash:
            yield Problem(
                EDITED,
                row.seq,
                row.pk,
                f"第{row.seq}条（编号{row.pk}，{row.action}）的内容与其哈希不符：已被改动。",
            )
        expected_seq, prev_hash = row.seq + 1, row.row_hash
    if expect_head is not None:
        yield ("head", expected_seq - 1, prev_hash)


def verify(
    model: Any, using: str = "default", expect_head: tuple[int, str] | None = None
) -> Verdict:
    """Walk the whole chain in ``seq`` order (streamed) and name every broken row."""
    problems: list[Problem] = []
    verdict = Verdict(problems=problems)
    rows = model._base_manager.using(using).order_by("seq").iterator(chunk_size=5000)
    for item in _walk(rows, expect_head):
        if isinstance(item, Problem):
            problems.append(item)
        elif isinstance(item, tuple):
            _, seq, _last = item
            want_seq = expect_head[0] if expect_head else 0
            if seq < want_seq:
                problems.append(
                    Problem(
                        HEAD,
                        seq,
                        None,
                        f"链尾只到第{seq}条，应至少到第{want_seq}条：末尾的记录已被删除。",
                    )
                )
        else:
            verdict.rows += 1
            verdict.head_seq, verdict.head_hash = item.seq, item.row_hash
            if expect_head and item.seq == expect_head[0] and item.row_hash != expect_head[1]:
                problems.append(
                    Problem(
                        HEAD,
                        item.seq,
                        item.pk,
                        f"第{item.seq}条的哈希与记下的链尾不同：此前的记录已被改写。",
                    )
                )
    return verdict
