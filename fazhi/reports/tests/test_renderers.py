"""The renderers: docx in the GB/T 9704 layout (read back), pdf (text extracted), html links."""

import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fazhi.procedures.services import act
from fazhi.procedures.tests.factories import make_matter
from fazhi.reports import charts
from fazhi.reports.assembly import assemble
from fazhi.reports.renderers import RendererUnavailableError, render
from fazhi.reports.renderers.pdf import soffice

D = dt.date
TODAY = D(2025, 6, 30)


@pytest.fixture
def report(district, users):
    a, s = district["a"], users["staff_a"]
    for day in (D(2024, 3, 4), D(2024, 5, 6), D(2024, 5, 20)):
        m = make_matter("business_complaint", a, s, day, today=TODAY)
        act(m, "accept", s, day + dt.timedelta(days=1), today=TODAY)
    m = make_matter("business_complaint", a, s, D(2024, 6, 3), today=TODAY)
    act(m, "refuse", s, D(2024, 6, 4), today=TODAY, reason="不属于受理范围")
    return assemble(district["root"], 2024, date=D(2025, 3, 20))


def mm(length):
    return round(length / Mm(1), 1)


def east_asian_font(element):
    fonts = element.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_docx_has_the_gbt_9704_page_fonts_and_sizes(report):
    doc = Document(io.BytesIO(render(report, "docx")))
    section = doc.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert mm(section.top_margin) == 37.0
    assert mm(section.bottom_margin) == 35.0
    assert mm(section.left_margin) == 28.0
    assert mm(section.right_margin) == 26.0
    grid = section._sectPr.find(qn("w:docGrid"))
    # 22 lines: the line pitch is the 225 mm text block over 22
    assert round(int(grid.get(qn("w:linePitch"))) / 20 * 22 / 72 * 25.4) == 225

    paragraphs = doc.paragraphs
    title = paragraphs[:2]
    assert [p.text for p in title] == ["测试区人民政府", "关于2024年度法治政府建设情况的报告"]
    for p in title:
        assert p.style.font.size == Pt(22)  # 2号
        assert east_asian_font(p.style) == "方正小标宋简体"
        assert p.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = next(p for p in paragraphs if "接到营商环境投诉举报案件4件" in p.text)
    assert body.style.name == "Normal"
    assert body.style.font.size == Pt(16)  # 3号
    assert east_asian_font(body.style) == "仿宋_GB2312"
    assert body.style.paragraph_format.first_line_indent == Pt(32)  # two characters
    # 28 characters a line: 16 pt glyphs condensed to the 156 mm / 28 pitch
    spacing = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:spacing"))
    pitch = 16 + int(spacing.get(qn("w:val"))) / 20
    assert int(156 / 25.4 * 72 / pitch) == 28
    h1 = next(p for p in paragraphs if p.text == "二、存在的问题和不足")
    assert east_asian_font(h1.style) == "黑体" and h1.style.font.size == Pt(16)
    h2 = next(p for p in paragraphs if p.text.startswith("（六）"))
    assert east_asian_font(h2.style) == "楷体_GB2312" and h2.style.font.size == Pt(16)
    # the issuing organ and the date at the end, right-aligned, the date four characters in
    organ, date = paragraphs[-2], paragraphs[-1]
    assert (organ.text, date.text) == ("测试区人民政府", "2025年3月20日")
    assert date.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent == Pt(64)

    # page numbers "— N —" in 4号 宋体, outside: right on odd pages, left on even pages
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer, align in ((odd, WD_ALIGN_PARAGRAPH.RIGHT), (even, WD_ALIGN_PARAGRAPH.LEFT)):
        assert footer.alignment == align
        assert re.fullmatch(r"— 1 —", footer.text)
        assert " PAGE " in footer._p.xml
        for run in footer.runs:
            assert run.font.size == Pt(14)
            assert east_asian_font(run) == "宋体"


def test_no_pdf_renderer_says_what_to_install(report, monkeypatch):
    monkeypatch.setenv("FAZHI_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(RendererUnavailableError, match="apt-get install -y libreoffice-writer"):
        render(report, "pdf")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed (.ci/run installs it)")
def test_pdf_from_the_docx_has_the_text_and_a4_pages(report):
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(render(report, "pdf")))
    page = pdf.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = "".join(p.extract_text() for p in pdf.pages)
    flat = re.sub(r"\s+", "", text)
    assert "关于2024年度法治政府建设情况的报告" in flat
    # pypdf may drop a comma hanging at a line's end: compare without commas
    assert "接到营商环境投诉举报案件4件区分非受理范围1件受理范围3件" in flat.replace("，", "")
    assert "聘任0名营商环境监督员" in flat  # computed: the test district has no supervisors
    assert "—1—" in flat
    assert "测试区人民政府2025年3月20日" in flat


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "figure" in (attrs.get("class") or ""):
            self._open = attrs

    def handle_data(self, data):
        if self._open is not None:
            self.figures.append((self._open["href"], self._open["data-code"], data))
            self._open = None


def test_html_links_every_figure_to_its_drill_down(report, district):
    html = render(report, "html").decode()
    parser = Links()
    parser.feed(html)
    # a placeholder of several figures ({{ a, b|all:均为 }}) is one link naming them all
    by_code = {c: (href, text) for href, codes, text in parser.figures for c in codes.split(",")}
    href, text = by_code["business_complaint.received"]
    assert text == "4"
    root = district["root"].pk
    assert href == (
        f"/workbench/indicators/business_complaint.received/?org={root}&year=2024&as_of=2024-12-31"
    )
    # every computed figure of the texts is a link; the pending ones are marked, not linked
    used = {c for s in report.sections for p in s.paragraphs for x in p for c in x.codes}
    computed = {c for c in used if report.figures[c].computed}
    assert computed <= set(by_code)
    for code in sorted(c for c in used if not report.figures[c].computed):
        assert '<mark class="pending"' in html and f"【待补：{code}】" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html


def test_public_html_links_figures_to_the_page_table(report):
    html = render(report, "html", links="anchor", with_charts=False).decode()
    assert 'href="#fig-2024-business_complaint-received"' in html
    assert 'id="fig-2024-business_complaint-received"' in html
    assert "/workbench/" not in html


def test_charts_need_a_cjk_font(report, monkeypatch):
    try:
        charts.cjk_font()
    except charts.ChartsUnavailableError:
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    chart = charts.month_chart(2024, charts.monthly_by_channel(report.org, 2024, report.as_of))
    assert chart.svg.startswith("<svg")
    assert sum(int(row[-1]) for row in chart.table[1:]) == 4  # 4 complaints, by channel
    monkeypatch.setattr(charts, "CJK_FONTS", ("没有这种字体",))
    html = render(report, "html").decode()
    assert "未找到中文字体，图表从略" in html
