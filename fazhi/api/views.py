"""The staff REST API (/api/v1/): parse input, call the engine, render (STYLE.md).

Every list starts from ``for_user``; every single object comes through
``fazhi.core.scope.get_for_user`` (404 for missing and forbidden alike); every change goes
through the engine (``register_matter``, ``act``, ``add_attachment``, ``record_activity``),
which checks roles and scope and raises ``ProcedureError`` with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework.decorators import action
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from fazhi.api import idempotency
from fazhi.api.errors import api_exception_handler, error_body, too_large
from fazhi.api.permissions import IsStaffMember
from fazhi.api.serializers import (
    ActionRequestSerializer,
    ActionResultSerializer,
    ActionSpecSerializer,
    ActivityCreateSerializer,
    ActivityFilterSerializer,
    ActivitySerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    IndicatorQuerySerializer,
    IndicatorResultSerializer,
    MatterCreateSerializer,
    MatterDetailSerializer,
    MatterFilterSerializer,
    MatterSerializer,
    MeSerializer,
    ProcedureSerializer,
    StepSerializer,
    action_json,
    procedure_json,
)
from fazhi.core import audit, clock
from fazhi.core.models import OrgUnit, Role
from fazhi.core.scope import can_act_on, can_approve, get_for_user, role_of, scope_of
from fazhi.procedures import rules
from fazhi.procedures.activities import record_activity
from fazhi.procedures.attachments import add_attachment, max_attachment_bytes
from fazhi.procedures.declarations import all_procedures, get_procedure
from fazhi.procedures.errors import InvalidData, NotAllowed, ProcedureError
from fazhi.procedures.models import (
    Activity,
    ActivityQuerySet,
    Attachment,
    Matter,
    MatterQuerySet,
    Step,
)
from fazhi.procedures.services import act, register_matter, resolve_org, snapshot_of

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
    400: OpenApiResponse(description="输入有误：detail 说明原因，field 指出字段。"),
    403: OpenApiResponse(description="无权执行。"),
    404: OpenApiResponse(description="不存在，或不在您的范围内。"),
}


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "页码无效：{message}"


def _reject_nul(value: Any, where: str = "") -> None:
    """PostgreSQL cannot store U+0000 in text; refuse it with a message instead of a 500."""
    if isinstance(value, str):
        if "\x00" in value:
            raise exceptions.ParseError(f"“{where or '请求'}”含有空字符（U+0000）。")
    elif isinstance(value, Mapping):
        for k, v in value.items():
            _reject_nul(str(k), where)
            _reject_nul(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _reject_nul(v, f"{where}[{i}]")


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
                _reject_nul(v, name)
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                raise exceptions.ParseError("请求头 Content-Length 无效。") from None
            if length > self.body_limit:
                raise too_large(self.body_limit)
            data: Any = request.data
            if not hasattr(data, "getlist"):
                _reject_nul(data)
            else:
                for name, values in data.lists():
                    for v in values:
                        if isinstance(v, str):
                            _reject_nul(v, name)

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
        return Response(error_body(problem.message, "Idempotency-Key"), status=problem.status)


def _org_of(value: str | None, user: Any, field: str = "org") -> OrgUnit:
    """The org unit named by ``value``, or the user's own unit."""
    if value:
        return resolve_org(value, field=field)
    profile = getattr(user, "profile", None)
    if profile is None:
        raise InvalidData("请指明机构（org）：您的账号没有所在机构。", field=field)
    org: OrgUnit = profile.org
    return org


