"""Background jobs of the annual report (the job queue: fazhi.core.tasks, run by fazhi worker).

- ``reports.render``: the live draft of a report in one format, as the job's output file;
- ``reports.issue_pdf``: the pdf of an issued version (its frozen figures), kept with the issue
  for the public site's download.
"""

from __future__ import annotations

import contextlib

from django.core.files.base import ContentFile

from fazhi.core.storage import StorageUnavailable, store
from fazhi.core.tasks import JobContext, JobError, handler
from fazhi.reports import drafting, services
from fazhi.reports.models import Report, ReportIssue
from fazhi.reports.renderers import FORMATS, RendererUnavailableError, file_name, render


@handler("reports.render")
def render_report(ctx: JobContext) -> None:
    params = ctx.job.params
    report = Report.objects.select_related("org").filter(pk=params.get("report")).first()
    fmt = str(params.get("format", ""))
    if report is None or fmt not in FORMATS:
        raise JobError("报告或格式无效。")
    ctx.progress(0, 2)
    assembled = drafting.draft_of(report)
    ctx.progress(1, 2)
    try:
        data = render(assembled, fmt)
    except RendererUnavailableError as exc:
        raise JobError(str(exc)) from None
    ctx.save_output(file_name(assembled, fmt), data)
    ctx.progress(2, 2, force=True)
    ctx.result["placeholders"] = len(assembled.placeholders)
    ctx.message = f"已生成{report.year}年度报告（{fmt}）。"


@handler("reports.issue_pdf")
def issue_pdf(ctx: JobContext) -> None:
    issue = (
        ReportIssue.objects.select_related("report", "report__org")
        .filter(pk=ctx.job.params.get("issue"))
        .first()
    )
    if issue is None:
        raise JobError("没有找到该印发版本。")
    ctx.progress(0, 1)
    assembled = services.issued(issue, public=True)  # the pdf the public site offers
    try:
        data = render(assembled, "pdf")
    except RendererUnavailableError as exc:
        raise JobError(str(exc)) from None
    name = file_name(assembled, "pdf")
    try:
        store(issue.pdf, name, ContentFile(data), what="印发版 PDF")
        ctx.save_output(name, data)
    except (StorageUnavailable, JobError) as exc:  # nothing half-written: the issue keeps no pdf
        if issue.pdf.name:
            with contextlib.suppress(OSError):
                issue.pdf.delete(save=False)
        raise JobError(str(exc)) from None
    issue.save(update_fields=["pdf"])
    ctx.progress(1, 1, force=True)
    ctx.message = "印发版 PDF 已生成，门户网站可下载。"
