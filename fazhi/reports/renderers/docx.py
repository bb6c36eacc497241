"""The annual report as a .docx in the official layout (``fazhi.core.officialdoc``: GB/T
9704-2012, 党政机关公文格式): its title, its sections with their headings, the issuing organ and
the date."""

from __future__ import annotations

from fazhi.core.officialdoc import (
    STYLE_HEADING1,
    STYLE_HEADING2,
    STYLE_TITLE,
    add_signature,
    official_document,
    to_bytes,
)
from fazhi.reports.assembly import AnnualReport
from fazhi.reports.placeholders import plain_text


def render_docx(report: AnnualReport) -> bytes:
    doc = official_document("".join(report.title), report.issuer)
    for line in report.title:
        doc.add_paragraph(line, style=STYLE_TITLE)
    doc.add_paragraph("")  # one blank line between the title and the body
    for sec in report.sections:
        if sec.heading:
            style = STYLE_HEADING1 if sec.spec.level == 1 else STYLE_HEADING2
            doc.add_paragraph(sec.heading, style=style)
        for paragraph in sec.paragraphs:
            doc.add_paragraph(plain_text(paragraph))
    add_signature(doc, report.issuer, report.date)
    return to_bytes(doc)
