"""What every API view shares: authentication, body limits, the one error shape, idempotency."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from fazhi.api import idempotency
from fazhi.api.errors import ErrorCode, api_exception_handler, error_body, too_large
from fazhi.api.permissions import IsStaffMember
from fazhi.api.serializers import ErrorSerializer
from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.procedures.errors import InvalidData
from fazhi.procedures.services import resolve_org

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass

JSON_BODY_LIMIT = 1024 * 1024  # a matter's text fields are at most a few tens of KB
MULTIPART_OVERHEAD = 64 * 1024

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "可选。同一账号以相同的键重发同一请求，返回首次的结果而不会重复登记（24小时内有效）；"
        "相同的键用于不同的请求返回 422。"
    ),
)
ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer, description="输入有误：detail 说明原因，field 指出字段。"
    ),
    403: OpenApiResponse(ErrorSerializer, description="无权执行。"),
    404: OpenApiResponse(ErrorSerializer, description="不存在，或不在您的范围内。"),
}


class Pagination(PageNumberPagination):
    """50 a page; a page that does not exist is a 400 naming ``page`` (DRF answers 404)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "页码无效：{message}"
    page_query_description = "页码，从 1 起。"
    page_size_query_description = "每页条数，1 至 200，默认 50。"

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError({"page": [str(exc.detail)]}) from None

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for p in parameters:
            p["schema"]["minimum"] = 1
            if p["name"] == self.page_size_query_param:
                p["schema"]["maximum"] = self.max_page_size
        return parameters


def reject_nul(value: Any, where: str = "") -> None:
    """PostgreSQL cannot store U+0000 in text; refuse it with a message instead of a 500."""
    if isinstance(value, str):
        if "\x00" in value:
            raise exceptions.ParseError(f"“{where or '请求'}”含有空字符（U+0000）。")
    elif isinstance(value, Mapping):
        for k, v in value.items():
            reject_nul(str(k), where)
            reject_nul(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            reject_nul(v, f"{where}[{i}]")


class ApiMixin:
    """Authentication, the staff permission, body limits and the one error shape."""

    authentication_classes: Sequence[type[BaseAuthentication]] = (
        TokenAuthentication,
        SessionAuthentication,
    )
    permission_classes: Sequence[_PermissionClass] = (IsStaffMember,)
    pagination_class: type[BasePagination] | None = Pagination
    body_limit = JSON_BODY_LIMIT

    def get_exception_handler(self) -> Callable[..., Response | None]:
        return api_exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        for name, values in request.query_params.lists():
            for v in values:
                reject_nul(v, name)
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                raise exceptions.ParseError("请求头 Content-Length 无效。") from None
            if length > self.body_limit:
                raise too_large(self.body_limit)
            data: Any = request.data
            if not hasattr(data, "getlist"):
                reject_nul(data)
            else:
                for name, values in data.lists():
                    for v in values:
                        if isinstance(v, str):
                            reject_nul(v, name)

    def today(self) -> dt.date:
        return clock.today()


def _owner(request: Request) -> str:
    return f"user:{request.user.pk}"


def _request_hash(request: Request) -> str:
    data: Any = request.data
    items: list[tuple[str, Any]]
    if hasattr(data, "lists"):
        items = [(k, v if len(v) != 1 else v[0]) for k, v in data.lists()]
    elif isinstance(data, Mapping):
        items = list(data.items())
    else:
        items = [("", data)]
    items.append(("?", request.META.get("QUERY_STRING", "")))
    return idempotency.fingerprint(request.method or "POST", request.path, items)


def _encode(response: Response) -> idempotency.Answer:
    body = json.dumps(response.data, cls=JSONEncoder, ensure_ascii=False)
    return idempotency.Answer(response.status_code, body, "application/json")


def _replay(answer: idempotency.Answer) -> Response:
    return Response(
        json.loads(answer.body), status=answer.status, headers={"Idempotent-Replayed": "true"}
    )


def idempotent(request: Request, handler: Callable[[], Response]) -> Response:
    """Run a creating request at most once per the request's Idempotency-Key."""
    try:
        key = idempotency.key_from(request.headers)
        return idempotency.run(
            key=key,
            owner=_owner(request),
            method=request.method or "POST",
            path=request.path,
            request_hash=_request_hash(request) if key else "",
            handler=handler,
            encode=_encode,
            replay=_replay,
        )
    except idempotency.IdempotencyProblem as problem:
        return Response(
            error_body(problem.message, "Idempotency-Key", ErrorCode.IDEMPOTENCY_KEY),
            status=problem.status,
        )


def org_of(value: str | None, user: Any, field: str = "org") -> OrgUnit:
    """The org unit named by ``value``, or the user's own unit."""
    if value:
        return resolve_org(value, field=field)
    profile = getattr(user, "profile", None)
    if profile is None:
        raise InvalidData("请指明机构（org）：您的账号没有所在机构。", field=field)
    org: OrgUnit = profile.org
    return org


def validated(serializer_class: type[Any], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    result: dict[str, Any] = serializer.validated_data
    return result
