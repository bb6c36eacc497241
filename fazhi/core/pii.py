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


CHECKSUM_FAILED = "身份证号码无效：校验未通过，请逐位核对证件上的号码。"


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
        # Never say which check character would pass: whoever mistyped another digit would
        # "fix" the last one into a wrong number that passes (#19 defect 3).
        return CHECKSUM_FAILED
    # python-stdnum's division table: the first six digits must name a division that has
    # existed at some time. (Its ``get_birth_place`` also demands that the code existed in the
    # birth year, which wrongly rejects people born before their county's code was assigned:
    # the number is issued where one lives, not where one was born.)
    if not _region_known(number[:6]):
        return f"身份证号码的地区码“{number[:6]}”不存在。"
    if ric.calc_check_digit(number) != expected:  # second opinion on the check digit
        return CHECKSUM_FAILED
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
    if code[17] != uscc_check_char(code[:17]):  # never tell the passing character (defect 3)
        return "统一社会信用代码无效：校验未通过，请逐位核对营业执照上的代码。"
    return None


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


# Addresses: the administrative prefix down to the district (county) level is kept, nothing
# below it (street, road, compound 小区, building, room). A county-level name ends in 区, 县,
# 旗 or 市, but 小区, 社区, 园区, 街区, 校区, 景区, 厂区, 矿区, 营区 are places inside one.
_NOT_A_DISTRICT = "小社园街校景厂矿营"
_ADDRESS_PREFIX = re.compile(
    r"(?P<province>(?:北京|天津|上海|重庆)市?|[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区))?"
    r"(?P<city>[\u4e00-\u9fff]{2,10}?(?:自治州|地区|盟|市|州))?"
    rf"(?P<county>[\u4e00-\u9fff]{{1,10}}?(?:自治县|自治旗|(?<![{_NOT_A_DISTRICT}])区|县|旗|市))?"
)


def mask_address(value: str) -> str:
    """Keep the address to the district (county) level: 吉林省四平市铁西区****.

    Whatever comes after the county-level name (street, road, 小区, building, room) is
    hidden; an address with no administrative prefix (a street alone, or a number typed
    into the address field) is hidden entirely.
    """
    s = str(value).strip()
    if not s:
        return ""
    match = _ADDRESS_PREFIX.match(s)
    cut = match.end() if match else 0
    if match and match.group("county") is None and match.group("city") is None:
        cut = match.end("province") if match.group("province") else 0
    return s[:cut] + "****" if cut < len(s) else s


# --- masking inside free text ---------------------------------------------------------------
#
# People type numbers in many shapes: with spaces, dashes or dots between groups
# (220302 19851231 4561, 186.7777.6666, 6222-0212-3456-7890-128), in full-width digits
# (１３９１２３４５６７８), right after letters (身份证号ID220302…). The scanner takes every run
# of digits joined by single separators, reads its digits, and decides by their number what
# it is: 18 (the last may be X) or 15 a resident ID, 16–19 a bank card, 11 from 1[3-9] (or
# 13 from 86) a mobile. A run that is none of these as a whole (a date next to a mobile) is
# split at its spaces and each part is read again. Dates, amounts and short numbers stay.

_SEP = r"[ \t\u3000\-\.\u2010-\u2015\uff0d\uff0e·_/]"  # space, dashes, dots, full-width too
_NUMBER_RUN = re.compile(rf"(?<!\d)[+＋]?\d(?:{_SEP}?\d)*(?:{_SEP}?[XxＸｘ])?(?!\d)")
_RUN_SPACES = re.compile(r"([ \t\u3000]+)")


def _digits(run: str) -> str:
    """The ASCII digits (and a final X) of a run: full-width and other Unicode digits read."""
    out = []
    for ch in run:
        if ch.isdigit():
            out.append(str(int(ch)) if not ch.isascii() else ch)
        elif ch in "XxＸｘ":
            out.append("X")
    return "".join(out)


