"""The workbench's pages of a background job: its progress while it runs, then its result
and its file. Only the jobs ``fazhi.core.tasks.jobs_for`` gives the user; 404 otherwise."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views import View

from fazhi.core.models import Job
from fazhi.core.tasks import jobs_for, live
from fazhi.core.views import StaffRequiredMixin


def _job(request: HttpRequest, pk: int) -> Job:
    return get_object_or_404(jobs_for(request.user).select_related("created_by"), pk=pk)


def job_context(job: Job) -> dict[str, Any]:
    done, total = live(job)
    percent = round(100 * done / total) if total else None
    return {"job": job, "done": done, "total": total, "percent": percent}


class JobDetailView(StaffRequiredMixin, View):
    """The job's page; htmx asks for its status part every second until it has finished."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        job = _job(request, kwargs["pk"])
        template = (
            "core/_job_status.html" if getattr(request, "htmx", False) else "core/job_detail.html"
        )
        return TemplateResponse(request, template, job_context(job))


class JobListView(StaffRequiredMixin, View):
    """My recent jobs (every job for administrators and the rule-of-law office)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        jobs = jobs_for(request.user).select_related("created_by")[:100]
        return TemplateResponse(request, "core/job_list.html", {"jobs": jobs})


class JobOutputView(StaffRequiredMixin, View):
    """The job's result file (an export, a report, the rejected lines of an import)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        job = _job(request, kwargs["pk"])
        if not job.output_file:
            raise Http404("这个任务没有结果文件。")
        try:
            handle = job.output_file.open("rb")
        except FileNotFoundError:
            raise Http404("结果文件已不存在。") from None
        return FileResponse(handle, as_attachment=True, filename=job.output_name or "结果")
