"""xlsx export and import of a register (``fazhi.core.registers``).

The file has one sheet of entries — a header row of the columns' Chinese names (``编号``, the
register's own fields, ``所属机构``, ``有效期起``, ``有效期止``) and one entry a row — and a
``说明`` sheet describing each column. An export is also the import template: fill it, leave
``编号`` empty for new entries, keep it to change an existing one.

An import is all or nothing: every row goes through ``registers.save_entry`` (the permission
check, the model's validation, the audit event) inside one transaction; when any row is
refused nothing is saved, and the report names every refused row and column in plain Chinese.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction

from fazhi.core.choices import choice_code
from fazhi.core.models import OrgUnit
from fazhi.core.registers import Register, RegisterEntry, entry_values, save_entry
from fazhi.core.scope import AnyUser

ID_COLUMN = "编号"
MAX_ROWS = 20_000
YES = {"是", "true", "1", "yes", "y", "√"}
NO = {"否", "false", "0", "no", "n", "×"}


class RegisterFileError(Exception):
    """The file as a whole cannot be read (not an xlsx file, a wrong header). Plain Chinese."""


@dataclass(frozen=True)
class RowError:
    """One refused cell or row: the row's number in the sheet, its column, the reason."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"“{self.column}”" if self.column else ""
        return f"第{self.row}行{where}：{self.message}"


@dataclass
class RegisterImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def rejected(self) -> int:
        """How many rows were refused (a row may have several errors)."""
        return len({e.row for e in self.errors})

    def summary(self) -> str:
        text = (
            f"共{self.rows}行：新增{self.created}条，修改{self.updated}条，"
            f"未变{self.unchanged}条，拒绝{self.rejected}行。"
        )
        return text if self.committed else text + "未导入任何记录。"


# --- cells ----------------------------------------------------------------------------------


def _choices(f: models.Field[Any, Any]) -> list[tuple[Any, str]]:
    return [(value, str(label)) for value, label in (f.flatchoices or [])]


def column_label(register: Register, name: str) -> str:
    return register.verbose(name)


def _describe(f: models.Field[Any, Any]) -> str:
    if f.name == "org":
        return "机构全称、简称或行政区划代码"
    if f.choices:
        return "以下之一：" + "、".join(label for _, label in _choices(f))
    if isinstance(f, models.BooleanField):
        return "是 / 否"
    if isinstance(f, models.DateField):
        return "日期 YYYY-MM-DD"
    if isinstance(f, models.DecimalField | models.IntegerField | models.FloatField):
        return "数字"
    if isinstance(f, models.ForeignKey):
        related: Any = f.related_model
        return f"{related._meta.verbose_name}的编号"
    return "文字"


def export_cell(entry: RegisterEntry, f: models.Field[Any, Any]) -> Any:
    """The value of ``f`` as written to the sheet (labels for choices, 是/否, names of units)."""
    if f.name == "org":
        return entry.org.name
    value = getattr(entry, f.attname)
    if value is None:
        return None
    if f.choices:
        return dict(_choices(f)).get(value, value)
    if isinstance(f, models.BooleanField):
        return "是" if value else "否"
    return value


class _Orgs:
    """Every unit in memory, found by full name, division code or a short name that is unique."""

    def __init__(self) -> None:
        units = list(OrgUnit.objects.all())
        self.by_name = {u.name: u for u in units}
        self.by_code = {u.division_code: u for u in units if u.division_code}
        shorts: dict[str, list[OrgUnit]] = {}
        for u in units:
            if u.short_name:
                shorts.setdefault(u.short_name, []).append(u)
        self.by_short = shorts

    def find(self, text: str) -> OrgUnit:
        unit = self.by_name.get(text) or self.by_code.get(text)
        if unit is not None:
            return unit
        found = self.by_short.get(text, [])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError(f"简称“{text}”对应多个机构，请填写机构全称。")
        raise ValueError(f"没有名为“{text}”的机构。")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{value}”不是有效日期，应为 YYYY-MM-DD，如 2024-03-01。") from None


