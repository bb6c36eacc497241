"""执法全过程记录: the records of a case (written, photo, audio, video) with their length and
the period each is kept, and what the case file of its kind still lacks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from fazhi.core import audit, clock
from fazhi.core.scope import AnyUser, can_act_on
from fazhi.enforcement.models import (
    DEFAULT_RETENTION_MONTHS,
    RECORD_KINDS,
    CaseRecord,
    RequiredRecord,
)
from fazhi.procedures.attachments import add_attachment
from fazhi.procedures.errors import InvalidData, NotAllowed
from fazhi.procedures.models import Matter
from fazhi.procedures.rules import check_day

RECORDINGS = frozenset({"audio", "video"})


def retention_months(kind: str) -> int:
    configured = getattr(settings, "FAZHI_ENFORCEMENT_RETENTION_MONTHS", {}) or {}
    return int(configured.get(kind, DEFAULT_RETENTION_MONTHS[kind]))


def add_record(
    matter: Matter,
    *,
    document: str,
    kind: str,
    recorded_on: dt.date,
    by: AnyUser | None,
    file: tuple[str, bytes] | None = None,
    storage_ref: str = "",
    duration_seconds: int | None = None,
) -> CaseRecord:
    """Record one item of the case's whole process, with its file if any, audited."""
    if matter.procedure != "enforcement_decision":
        raise InvalidData(f"{matter.reference}不是行政执法决定。", field="matter")
    if by is not None and not can_act_on(by, matter.org):
        raise NotAllowed(f"您不能为“{matter.org.label}”的案件登记执法记录。", field="matter")
    document = (document or "").strip()
    if not document or len(document) > 100:
        raise InvalidData("请填写记录名称（最多100字），如：现场检查笔录。", field="document")
    if kind not in dict(RECORD_KINDS):
        raise InvalidData("记录形式应为文字记录、照片、录音或录像。", field="kind")
    recorded_on = check_day(recorded_on, "recorded_on", "记录日期", today=clock.today())
    storage_ref = (storage_ref or "").strip()[:100]
    if kind in RECORDINGS:
        if not duration_seconds or duration_seconds <= 0 or duration_seconds > 24 * 3600:
            raise InvalidData("录音、录像须填写时长（1秒至24小时）。", field="duration_seconds")
        if file is None and not storage_ref:
            raise InvalidData("录音、录像须上传文件或填写执法记录仪存储编号。", field="storage_ref")
    elif file is None:
        raise InvalidData("文字记录和照片须上传文件。", field="file")
    with transaction.atomic():
        attachment = add_attachment(matter, file[0], file[1], by=by) if file is not None else None
        record = CaseRecord.objects.create(
            matter=matter,
            document=document,
            kind=kind,
            attachment=attachment,
            storage_ref=storage_ref,
            duration_seconds=duration_seconds if kind in RECORDINGS else None,
            recorded_on=recorded_on,
            retention_months=retention_months(kind),
            created_at=clock.now(),
        )
        audit.record(
            "enforcement.case_record",
            matter,
            actor=by,
            data={"document": document, "kind": kind, "storage_ref": storage_ref},
        )
    return record


@dataclass(frozen=True)
class CaseFile:
    records: list[CaseRecord]
    required: list[RequiredRecord]
    missing: list[RequiredRecord]

    @property
    def complete(self) -> bool:
        return not self.missing


def required_for(matter: Matter) -> list[RequiredRecord]:
    """The records the case file of ``matter``'s kind must hold, in force on its date, of its
    organ or a unit above it."""
    rows: Any = RequiredRecord.objects  # typed by the base register's manager
    found = rows.filter(action_type=matter.details.get("action_type")).valid_on(matter.received_on)
    return [r for r in found.select_related("org") if matter.org.path.startswith(r.org.path)]


def case_file(matter: Matter) -> CaseFile:
    records = list(matter.case_records.select_related("attachment"))
    have = {(r.document, r.kind) for r in records}
    required = required_for(matter)
    missing = [r for r in required if (r.document, r.kind) not in have]
    return CaseFile(records, required, missing)
