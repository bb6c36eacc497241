"""The registers' screens, one set for every register (``fazhi.core.registers``): the index, a
list with an as-of filter, an entry with its audit history, the create/edit form, delete, and
the xlsx export and import. Lists and entries come through core's scope mixins (another
department's entry is a 404); every change goes through ``registers.save_entry`` /
``delete_entry``, never ``Form.save()``."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import modelform_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, ListView

from fazhi.core import clock
from fazhi.core.models import AuditEvent, OrgUnit
from fazhi.core.register_io import (
    RegisterFileError,
    RegisterImportReport,
    export_xlsx,
    import_xlsx,
)
from fazhi.core.registers import (
    Register,
    RegisterEntry,
    all_registers,
    delete_entry,
    get_register,
    may_change,
    may_change_any,
    save_entry,
)
from fazhi.core.scope import can_act_on, get_for_user, scope_queryset
from fazhi.core.views import ScopedListMixin, ScopedObjectMixin, StaffRequiredMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def display(entry: RegisterEntry, f: models.Field[Any, Any]) -> str:
    """One value of an entry as the screens show it."""
    if f.name == "org":
        return entry.org.label
    value = getattr(entry, f.attname)
    if value is None or value == "":
        return "长期" if f.name == "valid_to" else "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return "是" if value else "否"
    if isinstance(f, models.ForeignKey):
        return str(getattr(entry, f.name))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class RegisterMixin:
    """Finds the register of the URL (404 for an unknown one) and sets the view's model."""

    register: Register
    kwargs: dict[str, Any]
    model: Any

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)  # type: ignore[misc]
        register = get_register(f"{kwargs.get('app', '')}.{kwargs.get('model', '')}")
        if register is None:
            raise Http404
        self.register = register
        self.model = register.model  # the URL's model, not a class attribute

    def register_context(self) -> dict[str, Any]:
        r = self.register
        return {
            "register": r,
            "columns": [r.field(n) for n in r.columns],
            "list_url": reverse("workbench:register-list", args=[r.app_label, r.model_name]),
        }


def _as_of(request: HttpRequest) -> tuple[dt.date | None, str]:
    """The list's as-of day (None: every entry) and a message for a bad date."""
    if request.GET.get("all"):
        return None, ""
    text = (request.GET.get("on") or "").strip()
    if not text:
        return clock.today(), ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return clock.today(), f"日期“{text}”格式错误，应为 YYYY-MM-DD；已显示今日有效的记录。"


class RegisterIndexView(StaffRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        listed = sorted(
            (r for r in all_registers() if r.nav is not None), key=lambda r: r.nav or ""
        )
        groups = [(nav, list(items)) for nav, items in groupby(listed, key=lambda r: r.nav)]
        return render(request, "workbench/registers/index.html", {"groups": groups})


class RegisterListView(RegisterMixin, ScopedListMixin, ListView[RegisterEntry]):
    template_name = "workbench/registers/list.html"
    paginate_by = 50

    def get_queryset(self) -> Any:
        qs = super().get_queryset().select_related("org")
        self.as_of, self.date_error = _as_of(self.request)
        if self.as_of is not None:
            qs = qs.valid_on(self.as_of)  # type: ignore[attr-defined]
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.register_context())
        columns = ctx["columns"]
        ctx["rows"] = [(e, [display(e, f) for f in columns]) for e in ctx["object_list"]]
        ctx["as_of"] = self.as_of
        ctx["date_error"] = self.date_error
        ctx["may_change"] = may_change_any(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["query"] = query.urlencode()
        return ctx


class RegisterDetailView(RegisterMixin, ScopedObjectMixin, DetailView[RegisterEntry]):
    template_name = "workbench/registers/detail.html"

    def get_queryset(self) -> Any:
        return self.register.model.objects.select_related("org")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.register_context())
        entry: RegisterEntry = self.object
        ctx["facts"] = [(f, display(entry, f)) for f in ctx["columns"]]
        ctx["audit_events"] = list(AuditEvent.objects.for_object(entry)[:100])
        ctx["may_change"] = may_change(self.request.user, entry.org)
        ctx["in_force"] = entry.is_valid_on(clock.today())
        return ctx


def _units(user: Any) -> Any:
    """Units whose entries ``user`` may change (none for leaders, who only read)."""
    units = scope_queryset(OrgUnit.objects.filter(is_active=True), user, "self").order_by("path")
    return OrgUnit.objects.filter(pk__in=[u.pk for u in units if can_act_on(user, u)])