def parse_cell(f: models.Field[Any, Any], value: Any, orgs: _Orgs) -> Any:
    """The Python value of one cell for field ``f``; ValueError with a plain message."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        if not f.blank:
            raise ValueError("必须填写。")
        return None if f.null else ""
    if f.name == "org":
        return orgs.find(str(value))
    if f.choices:
        text = str(value)
        code = choice_code(_choices(f), text)  # the code, the label or a synonym (core.choices)
        for key, _label in _choices(f):
            if code == str(key):
                return key
        options = "、".join(label for _, label in _choices(f))
        raise ValueError(f"“{text}”不是可选值，应为：{options}。")
    if isinstance(f, models.BooleanField):
        text = str(value).strip().lower()
        if value is True or text in YES:
            return True
        if value is False or text in NO:
            return False
        raise ValueError(f"“{value}”应为“是”或“否”。")
    if isinstance(f, models.DateField):
        return _date(value)
    if isinstance(f, models.ForeignKey):
        model: Any = f.related_model
        try:
            return model._default_manager.get(pk=int(str(value)))
        except (ValueError, model.DoesNotExist):
            raise ValueError(f"没有编号为“{value}”的{model._meta.verbose_name}。") from None
    if isinstance(value, float) and value.is_integer() and isinstance(f, models.IntegerField):
        value = int(value)
    if isinstance(f, models.CharField | models.TextField):
        value = str(value)
    try:
        return f.to_python(value)
    except ValidationError as exc:
        raise ValueError("；".join(str(m) for m in exc.messages)) from None


# --- export ---------------------------------------------------------------------------------


def export_xlsx(register: Register, entries: Iterator[RegisterEntry] | Any) -> bytes:
    """The entries as an xlsx file (the import's template when ``entries`` is empty)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet: Any = book.active
    sheet.title = register.label[:31]
    fields = [register.field(n) for n in register.columns]
    sheet.append([ID_COLUMN, *(str(f.verbose_name) for f in fields)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        sheet.append([entry.pk, *(export_cell(entry, f) for f in fields)])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    notes = book.create_sheet("说明")
    notes.append(["列", "填写", "说明"])
    notes.append([ID_COLUMN, "数字", "新增记录留空；填写已有记录的编号则修改该记录。"])
    for f in fields:
        notes.append([str(f.verbose_name), _describe(f), str(f.help_text)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- import ---------------------------------------------------------------------------------


class _Rollback(Exception):  # noqa: N818 control flow, not an error
    pass


def _rows(stream: IO[bytes]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise RegisterFileError(
            "无法读取文件：请上传 Excel 的 .xlsx 文件（可先导出作为模板）。"
        ) from exc
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1:
                raise RegisterFileError(f"文件超过 {MAX_ROWS} 行，请分批导入。")
            yield number, tuple(row)
    finally:
        book.close()


def _header(register: Register, row: tuple[Any, ...]) -> dict[int, str]:
    """Column index → field name (or ID_COLUMN) from the header row."""
    labels = {column_label(register, n): n for n in register.columns}
    out: dict[int, str] = {}
    for i, cell in enumerate(row):
        text = str(cell).strip() if cell is not None else ""
        if not text:
            continue
        if text == ID_COLUMN:
            out[i] = ID_COLUMN
        elif text in labels:
            out[i] = labels[text]
        else:
            known = "、".join([ID_COLUMN, *labels])
            raise RegisterFileError(f"第1行：未知的列“{text}”。本登记簿的列为：{known}。")
    missing = [label for label, name in labels.items() if name not in out.values()]
    if missing:
        raise RegisterFileError("第1行：缺少列" + "、".join(f"“{m}”" for m in missing) + "。")
    return out


def import_xlsx(
    register: Register, stream: IO[bytes], *, by: AnyUser | None
) -> RegisterImportReport:
    """Import the sheet into ``register`` as ``by``: everything or nothing (see the module)."""
    report = RegisterImportReport()
    rows = _rows(stream)
    header: dict[int, str] | None = None
    for _, first in rows:
        header = _header(register, first)
        break
    if header is None:
        raise RegisterFileError("文件是空的：第1行应为列名。")
    orgs = _Orgs()
    model = register.model
    visible = model.objects.for_user(by)
    try:
        with transaction.atomic():
            for number, row in rows:
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
                    continue
                report.rows += 1
                _import_row(register, number, row, header, orgs, visible, by, report)
            if report.errors:
                raise _Rollback
            report.committed = True
    except _Rollback:
        report.created = report.updated = report.unchanged = 0
    return report


def _import_row(
    register: Register,
    number: int,
    row: tuple[Any, ...],
    header: dict[int, str],
    orgs: _Orgs,
    visible: Any,
    by: AnyUser | None,
    report: RegisterImportReport,
) -> None:
    data: dict[str, Any] = {}
    errors: list[RowError] = []
    instance: RegisterEntry | None = None
    for i, name in header.items():
        value = row[i] if i < len(row) else None
        if name == ID_COLUMN:
            if value is None or str(value).strip() == "":
                continue
            try:
                instance = visible.get(pk=int(str(value).strip().removesuffix(".0")))
            except (ValueError, register.model.DoesNotExist):
                errors.append(
                    RowError(number, ID_COLUMN, f"没有编号为“{value}”的记录（或您无权查看）。")
                )
            continue
        try:
            data[name] = parse_cell(register.field(name), value, orgs)
        except ValueError as exc:
            errors.append(RowError(number, column_label(register, name), str(exc)))
    if errors:
        report.errors.extend(errors)
        return
    try:
        with transaction.atomic():
            before = None if instance is None else entry_values(instance, register.columns)
            saved = save_entry(register.model, data, by=by, instance=instance)
    except PermissionDenied as exc:
        report.errors.append(RowError(number, column_label(register, "org"), str(exc)))
        return
    except ValidationError as exc:
        report.errors.extend(_row_errors(register, number, exc))
        return
    if before is None:
        report.created += 1
    elif entry_values(saved, register.columns) != before:
        report.updated += 1
    else:
        report.unchanged += 1


def _row_errors(register: Register, number: int, exc: ValidationError) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(number, "", m) for m in exc.messages]
    out: list[RowError] = []
    for name, errors in exc.message_dict.items():
        column = "" if name == NON_FIELD_ERRORS else _safe_label(register, name)
        out.extend(RowError(number, column, m) for m in errors)
    return out


def _safe_label(register: Register, name: str) -> str:
    try:
        return column_label(register, name)
    except Exception:
        return name
