"""The staff workbench: home page (scope summary). Domain screens plug in below it."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from fazhi.core.models import OrgUnit
from fazhi.core.scope import scope_of, scope_queryset
from fazhi.core.views import StaffRequiredMixin


class HomeView(StaffRequiredMixin, TemplateView):
    template_name = "workbench/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        scope = scope_of(self.request.user)
        ctx["scope"] = scope
        ctx["org_count"] = scope_queryset(OrgUnit.objects.all(), self.request.user, "self").count()
        return ctx
