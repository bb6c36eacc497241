"""Renderers of an assembled report: json, md, html, docx (GB/T 9704 layout) and pdf.

``render(report, fmt)`` returns the bytes of one format; ``FORMATS`` lists them with their
file suffixes. The docx and pdf renderers import python-docx and run LibreOffice only when
asked for, so the other formats work without them.
"""

from __future__ import annotations

import json

from fazhi.reports.assembly import AnnualReport
from fazhi.reports.renderers.base import FORMATS, Links, RendererUnavailableError

__all__ = ["FORMATS", "Links", "RendererUnavailableError", "file_name", "render"]


def file_name(report: AnnualReport, fmt: str) -> str:
    code = report.org.division_code or str(report.org.pk)
    return f"法治政府建设年度报告_{code}_{report.year}.{FORMATS[fmt]}"


def render(
    report: AnnualReport, fmt: str, *, links: Links = "drill", with_charts: bool = True
) -> bytes:
    """The bytes of ``fmt``; ``links`` and ``with_charts`` apply to html (see renderers.html)."""
    if fmt == "json":
        return (json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == "md":
        from fazhi.reports.renderers.markdown import render_md

        return render_md(report).encode()
    if fmt == "html":
        from fazhi.reports.renderers.html import render_html

        return render_html(report, links=links, with_charts=with_charts).encode()
    if fmt == "docx":
        from fazhi.reports.renderers.docx import render_docx

        return render_docx(report)
    if fmt == "pdf":
        from fazhi.reports.renderers.pdf import render_pdf

        return render_pdf(report)
    raise ValueError(f"未知的格式“{fmt}”，可用：{'、'.join(FORMATS)}。")