class RegisterFormView(RegisterMixin, StaffRequiredMixin, View):
    """Create (no ``pk``) or edit an entry."""

    def _entry(self, request: HttpRequest) -> RegisterEntry | None:
        pk = self.kwargs.get("pk")
        if pk is None:
            if not may_change_any(request.user):
                raise PermissionDenied("您的角色只能查看登记簿，不能新增或修改记录。")
            return None
        entry = get_for_user(self.register.model.objects.select_related("org"), request.user, pk)
        if not may_change(request.user, entry.org):
            raise PermissionDenied("您只能查看该记录，不能修改。")
        return entry

    def _form(self, request: HttpRequest, entry: RegisterEntry | None, data: Any = None) -> Any:
        form_class = modelform_factory(
            self.register.model,
            fields=list(self.register.columns),
            widgets={
                n: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                for n in self.register.columns
                if isinstance(self.register.field(n), models.DateField)
            },
        )
        # the form only validates: a copy of the entry, so the stored one stays as it was
        copy = None if entry is None else self.register.model.objects.get(pk=entry.pk)
        initial = {}
        profile = getattr(request.user, "profile", None)
        if entry is None and profile is not None:
            initial["org"] = profile.org_id
        form = form_class(data, instance=copy, initial=initial)
        form.fields["org"].queryset = _units(request.user)  # type: ignore[attr-defined]
        return form

    def _render(self, request: HttpRequest, form: Any, entry: RegisterEntry | None) -> HttpResponse:
        ctx = self.register_context()
        ctx.update({"form": form, "entry": entry})
        return render(request, "workbench/registers/form.html", ctx)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        entry = self._entry(request)
        return self._render(request, self._form(request, entry), entry)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        entry = self._entry(request)
        form = self._form(request, entry, request.POST)
        if form.is_valid():
            data = {n: form.cleaned_data[n] for n in self.register.columns}
            try:
                saved = save_entry(
                    self.register.model, data, by=request.user, instance=entry, request=request
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                form.add_error("org", str(exc))
            else:
                messages.success(request, f"已{'修改' if entry else '新增'}记录：{saved}。")
                return redirect(self._detail_url(saved))
        return self._render(request, form, entry)

    def _detail_url(self, entry: RegisterEntry) -> str:
        r = self.register
        return reverse("workbench:register-detail", args=[r.app_label, r.model_name, entry.pk])


class RegisterDeleteView(RegisterMixin, StaffRequiredMixin, View):
    http_method_names = ["post"]  # noqa: RUF012 Django's own attribute, a plain list

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        entry = get_for_user(
            self.register.model.objects.select_related("org"), request.user, kwargs["pk"]
        )
        label = str(entry)
        delete_entry(entry, by=request.user, request=request)
        messages.success(request, f"已删除记录：{label}。")
        return redirect(self.register_context()["list_url"])


class RegisterExportView(RegisterMixin, ScopedListMixin, ListView[RegisterEntry]):
    """The list as it is filtered (as-of day or every entry), as an xlsx file."""

    def get_queryset(self) -> Any:
        qs = super().get_queryset().select_related("org")
        as_of, _ = _as_of(self.request)
        return qs if as_of is None else qs.valid_on(as_of)  # type: ignore[attr-defined]

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        body = export_xlsx(self.register, self.get_queryset().iterator())
        response = HttpResponse(body, content_type=XLSX)
        name = f"{self.register.model_name}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class RegisterImportView(RegisterMixin, StaffRequiredMixin, View):
    def _check(self, request: HttpRequest) -> None:
        if not may_change_any(request.user):
            raise PermissionDenied("您的角色只能查看登记簿，不能导入记录。")

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self._check(request)
        return self._render(request, None, "")

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self._check(request)
        upload = request.FILES.get("file")
        if upload is None:
            return self._render(request, None, "请选择要导入的 .xlsx 文件。")
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            return self._render(request, None, "文件超过 5 MB，请分批导入。")
        try:
            report = import_xlsx(self.register, upload, by=request.user)
        except RegisterFileError as exc:
            return self._render(request, None, str(exc))
        if report.committed:
            messages.success(request, report.summary())
            return redirect(self.register_context()["list_url"] + "?all=1")
        return self._render(request, report, "")

    def _render(
        self, request: HttpRequest, report: RegisterImportReport | None, error: str
    ) -> HttpResponse:
        ctx = self.register_context()
        ctx.update({"report": report, "error": error})
        return render(
            request, "workbench/registers/import.html", ctx, status=422 if report or error else 200
        )
