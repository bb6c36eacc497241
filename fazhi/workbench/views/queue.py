"""My queue (待办): the matters of my scope, soonest due first, with counts per state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.views.generic import ListView

from fazhi.core.models import OrgUnit
from fazhi.core.scope import scope_of, scope_queryset
from fazhi.core.views import StaffRequiredMixin
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.errors import UnknownProcedure
from fazhi.procedures.models import Matter, MatterQuerySet
from fazhi.workbench.forms import QueueFilterForm
from fazhi.workbench.views.common import STATUS_LABELS, Horizon

QUEUE_TARGET = "queue-results"


@dataclass
class StateCount:
    state: str
    label: str
    total: int
    warning: int
    overdue: int


@dataclass
class ProcedureCount:
    code: str
    label: str
    states: list[StateCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.states)

    @property
    def overdue(self) -> int:
        return sum(s.overdue for s in self.states)

    @property
    def warning(self) -> int:
        return sum(s.warning for s in self.states)


def open_counts(base: MatterQuerySet, horizon: Horizon) -> list[ProcedureCount]:
    """Open matters of ``base`` per procedure and state, with warning and overdue: ONE query."""
    rows = (
        base.open()
        .order_by()
        .values("procedure", "state")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=horizon.today)),
            warning=Count(
                "pk", filter=Q(due_on__gte=horizon.today, due_on__lte=horizon.warn_until)
            ),
        )
    )
    groups: dict[str, ProcedureCount] = {}
    for row in rows:
        code = row["procedure"]
        try:
            declaration = get_procedure(code)
            label, state_label = declaration.label, declaration.state_label(row["state"])
        except UnknownProcedure:  # a matter of a procedure no longer declared: still counted
            label, state_label = code, row["state"]
        group = groups.setdefault(code, ProcedureCount(code, label))
        group.states.append(
            StateCount(row["state"], state_label, row["total"], row["warning"], row["overdue"])
        )
    result = sorted(groups.values(), key=lambda g: g.label)
    for g in result:
        g.states.sort(key=lambda s: s.label)
    return result


def due_first(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """Soonest due first; matters with no running limit (paused, no limit, closed) last."""
    return qs.order_by(F("due_on").asc(nulls_last=True), "received_on", "pk")


def units_in_scope(user: Any) -> list[OrgUnit]:
    """The org units the user sees, in tree order (for the unit filter)."""
    return list(scope_queryset(OrgUnit.objects.all(), user, "self").order_by("path"))


class HomeView(StaffRequiredMixin, ListView[Matter]):
    """The queue. ``GET`` filters; an htmx request targeting the results gets the table only."""

    template_name = "workbench/home.html"
    paginate_by = 50
    context_object_name = "matters"

    def get_queryset(self) -> QuerySet[Matter]:
        user = self.request.user
        self.horizon = Horizon.now()
        self.base = Matter.objects.for_user(user)
        self.units = units_in_scope(user)
        self.filters = QueueFilterForm(self.request.GET, orgs=self.units)
        qs = self.base
        qs = self.filters.filter(qs, self.horizon.today, self.horizon.warn_until)
        return due_first(qs.select_related("org"))

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and htmx.target == QUEUE_TARGET:
            return ["workbench/_queue_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        rows: Sequence[Matter] = ctx["object_list"]
        for m in rows:
            m.due_status = self.horizon.status(m)  # type: ignore[attr-defined]
            m.due_status_label = STATUS_LABELS[m.due_status]  # type: ignore[attr-defined]
        ctx["horizon"] = self.horizon
        ctx["filters"] = self.filters
        ctx["queue_target"] = QUEUE_TARGET
        ctx["scope"] = scope_of(self.request.user)
        ctx["total"] = ctx["paginator"].count if ctx.get("paginator") else len(rows)
        htmx = getattr(self.request, "htmx", None)
        if not (htmx and htmx.target == QUEUE_TARGET):
            ctx["counts"] = open_counts(self.base, self.horizon)
            ctx["open_total"] = sum(c.total for c in ctx["counts"])
            ctx["overdue_total"] = sum(c.overdue for c in ctx["counts"])
            ctx["warning_total"] = sum(c.warning for c in ctx["counts"])
        return ctx
