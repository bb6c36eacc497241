"""The activity register: list and create."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import ListView, TemplateView

from fazhi.core import clock
from fazhi.core.models import OrgUnit, Role
from fazhi.core.scope import ALL_ACTING, profile_of, scope_of
from fazhi.core.views import StaffRequiredMixin
from fazhi.indicators.views.selection import PAGE_SIZE, scope_orgs
from fazhi.procedures.activities import all_kinds, get_kind, record_activity
from fazhi.procedures.declarations import FieldType
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Activity

# --- activities -----------------------------------------------------------------------------


class ActivityListView(StaffRequiredMixin, ListView[Activity]):
    template_name = "indicators/activity_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Activity]:
        qs = Activity.objects.for_user(self.request.user).select_related("org")
        kind = self.request.GET.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        year = self.request.GET.get("year", "")
        if year.isdigit():
            qs = qs.in_year(int(year))
        return qs.order_by("-on", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        kinds = {k.code: k for k in all_kinds()}
        ctx["kinds"] = list(kinds.values())
        ctx["rows"] = [
            (
                a,
                kinds[a.kind].label if a.kind in kinds else a.kind,
                [
                    (f.label, a.figures.get(f.name))
                    for f in (kinds[a.kind].figures if a.kind in kinds else ())
                    if a.figures.get(f.name) is not None
                ],
            )
            for a in ctx["object_list"]
        ]
        ctx["can_record"] = actable_orgs(self.request).exists()
        return ctx


def actable_orgs(request: HttpRequest) -> QuerySet[OrgUnit]:
    """Units the user may record activities for: their subtree (staff, heads), every unit
    (administrators, the rule-of-law office); none for leaders, who read only."""
    orgs = scope_orgs(request).filter(is_active=True)
    role = scope_of(request.user).role
    if role in ALL_ACTING or role in (Role.STAFF, Role.HEAD):
        return orgs
    return orgs.none()


class ActivityForm(forms.Form):
    """The common fields of an activity plus the figures its kind declares."""

    org = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label="组织机构")
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label="名称", max_length=300)
    reference = forms.CharField(
        label="编号", max_length=64, required=False, help_text="外部编号，可不填。"
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, kind: str, orgs: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = get_kind(kind)
        org_field = self.fields["org"]
        assert isinstance(org_field, forms.ModelChoiceField)  # noqa: S101  declared above  # nosec B101
        org_field.queryset = orgs
        for f in self.kind.figures:
            if f.type == FieldType.INT:
                self.fields[f.name] = forms.IntegerField(
                    label=f.label,
                    required=f.required,
                    min_value=f.min_value,
                    max_value=f.max_value,
                    help_text=f.help,
                )
            else:
                self.fields[f.name] = forms.CharField(
                    label=f.label, required=f.required, help_text=f.help
                )

    def figure_values(self) -> dict[str, Any]:
        return {f.name: self.cleaned_data.get(f.name) for f in self.kind.figures}


class ActivityCreateView(StaffRequiredMixin, TemplateView):
    template_name = "indicators/activity_form.html"

    def kind_code(self) -> str:
        code = self.request.GET.get("kind") or self.request.POST.get("kind") or ""
        try:
            return get_kind(code).code
        except ProcedureError:
            return ""

    def form(self, data: Any = None) -> ActivityForm | None:
        code = self.kind_code()
        if not code:
            return None
        initial: dict[str, Any] = {"on": clock.today()}
        profile = profile_of(self.request.user)
        if profile is not None:
            initial["org"] = profile.org.pk
        return ActivityForm(data, kind=code, orgs=actable_orgs(self.request), initial=initial)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self.form())
        ctx["kinds"] = all_kinds()
        ctx["kind"] = self.kind_code()
        ctx["orgs_available"] = actable_orgs(self.request).exists()
        return ctx

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form(request.POST)
        if form is None:
            return redirect("indicators:activity-create")
        if form.is_valid():
            try:
                record_activity(
                    form.kind.code,
                    org=form.cleaned_data["org"],
                    on=form.cleaned_data["on"],
                    title=form.cleaned_data["title"],
                    figures=form.figure_values(),
                    note=form.cleaned_data["note"],
                    reference=form.cleaned_data["reference"].strip(),
                    by=request.user,
                )
            except ProcedureError as exc:
                name = (exc.field or "").removeprefix("figures.")
                form.add_error(name if name in form.fields else None, exc.message)
            else:
                return redirect(f"{reverse('indicators:activity-list')}?kind={form.kind.code}")
        return self.render_to_response(self.get_context_data(form=form))