def _mask_number(digits: str) -> str | None:
    """The masked form of a run's digits, or None if they are not personal data."""
    n = len(digits)
    if digits.endswith("X"):
        return mask_resident_id(digits) if n == 18 else None
    if n in (15, 18):
        return mask_resident_id(digits)
    if 16 <= n <= 19:
        return _mask_card(digits)
    if n == 11 and digits[0] == "1" and digits[1] in "3456789":
        return mask_mobile(digits)
    if n == 13 and digits.startswith("861") and digits[3] in "3456789":
        return mask_mobile(digits[2:])
    return None


def _mask_run(match: re.Match[str]) -> str:
    run = match.group(0)
    parts = _RUN_SPACES.split(run)
    if len(parts) > 1:  # a mobile or an ID standing apart by spaces is read on its own
        masked_parts = [None if i % 2 else _mask_number(_digits(p)) for i, p in enumerate(parts)]
        if any(m is not None for m in masked_parts):
            return "".join(p if m is None else m for m, p in zip(masked_parts, parts, strict=True))
    masked = _mask_number(_digits(run))
    return run if masked is None else masked


def _mask_card(s: str) -> str:
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def mask_text(text: str) -> str:
    """Mask ID-like, bank-card-like and mobile-like numbers inside free text (any format)."""
    if not text:
        return text
    return _NUMBER_RUN.sub(_mask_run, str(text))


# Names and places inside free text, beyond the party's own (which ``mask_public`` is told):
# a name right after a word that introduces one (姓名：, 我叫, 当事人), or before a greeting or
# a form of address (您好, 先生, 女士) when it starts with a common surname; a residential
# compound (…小区, …花园) and house numbers (3栋2单元501室, 88号).
_COMPOUND_SURNAMES = [
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "令狐",
    "端木",
    "独孤",
    "南宫",
    "西门",
    "百里",
    "呼延",
    "轩辕",
    "淳于",
    "钟离",
    "闻人",
    "太史",
    "申屠",
    "拓跋",
    "完颜",
]
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申耿关兰焦"
    "俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应"
    "臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝欧"
)
_SURNAME = "(?:" + "|".join(_COMPOUND_SURNAMES) + f"|[{_SURNAMES}])"
_HAN = r"[\u4e00-\u9fff]"
_NAME_BEFORE_GREETING = re.compile(
    rf"{_SURNAME}{_HAN}{{1,2}}(?=(?:您好|你好|先生|女士|同志|老师|师傅|阿姨|大爷|大妈))"
)
_NAME_AFTER_WORD = re.compile(
    r"(?P<word>姓名|名叫|我叫|本人|当事人|来信人|投诉人|举报人|申请人|求助人|反映人|联系人|患者|病人"
    r"|家属|代理人|监护人|法定代表人|法人代表|负责人|经营者|户主|业主|第三人|证人|受害人|被害人"
    r"|违法行为人|被申请人|被投诉人|被举报人)(?P<sep>[:：\s]*)"
    rf"(?P<name>{_SURNAME}{_HAN}{{1,2}})"
)
_COMPOUND = re.compile(
    rf"(?:(?![在住于到的是了和与及我家位省市区县旗镇乡街路道])(?:{_HAN}|\d)){{2,5}}"
    r"(?:小区|花园|家园|公寓|大厦|新村|嘉园|名苑|花苑|山庄|公馆|宿舍|家属院|家属楼)"
)
_HOUSE_NUMBER = re.compile(
    rf"(?<![第〕\]】号\d])(?:\d+{_SEP}?)+(?:号楼|栋|幢|座|单元|层|楼|室|号院|号|户)"
)


def names_in(text: str) -> list[str]:
    """The names ``text`` itself introduces: after a word such as 姓名、患者、当事人, or before a
    greeting or form of address (欧阳娜娜您好, 张建国同志) when it starts with a common surname."""
    if not text:
        return []
    found = [m["name"] for m in _NAME_AFTER_WORD.finditer(text)]
    return found + [m.group(0) for m in _NAME_BEFORE_GREETING.finditer(text)]


