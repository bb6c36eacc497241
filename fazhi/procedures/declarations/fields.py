"""Declared data: ``Field`` and its types, the roles a declaration names."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

from fazhi.core.choices import choice_code
from fazhi.procedures.errors import InvalidData, MissingData
from fazhi.workdays import InvalidDateError, check_date

if TYPE_CHECKING:
    pass


class FieldType(StrEnum):
    STR = "str"  # one line
    TEXT = "text"  # several lines
    BOOL = "bool"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    CHOICE = "choice"
    ORG = "org"  # an org unit: division code, id or full name (resolved by the service layer)
    PERSON = "person"  # a staff member: user name or id (resolved by the service layer)


# Keyword names of ``services.act``: a declared field may not take one of them.
RESERVED_FIELD_NAMES = frozenset(
    {"matter", "action", "by", "on", "at", "public", "system", "mailed_on", "cal", "today", "data"}
)

STAFF_ROLES = frozenset({"admin", "law_office", "staff", "head"})
APPROVER_ROLES = frozenset({"admin", "law_office", "head", "leader"})
PUBLIC = "public"  # pseudo-role: the submitter, through the tracking page or the API
#: pseudo-role: the platform itself, recording a step a rule takes when a date passes (the daily
#: sweep's ``act(..., system=True)``: an enforcement decision's publicity period ended)
SYSTEM = "system"


@dataclass(frozen=True)
class Field:
    """One item of data an action (or a matter's ``details``) carries."""

    name: str
    label: str
    type: FieldType = FieldType.STR
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 5000
    min_value: int | None = None
    max_value: int | None = None
    help: str = ""
    validator: Callable[[Any], str | None] | None = None
    #: The value names natural people (专家、参加人员、调解员): every public text of the matter
    #: hides those names wherever they stand (``procedures.publicity.known_names``).
    personal: bool = False

    def choice_label(self, value: object) -> str:
        return dict(self.choices).get(str(value), str(value))

    @property
    def _where(self) -> str:
        """The field as people know it, by its label (the code stays in ``field=``)."""
        return f"“{self.label}”"

    @cached_property
    def _choice_codes(self) -> frozenset[str]:
        return frozenset(k for k, _v in self.choices)

    def clean(self, value: object) -> object:
        """The value converted to its type; raises ``InvalidData`` naming the field."""
        if type(value) is str:
            # Fast path for the common case (a bulk import cleans millions of values): a
            # short text or choice with no validator. Same checks, same order, as below.
            value = value.strip()
            kind = self.type
            if value and self.validator is None and "\n" not in value:
                if kind == FieldType.CHOICE:
                    if value in self._choice_codes and len(value) <= self.max_length:
                        return value
                elif kind in _TEXT_TYPES and len(value) <= self.max_length:
                    return value
        elif isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if self.required:
                raise MissingData(f"缺少{self._where}。", field=self.name)
            return False if self.type == FieldType.BOOL else None
        try:
            cleaned = self._convert(value)
        except (ValueError, TypeError, decimal.InvalidOperation):
            raise InvalidData(
                f"{self._where}格式错误：{value!r} 不是有效的{_TYPE_NAMES[self.type]}。",
                field=self.name,
            ) from None
        if isinstance(cleaned, decimal.Decimal) and not cleaned.is_finite():
            raise InvalidData(f"{self._where}格式错误：{value!r} 不是有限的数字。", field=self.name)
        if isinstance(cleaned, dt.date):
            try:  # the engine's one date range (rules.check_day; workdays cannot compute past it)
                check_date(cleaned, self._where)
            except InvalidDateError as exc:
                raise InvalidData(str(exc), field=self.name) from None
        if self.type == FieldType.CHOICE and cleaned not in self._choice_codes:
            code = choice_code(self.choices, cleaned)  # a label or a synonym (core.choices)
            if code is None:
                allowed = "、".join(f"{v}（{k}）" for k, v in self.choices)
                raise InvalidData(
                    f"{self._where}的值 {value!r} 不在可选范围内：{allowed}。", field=self.name
                )
            cleaned = code
        if isinstance(cleaned, str) and len(cleaned) > self.max_length:
            raise InvalidData(
                f"{self._where}过长：最多 {self.max_length} 字，实际 {len(cleaned)} 字。",
                field=self.name,
            )
        if isinstance(cleaned, int | decimal.Decimal) and not isinstance(cleaned, bool):
            if self.min_value is not None and cleaned < self.min_value:
                raise InvalidData(f"{self._where}不能小于 {self.min_value}。", field=self.name)
            if self.max_value is not None and cleaned > self.max_value:
                raise InvalidData(f"{self._where}不能大于 {self.max_value}。", field=self.name)
        if self.validator is not None:
            problem = self.validator(cleaned)
            if problem:
                raise InvalidData(f"{self._where}：{problem}", field=self.name)
        return cleaned

    def _convert(self, value: object) -> object:
        if self.type in (
            FieldType.STR,
            FieldType.TEXT,
            FieldType.CHOICE,
            FieldType.ORG,
            FieldType.PERSON,
        ):
            if isinstance(value, bool | dict | list):
                raise TypeError
            text = str(value).strip()
            if self.type == FieldType.STR and "\n" in text:
                raise ValueError
            if self.type == FieldType.TEXT and "\r" in text:
                text = text.replace("\r\n", "\n")  # a browser sends a line break as CRLF
            return text
        if self.type == FieldType.BOOL:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on", "是", "y"}:
                return True
            if text in {"0", "false", "no", "off", "否", "n"}:
                return False
            raise ValueError
        if self.type == FieldType.INT:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(str(value).strip()) if not isinstance(value, int | float) else int(value)
        if self.type == FieldType.DECIMAL:
            if isinstance(value, bool):
                raise ValueError
            return decimal.Decimal(str(value).strip())
        if self.type == FieldType.DATE:
            if isinstance(value, dt.datetime):
                raise ValueError
            if isinstance(value, dt.date):
                return value
            return dt.date.fromisoformat(str(value).strip())
        raise ValueError

    def to_json(self, value: object) -> object:
        """The JSON-storable form of a cleaned value."""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, decimal.Decimal):
            return str(value)
        return value


# Types whose cleaned value is the stripped text itself (``_convert``); STR also refuses "\n".
_TEXT_TYPES = frozenset({FieldType.STR, FieldType.TEXT, FieldType.ORG, FieldType.PERSON})

_TYPE_NAMES = {
    FieldType.STR: "文字",
    FieldType.TEXT: "文字",
    FieldType.BOOL: "是/否",
    FieldType.INT: "整数",
    FieldType.DECIMAL: "数字",
    FieldType.DATE: "日期（YYYY-MM-DD）",
    FieldType.CHOICE: "选项",
    FieldType.ORG: "机构",
    FieldType.PERSON: "工作人员",
}
