"""``Idempotency-Key`` on creating requests: a retry gets the stored answer, never a second matter.

The key is reserved by inserting a row (unique on owner and key) in the same transaction as
the work itself, and the answer is saved in that row before the transaction commits. So:

- a concurrent duplicate waits on the unique index (PostgreSQL) or on the write lock
  (SQLite), then finds the committed row and replays its answer;
- work that fails (an error answer or an exception) rolls back together with its reservation,
  so the client may simply retry; only answers of requests that took effect are stored;
- the same key with a different request (method, path or body) is refused with 422.

Keys expire after ``TTL``; expired rows are removed by the next keyed request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from fazhi.api.models import IdempotencyKey
from fazhi.core import clock

TTL = dt.timedelta(hours=24)
HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    """A response as stored: status, rendered body and content type."""

    status: int
    body: str
    content_type: str


class IdempotencyProblem(Exception):  # noqa: N818 a refusal carried to the view, not a bug
    """A keyed request that cannot be processed; ``status`` and a Chinese ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def key_from(headers: Any) -> str | None:
    """The request's key (None when absent); ``IdempotencyProblem`` (400) when malformed."""
    raw = headers.get(HEADER)
    if raw is None:
        return None
    key = str(raw).strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise IdempotencyProblem(
            400,
            f"请求头 {HEADER} 无效：应为 1—{MAX_KEY_LENGTH} 个可见的 ASCII 字符（建议使用 UUID）。",
        )
    return key


def fingerprint(method: str, path: str, items: Iterable[tuple[str, Any]]) -> str:
    """SHA-256 of the request: method, path and its parameters (files by their content)."""
    digest = hashlib.sha256()
    digest.update(f"{method.upper()} {path}\n".encode())
    for name, value in sorted(((str(k), v) for k, v in items), key=lambda kv: kv[0]):
        digest.update(name.encode("utf-8", "surrogatepass") + b"=")
        if isinstance(value, UploadedFile):
            file_digest = hashlib.sha256()
            for chunk in value.chunks():
                file_digest.update(chunk)
            value.seek(0)
            digest.update(f"file:{value.name}:{file_digest.hexdigest()}".encode())
        else:
            text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
            digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()


def run(
    *,
    key: str | None,
    owner: str,
    method: str,
    path: str,
    request_hash: str,
    handler: Callable[[], T],
    encode: Callable[[T], Answer],
    replay: Callable[[Answer], T],
) -> T:
    """Answer a creating request at most once per ``(owner, key)``.

    ``handler`` does the work and returns the response; ``encode`` renders it for storage;
    ``replay`` turns a stored answer back into a response. Without a key, ``handler`` runs.
    """
    if key is None:
        return handler()
    method = method.upper()
    path = path[:500]
    with transaction.atomic():
        IdempotencyKey.objects.filter(created_at__lt=clock.now() - TTL).delete()
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    key=key, owner=owner, method=method, path=path, request_hash=request_hash
                )
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(owner=owner, key=key).first()
            if existing is None:  # the first request rolled back in the meantime
                raise IdempotencyProblem(
                    409, f"幂等键“{key}”的前一个请求未成功，请重试。"
                ) from None
            if (existing.method, existing.path, existing.request_hash) != (
                method,
                path,
                request_hash,
            ):
                raise IdempotencyProblem(
                    422,
                    f"幂等键“{key}”已用于另一个内容不同的请求（{existing.method} "
                    f"{existing.path}）。新的请求请使用新的幂等键；重试请原样重发。",
                ) from None
            if existing.response_status is None:
                raise IdempotencyProblem(
                    409, f"幂等键“{key}”的请求正在处理中，请稍后重试。"
                ) from None
            return replay(
                Answer(
                    existing.response_status,
                    existing.response_body,
                    existing.response_content_type,
                )
            )
        response = handler()
        answer = encode(response)
        if 200 <= answer.status < 300 and not transaction.get_rollback():
            row.response_status = answer.status
            row.response_body = answer.body
            row.response_content_type = answer.content_type
            row.save(update_fields=["response_status", "response_body", "response_content_type"])
        else:
            # Nothing took effect: release the key together with whatever the handler began.
            transaction.set_rollback(True)
        return response
