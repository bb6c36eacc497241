"""Opening a stored file for a download: a file gone from the storage (deleted by hand, a
restore from an older backup, a mount that failed) is a Chinese 404, never a 500."""

from __future__ import annotations

import logging
from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import Http404

logger = logging.getLogger(__name__)


def open_stored(stored: FieldFile, what: str = "文件") -> IO[bytes]:
    """``stored`` opened for reading, or ``Http404`` saying that the file is gone (logged)."""
    try:
        handle: IO[bytes] = stored.open("rb")
    except (OSError, ValueError) as exc:  # ValueError: the field has no file
        logger.error("storage: cannot open %r: %s", getattr(stored, "name", ""), exc)
        raise Http404(f"{what}已不在服务器的文件存储中，请联系系统管理员。") from None
    return handle
