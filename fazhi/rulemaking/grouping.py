"""The public's comments on a draft, grouped by article and, within an article, by similar
content; and the adoption note (采纳情况) drafted from the groups for staff to edit.

Words come from jieba (docs/dependencies.md); two comments are similar when the cosine of their
TF-IDF word vectors reaches ``THRESHOLD``. A comment joins the group it is most similar to
(average link over the group's comments), or starts a new one: a handful to a few thousand
comments per draft, so the quadratic pass is cheap (measured in docs/benchmarks.md).
"""

from __future__ import annotations

import logging
import math
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

THRESHOLD = 0.15
# words that say nothing about what a comment wants (function words, the commenting verbs)
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "有",
        "对",
        "把",
        "被",
        "为",
        "将",
        "也",
        "都",
        "就",
        "还",
        "很",
        "太",
        "要",
        "会",
        "能",
        "可",
        "可以",
        "应",
        "应当",
        "应该",
        "建议",
        "希望",
        "认为",
        "觉得",
        "意见",
        "我",
        "我们",
        "你们",
        "他们",
        "大家",
        "这个",
        "那个",
        "这",
        "那",
        "一个",
        "一些",
        "进行",
        "方案",
        "本",
        "条",
        "第",
        "内容",
        "问题",
        "尽快",
        "很多",
        "比较",
        "非常",
        "目前",
        "现在",
    ]
)
_WORD = re.compile(r"[\w]+")


@cache
def _jieba() -> Any:
    """jieba, imported on first use (its import reads a 5 MB dictionary) and quiet."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its compatibility shim imports pkg_resources
        import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def words(text: str) -> list[str]:
    """The content words of ``text``: jieba's segmentation less punctuation and stop words."""
    out = []
    for w in _jieba().lcut(text or ""):
        w = w.strip()
        if not w or not _WORD.fullmatch(w) or w in STOPWORDS or w.isdigit():
            continue
        if len(w) == 1:  # single characters (上, 好, 达) carry little in a short comment
            continue
        out.append(w)
    return out


def _vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    docs = [Counter(words(t)) for t in texts]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    n = len(docs)
    vectors = []
    for d in docs:
        v = {w: c * (math.log((1 + n) / (1 + df[w])) + 1) for w, c in d.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def similarity(first: str, second: str) -> float:
    """The cosine of two texts' TF-IDF word vectors (over the two of them)."""
    a, b = _vectors([first, second])
    return cosine(a, b)


@dataclass
class Group:
    """Comments on one article (0: the draft as a whole) saying much the same."""

    article: int
    items: list[Any] = field(default_factory=list)  # the comments (any object)
    texts: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.items)


def group_comments(comments: Iterable[tuple[int, str, Any]]) -> list[Group]:
    """``(article, text, item)`` triples grouped by article, then by similar content; groups
    in article order (the whole draft last), larger groups first within an article."""
    by_article: dict[int, list[tuple[str, Any]]] = {}
    for article, text, item in comments:
        by_article.setdefault(int(article or 0), []).append((text, item))
    groups: list[Group] = []
    for article in sorted(by_article, key=lambda a: (a == 0, a)):
        entries = by_article[article]
        vectors = _vectors([t for t, _ in entries])
        mine: list[tuple[Group, list[dict[str, float]]]] = []
        for (text, item), vec in zip(entries, vectors, strict=True):
            best, best_score = None, THRESHOLD
            for g, members in mine:
                score = sum(cosine(vec, m) for m in members) / len(members)
                if score >= best_score:
                    best, best_score = (g, members), score
            if best is None:
                best = (Group(article), [])
                mine.append(best)
            best[0].items.append(item)
            best[0].texts.append(text)
            best[1].append(vec)
        for g, members in mine:
            weight: Counter[str] = Counter()
            for m in members:
                weight.update(m)
            g.keywords = [w for w, _ in weight.most_common(3)]
        groups.extend(sorted((g for g, _ in mine), key=lambda g: -g.size))
    return groups


def article_label(n: int) -> str:
    return "草案整体" if not n else f"第{_chinese(n)}条"


def _chinese(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


BLANK = "【采纳情况：采纳／部分采纳／未采纳，并说明理由】"


def draft_adoption_note(
    groups: Sequence[Group], total: int, adoption_of: Callable[[Any], str | None] | None = None
) -> str:
    """The adoption note's first draft: one line per group with its representative comment
    and what was decided on it — the staff's 研处 of its comments when they all agree
    (``adoption_of`` gives an item's label, None while unanswered), else a blank to fill in.
    Staff edit the draft before it is published beside the decision."""
    if not total:
        return "征求意见期间未收到意见。"
    lines = [f"征求意见期间共收到意见{total}条，归纳为{len(groups)}类："]
    for i, g in enumerate(groups, start=1):
        sample = g.texts[0].strip().rstrip("。")
        decided = {adoption_of(item) for item in g.items} if adoption_of else {None}
        verdict = f"{decided.pop()}。" if len(decided) == 1 and None not in decided else BLANK
        lines.append(f"{i}. 关于{article_label(g.article)}（{g.size}条，如“{sample}”）：{verdict}")
    return "\n".join(lines)


def parse_articles(draft: str) -> list[tuple[int, str]]:
    """A draft's articles: one paragraph each, numbered from 1 in order."""
    paragraphs = [p.strip() for p in (draft or "").splitlines() if p.strip()]
    return list(enumerate(paragraphs, start=1))
