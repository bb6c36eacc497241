"""The report as Markdown: headings by level, paragraphs as written, issuer and date at the end."""

from __future__ import annotations

from fazhi.reports.assembly import AnnualReport
from fazhi.reports.placeholders import plain_text


def render_md(report: AnnualReport) -> str:
    from fazhi.core.officialdoc import chinese_date

    organ, title = report.title
    lines = [f"# {organ}", f"# {title}", ""]
    for section in report.sections:
        if section.heading:
            lines += [f"{'#' * (section.spec.level + 1)} {section.heading}", ""]
        for paragraph in section.paragraphs:
            lines += [plain_text(paragraph), ""]
    lines += ["", report.issuer, "", chinese_date(report.date), ""]
    if not report.frozen:
        lines += [f"<!-- 数字统计截止 {report.as_of.isoformat()}；草稿，未印发 -->", ""]
    return "\n".join(lines)
