"""Activities (trainings, inspection rounds …): list, read, record."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from fazhi.api.serializers import (
    ActivityCreateSerializer,
    ActivityFilterSerializer,
    ActivitySerializer,
)
from fazhi.api.views.common import (
    ERRORS,
    IDEMPOTENCY_PARAMETER,
    ApiMixin,
    idempotent,
    org_of,
    reject_nul,
    validated,
)
from fazhi.core.scope import get_for_user
from fazhi.procedures.activities import record_activity
from fazhi.procedures.models import (
    Activity,
    ActivityQuerySet,
)
from fazhi.procedures.services import resolve_org


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
        f = validated(ActivityFilterSerializer, request.query_params)
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
            d = validated(ActivityCreateSerializer, request.data)
            reject_nul(d.get("figures") or {}, "figures")
            activity = record_activity(
                d["kind"],
                org=org_of(d.get("org"), request.user),
                on=d["on"],
                title=d["title"],
                figures=d.get("figures"),
                note=d["note"],
                reference=d["reference"],
                by=request.user,
            )
            return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)
