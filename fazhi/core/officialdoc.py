"""Official documents (.docx) in the layout of GB/T 9704-2012 (党政机关公文格式), with python-docx:
the annual report, enforcement documents and any other paper the platform issues.

- A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, which leave a
  156 × 225 mm text block;
- a document grid of 22 lines of 28 characters (line pitch 225 mm / 22, character pitch
  156 mm / 28 over 3号 type);
- the title in 2号 (22 pt) 方正小标宋简体, centred; the body in 3号 (16 pt) 仿宋_GB2312 with a
  first-line indent of two characters; first-level headings 3号 黑体, second-level 3号 楷体_GB2312;
- page numbers in 4号 (14 pt) 宋体 as "— 1 —", on the outside: right on odd pages, left on
  even pages, a character in from the edge;
- the issuing organ and the date at the end, the date four characters in from the right.

The document names the official fonts (readers' machines have them); where they are absent,
the viewer substitutes (LibreOffice here: fonts-noto-cjk).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any, cast

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from fazhi.core.dates import public_date

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES, CHARS = 22, 28
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

STYLE_TITLE = "公文标题"
STYLE_HEADING1 = "一级标题"
STYLE_HEADING2 = "二级标题"
STYLE_SIGNATURE = "落款"

EMU_PER_TWIP = 635
EMU_PER_PT = 12700


def line_pitch_twips() -> int:
    """225 mm of text block over 22 lines (≈ 28.95 pt)."""
    return round((PAGE_HEIGHT - TOP - BOTTOM) / LINES / EMU_PER_TWIP)


def char_pitch_pt() -> float:
    """156 mm of text block over 28 characters (≈ 15.79 pt)."""
    return (PAGE_WIDTH - LEFT - RIGHT) / CHARS / EMU_PER_PT


def char_spacing_twips() -> int:
    """Spacing between 3号 characters that sets 28 to a line: 16 pt glyphs condensed to the
    pitch, rounded down to whole twentieths of a point (−5: 15.75 pt, 28.07 to the line)."""
    return math.floor((char_pitch_pt() - float(BODY_SIZE.pt)) * 20)


def set_fonts(element: object, name: str, size: Pt | None = None) -> None:
    """Name a font for Latin and East Asian text alike on a style or a run (w:rFonts)."""
    font = element.font  # type: ignore[attr-defined]
    font.name = name
    if size is not None:
        font.size = size
    rpr = element.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def paragraph_style(doc: object, name: str, font: str, size: Pt) -> ParagraphStyle:
    styles = doc.styles  # type: ignore[attr-defined]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    set_fonts(style, font, size)
    style.font.bold = False
    return cast(ParagraphStyle, style)


def _grid(section: object) -> None:
    sect_pr = section._sectPr  # type: ignore[attr-defined]
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    # A line grid of 22 lines. The 28 characters come from the condensed character spacing
    # of the body (``char_spacing_twips``): a character grid (linesAndChars with charSpace)
    # is honoured by Word but makes LibreOffice put each 16 pt glyph in two 15.79 pt cells.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(line_pitch_twips()))


def _page_number(paragraph: DocxParagraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """ "— N —" in 4号 宋体 with a PAGE field, one character in from the outer edge."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(14)
    else:
        fmt.left_indent = Pt(14)
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
            continue
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
        if kind == "separate":
            shown = OxmlElement("w:t")
            shown.text = "1"
            run._r.append(shown)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        set_fonts(r, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _document_defaults(doc: object) -> None:
    """docDefaults: 3号 仿宋_GB2312. The document grid's character pitch counts from this size."""
    styles = doc.styles.element  # type: ignore[attr-defined]
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    for tag in ("w:rFonts", "w:spacing", "w:sz", "w:szCs", "w:lang"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), BODY_FONT)
    rpr.append(fonts)  # the schema's order: rFonts, spacing, sz, szCs, lang
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(char_spacing_twips()))
    rpr.append(spacing)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
        rpr.append(size)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def _even_and_odd_footers(doc: object) -> None:
    settings = doc.settings.element  # type: ignore[attr-defined]
    if settings.find(qn("w:evenAndOddHeaders")) is None:
        settings.append(OxmlElement("w:evenAndOddHeaders"))


def official_document(title: str, author: str) -> Any:
    """A new document in the layout above: the body style, the title, heading and signature
    styles (``STYLE_*``), A4 with the margins and the line grid, page numbers on the outside."""
    doc = Document()
    _document_defaults(doc)
    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT, BODY_SIZE)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line_pitch_twips() / 20)
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = BODY_SIZE * 2
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    style = paragraph_style(doc, STYLE_TITLE, TITLE_FONT, TITLE_SIZE)
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style.paragraph_format.first_line_indent = Pt(0)
    paragraph_style(doc, STYLE_HEADING1, HEADING1_FONT, BODY_SIZE)
    paragraph_style(doc, STYLE_HEADING2, HEADING2_FONT, BODY_SIZE)
    sign = paragraph_style(doc, STYLE_SIGNATURE, BODY_FONT, BODY_SIZE)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.first_line_indent = Pt(0)

    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.footer_distance = Mm(28) - Mm(7)  # the number's line sits ~7 mm below the block
    _grid(section)
    _even_and_odd_footers(doc)
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    core = doc.core_properties
    core.title = title
    core.author = author
    core.language = "zh-CN"
    return doc


def chinese_date(day: dt.date) -> str:
    """2025年3月31日 (the signature's date, in Arabic numerals as GB/T 9704 allows): the
    public's date (core.dates)."""
    return public_date(day)


def add_signature(doc: Any, issuer: str, day: dt.date) -> None:
    """The issuing organ and the date at the end: the date four characters in from the right,
    the organ centred on it (GB/T 9704 7.3.5.1)."""
    doc.add_paragraph("")
    doc.add_paragraph("")
    organ = doc.add_paragraph(issuer, style=STYLE_SIGNATURE)
    organ.paragraph_format.keep_with_next = True  # the organ and its date on one page
    date = doc.add_paragraph(chinese_date(day), style=STYLE_SIGNATURE)
    date.paragraph_format.right_indent = BODY_SIZE * 4
    chars = 4 + (len(chinese_date(day)) - len(issuer)) / 2
    organ.paragraph_format.right_indent = Pt(max(0.0, BODY_SIZE.pt * chars))


def to_bytes(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
