"""Every API error as ``{"detail": "<Chinese message>", "field": "<input name>" | null,
"code": "<ErrorCode>"}``.

``code`` is stable (``ErrorCode``, after Saleor's error-code enums): a client branches on it,
never on the Chinese text, which may be reworded. Engine errors (``ProcedureError``) keep their message and field: ``NotAllowed`` is 403, the
rest 400. Serializer errors name their first field and keep the full list under ``errors``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from fazhi.core import errorpages
from fazhi.procedures.errors import (
    DuplicateMatter,
    InvalidData,
    InvalidDate,
    InvalidTransition,
    MissingData,
    NotAllowed,
    ProcedureError,
    StorageUnavailable,
    UnknownAction,
    UnknownProcedure,
)


class ErrorCode(StrEnum):
    """The stable code of every API error (the body's ``code``). Add members; never rename."""

    INVALID = "INVALID"  # a value is wrong (the field says which)
    REQUIRED = "REQUIRED"  # a required value is missing
    INVALID_DATE = "INVALID_DATE"  # a date is malformed, out of range or out of order
    INVALID_TRANSITION = "INVALID_TRANSITION"  # the matter's state (or the action's guard)
    NOT_ALLOWED = "NOT_ALLOWED"  # the engine refuses this user (role or unit)
    DUPLICATE = "DUPLICATE"  # the reference exists already
    UNKNOWN_PROCEDURE = "UNKNOWN_PROCEDURE"
    UNKNOWN_ACTION = "UNKNOWN_ACTION"
    PARSE_ERROR = "PARSE_ERROR"  # the body is not what its content type says
    BAD_REQUEST = "BAD_REQUEST"
    NOT_AUTHENTICATED = "NOT_AUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"  # missing, or outside the user's scope (the same answer)
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    THROTTLED = "THROTTLED"
    IDEMPOTENCY_KEY = "IDEMPOTENCY_KEY"  # a malformed, reused or still-running Idempotency-Key
    SERVER_ERROR = "SERVER_ERROR"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"


# the engine's errors, most specific class first
_PROCEDURE_CODES: tuple[tuple[type[ProcedureError], ErrorCode], ...] = (
    (StorageUnavailable, ErrorCode.SERVICE_UNAVAILABLE),
    (NotAllowed, ErrorCode.NOT_ALLOWED),
    (InvalidTransition, ErrorCode.INVALID_TRANSITION),
    (InvalidDate, ErrorCode.INVALID_DATE),
    (MissingData, ErrorCode.REQUIRED),
    (DuplicateMatter, ErrorCode.DUPLICATE),
    (UnknownProcedure, ErrorCode.UNKNOWN_PROCEDURE),
    (UnknownAction, ErrorCode.UNKNOWN_ACTION),
    (InvalidData, ErrorCode.INVALID),
)

# DRF's exceptions by class; others by status (errorpages.MESSAGES' codes are members too)
_DRF_CODES: tuple[tuple[type[exceptions.APIException], ErrorCode], ...] = (
    (exceptions.NotAuthenticated, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.PermissionDenied, ErrorCode.FORBIDDEN),
    (exceptions.NotFound, ErrorCode.NOT_FOUND),
    (exceptions.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, ErrorCode.NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
    (exceptions.Throttled, ErrorCode.THROTTLED),
    (exceptions.ParseError, ErrorCode.PARSE_ERROR),
)
_REQUIRED_CODES = frozenset({"required", "null", "blank"})  # DRF's codes for a missing value


def procedure_error_code(exc: ProcedureError) -> ErrorCode:
    for kind, code in _PROCEDURE_CODES:
        if isinstance(exc, kind):
            return code
    return ErrorCode.INVALID


def _first_code(detail: Any) -> str | None:
    """DRF's code of the first message of a nested serializer error."""
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_code(value)
    if isinstance(detail, list):
        for value in detail:
            if value:
                return _first_code(value)
    return getattr(detail, "code", None)


def api_exception_code(exc: exceptions.APIException) -> ErrorCode:
    if isinstance(exc, PayloadTooLarge):
        return ErrorCode.PAYLOAD_TOO_LARGE
    if isinstance(exc, exceptions.ValidationError):
        required = _first_code(exc.detail) in _REQUIRED_CODES
        return ErrorCode.REQUIRED if required else ErrorCode.INVALID
    for kind, code in _DRF_CODES:
        if isinstance(exc, kind):
            return code
    known = errorpages.MESSAGES.get(exc.status_code)
    return ErrorCode(known[2]) if known is not None else ErrorCode.BAD_REQUEST


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "请求内容过大。"
    default_code = "payload_too_large"


def too_large(limit: int, what: str = "请求内容") -> PayloadTooLarge:
    if limit >= 1024 * 1024:
        size = f"{limit / 1048576:.0f} MB"
    elif limit >= 1024:
        size = f"{limit // 1024} KB"
    else:
        size = f"{limit} 字节"
    return PayloadTooLarge(f"{what}过大：上限为 {size}。")


def procedure_error_status(exc: ProcedureError) -> int:
    if isinstance(exc, StorageUnavailable):  # the server's fault, passing: try again later
        return status.HTTP_503_SERVICE_UNAVAILABLE
    return status.HTTP_403_FORBIDDEN if isinstance(exc, NotAllowed) else status.HTTP_400_BAD_REQUEST


def error_body(
    detail: str, field: str | None = None, code: str = ErrorCode.INVALID, **extra: Any
) -> dict[str, Any]:
    return {"detail": detail, "field": field, "code": str(code), **extra}


def procedure_error_response(exc: ProcedureError) -> Response:
    response = Response(
        error_body(exc.message, exc.field, procedure_error_code(exc)),
        status=procedure_error_status(exc),
    )
    if isinstance(exc, StorageUnavailable):
        response["Retry-After"] = "300"
    return response


def _first(detail: Any, path: str = "") -> tuple[str, str | None]:
    """The first message of a nested serializer error, and the dotted field it belongs to."""
    if isinstance(detail, dict):
        for name, value in detail.items():
            sub = name if not path else f"{path}.{name}"
            if name == "non_field_errors":
                sub = path
            message, field = _first(value, sub)
            return message, field
    if isinstance(detail, list) and detail:
        if all(not isinstance(d, dict | list) for d in detail):
            return str(detail[0]), path or None
        for i, value in enumerate(detail):
            if value:
                return _first(value, f"{path}[{i}]" if path else str(i))
    return str(detail), path or None


# DRF messages its translations leave in English, by their text
_ENGLISH = {
    "No data provided": "未提供数据：请求内容应为一个 JSON 对象。",
}


def _chinese(detail: Any) -> Any:
    """``detail`` with DRF's untranslated messages in Chinese (their codes kept)."""
    if isinstance(detail, exceptions.ErrorDetail) and str(detail) in _ENGLISH:
        return exceptions.ErrorDetail(_ENGLISH[str(detail)], code=detail.code)
    if isinstance(detail, dict):
        return {k: _chinese(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_chinese(v) for v in detail]
    return detail


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with the engine's errors and one body shape for every error."""
    if isinstance(exc, ProcedureError):
        return procedure_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge("请求内容过大，超过了服务器允许的上限。")
    elif isinstance(exc, TooManyFieldsSent):
        exc = exceptions.ParseError("请求包含的字段过多。")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到，或您无权查看。")
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        exc = exceptions.PermissionDenied(errorpages.CSRF_API_MESSAGE)  # SessionAuthentication's
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = _chinese(response.data)
    if isinstance(exc, exceptions.APIException):
        code: str = api_exception_code(exc)
    else:
        code = errorpages.MESSAGES.get(response.status_code, ("", "", "BAD_REQUEST"))[2]
    if isinstance(exc, exceptions.ValidationError):
        message, field = _first(data)
        label = f"“{field}”：" if field else ""
        response.data = error_body(f"{label}{message}", field, code, errors=data)
    elif isinstance(data, dict) and "detail" in data:
        response.data = error_body(str(data["detail"]), None, code)
    else:
        message, field = _first(data)
        response.data = error_body(message, field, code)
    return response


def register_error_formats() -> None:
    """The API's and Open311's errors outside a view (unknown URL, CSRF, database down, 500)
    in their own format rather than as a page (``fazhi.core.errorpages``)."""
    from fazhi.api.open311_views import error as open311_error

    def api(request: HttpRequest, status_code: int, detail: str, code: str) -> HttpResponse:
        return JsonResponse(
            error_body(detail, None, code=code),
            status=status_code,
            json_dumps_params={"ensure_ascii": False},
        )

    def open311(request: HttpRequest, status_code: int, detail: str, code: str) -> HttpResponse:
        fmt = "xml" if request.path.endswith(".xml") else "json"
        return open311_error(fmt, status_code, detail)

    errorpages.machine_errors("/api/", api)
    errorpages.machine_errors("/open311/", open311)
