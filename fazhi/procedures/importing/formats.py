"""Reading a JSON Lines file (docs/import-format.md) into records, line by line and never
a line over ``MAX_LINE_BYTES`` whole; which format a file is; a file's digest."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from fazhi.procedures.importing.report import ImportFileError, LineError

MAX_LINE_BYTES = 1_000_000  # one matter; a longer line is refused, never read into memory whole
# a line's bytes with every digit as "0" and every other byte as " ": a run of 19 digits is
# then a plain substring search (a tenth of the time of the regular expression \d{19})
_DIGITS_ONLY = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_NINETEEN_DIGITS = b"0" * 19


Record = tuple[int, Any, dict[int, str] | None]  # line, parsed record or LineError, step columns


def _raw_lines(stream: io.BufferedIOBase | Any) -> Iterator[tuple[int, int, bytes | None]]:
    """(line number, byte offset, bytes) for every line of a byte stream; bytes None for a line
    over ``MAX_LINE_BYTES``, which is skipped without ever being held whole."""
    number = 0
    position = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        start, position = position, position + len(raw)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(MAX_LINE_BYTES + 1)
                position += len(raw)
            yield number, start, None
        else:
            yield number, start, raw


def _oversize(number: int) -> LineError:
    return LineError(number, "", f"该行超过 {MAX_LINE_BYTES // 1000} KB，无法导入。")


def read_jsonl(
    stream: io.BufferedIOBase | Any, offsets: dict[int, int] | None = None
) -> Iterator[Record]:
    """(line number, record or LineError, None) for each non-blank line of a JSONL byte stream.

    ``offsets``, when given, receives each yielded line's byte offset (to read it again).
    """
    for number, start, raw in _raw_lines(stream):
        if raw is None:
            yield number, _oversize(number), None
            continue
        parsed = _parse_line(raw, number)
        if parsed is None:
            continue
        if offsets is not None:
            offsets[number] = start
        yield number, parsed, None


def _parse_line(raw: bytes, number: int) -> Any:
    """The line's JSON value, a ``LineError``, or None for a blank line."""
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    # The common case: orjson accepts only valid UTF-8, and never a blank line. But it reads an
    # integer beyond 64 bits as a float (precision lost): a line with 19 digits in a row, in a
    # number or not, is left to the standard library.
    if _NINETEEN_DIGITS not in raw.translate(_DIGITS_ONLY):
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # orjson also refuses nesting deeper than 1024: json.loads names the error
        else:
            return _without_nul(value, number) if b"\\u0000" in raw else value
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError(
            f"第{number}行不是 UTF-8 编码。请将文件另存为 UTF-8 编码后重新导入。"
        ) from None
    if not text.strip():
        return None
    try:  # what orjson refuses (NaN, huge integers…) and every error message: json.loads's
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return LineError(number, "", f"不是有效的 JSON：{exc.msg}（第{exc.colno}列）。")
    except RecursionError:
        return LineError(number, "", "不是有效的记录：JSON 嵌套层数过多。")
    return _without_nul(value, number) if "\\u0000" in text else value


def nul_path(value: Any) -> str | None:
    """The dotted path of the first text in ``value`` holding U+0000, or None (iterative: a
    deeply nested value cannot exhaust the stack). PostgreSQL cannot store U+0000 in text."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return path
        elif isinstance(item, dict):
            for key, sub in item.items():
                where = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    return where
                stack.append((where, sub))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", sub) for i, sub in enumerate(item))
    return None


def nul_error(number: int, field: str) -> LineError:
    where = f"“{field}”" if field else "该行"
    return LineError(number, field, f"{where}含有空字符（U+0000），请删除后重新导入。")


def _without_nul(value: Any, number: int) -> Any:
    """``value``, or the ``LineError`` naming where it holds U+0000."""
    path = nul_path(value)
    return value if path is None else nul_error(number, path)


def _read_line_at(stream: io.BufferedIOBase | Any, offset: int, number: int) -> Any:
    """The JSON value of the line at ``offset`` (read again; it was parsed once already)."""
    stream.seek(offset)
    return _parse_line(stream.readline(MAX_LINE_BYTES + 1), number)


FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".csv": "csv"}


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ImportFileError(
            f"不支持的文件类型“{path.suffix or path.name}”：请使用 .jsonl、.xlsx 或 .csv。"
        )
    return fmt


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
