"""Which unit answers for an incoming matter: a suggestion from the duty lists (乡街履职事项清单).

``suggest_units(text, org_root)`` ranks the units responsible for the duty items in force whose
wording is closest to ``text`` (the matter's subject, content and address): the help window
(办不成事请找我) and the hotline (12345) show the top three to staff, who confirm or correct
(``fazhi.services.routing``). The text is segmented by jieba (search mode: words and their
sub-words) and scored with BM25 against each duty item's name, content and keywords (keywords
counted twice: they are the words people use). A township or street named in the text (仁兴、
平西…) keeps only its own lists; without one, the basic duties of every township in scope tie
and the reason says the address was not recognised. A unit's score is its best item's.

Everything is read from the database on each call (a few hundred rows); only the segmentation
of a text is memoised, which depends on nothing but the text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.services.models import DUTY_UNIT_KINDS, DutyItem, DutyListKind


@lru_cache(maxsize=1)
def _jieba() -> Any:
    """jieba, imported on first use (its dictionary loads then, about a second)."""
    with warnings.catch_warnings():
        # jieba 0.42.1 imports pkg_resources when it is there (only to find its own
        # dictionary); newer setuptools warn on that import. Nothing else of it warns.
        warnings.simplefilter("ignore")
        import jieba

    jieba.setLogLevel(60)  # its dictionary-loading messages are not ours to log
    return jieba


K1, B = 1.5, 0.75  # the usual BM25 constants
KEYWORD_WEIGHT = 2
MIN_SCORE = 0.5
USE_BIGRAMS = True

# Words of every complaint that say nothing about whose duty it is.
STOPWORDS = frozenset(
    [
        "问题",
        "反映",
        "希望",
        "处理",
        "部门",
        "有关",
        "相关",
        "尽快",
        "解决",
        "一下",
        "我们",
        "你们",
        "他们",
        "这个",
        "那个",
        "没有",
        "什么",
        "怎么",
        "已经",
        "现在",
        "一直",
        "经常",
        "还是",
        "就是",
        "可以",
        "不能",
        "需要",
        "要求",
        "请求",
        "麻烦",
        "谢谢",
        "情况",
        "导致",
        "影响",
        "严重",
        "附近",
        "小区",
        "社区",
        "居民",
        "群众",
        "市民",
        "本人",
        "家里",
        "门口",
        "楼下",
        "这里",
        "那里",
        "好几",
        "几天",
        "多次",
        "打电话",
        "电话",
        "没人",
        "管理",
        "负责",
        "帮忙",
        "帮助",
        "请问",
        "咨询",
        "如何",
        "办理",
        "应该",
        "现象",
        "存在",
        "进行",
        "开展",
        "工作",
        "单位",
        "铁西",
        "铁西区",
        "四平",
        "四平市",
        "街道",
        "办事处",
        "社区",
        "村",
        "乡",
    ]
)
_PUNCT = re.compile(r"^[\W\d_]+$", re.UNICODE)


class Suggestion(NamedTuple):
    """One suggested unit: the unit, its score (BM25, higher is closer) and why."""

    unit: OrgUnit
    score: float
    reason: str


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """The words of ``text`` that can tell duties apart (jieba search mode, no stop words)."""
    out: list[str] = []
    for word in _jieba().lcut_for_search(text or ""):
        word = word.strip()
        if len(word) < 2 or word in STOPWORDS or _PUNCT.match(word):
            continue
        out.append(word)
    return tuple(out)


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def bigrams(text: str) -> tuple[str, ...]:
    """Overlapping character pairs of each run of Chinese characters, prefixed "~" so they never
    equal a word: they match what segmentation splits differently (病死猪 / 死猪)."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text or ""):
        out.extend(f"~{run[i : i + 2]}" for i in range(len(run) - 1))
    return tuple(out)


def terms(text: str) -> tuple[str, ...]:
    """What a text is matched on: its words and, when enabled, its character pairs."""
    return tokens(text) + (bigrams(text) if USE_BIGRAMS else ())


