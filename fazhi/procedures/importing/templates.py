"""The per-procedure xlsx and csv template (``template_columns``, generated from the
declaration) and reading such a file into the same records as a JSON Lines file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi.core.choices import choice_code
from fazhi.procedures.declarations import (
    PUBLIC,
    Action,
    Field,
    FieldType,
    Procedure,
    all_procedures,
)
from fazhi.procedures.importing.formats import Record, nul_error
from fazhi.procedures.importing.layouts import TITLE_KEY, SheetLayout, match_layout
from fazhi.procedures.importing.replay import _ISO_DATE, IMPORT_ROLE
from fazhi.procedures.importing.report import ImportFileError, LineError
from fazhi.procedures.models import Channel, PartyKind


@dataclass(frozen=True)
class Column:
    """One column of a procedure's template."""

    code: str
    label: str
    type: str  # a FieldType value, or "date"
    required: bool
    choices: tuple[tuple[str, str], ...] = ()
    example: str = ""
    action: str = ""  # set for a step column
    name: str = ""  # the field's name (for details.*, party_*, <action>.<field>)
    help: str = ""


_TYPE_LABELS = {
    "str": "文字",
    "text": "文字（可多行）",
    "bool": "是/否",
    "int": "整数",
    "decimal": "数字",
    "date": "日期 YYYY-MM-DD",
    "choice": "选项",
    "org": "机构（行政区划代码、机构编号或全称）",
}


def type_label(column: Column) -> str:
    return _TYPE_LABELS.get(column.type, column.type)


def _example(f: Field) -> str:
    if f.choices:
        return f.choices[0][1]
    return {
        FieldType.BOOL: "否",
        FieldType.INT: "1",
        FieldType.DECIMAL: "1.5",
        FieldType.DATE: "2025-03-06",
        FieldType.ORG: "220302",
    }.get(f.type, "")


def _field_column(code: str, f: Field, *, label: str, action: str = "") -> Column:
    return Column(
        code=code,
        label=label,
        type=f.type.value,
        required=f.required,
        choices=f.choices,
        example=_example(f),
        action=action,
        name=f.name,
        help=f.help,
    )


def template_actions(procedure: Procedure) -> list[Action]:
    """The actions that get a column group: the procedure's own (non-generic) ones, in order."""
    return [a for a in procedure.actions if not a.generic]


def template_columns(procedure: Procedure) -> list[Column]:
    """The columns of ``procedure``'s import template, generated from its declaration."""
    cols = [
        Column("reference", "编号", "str", True, example="YS-2025-000001", help="同一程序内唯一"),
        Column("org", "承办机构", "org", True, example="220302"),
        Column("received_on", "收到日期", "date", True, example="2025-03-02"),
        Column("subject", "事由", "str", True, example="示例事由"),
        Column(
            "channel",
            "渠道",
            "choice",
            False,
            tuple((c.value, str(c.label)) for c in Channel),
            example="窗口",
        ),
        Column("mailed_on", "交邮日期", "date", False, help="邮寄提交时的交邮日期"),
        Column("party_name", "当事人", "str", procedure.party_required, example="张三"),
        Column(
            "party_kind",
            "当事人类别",
            "choice",
            False,
            tuple((c.value, str(c.label)) for c in PartyKind),
            example="自然人",
        ),
        Column(
            "party_id_number",
            "证件号码",
            "str",
            False,
            example="11010519491231002X",
            help="居民身份证号码或统一社会信用代码",
        ),
        Column("party_phone", "联系电话", "str", False, example="13800000000"),
        Column("party_address", "联系地址", "str", False),
    ]
    for f in procedure.details:
        cols.append(_field_column(f"details.{f.name}", f, label=f.label))
    for a in template_actions(procedure):
        cols.append(
            Column(
                f"{a.name}.on", f"{a.label}日期", "date", False, example="2025-03-06", action=a.name
            )
        )
        for f in a.fields:
            cols.append(
                _field_column(f"{a.name}.{f.name}", f, label=f"{a.label}：{f.label}", action=a.name)
            )
    return cols


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choice_value(column: Column, text: str) -> str:
    """A choice column accepts the code, the Chinese label or a synonym (core.choices)."""
    if not column.choices or not text:
        return text
    return choice_code(column.choices, text) or text  # else refused with the choices named


