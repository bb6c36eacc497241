"""The procedure declarations, an org unit's indicators and the signed-in account."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.api.errors import ErrorCode, error_body
from fazhi.api.serializers import (
    IndicatorQuerySerializer,
    IndicatorResultSerializer,
    MeSerializer,
    ProcedureSerializer,
    procedure_json,
)
from fazhi.api.views.common import (
    ERRORS,
    ApiMixin,
    org_of,
    validated,
)
from fazhi.core.models import Role
from fazhi.core.scope import scope_of
from fazhi.indicators.engine import IndicatorError, compute_indicators
from fazhi.procedures.declarations import all_procedures, get_procedure
from fazhi.procedures.errors import ProcedureError


@extend_schema(tags=["程序"])
class ProcedureViewSet(ApiMixin, viewsets.ViewSet):
    """The procedure declarations: states, actions with their fields, details and limits."""

    lookup_field = "code"
    lookup_value_regex = "[a-z0-9_]+"
    pagination_class = None  # a dozen declarations: one array, as the schema says

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
        },
    )
    def get(self, request: Request) -> Response:
        q = validated(IndicatorQuerySerializer, request.query_params)
        org = org_of(q.get("org"), request.user)
        if not scope_of(request.user).covers(org):
            raise Http404
        try:
            result = compute_indicators(org, q["year"], as_of=q.get("as_of"))
        except IndicatorError as exc:  # a year or cut-off the engine cannot answer
            return Response(
                error_body(str(exc), "as_of" if q.get("as_of") else "year", ErrorCode.INVALID),
                status=400,
            )
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
