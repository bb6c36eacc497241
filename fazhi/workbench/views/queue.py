"""My queue (待办): the matters of my scope, soonest due first, with counts per state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.views.generic import ListView

from fazhi.core.models import OrgUnit
from fazhi.core.scope import profile_of, scope_of, scope_queryset
from fazhi.core.views import StaffRequiredMixin
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.errors import UnknownProcedure
from fazhi.procedures.models import Matter, MatterQuerySet, Step
from fazhi.reports.queue import report_tasks
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


class DueFirst:
    """Matters soonest due first, then those with no running limit (paused, none, closed),
    most recently received first: a sequence for Django's ``Paginator``.

    Two index-ordered queries instead of one ``ORDER BY due_on NULLS LAST``, which no index
    can serve: the dated part walks the partial index on ``due_on`` (open matters; a closed
    matter never has a due date), so the first page reads 50 rows, not every open matter.
    ``total`` (when the caller already knows it from the grouped counts) saves the COUNTs.
    """

    def __init__(
        self,
        qs: QuerySet[Matter],
        total: int | None = None,
        orgs: dict[int, OrgUnit] | None = None,
    ) -> None:
        # The org units come from memory (the user's scope is loaded anyway), not from a JOIN:
        # a join lets the planner start from the unit table and sort a million rows.
        self.orgs = orgs or {}
        self.dated = qs.filter(closed_on__isnull=True, due_on__isnull=False).order_by(
            "due_on", "pk"
        )
        self.undated = qs.filter(due_on__isnull=True).order_by("-received_on", "-pk")
        self._total = total
        self._dated_count: int | None = None

    def dated_count(self) -> int:
        if self._dated_count is None:
            self._dated_count = self.dated.count()
        return self._dated_count

    def count(self) -> int:
        if self._total is None:
            self._total = self.dated_count() + self.undated.count()
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Matter]:
        if not isinstance(index, slice):
            raise TypeError("DueFirst supports slices only")
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        rows = list(self.dated[start:stop])
        want = stop - start
        if len(rows) < want:  # the dated part ends within this window
            dated_total = start + len(rows) if rows or not start else self.dated_count()
            offset = max(0, start - dated_total)
            rows += list(self.undated[offset : offset + want - len(rows)])
        for row in rows:
            if row.org_id in self.orgs:
                row.org = self.orgs[row.org_id]
        return rows


def units_in_scope(user: Any) -> list[OrgUnit]:
    """The org units the user sees, in tree order (for the unit filter)."""
    return list(scope_queryset(OrgUnit.objects.all(), user, "self").order_by("path"))


class HomeView(StaffRequiredMixin, ListView[Matter]):
    """The queue. ``GET`` filters; an htmx request targeting the results gets the table only."""

    template_name = "workbench/home.html"
    paginate_by = 50
    context_object_name = "matters"

    def get_queryset(self) -> DueFirst:  # type: ignore[override]
        user = self.request.user
        self.horizon = Horizon.now()
        self.units = units_in_scope(user)
        scope = scope_of(user)
        if scope.all_orgs:
            self.base = Matter.objects.for_user(user)
        else:  # the units are loaded already: no second query for their ids
            self.base = Matter.objects.in_units([u.pk for u in self.units])  # 主办 and 会办
        profile = profile_of(user)
        self.filters = QueueFilterForm(
            self.request.GET,
            orgs=self.units,
            user=user,
            own_org=profile.org_id if profile is not None else None,
        )
        self.counts = None if self._fragment() else open_counts(self.base, self.horizon)
        qs = self.filters.filter(self.base, self.horizon.today, self.horizon.warn_until)
        orgs = {u.pk: u for u in self.units}
        return DueFirst(qs, total=self._known_total(), orgs=orgs)

    def _fragment(self) -> bool:
        htmx = getattr(self.request, "htmx", None)
        return bool(htmx and htmx.target == QUEUE_TARGET)

    def _known_total(self) -> int | None:
        """The total from the grouped counts when only procedure and state filter open matters."""
        if self.counts is None or not self.filters.is_valid():
            return None
        active = {k for k, v in self.filters.cleaned_data.items() if v not in (None, "", False)}
        if not active <= {"procedure", "state", "status"}:  # "who" and "q" need their COUNT
            return None
        if self.filters.cleaned_data.get("status") not in (None, "", "open"):
            return None
        procedure = self.filters.cleaned_data.get("procedure")
        state = self.filters.cleaned_data.get("state")
        return sum(
            s.total
            for g in self.counts
            if not procedure or g.code == procedure
            for s in g.states
            if not state or s.state == state
        )

    def get_template_names(self) -> list[str]:
        if self._fragment():
            return ["workbench/_queue_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        rows: Sequence[Matter] = ctx["object_list"]
        ids = [m.pk for m in rows]
        handler_ids = {m.handler_id for m in rows if m.handler_id}
        people = {u.pk: u for u in get_user_model().objects.filter(pk__in=handler_ids)}
        latest: dict[int, str] = {}
        for matter_id, data in (
            Step.objects.filter(matter_id__in=ids, action="instruct")
            .order_by("matter_id", "seq")
            .values_list("matter_id", "data")
            if ids
            else ()
        ):
            latest[matter_id] = str((data or {}).get("text", ""))  # the last one stays
        for m in rows:
            m.due_status = self.horizon.status(m)  # type: ignore[attr-defined]
            m.due_status_label = STATUS_LABELS[m.due_status]  # type: ignore[attr-defined]
            handler = people.get(m.handler_id) if m.handler_id else None
            m.handler_label = (  # type: ignore[attr-defined]
                (handler.get_full_name() or handler.get_username()) if handler else ""
            )
            m.instruction = latest.get(m.pk, "")  # type: ignore[attr-defined]
        ctx["horizon"] = self.horizon
        ctx["filters"] = self.filters
        ctx["queue_target"] = QUEUE_TARGET
        ctx["scope"] = scope_of(self.request.user)
        ctx["total"] = ctx["paginator"].count if ctx.get("paginator") else len(rows)
        if not self._fragment():
            ctx["report_tasks"] = report_tasks(self.request.user, self.horizon.today)
        if self.counts is not None:
            ctx["counts"] = self.counts
            ctx["open_total"] = sum(c.total for c in ctx["counts"])
            ctx["overdue_total"] = sum(c.overdue for c in ctx["counts"])
            ctx["warning_total"] = sum(c.warning for c in ctx["counts"])
        return ctx
