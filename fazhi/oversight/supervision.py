"""Supervision activities with their files: recording an audit or a coordination meeting with
its documents is one change (one transaction, audited), as is adding a file later."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from fazhi.core import audit
from fazhi.core.models import OrgUnit
from fazhi.core.scope import AnyUser, can_act_on
from fazhi.core.storage import store
from fazhi.oversight.activities import SUPERVISION_KINDS
from fazhi.oversight.models import ActivityFile
from fazhi.procedures.activities import record_activity
from fazhi.procedures.attachments import check_upload, safe_name
from fazhi.procedures.errors import InvalidData, NotAllowed, StorageUnavailable
from fazhi.procedures.models import Activity

KIND_CODES = tuple(k.code for k in SUPERVISION_KINDS)
MAX_FILES = 10


def supervision_activities() -> Any:
    """The supervision activities (every kind of ``SUPERVISION_KINDS``)."""
    return Activity.objects.of(*KIND_CODES)


def _content(upload: tuple[str, bytes]) -> tuple[str, bytes, str]:
    name, content = upload
    name = safe_name(name or "file")
    return name, content, check_upload(name, content)


def record_supervision(
    kind: str,
    *,
    org: OrgUnit,
    on: dt.date,
    title: str,
    figures: Mapping[str, Any] | None = None,
    note: str = "",
    files: Iterable[tuple[str, bytes]] = (),
    by: AnyUser | None,
) -> Activity:
    """Record a supervision activity and its files (all or nothing)."""
    if kind not in KIND_CODES:
        raise InvalidData("请选择督查、审计或统计监督贯通协同中的一类。", field="kind")
    checked = [_content(f) for f in files]
    if len(checked) > MAX_FILES:
        raise InvalidData(f"一次最多上传{MAX_FILES}个文件。", field="files")
    with transaction.atomic():
        activity = record_activity(
            kind, org=org, on=on, title=title, figures=figures, note=note, by=by
        )
        for name, content, content_type in checked:
            _store_by(activity, name, content, content_type, by)
    return activity


def _store_by(
    activity: Activity, name: str, content: bytes, content_type: str, by: AnyUser | None
) -> ActivityFile:
    digest = hashlib.sha256(content).hexdigest()
    item = ActivityFile(
        activity=activity, name=name, size=len(content), content_type=content_type, sha256=digest
    )
    store(item.file, name, ContentFile(content), what="文件", error=StorageUnavailable)
    item.save()
    audit.record(
        "activity.attach",
        activity,
        actor=by,
        data={"name": name, "size": len(content), "sha256": digest},
    )
    return item


def add_activity_file(
    activity: Activity, name: str, content: bytes, *, by: AnyUser | None
) -> ActivityFile:
    """Attach one more file to a supervision activity of the user's units; audited."""
    if activity.kind not in KIND_CODES:
        raise InvalidData("只能为督查、审计和统计监督活动上传文件。", field="activity")
    if by is not None and not can_act_on(by, activity.org):
        raise NotAllowed(f"您不能为“{activity.org.label}”的活动上传文件。", field="file")
    name, content, content_type = _content((name, content))
    with transaction.atomic():
        return _store_by(activity, name, content, content_type, by)


def add_activity_files(
    activity: Activity, files: Iterable[tuple[str, bytes]], *, by: AnyUser | None
) -> list[ActivityFile]:
    """Attach several files at once: every file checked first, then all written in one
    transaction (one bad file adds none)."""
    if activity.kind not in KIND_CODES:
        raise InvalidData("只能为督查、审计和统计监督活动上传文件。", field="activity")
    if by is not None and not can_act_on(by, activity.org):
        raise NotAllowed(f"您不能为“{activity.org.label}”的活动上传文件。", field="file")
    checked = [_content(f) for f in files]
    if not checked:
        raise InvalidData("请选择要上传的文件。", field="files")
    if len(checked) > MAX_FILES:
        raise InvalidData(f"一次最多上传{MAX_FILES}个文件。", field="files")
    with transaction.atomic():
        return [_store_by(activity, n, c, t, by) for n, c, t in checked]
