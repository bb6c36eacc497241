"""The report as one self-contained html page: every figure links to the records behind it.

``links="drill"`` (the workbench, the command): each figure links to the indicator
dashboard's drill-down (``indicators:drill``) for the report's scope, year and cut-off, last
year's figures to last year's list. ``links="anchor"`` (the public site): each figure links to
its row in the page's own table of figures (label, definition, value, as-of), as the records
are not public. Charts (``fazhi.reports.charts``) are inline SVG; the page loads nothing else.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from fazhi.reports.assembly import AnnualReport, Figure
from fazhi.reports.placeholders import Paragraph, Piece
from fazhi.reports.renderers.base import Links


def drill_url(report: AnnualReport, code: str, year: int) -> str:
    as_of = report.as_of if year == report.year else report.figure(code, year).as_of
    query = urlencode({"org": report.org.pk, "year": year, "as_of": as_of.isoformat()})
    return f"{reverse('indicators:drill', args=[code])}?{query}"


def anchor(code: str, year: int) -> str:
    return f"fig-{year}-{code.replace('.', '-')}"


def _piece(report: AnnualReport, piece: Piece, links: Links) -> SafeString:
    if piece.todo:
        return format_html('<mark class="todo" title="待撰写">{}</mark>', piece.text)
    if not piece.is_figure:
        return format_html("{}", piece.text)
    year = piece.year or report.year
    if piece.pending:
        reasons = "；".join(
            f"{c}：{report.figure(c, year).indicator.pending}" for c in piece.pending
        )
        return format_html('<mark class="pending" title="{}">{}</mark>', reasons, piece.text)
    figures = [report.figure(c, year) for c in piece.codes]
    title = "；".join(
        f"{f.indicator.label}（{f.code}，{year}年，截止{f.as_of.isoformat()}）" for f in figures
    )
    code = piece.codes[0]
    if links == "drill":
        href = drill_url(report, code, year)
    elif links == "anchor":
        href = "#" + anchor(code, year)
    else:
        return format_html('<span class="figure" title="{}">{}</span>', title, piece.text)
    return format_html(
        '<a class="figure" href="{}" title="{}" data-code="{}">{}</a>',
        href,
        title,
        ",".join(piece.codes),
        piece.text,
    )


def paragraph_html(report: AnnualReport, paragraph: Paragraph, links: Links) -> SafeString:
    return mark_safe("".join(_piece(report, p, links) for p in paragraph))  # noqa: S308  escaped  # nosec B308 B703


def figure_rows(report: AnnualReport, links: Links) -> list[dict[str, object]]:
    """The figures the texts use, this year's then last year's, for the table at the end."""
    used: list[Figure] = []
    seen: set[tuple[str, int]] = set()
    for sec in report.sections:
        for para in sec.paragraphs:
            for piece in para:
                for code in piece.codes:
                    key = (code, piece.year or report.year)
                    if key not in seen:
                        seen.add(key)
                        used.append(report.figure(*key))
    return [
        {
            "figure": f,
            "anchor": anchor(f.code, f.year),
            "href": drill_url(report, f.code, f.year) if links == "drill" and f.computed else "",
        }
        for f in sorted(used, key=lambda f: (-f.year, 0))
    ]


REPORT_CSS = Path(__file__).resolve().parent.parent / "static" / "reports" / "report.css"


def render_html(report: AnnualReport, *, links: Links = "drill", with_charts: bool = True) -> str:
    """The report as one self-contained html document (a download: its stylesheet inline,
    its charts inline SVG; nothing loaded). The site's own pages link the stylesheet and show
    the charts as images instead (Content-Security-Policy: fazhi/core/csp.py)."""
    context = html_context(report, links=links, with_charts=with_charts)
    context["standalone"] = True
    context["inline_css"] = REPORT_CSS.read_text(encoding="utf-8")
    return render_to_string("reports/annual.html", context)


def html_context(
    report: AnnualReport, *, links: Links = "drill", with_charts: bool = True
) -> dict[str, object]:
    """What ``reports/_report.html`` shows (the public page includes it in the site's frame)."""
    from fazhi.core.officialdoc import chinese_date
    from fazhi.reports.charts import ChartsUnavailableError, chart_data, draw

    chart_list = []
    chart_note = ""
    if with_charts:
        try:
            data = report.charts
            if data is None:  # a draft: from the records now
                data = chart_data(report.org, report.year, report.as_of)
            chart_list = draw(report.year, data) if data else []  # issued before charts froze
        except ChartsUnavailableError as exc:
            chart_note = str(exc)
    sections = [
        {
            "sec": sec,
            "paragraphs": [paragraph_html(report, p, links) for p in sec.paragraphs],
        }
        for sec in report.sections
    ]
    return {
        "report": report,
        "title": report.title,
        "sections": sections,
        "figures": figure_rows(report, links),
        "charts": chart_list,
        "chart_note": chart_note,
        "date": chinese_date(report.date),
        "failures": report.failures,
    }