# A field that records people (专家、参加人员、调解员): one or more names, separated by 、，；
# or spaces, perhaps with a title or unit in brackets (吴建明（市法学会）). Each piece of 2 to 4
# Chinese characters that is not the name of a body (…局、…会、…公司) is taken as a name.
_PEOPLE_SEP = re.compile(r"[、，,；;/\s]+|[（(【\[][^）)】\]]*[）)】\]]")
_NOT_A_PERSON = re.compile(
    r"(?:局|委|办|院|所|会|厅|部|处|科|室|队|站|中心|公司|集团|大学|学校|政府|法院|检察院"
    r"|街道|社区|村|组|馆|台|社|行|店|厂|等|人员|同志|专家|代表|委员)$"
)
_PERSON_NAME = re.compile(rf"{_HAN}{{2,4}}")


def person_names(value: object) -> list[str]:
    """The names in a field that records people (``吴建明、郑晓红（市法学会）`` → both)."""
    if not value:
        return []
    out = []
    for piece in _PEOPLE_SEP.split(str(value)):
        piece = piece.strip(" :：。.")
        if _PERSON_NAME.fullmatch(piece) and not _NOT_A_PERSON.search(piece):
            out.append(piece)
    return out


def staff_names(first_name: str, last_name: str) -> list[str]:
    """A staff member's name as people write it: Django keeps it in two parts (either may
    hold the whole name); Chinese puts the surname first, with no space."""
    first, last = (first_name or "").strip(), (last_name or "").strip()
    names = {first + last, last + first, first} if first and last else {first or last}
    return [n for n in names if len(n) >= 2]


def mask_public(
    text: str,
    *,
    names: tuple[str, ...] | list[str] = (),
    phones: tuple[str, ...] | list[str] = (),
    id_numbers: tuple[str, ...] | list[str] = (),
    addresses: tuple[str, ...] | list[str] = (),
    words: tuple[str, ...] | list[str] = (),
) -> str:
    """The one masking of text for any public page or answer (portal, Open311, reports).

    The known personal data of the matter (``names``, ``phones``, ``id_numbers``,
    ``addresses`` of its party, and the names the text itself introduces, ``names_in``) is
    replaced wherever quoted, and ``words`` (what staff chose
    to hide when releasing it) by ``**``; then whatever looks like a name, a residential
    compound, a house number, a resident ID, a bank card or a mobile is masked (``mask_text``).
    """
    if not text:
        return ""
    out = str(text)
    # a name the text introduces once (患者司马建国) is hidden wherever else it stands in it
    names = [*names, *names_in(out)]
    for address in sorted({a.strip() for a in addresses if a and a.strip()}, key=len, reverse=True):
        out = out.replace(address, mask_address(address))
    for number in {n.strip() for n in id_numbers if n and n.strip()}:
        out = out.replace(number, mask_resident_id(number))
    for phone in {p.strip() for p in phones if p and p.strip()}:
        if len(phone) >= 5:
            out = out.replace(phone, _mask_number(_digits(phone)) or "*" * len(phone))
    for word in sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True):
        out = out.replace(word, "**")
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        if len(name) > 1:
            out = out.replace(name, mask_name(name))
            if len(name) >= 3:  # the given name alone (娜娜您好)
                given = name[2:] if name[:2] in _COMPOUND_SURNAMES else name[1:]
                if len(given) >= 2:
                    out = out.replace(given, "*" * len(given))
    out = mask_text(out)
    out = _NAME_AFTER_WORD.sub(lambda m: m["word"] + m["sep"] + mask_name(m["name"]), out)
    out = _NAME_BEFORE_GREETING.sub(lambda m: mask_name(m.group(0)), out)
    out = _COMPOUND.sub("**", out)
    return _HOUSE_NUMBER.sub("**", out)