def row_to_record(
    procedure: Procedure, columns: Sequence[Column], cells: Sequence[object], line: int
) -> tuple[dict[str, Any], dict[int, str]]:
    """A template row as a canonical record, and which action each of its steps came from."""
    values = {c.code: _choice_value(c, _cell_text(v)) for c, v in zip(columns, cells, strict=False)}
    record: dict[str, Any] = {"procedure": procedure.code}
    for key in ("reference", "org", "received_on", "subject", "channel", "mailed_on"):
        if values.get(key):
            record[key] = values[key]
    party = {
        k: values.get(f"party_{k}", "") for k in ("name", "kind", "id_number", "phone", "address")
    }
    if any(party.values()):
        record["party"] = {k: v for k, v in party.items() if v}
    record["details"] = {
        c.name: values[c.code]
        for c in columns
        if c.code.startswith("details.") and values.get(c.code)
    }
    groups: list[tuple[str, int, str, dict[str, str]]] = []
    for order, a in enumerate(template_actions(procedure)):
        on = values.get(f"{a.name}.on", "")
        data = {
            f.name: values[f"{a.name}.{f.name}"]
            for f in a.fields
            if values.get(f"{a.name}.{f.name}")
        }
        if not on and not data:
            continue
        if not on:
            raise LineError(line, f"{a.name}.on", f"填写了“{a.label}”的内容，但缺少{a.label}日期。")
        if not _ISO_DATE.match(on):
            raise LineError(line, f"{a.name}.on", f"日期格式错误：{on!r}，应为 YYYY-MM-DD。")
        groups.append((on, order, a.name, data))
    groups.sort(key=lambda g: (g[0], g[1]))
    steps: list[dict[str, Any]] = []
    sources: dict[int, str] = {}
    for on, _order, name, data in groups:
        step: dict[str, Any] = {"action": name, "on": on, "data": data}
        spec = procedure.action(name)
        if IMPORT_ROLE not in spec.roles and PUBLIC in spec.roles:
            step["by"] = PUBLIC  # e.g. request_reopen: only the submitter takes it
        sources[len(steps)] = name
        steps.append(step)
    record["steps"] = steps
    return record, sources


def _check_header(procedure: Procedure | None, header: list[str]) -> tuple[Procedure, list[Column]]:
    codes = [h for h in header if h]
    candidates = [procedure] if procedure is not None else all_procedures()
    best: tuple[int, Procedure, set[str], set[str]] | None = None
    for proc in candidates:
        expected = {c.code for c in template_columns(proc)}
        missing, extra = expected - set(codes), set(codes) - expected
        if not missing and not extra and len(codes) == len(set(codes)):
            by_code = {c.code: c for c in template_columns(proc)}
            return proc, [by_code[h] if h else Column("", "", "str", False) for h in header]
        score = len(missing) + len(extra)
        if best is None or score < best[0]:
            best = (score, proc, missing, extra)
    if best is None:
        raise ImportFileError("没有已登记的程序。")
    _score, proc, missing, extra = best
    parts = []
    if missing:
        parts.append("缺少列：" + "、".join(sorted(missing)))
    if extra:
        parts.append("多出列：" + "、".join(sorted(extra)))
    if len(codes) != len(set(codes)):
        parts.append("有重复的列")
    raise ImportFileError(
        f"第1行表头与“{proc.label}”（{proc.code}）的导入模板不符：{'；'.join(parts)}。"
        f"请用 fazhi import template {proc.code} 生成模板后填写。"
    )


