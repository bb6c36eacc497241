"""Matters: list, read, register, act, attach files."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from fazhi.api.errors import too_large
from fazhi.api.serializers import (
    ActionRequestSerializer,
    ActionResultSerializer,
    ActionSpecSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    MatterCreateSerializer,
    MatterDetailSerializer,
    MatterFilterSerializer,
    MatterSerializer,
    StepSerializer,
    action_json,
)
from fazhi.api.views.common import (
    ERRORS,
    IDEMPOTENCY_PARAMETER,
    MULTIPART_OVERHEAD,
    ApiMixin,
    idempotent,
    org_of,
    reject_nul,
    validated,
)
from fazhi.core import audit
from fazhi.core.scope import profile_of
from fazhi.procedures.attachments import add_attachment, max_attachment_bytes
from fazhi.procedures.errors import InvalidData
from fazhi.procedures.models import (
    Attachment,
    Clock,
    Matter,
    MatterQuerySet,
    Step,
)
from fazhi.procedures.permissions import allowed_actions
from fazhi.procedures.services import (
    WARNING_WORKING_DAYS,
    act,
    register_matter,
    resolve_org,
)
from fazhi.workdays import Calendar


def _detail_queryset() -> QuerySet[Matter]:
    return Matter.objects.select_related("org").prefetch_related(
        Prefetch("steps", queryset=Step.objects.select_related("matter").order_by("seq")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("step").order_by("pk")),
        Prefetch("clocks", queryset=Clock.objects.order_by("seq")),
    )


@extend_schema(tags=["事项"])
class MatterViewSet(ApiMixin, viewsets.GenericViewSet[Matter]):
    """Matters in the user's scope: list, read, register, act, attach files."""

    serializer_class = MatterSerializer
    queryset = Matter.objects.none()  # the real querysets come from the user's scope

    def get_queryset(self) -> MatterQuerySet:
        return Matter.objects.for_user(self.request.user).select_related("org")

    def get_matter(self, queryset: QuerySet[Matter] | None = None) -> Matter:
        # the user's scope includes the matters their units assist (Matter.objects.for_user)
        matter = Matter.objects.select_related("org").get_for_user(
            self.request.user, self.kwargs["pk"]
        )
        return matter if queryset is None else queryset.get(pk=matter.pk)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": self.today()}

    def detail_data(self, matter: Matter, *, show_code: bool = False) -> dict[str, Any]:
        fresh = _detail_queryset().get(pk=matter.pk)
        context = {**self.get_serializer_context(), "show_code": show_code}
        return dict(MatterDetailSerializer(fresh, context=context).data)

    @extend_schema(
        summary="事项列表（本人范围内）",
        parameters=[MatterFilterSerializer],
        responses={200: MatterSerializer(many=True), 400: ERRORS[400]},
    )
    def list(self, request: Request) -> Response:
        f = MatterFilterSerializer.canonical(
            validated(MatterFilterSerializer, request.query_params)
        )
        profile = profile_of(request.user)
        today = self.today()
        qs = self.get_queryset().filtered(
            today=today,
            warn_until=Calendar.default().add_working_days(
                today, WARNING_WORKING_DAYS, provisional=True
            ),
            user=request.user,
            own_org=profile.org_id if profile is not None else None,
            procedure=f.get("procedure"),
            state=f.get("state"),
            org=resolve_org(f["org"]) if f.get("org") else None,
            status=f.get("status"),
            due=f.get("due"),
            received_from=f.get("received_from"),
            received_to=f.get("received_to"),
            q=f.get("q"),
            who=f.get("who"),
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
        description=(
            "由引擎校验并登记；返回编号（reference）和查询码（verification_code）。"
            "查询码只在此应答中给出一次（可网上查询的程序），事项详情中为空。"
        ),
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
            d = validated(MatterCreateSerializer, request.data)
            reject_nul(d.get("details") or {}, "details")
            matter = register_matter(
                d["procedure"],
                org=org_of(d.get("org"), request.user),
                received_on=d.get("received_on") or self.today(),
                subject=d["subject"],
                by=request.user,
                channel=d["channel"],
                party=d.get("party"),
                details=d.get("details"),
                reference=d.get("reference"),
                mailed_on=d.get("mailed_on"),
            )
            return Response(
                self.detail_data(matter, show_code=True), status=status.HTTP_201_CREATED
            )

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
    @action(detail=True, methods=["get", "post"], url_path="actions", pagination_class=None)
    def actions(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            matter = self.get_matter()
            available = allowed_actions(
                request.user, matter, on=max(self.today(), matter.received_on)
            )
            return Response([action_json(a) for a in available])

        def handler() -> Response:
            d = validated(ActionRequestSerializer, request.data)
            matter = self.get_matter()
            data = dict(d.get("data") or {})
            reject_nul(data, "data")
            spec = matter.declaration.action(d["action"])
            declared = {f.name for f in spec.fields}
            unknown = sorted(set(data) - declared)
            if unknown:  # named as the request names them (data.…); act() refuses them too
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
                data=data,  # untrusted: one mapping, never act()'s keyword arguments
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
        pagination_class=None,  # a matter's files: one array, as the schema says
    )
    def attachments(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            matter = self.get_matter()
            files = matter.attachments.select_related("step").order_by("pk")
            return Response(AttachmentSerializer(files, many=True).data)

        def handler() -> Response:
            matter = self.get_matter()
            d = validated(AttachmentUploadSerializer, request.data)
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
