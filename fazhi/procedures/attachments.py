"""Attachments: size and type limits checked on the content, not the file name.

Allowed: PDF, JPEG, PNG, Office Open XML (docx, xlsx), OFD, plain text. The type is read
from the first bytes (magic numbers); a file whose name claims another type is refused.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from fazhi.core import audit
from fazhi.core.scope import AnyUser
from fazhi.core.storage import refusal_text, store
from fazhi.procedures.errors import InvalidData, NotAllowed, StorageUnavailable
from fazhi.procedures.models import Attachment, Matter, Step
from fazhi.procedures.permissions import attachment_refusal

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
logger = logging.getLogger(__name__)

# extension → (content type, predicate on the first bytes)
_TYPES: dict[str, tuple[str, bytes | None]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    "ofd": ("application/ofd", b"PK\x03\x04"),
    "txt": ("text/plain", None),
}
ALLOWED_EXTENSIONS = tuple(sorted(_TYPES))


# The steps whose files the submitter brings (``submitter=True``).
SUBMITTER_STEPS = frozenset({"register", "supplement"})


def max_attachment_bytes() -> int:
    return int(getattr(settings, "FAZHI_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def check_upload(name: str, content: bytes) -> str:
    """The content type of an acceptable upload; ``InvalidData`` (Chinese) otherwise."""
    limit = max_attachment_bytes()
    if len(content) > limit:
        raise InvalidData(
            f"附件“{name}”过大：{len(content) / 1048576:.1f} MB，上限为 {limit / 1048576:.0f} MB。",
            field="file",
        )
    if not content:
        raise InvalidData(f"附件“{name}”是空文件。", field="file")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in _TYPES:
        raise InvalidData(
            f"附件“{name}”的类型不允许，只接受：{'、'.join(ALLOWED_EXTENSIONS)}。", field="file"
        )
    content_type, magic = _TYPES[ext]
    if magic is not None and not content.startswith(magic):
        raise InvalidData(f"附件“{name}”的内容与扩展名 .{ext} 不符。", field="file")
    if magic is None:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidData(f"附件“{name}”不是 UTF-8 文本文件。", field="file") from None
    return content_type


def safe_name(name: str) -> str:
    base = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    return base[-150:] or "file"


def storage_refusal(name: str, exc: OSError) -> StorageUnavailable:
    """The Chinese refusal of a file the storage could not take (logged for the operators)."""
    return StorageUnavailable(refusal_text(name, exc), field="file")


def add_attachment(
    matter: Matter,
    name: str,
    stream: IO[bytes] | bytes,
    *,
    by: AnyUser | None,
    step: Step | None = None,
    public: bool = False,
    submitter: bool = False,
) -> Attachment:
    """Validate and store a file for ``matter``; audited.

    ``by`` must be allowed to (``permissions.attachment_refusal``: the lead unit's staff),
    else ``NotAllowed``. ``submitter=True`` (and ``by=None``): the public's files sent with
    their submission (the portal), stored on its ``register`` step, or with a ``supplement``
    they took themselves on the tracking page.
    """
    if submitter:
        if by is not None or step is None or step.action not in SUBMITTER_STEPS:
            raise NotAllowed("提交人只能在提交或补充材料时附上材料。", field="file")
        if step.action != "register" and step.actor_id is not None:
            raise NotAllowed("这一步不是提交人本人的补充材料。", field="file")
    else:
        problem = attachment_refusal(by, matter)
        if problem:
            raise NotAllowed(problem, field="file")
    limit = max_attachment_bytes()
    content = stream if isinstance(stream, bytes) else stream.read(limit + 1)
    name = safe_name(name)
    content_type = check_upload(name, content)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        attachment = Attachment(
            matter=matter,
            step=step,
            name=name,
            size=len(content),
            content_type=content_type,
            sha256=digest,
            public=public,
        )
        store(attachment.file, name, ContentFile(content), error=StorageUnavailable)
        attachment.save()
        audit.record(
            "matter.attach",
            matter,
            actor=by,
            data={"name": name, "size": len(content), "sha256": digest},
        )
    return attachment
