"""Stored files. Writing one (``store``): a full disk or a read-only media directory is a
Chinese refusal naming the file and the cause (``StorageUnavailable``; the API answers 503
with Retry-After), logged, with nothing stored. Opening one for a download: a file gone from
the storage (deleted by hand, a restore from an older backup, a mount that failed) is a
Chinese 404, never a 500."""

from __future__ import annotations

import errno
import logging
from typing import IO, Any

from django.db.models.fields.files import FieldFile
from django.http import Http404

logger = logging.getLogger(__name__)


class StorageUnavailable(ValueError):  # noqa: N818 as procedures.errors' names
    """The server cannot store a file now (disk full, read-only or missing storage): nothing
    was stored. ``procedures.errors.StorageUnavailable`` is the engine's own kind of it."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def refusal_text(name: str, exc: OSError, what: str = "附件") -> str:
    """The Chinese refusal of a file the storage could not take (logged for the operators)."""
    logger.error("storage: cannot store %r in MEDIA_ROOT: %s", name, exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "服务器的存储空间已满"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        why = "服务器的文件存储当前不可写入"
    else:
        why = "服务器暂时无法保存文件"
    return (
        f"{what}“{name}”未能保存：{why}，本次提交未保存任何内容。请稍后再试；"
        "急需办理的，请联系工作人员（已记录此故障）。"
    )


def store(
    stored: FieldFile,
    name: str,
    content: Any,
    *,
    what: str = "附件",
    error: type[StorageUnavailable] = StorageUnavailable,
) -> None:
    """Save ``content`` as ``stored``'s file (the model is not saved), or raise ``error``
    saying which file and why; the caller's transaction then records nothing."""
    try:
        stored.save(name, content, save=False)
    except OSError as exc:  # ``stored`` keeps its old name: the caller records nothing
        raise error(refusal_text(name, exc, what), field="file") from exc


def open_stored(stored: FieldFile, what: str = "文件") -> IO[bytes]:
    """``stored`` opened for reading, or ``Http404`` saying that the file is gone (logged)."""
    try:
        handle: IO[bytes] = stored.open("rb")
    except (OSError, ValueError) as exc:  # ValueError: the field has no file
        logger.error("storage: cannot open %r: %s", getattr(stored, "name", ""), exc)
        raise Http404(f"{what}已不在服务器的文件存储中，请联系系统管理员。") from None
    return handle