def _validated(serializer_class: type[Any], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    result: dict[str, Any] = serializer.validated_data
    return result


def _detail_queryset() -> QuerySet[Matter]:
    return Matter.objects.select_related("org").prefetch_related(
        Prefetch("steps", queryset=Step.objects.select_related("matter").order_by("seq")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("step").order_by("pk")),
    )


# --- matters ------------------------------------------------------------------------------


@extend_schema(tags=["事项"])
class MatterViewSet(ApiMixin, viewsets.GenericViewSet[Matter]):
    """Matters in the user's scope: list, read, register, act, attach files."""

    serializer_class = MatterSerializer
    queryset = Matter.objects.none()  # the real querysets come from the user's scope

    def get_queryset(self) -> MatterQuerySet:
        return Matter.objects.for_user(self.request.user).select_related("org")

    def get_matter(self, queryset: QuerySet[Matter] | None = None) -> Matter:
        qs = queryset if queryset is not None else Matter.objects.select_related("org")
        matter: Matter = get_for_user(qs, self.request.user, self.kwargs["pk"])
        return matter

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": self.today()}

    def detail_data(self, matter: Matter) -> dict[str, Any]:
        fresh = _detail_queryset().get(pk=matter.pk)
        return dict(MatterDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="事项列表（本人范围内）",
        parameters=[MatterFilterSerializer],
        responses={200: MatterSerializer(many=True), 400: ERRORS[400]},
    )
    def list(self, request: Request) -> Response:
        f = _validated(MatterFilterSerializer, request.query_params)
        qs = self.get_queryset()
        today = self.today()
        if f.get("procedure"):
            qs = qs.filter(procedure=f["procedure"])
        if f.get("state"):
            qs = qs.filter(state=f["state"])
        if f.get("org"):
            qs = qs.filter(org_id__in=resolve_org(f["org"]).subtree_ids())
        if f.get("overdue") is True:
            qs = qs.overdue(today)
        elif f.get("overdue") is False:
            qs = qs.filter(
                Q(closed_on__isnull=False) | Q(due_on__isnull=True) | Q(due_on__gte=today)
            )
        if f.get("open") is True:
            qs = qs.open()
        elif f.get("open") is False:
            qs = qs.closed()
        if f.get("received_after"):
            qs = qs.filter(received_on__gte=f["received_after"])
        if f.get("received_before"):
            qs = qs.filter(received_on__lte=f["received_before"])
        if f.get("search"):
            term = f["search"].strip()
            qs = qs.filter(
                Q(reference__icontains=term)
                | Q(subject__icontains=term)
                | Q(party_name__icontains=term)
            )
        page = self.paginate_queryset(qs.order_by("-received_on", "-pk"))
        data = MatterSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="事项详情（含步骤和附件）",
        responses={200: MatterDetailSerializer, 404: ERRORS[404]},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        matter = self.get_matter(_detail_queryset())
        return Response(MatterDetailSerializer(matter, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="登记事项",
        description="由引擎校验并登记；返回编号（reference）和查询码（verification_code）。",
        request=MatterCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: MatterDetailSerializer,
            **ERRORS,
            422: OpenApiResponse(description="幂等键冲突。"),
        },
    )
    def create(self, request: Request) -> Response:
        def handler() -> Response:
            d = _validated(MatterCreateSerializer, request.data)
            _reject_nul(d.get("details") or {}, "details")
            matter = register_matter(
                d["procedure"],
                org=_org_of(d.get("org"), request.user),
                received_on=d.get("received_on") or self.today(),
                subject=d["subject"],
                by=request.user,
                channel=d["channel"],
                party=d.get("party"),
                details=d.get("details"),
                reference=d.get("reference"),
                mailed_on=d.get("mailed_on"),
            )
            return Response(self.detail_data(matter), status=status.HTTP_201_CREATED)

        return idempotent(request, handler)

    @extend_schema(
        methods=["GET"],
        summary="本人可对该事项执行的操作",
        request=None,
        responses={200: ActionSpecSerializer(many=True), 404: ERRORS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="执行操作",
        description=(
            "调用引擎的 act()：校验状态、角色、范围和数据，写入步骤并重算期限。"
            "状态不允许或数据有误返回 400；无权返回 403。"
        ),
        request=ActionRequestSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: ActionResultSerializer,
            **ERRORS,
            422: OpenApiResponse(description="幂等键冲突。"),
        },
    )
    @action(detail=True, methods=["get", "post"], url_path="actions")
    def actions(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            matter = self.get_matter()
            user = request.user
            allowed_here = can_act_on(user, matter.org)
            approves = can_approve(user, matter.org)
            available = [
                a
                for a in rules.available_actions(
                    snapshot_of(matter), role_of(user), max(self.today(), matter.received_on)
                )
                if (approves if a.needs_approval else allowed_here)
            ]
            return Response([action_json(a) for a in available])

        def handler() -> Response:
            d = _validated(ActionRequestSerializer, request.data)
            matter = self.get_matter()
            data = dict(d.get("data") or {})
            _reject_nul(data, "data")
            spec = matter.declaration.action(d["action"])
            declared = {f.name for f in spec.fields}
            unknown = sorted(set(data) - declared)
            if unknown:  # never let a data key reach act()'s own keyword arguments
                raise InvalidData(
                    f"操作“{spec.label}”不接受字段 {'、'.join(unknown)}。",
                    field=f"data.{unknown[0]}",
                )
            step = act(
                matter,
                d["action"],
                request.user,
                d.get("on") or self.today(),
                mailed_on=d.get("mailed_on"),
                **data,
            )
            return Response(
                {
                    "step": StepSerializer(
                        Step.objects.select_related("matter").get(pk=step.pk)
                    ).data,
                    "matter": self.detail_data(matter),
                },
                status=status.HTTP_201_CREATED,
            )

        return idempotent(request, handler)

    @extend_schema(
        methods=["GET"],
        summary="事项的附件",
        request=None,
        responses={200: AttachmentSerializer(many=True), 404: ERRORS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="上传附件",
        description="multipart/form-data；类型按内容识别，大小不超过 FAZHI_MAX_ATTACHMENT_BYTES。",
        request={"multipart/form-data": AttachmentUploadSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: AttachmentSerializer,
            **ERRORS,
            413: OpenApiResponse(description="文件过大。"),
            422: OpenApiResponse(description="幂等键冲突。"),
        },
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="attachments",
        parser_classes=[MultiPartParser, FormParser],
    )
    def attachments(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            matter = self.get_matter()
            files = matter.attachments.select_related("step").order_by("pk")
            return Response(AttachmentSerializer(files, many=True).data)

        def handler() -> Response:
            matter = self.get_matter()
            if not can_act_on(request.user, matter.org):
                raise NotAllowed(f"您不能为“{matter.org.label}”的事项添加附件。", field="file")
            d = _validated(AttachmentUploadSerializer, request.data)
            upload = d["file"]
            attachment = add_attachment(
                matter, upload.name or "file", upload, by=request.user, public=d["public"]
            )
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if self.action == "attachments":
            self.body_limit = max_attachment_bytes() + MULTIPART_OVERHEAD
        try:
            super().initial(request, *args, **kwargs)
        except exceptions.APIException as exc:
            if exc.status_code == 413 and self.action == "attachments":
                raise too_large(max_attachment_bytes(), "附件") from None
            raise

    @extend_schema(
        summary="下载附件",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: ERRORS[404],
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        url_name="attachment-download",
    )
    def download(self, request: Request, pk: str, attachment_id: str) -> FileResponse:
        matter = self.get_matter()
        attachment = matter.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise exceptions.NotFound("附件文件已不存在，请联系系统管理员。") from None
        audit.record(
            "matter.attachment_download",
            matter,
            actor=request.user,
            data={"attachment": attachment.pk, "name": attachment.name},
            request=request._request,
        )
        return FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )


# --- activities ---------------------------------------------------------------------------


@extend_schema(tags=["活动"])
class ActivityViewSet(ApiMixin, viewsets.GenericViewSet[Activity]):
    """Activities (trainings, inspection rounds …) in the user's scope: list, read, record."""

    serializer_class = ActivitySerializer
    queryset = Activity.objects.none()

    def get_queryset(self) -> ActivityQuerySet:
        return Activity.objects.for_user(self.request.user).select_related("org")

    @extend_schema(
        summary="活动列表（本人范围内）",
        parameters=[ActivityFilterSerializer],
        responses={200: ActivitySerializer(many=True), 400: ERRORS[400]},
    )
    def list(self, request: Request) -> Response:
        f = _validated(ActivityFilterSerializer, request.query_params)
        qs = self.get_queryset()
        if f.get("kind"):
            qs = qs.of(f["kind"])
        if f.get("year"):
            qs = qs.in_year(f["year"])
        if f.get("org"):
            qs = qs.filter(org_id__in=resolve_org(f["org"]).subtree_ids())
        page = self.paginate_queryset(qs.order_by("-on", "-pk"))
        return self.get_paginated_response(ActivitySerializer(page, many=True).data)

    @extend_schema(summary="活动详情", responses={200: ActivitySerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk: str) -> Response:
        activity = get_for_user(Activity.objects.select_related("org"), request.user, pk)
        return Response(ActivitySerializer(activity).data)

    @extend_schema(
        summary="登记活动",
        request=ActivityCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: ActivitySerializer,
            **ERRORS,
            422: OpenApiResponse(description="幂等键冲突。"),
        },
    )
    def create(self, request: Request) -> Response:
        def handler() -> Response:
            d = _validated(ActivityCreateSerializer, request.data)
            _reject_nul(d.get("figures") or {}, "figures")
            activity = record_activity(
                d["kind"],
                org=_org_of(d.get("org"), request.user),
                on=d["on"],
                title=d["title"],
                figures=d.get("figures"),
                note=d["note"],
                reference=d["reference"],
                by=request.user,
            )
            return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)


# --- procedures, indicators, me ------------------------------------------------------------


@extend_schema(tags=["程序"])
class ProcedureViewSet(ApiMixin, viewsets.ViewSet):
    """The procedure declarations: states, actions with their fields, details and limits."""

    lookup_field = "code"
    lookup_value_regex = "[a-z0-9_]+"

    @extend_schema(summary="程序声明列表", responses={200: ProcedureSerializer(many=True)})
    def list(self, request: Request) -> Response:
        return Response([procedure_json(p) for p in all_procedures()])

    @extend_schema(summary="程序声明", responses={200: ProcedureSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, code: str) -> Response:
        try:
            procedure = get_procedure(code)
        except ProcedureError:
            raise exceptions.NotFound(f"没有程序“{code}”。") from None
        return Response(procedure_json(procedure))


@extend_schema(tags=["指标"])
class IndicatorView(ApiMixin, APIView):
    """The indicators of one org unit and year, from the indicator engine."""

    @extend_schema(
        summary="机构年度指标",
        description="指标引擎 compute_indicators(org, year, as_of) 的结果；机构须在本人范围内。",
        parameters=[IndicatorQuerySerializer],
        responses={
            200: IndicatorResultSerializer,
            400: ERRORS[400],
            404: ERRORS[404],
            503: OpenApiResponse(description="指标引擎尚未安装。"),
        },
    )
    def get(self, request: Request) -> Response:
        q = _validated(IndicatorQuerySerializer, request.query_params)
        org = _org_of(q.get("org"), request.user)
        if not scope_of(request.user).covers(org):
            raise Http404
        try:
            from fazhi.indicators.engine import IndicatorError, compute_indicators
        except ImportError:
            return Response(
                error_body("指标引擎尚未安装，暂时无法计算指标。"),
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        try:
            result = compute_indicators(org, q["year"], as_of=q.get("as_of"))
        except IndicatorError as exc:  # a year or cut-off the engine cannot answer
            return Response(error_body(str(exc), "as_of" if q.get("as_of") else "year"), status=400)
        return Response(result.as_json())


@extend_schema(tags=["账号"])
class MeView(ApiMixin, APIView):
    """The signed-in account: its org unit, role and scope."""

    @extend_schema(summary="我的账号、机构和角色", responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        user = request.user
        scope = scope_of(user)
        profile = getattr(user, "profile", None)
        org = profile.org if profile is not None else None
        role = scope.role or ""
        return Response(
            {
                "id": user.pk,
                "username": user.get_username(),
                "name": user.get_full_name() or user.get_username(),  # type: ignore[union-attr]
                "role": role,
                "role_label": str(Role(role).label) if role in Role.values else role,
                "org": (
                    {"id": org.pk, "name": org.name, "division_code": org.division_code}
                    if org is not None
                    else None
                ),
                "sees_all_units": scope.all_orgs,
            }
        )
