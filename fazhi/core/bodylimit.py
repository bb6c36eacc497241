"""The largest request body the site reads, per path, refused before anything reads it.

gunicorn limits the request line and headers (fazhi/gunicorn_conf.py) but not the body, and
Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not count uploaded files, which it streams to
disk. This middleware answers 413 to a body announced larger than the path allows, and 411 to
a body without a length (chunked), so that no request can fill the disk:

- the workbench's import page: ``FAZHI_MAX_IMPORT_BYTES`` (an import file);
- everything else: the larger of ``FAZHI_MAX_BODY_BYTES`` and ``FAZHI_MAX_ATTACHMENT_BYTES``;

each with 1 MiB more for the form's other fields and the multipart framing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from fazhi.core.errorpages import MESSAGES

SLACK = 1024 * 1024
IMPORT_PATHS = ("/workbench/io/import/",)


def limit_for(path: str) -> int:
    if path in IMPORT_PATHS:
        return int(settings.FAZHI_MAX_IMPORT_BYTES) + SLACK
    return (
        max(int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), int(settings.FAZHI_MAX_ATTACHMENT_BYTES))
        + SLACK
    )


def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/") or request.path.startswith("/open311/"):
        code = MESSAGES.get(status, ("", "", "BAD_REQUEST"))[2]  # the API's ErrorCode values
        return JsonResponse(
            {"detail": message, "field": None, "code": code},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        length_text = meta.get("CONTENT_LENGTH") or ""
        if "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower() and not length_text:
            return _refuse(
                request, 411, "请求须注明长度（Content-Length），不接受分块传输的请求体。"
            )
        try:
            length = int(length_text) if length_text else 0
        except ValueError:
            return _refuse(request, 400, "请求头 Content-Length 无效。")
        limit = limit_for(request.path)
        if length > limit:
            return _refuse(
                request,
                413,
                f"请求过大：{length // (1024 * 1024)} MB，本页面最多接受 {limit // (1024 * 1024)} MB。",
            )
        return self.get_response(request)
