"""Personal data: validation of resident IDs and credit codes, masking for public display.

- Resident identity numbers (GB 11643-1999): python-stdnum's ``cn.ric`` does the birth date
  and check digit; the messages here say which of the two is wrong.
- Unified social credit codes (GB 32100-2015): checked here by the standard's own
  check-character algorithm, because python-stdnum rejects valid codes whose first
  character (registration authority) is N, Y or A.
- Masking (public output): ID keeps the first 6 and last 4, mobile 3+4, address to the
  district (county) level, names keep the surname; ``mask_text`` finds ID-like, mobile-like
  and bank-card-like strings inside free text.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re

from django.core.exceptions import ValidationError
from stdnum import numdb
from stdnum.cn import ric

from fazhi.core import clock

# --- resident identity number (GB 11643) ---------------------------------------------------

_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RIC_CHECK = "10X98765432"
_RIC_ZEROS = ord("0") * sum(_RIC_WEIGHTS)  # the weighted sum of the codes of 17 "0"s
_SPACES = re.compile(r"\s+")
_RIC_SHAPE = re.compile(r"\d{17}[\dX]")


def normalize_resident_id(value: str) -> str:
    text = str(value)
    if text.isalnum():  # no whitespace to remove (the common case; isalnum scans in C)
        return text.upper()
    return _SPACES.sub("", text).upper()


def resident_id_error(value: str) -> str | None:
    """Why ``value`` is not a valid 18-character resident ID, in plain Chinese; None if valid."""
    number = normalize_resident_id(value)
    if not number:
        return "身份证号码为空。"
    if len(number) != 18:
        return f"身份证号码应为18位，实际为{len(number)}位。"
    if not _RIC_SHAPE.fullmatch(number):
        return "身份证号码前17位必须是数字，最后一位是数字或X。"
    problem = _birth_error(number[6:14], clock.today())
    if problem:
        return problem
    if number.isascii():  # the weighted sum from the digits' codes: no int() per digit
        weighted = sum(map(operator.mul, number[:17].encode(), _RIC_WEIGHTS)) - _RIC_ZEROS
    else:  # other Unicode digits, which the shape's \d accepts
        weighted = sum(map(operator.mul, map(int, number[:17]), _RIC_WEIGHTS))
    expected = _RIC_CHECK[weighted % 11]
    if number[17] != expected:
        return f"身份证号码校验码错误：最后一位应为“{expected}”，实际为“{number[17]}”。"
    # python-stdnum's division table: the first six digits must name a division that has
    # existed at some time. (Its ``get_birth_place`` also demands that the code existed in the
    # birth year, which wrongly rejects people born before their county's code was assigned:
    # the number is issued where one lives, not where one was born.)
    if not _region_known(number[:6]):
        return f"身份证号码的地区码“{number[:6]}”不存在。"
    if ric.calc_check_digit(number) != expected:  # second opinion on the check digit
        return "身份证号码校验码错误。"
    return None


@functools.lru_cache(maxsize=65536)
def _birth_error(digits: str, today: dt.date) -> str | None:
    """The problem with the birth date ``YYYYMMDD`` of an ID, or None (memoised: a bulk import
    checks many IDs born on the same day)."""
    try:
        birth = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return f"身份证号码中的出生日期“{digits}”不是有效日期。"
    if birth.year < 1900 or birth > today:
        return f"身份证号码中的出生日期“{digits}”不在合理范围内。"
    return None


@functools.lru_cache(maxsize=8192)
def _region_known(code: str) -> bool:
    return any(props for _part, props in numdb.get("cn/loc").info(code))


def validate_resident_id(value: str) -> None:
    error = resident_id_error(value)
    if error:
        raise ValidationError(error, code="invalid_resident_id")


# --- unified social credit code (GB 32100) -------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# First character: the registration authority (登记管理部门代码), GB 32100 table 1 and
# later allocations (N 农业, Y 其他, A 中央军委改革和编制办公室, G 群团 …).
_USCC_AUTHORITIES = set("123456789ANGY")


def normalize_credit_code(value: str) -> str:
    text = str(value)
    if text.isalnum():  # no whitespace to remove
        return text.upper()
    return _SPACES.sub("", text).upper()


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character of the first 17 characters."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def credit_code_error(value: str) -> str | None:
    """Why ``value`` is not a valid unified social credit code, in plain Chinese; None if valid."""
    code = normalize_credit_code(value)
    if not code:
        return "统一社会信用代码为空。"
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位。"
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        return (
            f"统一社会信用代码含有不允许的字符“{''.join(bad)}”"
            "（只能是数字和除 I、O、Z、S、V 外的大写字母）。"
        )
    if code[0] not in _USCC_AUTHORITIES:
        return f"统一社会信用代码第1位（登记管理部门代码）“{code[0]}”无效。"
    if not code[2:8].isdigit():
        return f"统一社会信用代码第3—8位应为行政区划码（数字），实际为“{code[2:8]}”。"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验码错误：最后一位应为“{expected}”，实际为“{code[17]}”。"
    return None


def validate_credit_code(value: str) -> None:
    error = credit_code_error(value)
    if error:
        raise ValidationError(error, code="invalid_credit_code")


# --- phone numbers -------------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_HOTLINE = re.compile(r"^(12345|\d{5}|400-?\d{3}-?\d{4})$")
_PHONE_NOISE = re.compile(r"[\s()（）]")  # spaces and brackets, ignored


def phone_error(value: str) -> str | None:
    phone = _PHONE_NOISE.sub("", str(value))
    if _MOBILE.match(phone) or _LANDLINE.match(phone) or _HOTLINE.match(phone):
        return None
    return "电话号码格式不正确：手机号为11位数字，固定电话如 0434-1234567。"


def validate_phone(value: str) -> None:
    error = phone_error(value)
    if error:
        raise ValidationError(error, code="invalid_phone")


# --- masking -------------------------------------------------------------------------------


def mask_resident_id(value: str) -> str:
    """Keep the first 6 and last 4 characters: 220302********1234."""
    s = normalize_resident_id(value)
    if len(s) <= 10:
        return "*" * len(s)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def mask_mobile(value: str) -> str:
    """Keep the first 3 and last 4 digits: 138****5678."""
    s = re.sub(r"\D", "", str(value))
    if len(s) < 8:
        return "*" * len(s)
    return s[:3] + "*" * (len(s) - 7) + s[-4:]


def mask_name(value: str) -> str:
    """Keep the surname (first character): 张*、欧阳** keeps 欧."""
    s = str(value).strip()
    if not s:
        return ""
    return s[0] + "*" * max(1, len(s) - 1)


def mask_address(value: str) -> str:
    """Keep the address to the district (county) level: 吉林省四平市铁西区****."""
    s = str(value).strip()
    if not s:
        return ""
    # Province/city/district prefixes end with one of these; keep through the last
    # county-level marker found within the first 20 characters.
    head = s[:20]
    cut = -1
    for match in re.finditer(r"(自治县|自治旗|区|县|旗)", head):
        cut = match.end()
    if cut == -1:
        city = re.match(r"^(.{0,12}?(?:市|州))", head)
        cut = city.end() if city else 0
    return s[:cut] + "****" if cut < len(s) else s


# Free-text scanner. Order matters: resident IDs (18 with check char, or 15 digits) before
# bank cards (16–19 digits) before mobiles (11 digits), and digits must not touch digits.
_TEXT_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"), "id"),
    (re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])"), "card"),
    (re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])"), "id"),
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), "mobile"),
]


def _mask_card(s: str) -> str:
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def mask_text(text: str) -> str:
    """Mask ID-like, bank-card-like and mobile-like strings inside free text."""
    if not text:
        return text
    out = str(text)
    for pattern, kind in _TEXT_PATTERNS:
        if kind == "id":
            out = pattern.sub(lambda m: mask_resident_id(m.group(0)), out)
        elif kind == "card":
            out = pattern.sub(lambda m: _mask_card(m.group(0)), out)
        else:
            out = pattern.sub(lambda m: _mask_mobile_in_text(m.group(0)), out)
    return out


def _mask_mobile_in_text(s: str) -> str:
    digits = re.sub(r"\D", "", s)
    return mask_mobile(digits[-11:])
