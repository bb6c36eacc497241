"""The report's drafts and issues: which texts and figures a rendering uses."""

from __future__ import annotations

import datetime as dt

from fazhi.core.models import OrgUnit
from fazhi.core.pii import mask_public, staff_names
from fazhi.reports.assembly import AnnualReport, assemble, figures_from_json
from fazhi.reports.models import Report, ReportIssue, SectionVersion


def find_report(org: OrgUnit, year: int) -> Report | None:
    return Report.objects.filter(org=org, year=year).first()


def draft(
    org: OrgUnit, year: int, as_of: dt.date | None = None, *, date: dt.date | None = None
) -> AnnualReport:
    """The live draft: the stored texts (the template's where none is stored), figures now."""
    report = find_report(org, year)
    texts = report.texts() if report is not None else {}
    if as_of is None and report is not None:
        as_of = report.as_of
    return assemble(org, year, as_of, texts=texts, date=date)


def authors(issue: ReportIssue) -> list[str]:
    """The people the report records (who issued it, who wrote a version of a section): its
    public texts hide their names wherever they stand."""
    users = SectionVersion.objects.filter(section__report=issue.report_id, by__isnull=False)
    rows = set(users.values_list("by__first_name", "by__last_name"))
    if issue.issued_by is not None:
        rows.add((issue.issued_by.first_name, issue.issued_by.last_name))
    return [name for first, last in rows for name in staff_names(first, last)]


def issued(issue: ReportIssue, *, public: bool = False) -> AnnualReport:
    """An issued version exactly as issued: its texts and its frozen figures.

    ``public``: the texts as the public site shows them (the portal's pages and the pdf it
    offers), through the one public masking (``core.pii.mask_public``): a number or a name
    typed into a section never reaches the public unmasked (#19 defect 6).
    """
    report = issue.report
    texts = issue.texts
    if public:
        names = authors(issue)
        texts = {key: mask_public(str(text), names=names) for key, text in texts.items()}
    assembled = assemble(
        report.org,
        report.year,
        texts=texts,
        figures=figures_from_json(issue.figures),
        previous=figures_from_json(issue.previous),
        date=issue.issued_on,
    )
    assembled.charts = issue.charts
    return assembled