def item_tokens(item: DutyItem) -> list[str]:
    keywords = re.sub(r"[、，,;；/]+", " ", item.keywords or "")
    return [
        *terms(item.name),
        *terms(item.content or ""),
        *(list(terms(keywords)) * KEYWORD_WEIGHT),
    ]


@dataclass
class _Index:
    items: list[DutyItem]
    docs: list[Counter[str]]
    lengths: list[int]
    df: Counter[str]

    @classmethod
    def of(cls, items: Sequence[DutyItem]) -> _Index:
        docs = [Counter(item_tokens(i)) for i in items]
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        return cls(list(items), docs, [sum(d.values()) for d in docs], df)

    def scores(self, query: Sequence[str]) -> list[tuple[float, list[str]]]:
        n = len(self.docs)
        avg = (sum(self.lengths) / n) if n else 1.0
        out = []
        for doc, length in zip(self.docs, self.lengths, strict=True):
            score, hits = 0.0, []
            for word in set(query):
                tf = doc.get(word, 0)
                if not tf:
                    continue
                idf = math.log(1 + (n - self.df[word] + 0.5) / (self.df[word] + 0.5))
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))
                hits.append(word)
            out.append((score, hits))
        return out


def duty_units(org_root: OrgUnit) -> list[OrgUnit]:
    """The townships and streets whose lists apply under ``org_root``: those in its subtree, or
    the township ``org_root`` belongs to."""
    units = [
        u
        for u in OrgUnit.objects.subtree_of(org_root).filter(kind__in=DUTY_UNIT_KINDS)
        if u.is_active
    ]
    if units:
        return units
    for ancestor in OrgUnit.objects.filter(kind__in=DUTY_UNIT_KINDS):
        if org_root.path.startswith(ancestor.path):
            return [ancestor]
    return []


def _stem(unit: OrgUnit) -> str:
    name = unit.short_name or unit.name
    for suffix in ("街道办事处", "街道", "人民政府", "镇", "乡"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def located(text: str, units: Sequence[OrgUnit]) -> OrgUnit | None:
    """The township or street that ``text`` names (its short name or its stem), if just one."""
    named = [u for u in units if _stem(u) in text or (u.short_name and u.short_name in text)]
    return named[0] if len(named) == 1 else None


def suggest_units(
    text: str, org_root: OrgUnit, *, on: dt.date | None = None, limit: int = 3
) -> list[Suggestion]:
    """The ``limit`` units most likely responsible for a matter described by ``text``, best
    first, from the duty lists in force on ``on`` (default today) under ``org_root``."""
    on = on or clock.today()
    units = duty_units(org_root)
    if not units or not (text or "").strip():
        return []
    place = located(text, units)
    lists = [place] if place is not None else units
    items = list(
        DutyItem.entries()
        .filter(org__in=lists)
        .valid_on(on)
        .select_related("org", "responsible")
        .order_by("org__path", "kind", "pk")
    )
    if not items:
        return []
    query = terms(text)
    scored = _Index.of(items).scores(query)
    best: dict[int, tuple[float, DutyItem, list[str]]] = {}
    for item, (score, hits) in zip(items, scored, strict=True):
        if score < MIN_SCORE:
            continue
        unit = item.responsible_unit
        if unit.pk not in best or score > best[unit.pk][0]:
            best[unit.pk] = (score, item, hits)
    ranked = sorted(best.values(), key=lambda e: (-e[0], e[1].responsible_unit.path))
    return [
        Suggestion(item.responsible_unit, round(score, 2), _reason(item, hits, place))
        for score, item, hits in ranked[:limit]
    ]


def _reason(item: DutyItem, hits: list[str], place: OrgUnit | None) -> str:
    where = item.org.short_name or item.org.name
    shown = [h for h in hits if not h.startswith("~")] or [h[1:] for h in hits]
    words = "、".join(sorted(shown, key=len, reverse=True)[:4])
    text = f"{where}{item.get_kind_display()}清单“{item.name}”（匹配：{words}）"
    if item.kind == DutyListKind.COOPERATIVE:
        text += (
            f"，由{item.responsible_unit.short_name or item.responsible_unit.name}牵头、{where}配合"
        )
    if place is None and item.kind == DutyListKind.BASIC:
        text += "；未识别所属乡街，请核对地址"
    return text
