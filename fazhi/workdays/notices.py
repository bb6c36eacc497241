"""Reading a new State Council notice (or a local decree) from a CSV or JSON file (pure).

CSV: header lines ``# key: value`` (``year``, ``notice``, optional ``number`` and
``published_on``), then a ``date,kind,name`` table::

    # year: 2027
    # notice: 国务院办公厅关于2027年部分节假日安排的通知
    # number: 国办发明电〔2026〕1号
    # published_on: 2026-11-12
    date,kind,name
    2027-01-01,holiday,元旦

JSON: ``{"year": 2027, "notice": "...", "number": "...", "published_on": "2026-11-12",
"days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}, ...]}``.

Every row is checked and every problem reported with its line; nothing is imported unless the
whole file is valid (``NoticeFileError``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fazhi.workdays.calendar import FIRST_DAY, LAST_INPUT_DAY, CalendarEntry, DayKind
from fazhi.workdays.errors import NoticeFileError

_WEEKEND = (5, 6)


@dataclass(frozen=True)
class ParsedNotice:
    """A validated notice: the year it arranges, its title, number and days."""

    year: int
    notice: str
    number: str
    published_on: date | None
    entries: tuple[CalendarEntry, ...]

    @property
    def source(self) -> str:
        return f"{self.notice}（{self.number}）" if self.number else self.notice


def _check_row(
    line: int, raw: dict[str, Any], year: int | None, source: str, errors: list[tuple[int, str]]
) -> CalendarEntry | None:
    text = str(raw.get("date") or "").strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors.append((line, f"日期格式错误：{text!r}（应为 YYYY-MM-DD）"))
        return None
    kind_text = str(raw.get("kind") or "").strip()
    try:
        kind = DayKind(kind_text)
    except ValueError:
        errors.append((line, f"未知的类型 {kind_text!r}（应为 {'、'.join(DayKind)}）"))
        return None
    name = str(raw.get("name") or "").strip()
    if not name:
        errors.append((line, "缺少名称（如“国庆节”）"))
        return None
    if year is not None and not (day.year == year or (day.year == year - 1 and day.month == 12)):
        errors.append((line, f"{day.isoformat()} 不属于{year}年的安排（仅允许该年及上年12月）"))
        return None
    if not FIRST_DAY <= day <= LAST_INPUT_DAY:
        errors.append((line, f"{day.isoformat()} 超出可计算范围"))
        return None
    if kind is DayKind.WORKDAY and day.weekday() not in _WEEKEND:
        errors.append((line, f"{day.isoformat()} 不是星期六或星期日，不能列为调休上班日"))
        return None
    if kind in (DayKind.REST, DayKind.LOCAL_REST_DAY) and day.weekday() in _WEEKEND:
        errors.append((line, f"{day.isoformat()} 本是周末，无需列为休息日"))
        return None
    return CalendarEntry(day, kind, name, source)


def _header_year(value: object, errors: list[tuple[int, str]], line: int) -> int | None:
    try:
        year = int(str(value).strip())
    except ValueError:
        errors.append((line, f"年份错误：{value!r}"))
        return None
    if not FIRST_DAY.year <= year <= LAST_INPUT_DAY.year:
        errors.append((line, f"年份超出范围：{year}"))
        return None
    return year


def _published(value: object, errors: list[tuple[int, str]], line: int) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append((line, f"发布日期格式错误：{value!r}（应为 YYYY-MM-DD）"))
        return None


def _finish(
    year: int | None,
    notice: str,
    number: str,
    published_on: date | None,
    rows: list[tuple[int, dict[str, Any]]],
    errors: list[tuple[int, str]],
) -> ParsedNotice:
    if year is None and not any("年份" in reason for _, reason in errors):
        errors.append((1, "缺少年份（year）"))
    if not notice:
        errors.append((1, "缺少通知名称（notice）"))
    if not rows:
        errors.append((1, "没有任何日期行"))
    source = f"{notice}（{number}）" if number else notice
    entries: list[CalendarEntry] = []
    seen: dict[date, int] = {}
    for line, raw in rows:
        entry = _check_row(line, raw, year, source, errors)
        if entry is None:
            continue
        if entry.day in seen:
            errors.append((line, f"{entry.day.isoformat()} 与第{seen[entry.day]}行重复"))
            continue
        seen[entry.day] = line
        entries.append(entry)
    if errors:
        raise NoticeFileError(sorted(errors))
    assert year is not None  # noqa: S101 (guaranteed by the error checks above)  # nosec B101
    return ParsedNotice(year, notice, number, published_on, tuple(entries))


def parse_csv(text: str) -> ParsedNotice:
    errors: list[tuple[int, str]] = []
    header: dict[str, tuple[int, str]] = {}
    table: list[tuple[int, str]] = []
    for line, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            key, sep, value = stripped.lstrip("#").partition(":")
            if not sep:
                key, sep, value = stripped.lstrip("#").partition("：")
            if sep:
                header[key.strip().lower()] = (line, value.strip())
            continue
        table.append((line, raw))
    rows: list[tuple[int, dict[str, Any]]] = []
    if table:
        fields = [f.strip().lower() for f in next(csv.reader([table[0][1]]))]
        missing = {"date", "kind", "name"} - set(fields)
        if missing:
            errors.append((table[0][0], f"表头缺少列：{'、'.join(sorted(missing))}"))
        else:
            for line, raw in table[1:]:
                values = next(csv.reader(io.StringIO(raw)))
                rows.append((line, dict(zip(fields, values, strict=False))))
    year_line, year_text = header.get("year", (1, ""))
    year = _header_year(year_text, errors, year_line) if year_text else None
    pub_line, pub_text = header.get("published_on", (1, ""))
    return _finish(
        year,
        header.get("notice", (1, ""))[1],
        header.get("number", (1, ""))[1],
        _published(pub_text, errors, pub_line),
        rows,
        errors,
    )


def parse_json(text: str) -> ParsedNotice:
    errors: list[tuple[int, str]] = []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NoticeFileError([(exc.lineno, f"JSON 格式错误：{exc.msg}")]) from None
    if not isinstance(data, dict) or not isinstance(data.get("days"), list):
        raise NoticeFileError([(1, "JSON 应为对象，含 year、notice 和 days 列表")])
    year = _header_year(data["year"], errors, 1) if "year" in data else None
    rows: list[tuple[int, dict[str, Any]]] = []
    lines = text.splitlines()
    for index, item in enumerate(data["days"], start=1):
        line = _json_line(lines, item, index)
        if not isinstance(item, dict):
            errors.append((line, f"第{index}项应为对象"))
            continue
        rows.append((line, item))
    return _finish(
        year,
        str(data.get("notice") or "").strip(),
        str(data.get("number") or "").strip(),
        _published(data.get("published_on"), errors, 1),
        rows,
        errors,
    )


def _json_line(lines: list[str], item: object, index: int) -> int:
    """Best effort: the line of the file where the item's date appears, else its index."""
    if isinstance(item, dict) and isinstance(item.get("date"), str):
        needle = f'"{item["date"]}"'
        for number, text in enumerate(lines, start=1):
            if needle in text:
                return number
    return index


def parse_notice_file(path: Path | str) -> ParsedNotice:
    """Parse and validate a notice file (``.json`` or CSV); ``NoticeFileError`` if invalid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NoticeFileError([(0, f"找不到文件 {path}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NoticeFileError([(0, f"无法读取文件 {path}：{exc}")]) from None
    if path.suffix.lower() == ".json":
        return parse_json(text)
    return parse_csv(text)
