"""Export of matters in the formats ``fazhi import`` reads back, and the import templates.

JSON Lines is lossless: every step with its date, data, mailing date and who took it (the
public or staff). The xlsx/csv template holds one row per matter with one column group per
declared action, so a matter whose history uses a generic action (transfer, suspend, …) or the
same action twice cannot be written there; such matters are left out and named, and JSONL is
the format to use for them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import QuerySet

from fazhi.core.choices import SYNONYMS
from fazhi.core.models import OrgUnit
from fazhi.procedures.declarations import FieldType, Procedure, get_procedure
from fazhi.procedures.importing import (
    PUBLIC_LABEL,
    Column,
    OrgIndex,
    template_actions,
    template_columns,
    type_label,
)
from fazhi.procedures.models import Matter, Step
from fazhi.workdays import SHANGHAI

EXPORT_FORMATS = ("jsonl", "xlsx", "csv")
CHUNK = 2000
_STEP_FIELDS = (
    "matter_id",
    "seq",
    "action",
    "on",
    "mailed_on",
    "occurred_at",
    "actor_label",
    "org_id",
    "data",
)


def matters_for_export(
    procedure: str,
    *,
    year: int | None = None,
    org: OrgUnit | None = None,
    user: Any = None,
    scoped: bool = True,
) -> QuerySet[Matter]:
    """The matters of ``procedure`` (in ``year``, under ``org``), limited to ``user``'s scope.

    ``scoped=False`` is for the command line, which runs with the operator's full access.
    """
    get_procedure(procedure)
    qs = Matter.objects.for_user(user) if scoped else Matter.objects.all()
    qs = qs.of(procedure)
    if year is not None:
        qs = qs.received_in(year)
    if org is not None:
        qs = qs.for_org_subtree(org)
    return qs.order_by("pk")


def _iter_with_steps(qs: QuerySet[Matter]) -> Iterator[tuple[Matter, list[dict[str, Any]]]]:
    """Each matter with its steps (as dicts, in order): two queries per chunk of matters."""
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        last = chunk[-1].pk
        steps: dict[int, list[dict[str, Any]]] = {}
        for row in (
            Step.objects.filter(matter_id__in=[m.pk for m in chunk])
            .order_by("matter_id", "seq")
            .values(*_STEP_FIELDS)
        ):
            steps.setdefault(row["matter_id"], []).append(row)
        for m in chunk:
            yield m, steps.get(m.pk, [])


def matter_record(m: Matter, steps: list[dict[str, Any]], orgs: OrgIndex) -> dict[str, Any]:
    """A matter as one canonical import line (docs/import-format.md)."""
    procedure = m.declaration
    register = steps[0] if steps and steps[0]["action"] == "register" else None
    first_org = register["org_id"] if register and register["org_id"] else m.org_id
    record: dict[str, Any] = {
        "procedure": m.procedure,
        "reference": m.reference,
        "org": orgs.export_key(first_org),
        "received_on": m.received_on.isoformat(),
        "subject": m.subject,
        "channel": m.channel,
    }
    party = {
        "name": m.party_name,
        "kind": m.party_kind,
        "id_number": m.party_id_number,
        "phone": m.party_phone,
        "address": m.party_address,
    }
    if any(party.values()):
        record["party"] = {k: v for k, v in party.items() if v}
    if register and register["mailed_on"]:
        record["mailed_on"] = register["mailed_on"].isoformat()
    if register and register["occurred_at"]:
        record["received_at"] = _moment(register["occurred_at"])
    record["details"] = {k: v for k, v in m.details.items() if not k.startswith("_")}
    out_steps = []
    for s in steps[1:] if register else steps:
        spec = procedure.action(s["action"])
        data: dict[str, Any] = {}
        for f in spec.fields:
            if f.name in s["data"]:
                value = s["data"][f.name]
                if f.type == FieldType.ORG and value not in (None, ""):
                    value = orgs.export_key(int(value))
                data[f.name] = value
        item: dict[str, Any] = {"action": s["action"], "on": s["on"].isoformat()}
        if data:
            item["data"] = data
        if s["mailed_on"]:
            item["mailed_on"] = s["mailed_on"].isoformat()
        if s["occurred_at"]:
            item["at"] = _moment(s["occurred_at"])
        if s["actor_label"] == PUBLIC_LABEL:
            item["by"] = "public"
        out_steps.append(item)
    record["steps"] = out_steps
    return record


def records(qs: QuerySet[Matter]) -> Iterator[dict[str, Any]]:
    orgs = OrgIndex()
    for m, steps in _iter_with_steps(qs):
        yield matter_record(m, steps, orgs)


# --- templates and table exports ------------------------------------------------------------


@dataclass
class TableExport:
    written: int = 0
    left_out: list[str] = field(default_factory=list)  # references not expressible in a row


def _label_of(column: Column, value: Any) -> Any:
    if value in (None, ""):
        return None
    if column.type == "bool":
        return "是" if value else "否"
    if column.choices:
        return str(dict(column.choices).get(str(value), value))
    return value


def record_row(
    procedure: Procedure, columns: list[Column], record: dict[str, Any], *, dates: bool
) -> list[Any] | None:
    """The template row of a record; None when its steps do not fit one row per matter."""
    values: dict[str, Any] = {}
    for key in ("reference", "org", "received_on", "subject", "channel", "mailed_on"):
        values[key] = record.get(key)
    for k, v in (record.get("party") or {}).items():
        values[f"party_{k}"] = v
    for k, v in record.get("details", {}).items():
        values[f"details.{k}"] = v
    allowed = {a.name for a in template_actions(procedure)}
    seen: set[str] = set()
    for step in record["steps"]:
        name = step["action"]
        if name not in allowed or name in seen:
            return None
        seen.add(name)
        values[f"{name}.on"] = step["on"]
        for k, v in (step.get("data") or {}).items():
            values[f"{name}.{k}"] = v
    row = []
    for c in columns:
        value = _label_of(c, values.get(c.code))
        if dates and c.type == "date" and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        row.append(value)
    return row


def _choice_words(code: str, label: str) -> str:
    """``自然人（person；也可填：个人、公民…）``: a choice as the 说明 sheet lists it."""
    others = SYNONYMS.get(str(label), ())
    return f"{label}（{code}{'；也可填：' + '、'.join(others) if others else ''}）"


def _guide_rows(procedure: Procedure, columns: list[Column]) -> Iterator[list[str]]:
    yield ["列代码", "列名", "类型", "必填", "可选值", "示例", "说明"]
    for c in columns:
        if c.action:
            required = "该操作发生时必填" if c.required else "否"
        else:
            required = "是" if c.required else "否"
        yield [
            c.code,
            c.label,
            type_label(c),
            required,
            "、".join(_choice_words(code, label) for code, label in c.choices),
            c.example,
            c.help,
        ]
    yield []
    yield [
        "填写说明",
        f"本模板用于导入“{procedure.label}”（{procedure.code}）。第1行为列代码、第2行为列名，"
        "请勿修改；从第3行起每行一件事项。填写了某个操作的日期，即表示该操作已经发生；"
        "各操作按日期先后依次按办理规则核验（同日按列的先后）。选项可填中文、常用说法（见“可选值”）或代码。"
        "同一编号重复导入不会重复登记；已有事项可在原有操作之后补填后续操作。",
    ]


def _workbook(procedure: Procedure, columns: list[Column], *, write_only: bool) -> Any:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet(procedure.label[:31]) if write_only else wb.active
    if not write_only:
        ws.title = procedure.label[:31]
    ws.freeze_panes = "A3"
    from openpyxl.utils import get_column_letter

    for i, c in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, min(40, len(c.label) * 2 + 2))
        options = ["是", "否"] if c.type == "bool" else [str(label) for _, label in c.choices]
        if options and len(",".join(options)) < 250:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(options) + '"',
                allow_blank=True,
                showErrorMessage=True,
                # a warning, not a stop: the import also reads the synonyms (个人 for 自然人)
                errorStyle="warning" if c.type != "bool" else "stop",
                errorTitle="不在下拉列表中",
                error=(
                    f"“{c.label}”请从下拉列表中选择，或填写“说明”表列出的常用说法（如个人、企业）。"
                    if c.type != "bool"
                    else f"“{c.label}”请填写“是”或“否”。"
                ),
            )
            dv.add(f"{letter}3:{letter}1048576")
            ws.data_validations.append(dv)
    return wb, ws


def _guide_sheet(wb: Any, procedure: Procedure, columns: list[Column]) -> None:
    guide = wb.create_sheet("说明")
    for row in _guide_rows(procedure, columns):
        guide.append(row)


def write_template(procedure: Procedure, out: IO[bytes], fmt: str = "xlsx") -> None:
    """The empty import template of ``procedure``: codes, labels, a guide and drop-downs."""
    write_table(procedure, [], out, fmt)


def write_table(
    procedure: Procedure, rows: Iterable[dict[str, Any]], out: IO[bytes], fmt: str
) -> TableExport:
    """Write ``rows`` (canonical records) in the template layout as xlsx or csv."""
    columns = template_columns(procedure)
    result = TableExport()
    if fmt == "csv":
        text = _TextOut(out)
        writer = csv.writer(text)
        text.write("\ufeff")
        writer.writerow([c.code for c in columns])
        writer.writerow([c.label for c in columns])
        for rec in rows:
            row = record_row(procedure, columns, rec, dates=False)
            if row is None:
                result.left_out.append(rec["reference"])
                continue
            writer.writerow(["" if v is None else v for v in row])
            result.written += 1
        return result
    from openpyxl.styles import Font

    wb, ws = _workbook(procedure, columns, write_only=True)
    from openpyxl.cell import WriteOnlyCell

    bold = Font(bold=True)

    def header(values: list[str]) -> list[Any]:
        cells = []
        for v in values:
            cell = WriteOnlyCell(ws, value=v)
            cell.font = bold
            cells.append(cell)
        return cells

    ws.append(header([c.code for c in columns]))
    ws.append(header([c.label for c in columns]))
    date_idx = [i for i, c in enumerate(columns) if c.type == "date"]
    text_idx = [i for i, c in enumerate(columns) if c.code in ("party_id_number", "party_phone")]
    for rec in rows:
        row = record_row(procedure, columns, rec, dates=True)
        if row is None:
            result.left_out.append(rec["reference"])
            continue
        cells: list[Any] = list(row)
        for i in date_idx:
            if cells[i] is not None:
                cell = WriteOnlyCell(ws, value=cells[i])
                cell.number_format = "yyyy-mm-dd"
                cells[i] = cell
        for i in text_idx:
            if cells[i] is not None:
                cell = WriteOnlyCell(ws, value=str(cells[i]))
                cell.number_format = "@"
                cells[i] = cell
        ws.append(cells)
        result.written += 1
    _guide_sheet(wb, procedure, columns)
    if result.left_out:
        note = wb.create_sheet("未导出")
        note.append(
            ["以下事项含转办、中止等通用操作或重复操作，无法按一行一件写入本表；请导出 JSONL。"]
        )
        for ref in result.left_out:
            note.append([ref])
    wb.save(out)
    return result


class _TextOut:
    """A text writer onto a binary stream (UTF-8), for csv.writer."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out

    def write(self, text: str) -> int:
        self.out.write(text.encode("utf-8"))
        return len(text)


def _counted(
    recs: Iterable[dict[str, Any]], progress: Callable[[int], None]
) -> Iterator[dict[str, Any]]:
    for rec in recs:
        yield rec
        progress(1)


def export(
    qs: QuerySet[Matter],
    procedure: str,
    fmt: str,
    out: IO[bytes],
    *,
    progress: Callable[[int], None] | None = None,
) -> TableExport:
    """Export ``qs`` (matters of ``procedure``) as jsonl, xlsx or csv onto a binary stream.

    ``progress(n)`` is called after each matter with ``1`` (a progress bar's ``update``).
    """
    recs = records(qs) if progress is None else _counted(records(qs), progress)
    if fmt == "jsonl":
        result = TableExport()
        text = _TextOut(out)
        for rec in recs:
            text.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
            result.written += 1
        return result
    return write_table(get_procedure(procedure), recs, out, fmt)


def _moment(value: Any) -> str:
    """A step's moment as the import reads it: Beijing time with its offset."""
    return str(value.astimezone(SHANGHAI).isoformat(timespec="seconds"))