def _table_records(
    rows: Iterator[Sequence[object]], procedure: Procedure | None
) -> Iterator[Record]:
    try:
        header_row = next(rows)
    except StopIteration:
        raise ImportFileError("文件是空的。") from None
    header = [_cell_text(v) for v in header_row]
    while header and not header[-1]:
        header.pop()
    code = procedure.code if procedure is not None else None
    foreign = match_layout(header, code)
    if foreign is not None:  # another system's sheet (layouts.py)
        yield from _layout_records(rows, *foreign)
        return
    filled = [h for h in header if h]
    if len(filled) == 1:  # a title row above another system's header (交办表的表名)
        second = next(rows, None)
        below = [_cell_text(v) for v in second] if second is not None else []
        foreign = match_layout(below, code)
        if foreign is not None:
            yield from _layout_records(rows, *foreign, start=3, title=filled[0])
            return
    proc, columns = _check_header(procedure, header)
    for number, cells in enumerate(rows, start=2):
        texts = [_cell_text(v) for v in cells[: len(columns)]]
        if not any(texts):
            continue
        if number == 2 and texts[: len(columns)] == [c.label for c in columns][: len(texts)]:
            continue  # the label row
        nul = next((i for i, t in enumerate(texts) if "\x00" in t), None)
        if nul is not None:
            yield number, nul_error(number, columns[nul].code), None
            continue
        try:
            record, sources = row_to_record(proc, columns, cells, number)
        except LineError as exc:
            yield number, exc, None
            continue
        yield number, record, sources


def _layout_records(
    rows: Iterator[Sequence[object]],
    layout: SheetLayout,
    keys: dict[int, str],
    *,
    start: int = 2,
    title: str = "",
) -> Iterator[Record]:
    """The rows below the header read with ``layout``; a title above the header (the sheet's
    name, e.g. the session of a congress) reaches each row as ``TITLE_KEY``."""
    for number, cells in enumerate(rows, start=start):
        texts = {key: _cell_text(cells[i]) for i, key in keys.items() if i < len(cells)}
        if not any(texts.values()):
            continue
        if title:
            texts[TITLE_KEY] = title
        nul = next((k for k, t in texts.items() if "\x00" in t), None)
        if nul is not None:
            yield number, nul_error(number, nul), None
            continue
        try:
            record = layout.to_record(texts, number)
        except LineError as exc:
            yield number, exc, None
            continue
        yield number, record, None


MAX_XLSX_UNPACKED = 512 * 1024 * 1024  # 100,000 template rows unpack to about 100 MB of XML
MAX_XLSX_RATIO = 200  # sheet XML packs 10–30 times; a zip bomb a thousand times and more


def check_zip(path: Path) -> None:
    """Refuse a zip bomb before openpyxl unpacks it (it reads shared strings whole).

    The sizes are the archive's own; ``zipfile`` never reads a member past its stated size.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(f"无法读取 Excel 文件：文件不是有效的 .xlsx（{exc}）。") from None
    total = sum(m.file_size for m in members)
    if total > MAX_XLSX_UNPACKED:
        raise ImportFileError(
            f"Excel 文件解压后达 {total / 1048576:.0f} MB，超过上限 "
            f"{MAX_XLSX_UNPACKED // 1048576} MB：请拆分成几个文件导入。"
        )
    for m in members:
        if m.file_size > 10 * 1048576 and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1):
            raise ImportFileError(
                f"Excel 文件中的“{m.filename}”压缩比异常（{m.file_size // max(m.compress_size, 1)} 倍），"
                "疑似压缩炸弹，未导入。"
            )


def read_xlsx(path: Path, procedure: Procedure | None) -> Iterator[Record]:
    from openpyxl import load_workbook

    check_zip(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"无法读取 Excel 文件：文件不是有效的 .xlsx（{exc}）。") from None
    try:
        ws = wb.worksheets[0]
        yield from _table_records(ws.iter_rows(values_only=True), procedure)
    finally:
        wb.close()


def read_csv(path: Path, procedure: Procedure | None) -> Iterator[Record]:
    with path.open("rb") as raw:
        data = raw.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "CSV 文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重新导入。"
        ) from None
    yield from _table_records(iter(csv.reader(io.StringIO(text))), procedure)
