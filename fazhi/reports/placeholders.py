"""Indicator placeholders in the report's prose, and the prose still to be written.

Syntax (one placeholder between ``{{`` and ``}}``)::

    {{ reconsideration.received }}          this year's figure: 19, 94.16%, 100%
    {{ hotline_order.concluded|approx }}    the "余" style: 13000余 (the JSON keeps 13426)
    {{ reconsideration.received|prev }}     last year's figure (the template asks for it)
    {{ a.reply_rate, b.reply_rate|all:均为 }}  "均为100%" when the figures agree,
                                            "分别为95%、100%" when they do not

Filters combine (``|prev|approx``). A figure whose procedure is not in the platform yet
renders as 【待补：code】. ``【待撰写：…】`` marks prose that people have not written yet.
A placeholder that names no indicator, or an unknown filter, is refused with a Chinese message
naming the placeholder and the section, never rendered as an empty string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from fazhi.indicators.registry import Indicator, get_indicator

PLACEHOLDER = re.compile(r"\{\{(?P<body>.*?)\}\}", re.DOTALL)
TODO = re.compile(r"【待撰写[：:]?(?P<what>[^】]*)】")
FILTERS = ("approx", "prev", "all")


class PlaceholderError(ValueError):
    """A placeholder the report cannot render (unknown code or filter); Chinese message."""


@dataclass(frozen=True)
class Ref:
    """One parsed placeholder."""

    raw: str
    codes: tuple[str, ...]
    approx: bool = False
    prev: bool = False
    joiner: str = ""  # the verb of ``all`` ("均为", "为"); "" without ``all``

    @property
    def year_offset(self) -> int:
        return -1 if self.prev else 0


@dataclass(frozen=True)
class Piece:
    """A run of a rendered paragraph: plain text, or a figure (``codes`` set).

    ``pending`` lists the codes that are not computed yet (the text is then 【待补：…】);
    ``todo`` marks a 【待撰写】 marker.
    """

    text: str
    codes: tuple[str, ...] = ()
    year: int | None = None
    pending: tuple[str, ...] = ()
    todo: bool = False

    @property
    def is_figure(self) -> bool:
        return bool(self.codes)


Paragraph = list[Piece]


def _where(section: str) -> str:
    return f"（{section}）" if section else ""


def parse_ref(body: str, section: str = "") -> Ref:
    raw = "{{" + body + "}}"
    head, *filters = (part.strip() for part in body.split("|"))
    codes = tuple(c.strip() for c in head.split(",") if c.strip())
    if not codes:
        raise PlaceholderError(f"占位符 {raw} 没有写指标代码{_where(section)}。")
    for code in codes:
        try:
            get_indicator(code)
        except KeyError:
            raise PlaceholderError(
                f"占位符 {raw} 中的“{code}”不是已知的指标代码{_where(section)}。"
                "指标代码见指标目录（如 reconsideration.received）。"
            ) from None
    approx = prev = False
    joiner = ""
    for item in filters:
        name, _, arg = item.partition(":")
        name = name.strip()
        if name == "approx":
            approx = True
        elif name == "prev":
            prev = True
        elif name == "all":
            joiner = arg.strip() or "均为"
        else:
            allowed = "、".join(FILTERS)
            raise PlaceholderError(
                f"占位符 {raw} 的过滤器“{name}”无效{_where(section)}，可用：{allowed}。"
            )
    if len(codes) > 1 and not joiner:
        raise PlaceholderError(
            f"占位符 {raw} 写了多个指标{_where(section)}：多个指标要用 |all 过滤器"
            "（如 {{ a, b|all:均为 }}）。"
        )
    return Ref(raw, codes, approx, prev, joiner)


def refs(text: str, section: str = "") -> Iterator[Ref]:
    """Every placeholder of ``text``, parsed (raises PlaceholderError on the first bad one)."""
    for match in PLACEHOLDER.finditer(text):
        yield parse_ref(match.group("body"), section)
    rest = PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        raise PlaceholderError(f"正文中有不成对的 {{{{ 或 }}}}{_where(section)}。")


def validate(text: str, section: str = "") -> None:
    """Raise PlaceholderError if any placeholder of ``text`` cannot be rendered."""
    for _ in refs(text, section):
        pass


def todos(text: str) -> list[str]:
    """What the 【待撰写：…】 markers of ``text`` ask for."""
    return [m.group("what").strip() or "正文" for m in TODO.finditer(text)]


Display = Callable[[Indicator, int, bool], str]
"""(indicator, year, approx) → the figure as written; raises LookupError when not computed."""


def render(text: str, year: int, display: Display, section: str = "") -> list[Paragraph]:
    """The paragraphs of ``text`` with every placeholder replaced by its figure."""
    paragraphs: list[Paragraph] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        block = " ".join(line.strip() for line in block.splitlines()).strip()
        if not block:
            continue
        pieces: Paragraph = []
        pos = 0
        for match in PLACEHOLDER.finditer(block):
            _plain(pieces, block[pos : match.start()])
            pieces.append(_figure(parse_ref(match.group("body"), section), year, display))
            pos = match.end()
        _plain(pieces, block[pos:])
        paragraphs.append(pieces)
    return paragraphs


def _plain(pieces: Paragraph, text: str) -> None:
    pos = 0
    for match in TODO.finditer(text):
        if match.start() > pos:
            pieces.append(Piece(text[pos : match.start()]))
        pieces.append(Piece(match.group(0), todo=True))
        pos = match.end()
    if pos < len(text):
        pieces.append(Piece(text[pos:]))


def missing_text(codes: tuple[str, ...]) -> str:
    return f"【待补：{'、'.join(codes)}】"


def _figure(ref: Ref, year: int, display: Display) -> Piece:
    at = year + ref.year_offset
    shown: list[str] = []
    pending: list[str] = []
    for code in ref.codes:
        ind = get_indicator(code)
        try:
            shown.append(display(ind, at, ref.approx))
        except LookupError:
            pending.append(code)
    if pending:
        return Piece(missing_text(tuple(pending)), ref.codes, at, tuple(pending))
    if not ref.joiner:
        text = shown[0]
    elif len(set(shown)) == 1:
        text = f"{ref.joiner}{shown[0]}"
    else:
        text = f"分别为{'、'.join(shown)}"
    return Piece(text, ref.codes, at)


def plain_text(paragraph: Paragraph) -> str:
    return "".join(piece.text for piece in paragraph)
