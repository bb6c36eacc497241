"""Every API error as ``{"detail": "<Chinese message>", "field": "<input name>" | null}``.

Engine errors (``ProcedureError``) keep their message and field: ``NotAllowed`` is 403, the
rest 400. Serializer errors name their first field and keep the full list under ``errors``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from fazhi.procedures.errors import NotAllowed, ProcedureError


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
    return status.HTTP_403_FORBIDDEN if isinstance(exc, NotAllowed) else status.HTTP_400_BAD_REQUEST


def error_body(detail: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "field": field, **extra}


def procedure_error_response(exc: ProcedureError) -> Response:
    return Response(error_body(exc.message, exc.field), status=procedure_error_status(exc))


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
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        message, field = _first(data)
        label = f"“{field}”：" if field else ""
        response.data = error_body(f"{label}{message}", field, errors=data)
    elif isinstance(data, dict) and "detail" in data:
        response.data = error_body(str(data["detail"]), None)
    else:
        message, field = _first(data)
        response.data = error_body(message, field)
    return response
