"""Import and export of activities as JSON Lines or CSV (``fazhi activities import|export``).

One activity per line / row: ``kind``, ``on`` (YYYY-MM-DD), ``org`` (division code, id or full
name), ``title``, ``reference`` (required on import: re-importing a file skips the activities
already recorded under the same kind and reference), ``note`` and the kind's figures (JSON: an
object ``figures``; CSV: one column per figure name). An import is all or nothing: every line
is recorded through ``record_activity`` in one transaction, and any error rolls the whole file
back and is reported with its line number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from fazhi.core.scope import AnyUser
from fazhi.procedures.activities import all_kinds, get_kind, record_activity
from fazhi.procedures.errors import InvalidData, MissingData, ProcedureError
from fazhi.procedures.models import Activity
from fazhi.procedures.services import resolve_org

BASE_COLUMNS = ("kind", "on", "org", "title", "reference", "note")


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_records(text: str, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) pairs; a line that is not valid JSON yields a record with _error."""
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        for lineno, row in enumerate(reader, start=2):
            record: dict[str, Any] = {k: (row.get(k) or "").strip() for k in BASE_COLUMNS}
            record["figures"] = {
                k.strip(): v.strip()
                for k, v in row.items()
                if k and k.strip() not in BASE_COLUMNS and v not in (None, "")
            }
            yield lineno, record
        return
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield lineno, {"_error": f"不是有效的 JSON：{exc.msg}（第 {exc.colno} 列）"}
            continue
        if not isinstance(record, dict):
            yield lineno, {"_error": "每行应为一个 JSON 对象。"}
            continue
        yield lineno, record


def _date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        raise MissingData("缺少日期。", field="on")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidData(f"日期“{text}”格式错误，应为 YYYY-MM-DD。", field="on") from None


def import_activities(
    records: Iterable[tuple[int, dict[str, Any]]],
    *,
    by: AnyUser | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Record every activity or none (see the module docstring)."""
    result = ImportResult()
    seen: set[tuple[str, str]] = set()
    with transaction.atomic():
        for lineno, record in records:
            where = f"第 {lineno} 行"
            if "_error" in record:
                result.errors.append(f"{where}：{record['_error']}")
                continue
            unknown = sorted(set(record) - {*BASE_COLUMNS, "figures"})
            if unknown:
                result.errors.append(f"{where}：没有字段 {'、'.join(unknown)}。")
                continue
            kind = str(record.get("kind") or "").strip()
            reference = str(record.get("reference") or "").strip()
            try:
                get_kind(kind)
                if not reference:
                    raise MissingData(
                        "缺少编号（reference）：导入需要编号，重复导入时据以跳过已登记的活动。",
                        field="reference",
                    )
                if (kind, reference) in seen:
                    raise InvalidData(f"编号“{reference}”在文件中重复出现。", field="reference")
                seen.add((kind, reference))
                if Activity.objects.filter(kind=kind, reference=reference).exists():
                    result.skipped += 1
                    continue
                figures = record.get("figures") or {}
                if not isinstance(figures, dict):
                    raise InvalidData('figures 应为对象，如 {"found": 3}。', field="figures")
                record_activity(
                    kind,
                    org=resolve_org(record.get("org")),
                    on=_date(record.get("on")),
                    title=str(record.get("title") or ""),
                    figures=figures,
                    note=str(record.get("note") or ""),
                    reference=reference,
                    by=by,
                    today=today,
                )
                result.created += 1
            except ProcedureError as exc:
                name = f"（{exc.field}）" if exc.field else ""
                result.errors.append(f"{where}{name}：{exc.message}")
        if result.errors:
            transaction.set_rollback(True)
            result.created = 0
    return result


def _org_key(activity: Activity) -> str:
    return activity.org.division_code or str(activity.org_id)


def export_rows(qs: Iterable[Activity]) -> Iterator[dict[str, Any]]:
    for a in qs:
        yield {
            "kind": a.kind,
            "on": a.on.isoformat(),
            "org": _org_key(a),
            "title": a.title,
            "reference": a.reference,
            "note": a.note,
            "figures": a.figures,
        }


def export_jsonl(qs: Iterable[Activity]) -> Iterator[str]:
    for row in export_rows(qs):
        yield json.dumps(row, ensure_ascii=False) + "\n"


def figure_names(kinds: Iterable[str] | None = None) -> list[str]:
    names: list[str] = []
    for kind in all_kinds():
        if kinds is not None and kind.code not in kinds:
            continue
        names.extend(f.name for f in kind.figures if f.name not in names)
    return names


def export_csv(qs: Iterable[Activity], kinds: Iterable[str] | None = None) -> Iterator[str]:
    names = figure_names(kinds)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([*BASE_COLUMNS, *names])
    yield "\ufeff" + flush()
    for row in export_rows(qs):
        figures = row.pop("figures") or {}
        writer.writerow([row[c] for c in BASE_COLUMNS] + [figures.get(n, "") for n in names])
        yield flush()
