"""Every error answer of the site in plain Chinese: 400, 403 (CSRF included), 404, 500, 503.

People get a page in the site's layout (``400.html`` … ``503.html``; the workbench's layout on
the workbench for a signed-in user); programs get their own shape: ``/api/`` a JSON error body,
``/open311/`` the Open311 error list (JSON or XML). The API and Open311 register how their
errors look (``machine_errors``, from their ``AppConfig.ready``), so this module imports
neither.

A database that is away or locked (``OperationalError``, ``InterfaceError``) answers 503 with
``Retry-After``, never a bare 500: ``DatabaseFaultMiddleware`` catches it in a view, the 500
handler anywhere else (a middleware's query). Pages answered while the database is down are
rendered without the request, so that no context processor touches the database again.

``urls.py`` names the handlers (``handler400`` …), ``CSRF_FAILURE_VIEW`` names
``csrf_failure``. Nothing here ever mentions DEBUG.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger("fazhi.errors")

RETRY_AFTER_SECONDS = 30  # a locked SQLite file frees in seconds; a restarted server in tens
DATABASE_FAULTS = (OperationalError, InterfaceError)

# (path prefix, renderer(request, status, detail, code) -> response), in registration order
MachineRenderer = Callable[[HttpRequest, int, str, str], HttpResponse]
_machine: list[tuple[str, MachineRenderer]] = []

MESSAGES: dict[int, tuple[str, str, str]] = {
    # status: (title, message, code)
    400: ("请求无法处理", "请求无法处理，请返回上一页检查填写的内容后重新提交。", "BAD_REQUEST"),
    403: ("无权访问", "您没有权限访问这个页面。如需访问，请联系本单位的系统管理员。", "FORBIDDEN"),
    413: (
        "提交的内容过大",
        "提交的内容超过了服务器允许的上限，请删减内容或压缩附件后重新提交。",
        "PAYLOAD_TOO_LARGE",
    ),
    404: ("页面不存在", "您要找的页面不存在，或您无权查看。请检查网址是否正确。", "NOT_FOUND"),
    500: (
        "服务器内部错误",
        "服务器处理请求时出错，错误已记录。请稍后重试；如果一再出现，请联系系统管理员。",
        "SERVER_ERROR",
    ),
    503: (
        "服务暂时不可用",
        "数据库暂时无法访问（正在维护或负载过高），请稍后重试。如果您正在提交内容，本次提交没有保存。",
        "SERVICE_UNAVAILABLE",
    ),
}
CSRF_MESSAGE = (
    "页面已过期或浏览器没有发送安全校验信息（CSRF），为保护您的账户，本次提交未被处理。"
    "请返回上一页，刷新后重新提交；如果一再出现，请确认浏览器允许本站的 Cookie。"
)
CSRF_API_MESSAGE = (
    "CSRF 校验失败：以登录会话调用接口时须带 X-CSRFToken 请求头；程序调用请使用令牌认证"
    "（Authorization: Token …）。"
)


def machine_errors(prefix: str, renderer: MachineRenderer) -> None:
    """Errors under ``prefix`` are answered by ``renderer`` (a program's format), not a page."""
    if all(p != prefix for p, _ in _machine):
        _machine.append((prefix, renderer))


def for_programs(request: HttpRequest) -> bool:
    """True where errors are answered in a program's format (the API, Open311)."""
    return _renderer_for(request) is not None


def _renderer_for(request: HttpRequest) -> MachineRenderer | None:
    path = request.path_info or request.path
    for prefix, renderer in _machine:
        if path.startswith(prefix):
            return renderer
    return None


def _layout(request: HttpRequest | None) -> str:
    if request is not None and request.path.startswith("/workbench/"):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return "fazhi/staff_base.html"
    return "fazhi/public_base.html"


def error_response(
    request: HttpRequest,
    status: int,
    message: str | None = None,
    *,
    template: str | None = None,
    title: str | None = None,
    with_request: bool = True,
) -> HttpResponse:
    """The error ``status`` for ``request``: a program's format under a registered prefix,
    otherwise the page ``<status>.html`` (``with_request=False``: without context processors)."""
    default_title, default, code = MESSAGES[status]
    detail = message or default
    renderer = _renderer_for(request)
    if renderer is not None:
        response = renderer(request, status, detail, code)
    else:
        context: dict[str, Any] = {
            "title": title or default_title,
            "message": detail,
            "status": status,
            "site_name": settings.FAZHI_SITE_NAME,
            "layout": _layout(request if with_request else None),
        }
        page = loader.get_template(template or f"{status}.html")
        body = page.render(context, request if with_request else None)
        response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def database_unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    logger.error("数据库暂时不可用：%s %s（%s）", request.method, request.path, exc, exc_info=exc)
    return error_response(request, 503, with_request=False)


# --- the handlers named in urls.py and settings -------------------------------------------


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return error_response(
            request, 400, "提交的字段或文件数量过多，请返回上一页检查后重新提交。"
        )
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1048576
        return error_response(request, 413, f"请求内容过大：上限为 {limit:.0f} MB。")
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403; a ``PermissionDenied`` raised with a Chinese reason shows that reason."""
    reason = str(exception or "")
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in reason)
    return error_response(request, 403, reason if chinese else None)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler; a database fault outside any view (a middleware's query) is a 503."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_FAULTS):
        return error_response(request, 503, with_request=False)
    return error_response(request, 500, with_request=False)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: Django's page says "set DEBUG=True"; this one says what to do."""
    logger.warning("CSRF 校验失败：%s %s（%s）", request.method, request.path, reason)
    if _renderer_for(request) is not None:
        return error_response(request, 403, CSRF_API_MESSAGE)
    return error_response(
        request, 403, CSRF_MESSAGE, template="403_csrf.html", title="安全校验失败，提交未被处理"
    )


class DatabaseFaultMiddleware:
    """A view's ``OperationalError`` / ``InterfaceError`` answers 503 with ``Retry-After``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_FAULTS):
            return database_unavailable(request, exception)
        return None
