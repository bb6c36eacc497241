"""Staff screens of the core registers (org units, people, audit log) and the mixins every
staff view uses. Faces include ``fazhi.core.urls``; domain apps reuse the mixins."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.generic import DetailView, ListView

from fazhi.core.models import AuditEvent, OrgUnit, StaffProfile
from fazhi.core.pii import mask_text
from fazhi.core.scope import get_for_user, scope_of, scope_queryset


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer or a unit's watchdog: the process answers (no database
    query, so a slow database does not take every web process out of rotation). Also the
    bare Django view that the load test compares the site's own pages with."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


class LoginView(auth_views.LoginView):
    """Django's login, titled with the site's name (``FAZHI_SITE_NAME``), not the host's:
    Django's own view puts the request's host ("127.0.0.1:8811") into ``site_name``."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "site_name": settings.FAZHI_SITE_NAME}


class StaffRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; logged-in users without a staff scope get 403."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not scope_of(request.user).is_staff_member:
            raise PermissionDenied("您的账号尚未分配机构和角色，请联系系统管理员。")
        return super().dispatch(request, *args, **kwargs)


class ScopedListMixin(StaffRequiredMixin):
    """A list limited to the user's scope through ``scope_field``."""

    scope_field = "org"

    def get_queryset(self) -> QuerySet[Any]:
        qs = super().get_queryset()  # type: ignore[misc]
        return scope_queryset(qs, self.request.user, self.scope_field)  # type: ignore[attr-defined]


class ScopedObjectMixin(StaffRequiredMixin):
    """A single object from the user's scope; 404 for missing and forbidden alike."""

    scope_field = "org"

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        qs = queryset if queryset is not None else self.get_queryset()  # type: ignore[attr-defined]
        return get_for_user(qs, self.request.user, self.kwargs["pk"], self.scope_field)  # type: ignore[attr-defined]


class OrgUnitListView(ScopedListMixin, ListView[OrgUnit]):
    model = OrgUnit
    scope_field = "self"
    template_name = "core/orgunit_list.html"

    def get_queryset(self) -> QuerySet[OrgUnit]:
        qs: QuerySet[OrgUnit] = super().get_queryset()
        return qs.annotate(staff_count=Count("staff")).order_by("path")


class OrgUnitDetailView(ScopedObjectMixin, DetailView[OrgUnit]):
    model = OrgUnit
    scope_field = "self"
    template_name = "core/orgunit_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        unit: OrgUnit = self.object
        ctx["children"] = unit.children.order_by("sort_order", "pk")
        ctx["people"] = unit.staff.select_related("user").order_by("role", "pk")
        ctx["audit_events"] = AuditEvent.objects.for_object(unit)[:50]
        ctx["ancestors"] = unit.ancestors()
        return ctx


class StaffListView(ScopedListMixin, ListView[StaffProfile]):
    model = StaffProfile
    template_name = "core/staff_list.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[StaffProfile]:
        return super().get_queryset().select_related("user", "org").order_by("org__path", "role")


class AuditLogView(ScopedListMixin, ListView[AuditEvent]):
    """The audit log of the user's scope, newest first."""

    model = AuditEvent
    template_name = "core/audit_list.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[AuditEvent]:
        qs = super().get_queryset().select_related("org")
        action = self.request.GET.get("action")
        if action:
            qs = qs.filter(action__startswith=action)
        return qs.order_by("-at", "-pk")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(filename: str, header: list[str], rows: Any) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream() -> Any:
        yield "\ufeff"  # BOM so that Excel opens UTF-8 Chinese correctly
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([mask_text(str(v)) if isinstance(v, str) else v for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class OrgUnitExportView(ScopedListMixin, ListView[OrgUnit]):
    """CSV export of the org units in scope."""

    model = OrgUnit
    scope_field = "self"

    def render_to_response(  # type: ignore[override]
        self, context: dict[str, Any], **kwargs: Any
    ) -> StreamingHttpResponse:
        rows = (
            (
                u.pk,
                u.name,
                u.short_name,
                u.get_kind_display(),
                u.division_code or "",
                u.parent_id or "",
            )
            for u in self.get_queryset().order_by("path").iterator()
        )
        return _csv_response(
            "orgunits.csv", ["id", "名称", "简称", "类别", "行政区划代码", "上级id"], rows
        )


class StaffExportView(ScopedListMixin, ListView[StaffProfile]):
    """CSV export of the people in scope."""

    model = StaffProfile

    def render_to_response(  # type: ignore[override]
        self, context: dict[str, Any], **kwargs: Any
    ) -> StreamingHttpResponse:
        qs = self.get_queryset().select_related("user", "org").order_by("org__path")
        rows = (
            (
                p.user.get_username(),
                p.user.get_full_name(),
                p.org.name,
                p.get_role_display(),
                p.position,
            )
            for p in qs.iterator()
        )
        return _csv_response("staff.csv", ["账号", "姓名", "机构", "角色", "职务"], rows)
