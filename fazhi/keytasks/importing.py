"""The year's key-task list from the xlsx the rule-of-law office drafts (清单式管理).

The sheet has one task a row under a header row (a title row above it is allowed, as the
office's drafts have): 序号 (optional), 重点任务, 牵头单位, 配合单位 (optional, several
separated by 、，；), 完成时限, 完成标准. Units are found by full name or unique short name in
the importing user's district; a due date is a date, ``2024年6月30日``, ``6月30日``, ``6月底``
or ``年底`` (in the list's year). The import is all or nothing: every line is checked first
and any line refused leaves the register untouched, with a report in Chinese naming each
refused line, column and reason. Each task is then registered through
``procedures.register_matter`` and its assisting units added with ``act`` ("add_assistant"),
in one transaction: the same rules as a task entered by hand. One audit event
(``keytasks.import``) records who imported which list from which file, and what came of it.

The page (``views.ImportView``) and ``fazhi import FILE.xlsx`` (``LIST_SHEET``, declared to the
engine's command in ``procedures.importing.lists``) both call ``import_key_tasks``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from fazhi.core import audit, clock
from fazhi.core.models import OrgUnit
from fazhi.core.register_io import RegisterFileError, RowError
from fazhi.core.scope import ALL_ACTING, AnyUser, profile_of, scope_of
from fazhi.core.words import register_words
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.importing import ImportFileError
from fazhi.procedures.importing.lists import ListSheet, register_list
from fazhi.procedures.importing.templates import check_zip
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act, register_matter

MAX_ROWS = 1000
MAX_TEXT = 5000
MAX_FILE_BYTES = 5 * 1024 * 1024  # a list of at most 1,000 tasks; the page's upload limit

#: the columns: field → (the template's header, the other headers the office's drafts use)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "number": ("序号", ("编号",)),
    "task": ("重点任务", ("任务", "任务内容", "工作任务", "任务名称")),
    "lead": ("牵头单位", ("责任单位", "牵头部门", "主办单位")),
    "assisting": ("配合单位", ("协办单位", "配合部门", "参与单位", "协同单位")),
    "due": ("完成时限", ("完成时间", "时限", "截止时间")),
    "measure": ("完成标准", ("验收标准", "成果形式", "完成标志")),
}
REQUIRED = ("task", "lead", "due", "measure")
SEPARATORS = re.compile(r"[、，,；;/\s]+")
YEAR_END = {"年底", "年末", "年内", "全年", "12月底", "年底前", "长期坚持"}


class KeyTaskImportError(Exception):
    """The import cannot be made at all (who imports, the list's name). Plain Chinese."""


@dataclass(frozen=True)
class TaskLine:
    """One checked line: what will be registered."""

    row: int
    number: str
    task: str
    lead: OrgUnit
    assisting: tuple[OrgUnit, ...]
    due_on: dt.date
    measure: str


@dataclass
class KeyTaskImportReport:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    references: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    def summary(self) -> str:
        if self.committed:
            return f"共{self.rows}行：已列入清单{self.created}项重点任务。"
        return f"共{self.rows}行：{self.rejected}行有误，未导入任何任务，请改正后重新导入。"


def may_import(user: AnyUser | None) -> bool:
    """Only the rule-of-law office (and administrators) draw up the year's list."""
    scope = scope_of(user)
    return scope.all_orgs and scope.role in ALL_ACTING


def district_of(user: AnyUser | None) -> OrgUnit | None:
    """The top of the user's tree: the district whose units a list names."""
    profile = profile_of(user)
    if profile is None:
        return OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
    top = profile.org
    while top.parent_id is not None:
        top = top.parent  # type: ignore[assignment]
    return top


# --- cells ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_due(value: Any, year: int) -> dt.date:
    """A due date as the office writes it; ValueError with a plain message."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace(" ", "")
    text = text.removesuffix("之前").removesuffix("前")
    if text in YEAR_END or f"{text}前" in YEAR_END:
        return dt.date(year, 12, 31)
    m = re.fullmatch(r"(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日|底|末)?", text)
    if m:
        y, month = int(m.group(1) or year), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"“{text}”的月份不对。")
        day = int(m.group(3)) if m.group(3) else calendar.monthrange(y, month)[1]
        try:
            return dt.date(y, month, day)
        except ValueError:
            raise ValueError(f"“{text}”不是有效日期。") from None
    try:
        return dt.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ValueError(
            f"“{text}”不是可识别的完成时限，应为日期（如 2024-06-30、2024年6月30日）、"
            "“6月底”或“年底”。"
        ) from None


class _Units:
    """The units of the importing user's district, found by full name or unique short name."""

    def __init__(self, root: OrgUnit) -> None:
        units = list(OrgUnit.objects.subtree_of(root).filter(is_active=True))
        self.by_name = {u.name: u for u in units}
        self.by_short: dict[str, list[OrgUnit]] = {}
        for u in units:
            if u.short_name:
                self.by_short.setdefault(u.short_name, []).append(u)

    def find(self, text: str) -> OrgUnit:
        unit = self.by_name.get(text)
        if unit is not None:
            return unit
        found = self.by_short.get(text, [])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError(f"简称“{text}”对应多个单位，请填写单位全称。")
        raise ValueError(f"没有名为“{text}”的单位（应为本区机构名录中的单位全称或简称）。")


# --- the sheet ------------------------------------------------------------------------------


def _rows(stream: IO[bytes]) -> list[tuple[int, tuple[Any, ...]]]:
    from openpyxl import load_workbook

    unreadable = "无法读取文件：请上传 Excel 的 .xlsx 文件（可下载模板填写）。"
    if not zipfile.is_zipfile(stream):
        raise RegisterFileError(unreadable)
    try:  # a zip bomb is refused before openpyxl unpacks it, as ``fazhi import`` does
        check_zip(stream)  # type: ignore[arg-type]  # zipfile reads a stream as well as a path
    except ImportFileError as exc:
        raise RegisterFileError(str(exc)) from None
    stream.seek(0)
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise RegisterFileError(unreadable) from exc
    try:
        rows = []
        for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 5:
                raise RegisterFileError(f"文件超过 {MAX_ROWS} 行，请分批导入。")
            rows.append((number, tuple(row)))
        return rows
    finally:
        book.close()


def _header(rows: list[tuple[int, tuple[Any, ...]]]) -> tuple[int, dict[int, str]]:
    """The header row (among the first five: a title may stand above it) → column → field."""
    names = {label: key for key, (main, others) in COLUMNS.items() for label in (main, *others)}
    for number, row in rows[:5]:
        cells = {i: _text(c).replace(" ", "").replace("\n", "") for i, c in enumerate(row)}
        found = {i: names[t] for i, t in cells.items() if t in names}
        if "task" in found.values() or "lead" in found.values():
            missing = [COLUMNS[k][0] for k in REQUIRED if k not in found.values()]
            if missing:
                raise RegisterFileError(
                    f"第{number}行（列名行）缺少列" + "、".join(f"“{m}”" for m in missing) + "。"
                )
            return number, found
    raise RegisterFileError(
        "找不到列名行：前5行中应有“重点任务”“牵头单位”“完成时限”“完成标准”等列名"
        "（可下载模板对照）。"
    )


def read_lines(
    stream: IO[bytes], *, year: int, root: OrgUnit, task_list: str
) -> tuple[list[TaskLine], list[RowError], int]:
    """Check every line of the sheet: the lines to register, the errors, the lines read."""
    rows = _rows(stream)
    at, header = _header(rows)
    units = _Units(root)
    label = {k: v[0] for k, v in COLUMNS.items()}
    listed = set(
        Matter.objects.of("key_task")
        .filter(details__task_list=task_list)
        .values_list("subject", flat=True)
    )
    lines: list[TaskLine] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    count = 0
    for number, row in rows:
        if number <= at:
            continue
        cells = {key: (row[i] if i < len(row) else None) for i, key in header.items()}
        first = _text(cells.get("number"))
        if all(_text(v) == "" for k, v in cells.items() if k != "number") and (
            first == "" or first.startswith(("说明", "注"))
        ):
            continue  # an empty line, or the template's note
        count += 1
        bad: list[RowError] = []

        def refuse(key: str, message: str, number: int = number, bad: list[RowError] = bad) -> None:
            bad.append(RowError(number, label[key], message))

        for key in REQUIRED:
            if _text(cells.get(key)) == "":
                refuse(key, "必须填写。")
        task = _text(cells.get("task"))
        measure = _text(cells.get("measure"))
        if len(task) > 300:
            refuse("task", f"不能超过300字（现{len(task)}字）。")
        if len(measure) > MAX_TEXT:
            refuse("measure", f"不能超过{MAX_TEXT}字。")
        if task and task in listed:
            refuse("task", f"该任务已在“{task_list}”中，不能重复列入。")
        if task and task in seen:
            refuse("task", f"与第{seen[task]}行的任务重复。")
        seen.setdefault(task, number)
        lead = None
        if _text(cells.get("lead")):
            try:
                lead = units.find(_text(cells.get("lead")))
            except ValueError as exc:
                refuse("lead", str(exc))
        assisting: list[OrgUnit] = []
        for name in SEPARATORS.split(_text(cells.get("assisting"))):
            if not name:
                continue
            try:
                unit = units.find(name)
            except ValueError as exc:
                refuse("assisting", str(exc))
                continue
            if lead is not None and unit.pk == lead.pk:
                refuse("assisting", f"“{name}”已是牵头单位，不能同时为配合单位。")
            elif unit not in assisting:
                assisting.append(unit)
        due = None
        if _text(cells.get("due")):
            try:
                due = parse_due(cells.get("due"), year)
            except ValueError as exc:
                refuse("due", str(exc))
            else:
                if due.year != year:
                    refuse("due", f"完成时限{due.isoformat()}不在{year}年度内。")
        if bad:
            errors.extend(bad)
            continue
        if lead is None or due is None:  # refused above; for the type checker
            continue
        lines.append(
            TaskLine(
                number,
                _text(cells.get("number"))[:20],
                task,
                lead,
                tuple(assisting),
                due,
                measure,
            )
        )
    if count > MAX_ROWS:
        raise RegisterFileError(f"文件超过 {MAX_ROWS} 行，请分批导入。")
    return lines, errors, count


class _Rollback(Exception):  # noqa: N818 control flow, not an error
    pass


def import_key_tasks(
    stream: IO[bytes],
    *,
    task_list: str,
    year: int,
    listed_on: dt.date,
    by: AnyUser,
    root: OrgUnit,
    file_name: str = "",
) -> KeyTaskImportReport:
    """Register the sheet's tasks as ``task_list`` of ``year`` (listed on ``listed_on``):
    every line or none (see the module)."""
    if not may_import(by):
        raise KeyTaskImportError("只有依法治区办（或系统管理员）可以导入年度重点任务清单。")
    task_list = task_list.strip()
    if not task_list:
        raise KeyTaskImportError("请填写任务清单名称。")
    if len(task_list) > 300:
        raise KeyTaskImportError("任务清单名称不能超过300字。")
    lines, errors, count = read_lines(stream, year=year, root=root, task_list=task_list)
    report = KeyTaskImportReport(rows=count, errors=errors)
    if errors:
        _audit(report, task_list, year, file_name, by, root)
        return report
    if not lines:
        raise RegisterFileError("文件中没有任务：列名行之下应每行一项重点任务。")
    try:
        with transaction.atomic():
            for line in lines:
                try:
                    matter = register_matter(
                        "key_task",
                        org=line.lead,
                        received_on=listed_on,
                        subject=line.task,
                        by=by,
                        channel="other",
                        details={
                            "task_list": task_list,
                            "number": line.number,
                            "due_on": line.due_on,
                            "measure": line.measure,
                        },
                    )
                    for unit in line.assisting:
                        act(matter, "add_assistant", by, listed_on, org=unit.pk)
                except ProcedureError as exc:
                    report.errors.append(RowError(line.row, "", exc.message))
                    continue
                report.references.append(matter.reference)
            if report.errors:
                raise _Rollback
            report.created = len(report.references)
            report.committed = True
            _audit(report, task_list, year, file_name, by, root)
    except _Rollback:
        report.references = []
        _audit(report, task_list, year, file_name, by, root)
    return report


def _audit(
    report: KeyTaskImportReport,
    task_list: str,
    year: int,
    file_name: str,
    by: AnyUser,
    root: OrgUnit,
) -> None:
    """The import as one event: inside its transaction when it committed, after the rollback
    when it was refused (nothing else of it is left then)."""
    audit.record(
        "keytasks.import",
        audit.Subject("keytasks.list", task_list[:100], task_list),
        actor=by,
        org=root,
        data={
            "task_list": task_list,
            "year": year,
            "file": file_name[:255],
            "rows": report.rows,
            "created": report.created,
            "rejected": report.rejected,
            "committed": report.committed,
            "references": report.references[:50],
        },
    )


def template_xlsx(year: int) -> bytes:
    """The blank list to fill in: the title, the header row and one example line."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "重点任务清单"
    sheet.append([f"{year}年度法治建设重点任务清单"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([COLUMNS[k][0] for k in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "1",
            "编制年度重大行政决策事项目录并向社会公布",
            "区政府办",
            "区司法局",
            f"{year}-03-31",
            "目录经区政府常务会议审议并在政府网站公布。",
        ]
    )
    for column, width in zip("ABCDEF", (6, 40, 16, 24, 14, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([])
    sheet.append(
        [
            "说明：第2行为列名，请勿修改；每行一项任务。配合单位可填多个，用顿号分隔；"
            "完成时限可填日期、“6月底”或“年底”。导入前请删除示例行和本说明。"
        ]
    )
    sheet["A5"].alignment = Alignment(wrap_text=False)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# --- fazhi import FILE.xlsx -----------------------------------------------------------------


def recognizes(path: Path) -> bool:
    """Is ``path`` the office's key-task list: an .xlsx of at most ``MAX_FILE_BYTES`` whose
    header (among the first five rows) has every required column?"""
    if path.suffix.lower() != ".xlsx" or not path.is_file():
        return False
    if path.stat().st_size > MAX_FILE_BYTES:
        return False
    try:
        with path.open("rb") as stream:
            _at, found = _header(_rows(stream)[:5])
    except RegisterFileError:
        return False
    return set(REQUIRED) <= set(found.values())


def _year_option(raw: str | None) -> int:
    if not raw:
        return clock.today().year
    raw = raw.strip()
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    raise KeyTaskImportError(f"年度“{raw}”不对，应为 2000 至 2100 之间的年份（如 --year 2024）。")


def _day_option(raw: str | None) -> dt.date:
    if not raw:
        return clock.today()
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise KeyTaskImportError(f"列入清单日期“{raw}”格式错误，应为 YYYY-MM-DD。") from None


def import_from_command(
    path: Path, by: AnyUser | None, options: Mapping[str, str | None]
) -> KeyTaskImportReport:
    """``fazhi import LIST.xlsx --task-list NAME --user NAME [--year Y] [--listed-on D]``:
    the page's import (``import_key_tasks``) with the form's fields as options."""
    if by is None:
        raise KeyTaskImportError(
            "导入年度重点任务清单须用 --user 指定导入人的账号（依法治区办或系统管理员），"
            "任务以其名义登记并记入审计日志。"
        )
    if not (options.get("task_list") or "").strip():
        raise KeyTaskImportError(
            "请用 --task-list 填写任务清单名称（如“2024年度法治建设重点任务清单”）。"
        )
    year = _year_option(options.get("year"))
    listed_on = _day_option(options.get("listed_on"))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise RegisterFileError("文件超过 5 MB，请分批导入。")
    root = district_of(by)
    if root is None:
        raise KeyTaskImportError("找不到本区的机构。")
    with path.open("rb") as stream:
        return import_key_tasks(
            stream,
            task_list=options.get("task_list") or "",
            year=year,
            listed_on=listed_on,
            by=by,
            root=root,
            file_name=path.name,
        )


LIST_SHEET = register_list(
    ListSheet(
        code="key_tasks",
        label="年度重点任务清单",
        procedure="key_task",
        recognizes=recognizes,
        run=import_from_command,
        errors=(KeyTaskImportError, RegisterFileError),
        options=(
            ("--task-list", "重点任务清单：任务清单名称（必填）"),
            ("--year", "重点任务清单：年度（默认今年）"),
            ("--listed-on", "重点任务清单：列入清单日期 YYYY-MM-DD（默认今天）"),
        ),
        template=template_xlsx,
    )
)
register_words(actions={"keytasks.import": "导入重点任务清单"})
