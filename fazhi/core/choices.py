"""The words people use for a choice, read into its code: the one place that does it.

A choice is written by its code (``person``), by its Chinese label (``自然人``) or by one of the
label's documented synonyms (``个人``, the public form's word; ``企业或其他组织``). Every parser of
choices asks ``choice_code``: a declared field's ``clean`` (the API, the workbench's forms, an
import's details and step data), the party's kind and the channel of a matter (``register_matter``
and the bulk import's replay), the import templates' cells, the registers' sheets. The synonyms
are listed in ``SYNONYMS`` and in docs/import-format.md ("Choices"); a word that could mean two
choices of the same field is read as neither, and the field's error names the labels it allows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

# label → other words for it. Keyed by the label, so a synonym serves every field that offers
# the label (满意 in a rating, a callback and a suggestion's feedback alike).
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    # 当事人类别 (PartyKind): the public form says 个人 / 企业或其他组织
    "自然人": ("个人", "公民", "自然人个人"),
    "法人或其他组织": (
        "企业或其他组织",
        "法人",
        "法人组织",
        "其他组织",
        "非法人组织",
        "企业",
        "单位",
        "组织",
    ),
    # 满意度
    "满意": ("非常满意", "很满意"),
    "基本满意": ("比较满意", "较满意"),
    "不满意": ("很不满意", "非常不满意"),
    # 渠道 (Channel)
    "窗口": ("现场", "窗口受理", "现场窗口"),
    "电话": ("来电", "电话来电"),
    "信件": ("来信", "信函", "邮寄"),
    "网站": ("网上", "互联网", "网络", "门户网站"),
    "移动端": ("手机", "app", "小程序", "微信", "移动客户端"),
    "12345热线": ("12345", "热线", "12345政务服务便民热线", "政务服务便民热线"),
    "来访": ("上门", "来人来访"),
}


def normalize(text: object) -> str:
    """The form two spellings of one word share: NFKC (full-width letters and digits as
    half-width), no whitespace, case folded."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


@lru_cache(maxsize=512)
def _words(choices: tuple[tuple[str, str], ...]) -> dict[str, str | None]:
    """normalized word → code; None where the word names two codes (ambiguous)."""
    words: dict[str, str | None] = {}

    def add(word: str, code: str) -> None:
        key = normalize(word)
        if key and key in words and words[key] != code:
            words[key] = None
        else:
            words.setdefault(key, code)

    for code, label in choices:  # codes and labels first: a synonym never shadows one
        add(str(code), code)
        add(str(label), code)
    exact = dict(words)
    for code, label in choices:
        for word in SYNONYMS.get(str(label), ()):
            if normalize(word) not in exact:
                add(word, code)
    return words


def _as_tuple(choices: Iterable[tuple[Any, Any]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(code), str(label)) for code, label in choices)


def choice_code(choices: Iterable[tuple[Any, Any]], text: object) -> str | None:
    """The code of the choice ``text`` means: its code, its label or a synonym of its label
    (``SYNONYMS``), whatever the width, spacing or case; None for no choice or two."""
    if text is None:
        return None
    return _words(_as_tuple(choices)).get(normalize(text))


def allowed_words(choices: Iterable[tuple[Any, Any]]) -> str:
    """The labels a field allows, for an error message: ``满意、基本满意、不满意``."""
    return "、".join(str(label) for _code, label in choices)
