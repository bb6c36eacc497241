"""One matter: its page, its actions (forms built from the declaration), attachments, and the
registration of a new matter. The views parse input, call the engine and render; the engine
(``fazhi.procedures.services``) decides what is allowed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from fazhi.core.models import AuditEvent, OrgUnit, Role, StaffProfile
from fazhi.core.nav import matter_panels, matter_tools
from fazhi.core.scope import can_act_on, scope_queryset
from fazhi.core.storage import open_stored
from fazhi.core.views import StaffRequiredMixin
from fazhi.procedures import publicity, rules
from fazhi.procedures.assisting import assisting_unit_for
from fazhi.procedures.attachments import ALLOWED_EXTENSIONS, add_attachment, max_attachment_bytes
from fazhi.procedures.declarations import Action, FieldType, Procedure, all_procedures
from fazhi.procedures.errors import ProcedureError, UnknownAction, UnknownProcedure
from fazhi.procedures.forms import ActionForm, MatterForm
from fazhi.procedures.generic import pending_extension, pending_return
from fazhi.procedures.links import links_for
from fazhi.procedures.models import Attachment, Matter, MatterAssistant, Step
from fazhi.procedures.permissions import (
    action_refusal,
    allowed_actions,
    attachment_refusal,
    may_attach,
)
from fazhi.procedures.services import (
    CODE_POLICY,
    act,
    register_matter,
    shows_verification_code,
    snapshot_of,
)
from fazhi.workbench.forms import AttachmentForm
from fazhi.workbench.views.common import STATUS_LABELS, Horizon

PANEL_ID = "matter-panel"
SLOT_ID = "action-slot"

#: Templates of further blocks of the matter page (clocks, links …), each included in turn
#: with the page's context; an app adds its block with ``MATTER_BLOCKS.append(name)``.
MATTER_BLOCKS: list[str] = []
MATTER_BLOCKS.append("workbench/_matter_links.html")  # links and 会办 (links_context)
MATTER_BLOCKS.append("workbench/_matter_release.html")  # 公开审核 (views.release)
MATTER_BLOCKS.append("workbench/_matter_tools.html")  # the domain's pages (core.nav.matter_tools)

# Step data keys the engine adds beside the declared fields (names shown instead of ids).
EXTRA_LABELS = {"from_org": "原承办单位", "to_org": "承办单位", "org": "协办单位"}
HIDDEN_KEYS = {"to_org_name", "org_name", "handler_name"}
REGISTER_LABEL = "登记"


@dataclass
class TimelineEntry:
    step: Step
    label: str
    state_before: str
    state_after: str
    items: list[tuple[str, str]] = field(default_factory=list)


def _action_or_none(declaration: Procedure, name: str) -> Action | None:
    try:
        return declaration.action(name)
    except UnknownAction:
        return None


def _org_keys(action: Action | None, step: Step) -> set[str]:
    keys = {"from_org"}
    if action is not None:
        keys |= {f.name for f in action.fields if f.type == FieldType.ORG}
    if step.action == "return":
        keys.add("to_org")
    return keys


def timeline(matter: Matter, steps: list[Step]) -> list[TimelineEntry]:
    """The steps with their labels, data by field label and choice label, org ids as names."""
    declaration = matter.declaration
    ids: set[int] = set()
    actions = {s.pk: _action_or_none(declaration, s.action) for s in steps}
    for s in steps:
        for key in _org_keys(actions[s.pk], s):
            value = s.data.get(key)
            if value not in (None, "") and str(value).isdigit():
                ids.add(int(value))
    names = {u.pk: u.name for u in OrgUnit.objects.filter(pk__in=ids)} if ids else {}
    entries = []
    for s in steps:
        action = actions[s.pk]
        label = REGISTER_LABEL if s.action == "register" else (action.label if action else s.action)
        items: list[tuple[str, str]] = []
        org_keys = _org_keys(action, s)
        for key, value in s.data.items():
            if key in HIDDEN_KEYS or key.startswith("_"):
                continue
            declared = None
            if action is not None:
                try:
                    declared = action.field(key)
                except KeyError:
                    declared = None
            name = declared.label if declared else EXTRA_LABELS.get(key, key)
            if declared is not None and declared.type == FieldType.PERSON:
                text = str(s.data.get(f"{key}_name") or value)
            elif key in org_keys and str(value).isdigit():
                fallback = s.data.get(f"{key}_name") or s.data.get("to_org_name") or str(value)
                text = names.get(int(value), str(fallback))
            elif declared is not None and declared.type == FieldType.CHOICE:
                text = declared.choice_label(value)
            elif isinstance(value, bool):
                text = "是" if value else "否"
            else:
                text = str(value)
            items.append((name, text))
        entries.append(
            TimelineEntry(
                step=s,
                label=label,
                state_before=declaration.state_label(s.state_before) if s.state_before else "",
                state_after=declaration.state_label(s.state_after),
                items=items,
            )
        )
    return entries


def details_items(matter: Matter) -> list[tuple[str, str]]:
    """The matter's declared details with their labels (choice labels for choices)."""
    declaration = matter.declaration
    items = []
    for f in declaration.details:
        if f.name not in matter.details:
            continue
        value = matter.details[f.name]
        if f.type == FieldType.CHOICE:
            text = f.choice_label(value)
        elif isinstance(value, bool):
            text = "是" if value else "否"
        else:
            text = str(value)
        items.append((f.label, text))
    return items


class _Orgs:
    """All org units, loaded once and only if a form needs them (transfer to any unit)."""

    def __init__(self) -> None:
        self._units: list[OrgUnit] | None = None

    def __iter__(self) -> Any:
        if self._units is None:
            self._units = list(OrgUnit.objects.filter(is_active=True).order_by("path"))
        return iter(self._units)


class _People:
    """The people who may handle the matter (经办人 and 负责人 of its unit and the units above
    it), loaded only if a form needs them (指派经办人)."""

    def __init__(self, matter: Matter) -> None:
        self.matter = matter
        self._rows: list[tuple[str, str]] | None = None

    def __iter__(self) -> Any:
        if self._rows is None:
            org = self.matter.org
            ids = [int(part) for part in org.path.split(".") if part]
            profiles = (
                StaffProfile.objects.filter(
                    org_id__in=ids, role__in=[Role.STAFF, Role.HEAD], user__is_active=True
                )
                .select_related("user", "org")
                .order_by("org__path", "role", "user__username")
            )
            self._rows = [
                (
                    str(p.user_id),
                    f"{p.user.get_full_name() or p.user.get_username()}"
                    f"（{p.org.name} · {p.get_role_display()}）",
                )
                for p in profiles
            ]
        return iter(self._rows)


@dataclass(frozen=True)
class ActionButton:
    """One action the user may take now; ``primary`` marks the usual next action."""

    action: Action
    primary: bool = False
    label: str = ""

    @property
    def name(self) -> str:
        return self.action.name


EXTENSION_ANSWERS = ("extend", "refuse_extend")
RETURN_ANSWERS = ("return", "refuse_return")


def _usual_order(action: Action, index: int, awaited: tuple[str, ...]) -> tuple[int, int]:
    """An approval awaited first; then the actions that move the matter on (the procedure's
    own before the generic ones), then those that keep its state, the remark last."""
    if action.name in awaited:  # the approval before the refusal
        return (-1, awaited.index(action.name))
    if action.name == "note":
        return (4, index)
    if action.generic:
        return (3 if action.target is None else 2, index)
    return (0 if action.target is not None else 1, index)


def available_for(
    request: HttpRequest, matter: Matter, snap: rules.MatterSnapshot, today: dt.date
) -> list[Action]:
    """The actions the user may take on the matter now, the usual next action first."""
    found = allowed_actions(request.user, matter, snap=snap, on=today)
    order = {a.name: i for i, a in enumerate(found)}
    awaited = (EXTENSION_ANSWERS if pending_extension(snap) is not None else ()) + (
        RETURN_ANSWERS if pending_return(snap) is not None else ()
    )
    return sorted(found, key=lambda a: _usual_order(a, order[a.name], awaited))


def action_buttons(actions: list[Action], snap: rules.MatterSnapshot) -> list[ActionButton]:
    request = pending_extension(snap)
    buttons = []
    for i, a in enumerate(actions):
        label = a.label
        if a.name == "extend" and request is not None:
            label = f"批准延期（申请{request.data.get('days')}）"
        elif a.name == "return" and pending_return(snap) is not None:
            label = "批准退回"
        buttons.append(ActionButton(a, primary=i == 0, label=label))
    return buttons


def action_form(
    matter: Matter,
    action: Action,
    today: dt.date,
    data: Any = None,
    snap: rules.MatterSnapshot | None = None,
) -> ActionForm:
    """The form of one action (the date of effect defaults to today); approving an extension
    starts from what was asked."""
    initial: dict[str, Any] = {}
    request = pending_extension(snap) if snap is not None else None
    if action.name == "extend" and request is not None:
        initial = {"days": request.data.get("days"), "reason": request.data.get("reason", "")}
    returning = pending_return(snap) if snap is not None else None
    if action.name == "return" and returning is not None:
        initial = {"reason": returning.data.get("reason", "")}
    return ActionForm(
        action, data, orgs=_Orgs(), people=_People(matter), today=today, initial=initial
    )


def instructions(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """The leader's instructions (批示) on the matter, newest first."""
    return [e for e in reversed(entries) if e.step.action == "instruct"]


def matter_context(
    request: HttpRequest,
    matter: Matter,
    failed: ActionForm | None = None,
    open_action: str | None = None,
) -> dict[str, Any]:
    horizon = Horizon.now()
    steps = list(matter.steps.order_by("seq"))
    snap = snapshot_of(matter, steps)
    status = horizon.status(matter)
    actions = available_for(request, matter, snap, horizon.today)
    entries = timeline(matter, steps)
    open_form = failed
    if open_form is None and open_action:
        chosen = next((a for a in actions if a.name == open_action), None)
        if chosen is not None:
            open_form = action_form(matter, chosen, horizon.today, snap=snap)
    return {
        "matter": matter,
        "declaration": matter.declaration,
        "horizon": horizon,
        "due_status": status,
        "due_status_label": STATUS_LABELS[status],
        "details_items": details_items(matter),
        "timeline": entries,
        "instructions": instructions(entries),
        "extension_request": pending_extension(snap),
        "return_request": pending_return(snap),
        "actions": action_buttons(actions, snap),
        "open_form": open_form,
        "attachments": list(matter.attachments.order_by("uploaded_at", "pk")),
        "attachment_form": AttachmentForm(),
        "allowed_extensions": "、".join(ALLOWED_EXTENSIONS),
        "max_mb": max_attachment_bytes() // (1024 * 1024),
        "may_attach": may_attach(request.user, matter),
        "audit_events": list(AuditEvent.objects.for_object(matter)[:100]),
        "panel_id": PANEL_ID,
        "release_status": _release_status(matter),
        "trackable": shows_verification_code(matter),
        "code_policy": CODE_POLICY,
        "panel_blocks": list(MATTER_BLOCKS),
        "matter_tools": matter_tools(matter),
        "matter_panels": matter_panels(matter, request),
        **links_context(request, matter),
    }


def links_context(request: HttpRequest, matter: Matter) -> dict[str, Any]:
    """The matter's links both ways and its assisting units (会办), and whether the user is
    here for an assisting unit rather than the lead."""
    assistants = list(
        MatterAssistant.objects.filter(matter=matter).select_related("org").order_by("pk")
    )
    assisting = None
    if assistants and not can_act_on(request.user, matter.org):
        assisting = assisting_unit_for(request.user, matter)
    return {
        "links": links_for(matter, request.user),
        "assistants": assistants,
        "assisting_unit": assisting,
    }


def _release_status(matter: Matter) -> str:
    """Publication in words, for procedures the public may read once released (else "")."""
    if matter.declaration.detail_field(publicity.CONSENT_FIELD) is None:
        return ""
    return publicity.release_status(matter)


def get_matter(request: HttpRequest, pk: int) -> Matter:
    """The matter if the user may see it; 404 for missing and forbidden alike."""
    return Matter.objects.select_related("org", "handler").get_for_user(request.user, pk)


class MatterDetailView(StaffRequiredMixin, View):
    """The matter page; ``?action=NAME`` opens that action's form (without JavaScript)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        matter = get_matter(request, pk)
        ctx = matter_context(request, matter, open_action=request.GET.get("action"))
        return render(request, "workbench/matter_detail.html", ctx)


class MatterActView(StaffRequiredMixin, View):
    """GET an action's form (htmx: the form alone, opened in place under the buttons);
    POST it: the engine acts or refuses with a Chinese message."""

    def get(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        matter = get_matter(request, pk)
        try:
            spec = matter.declaration.action(action)
        except UnknownAction:
            raise Http404 from None
        if not getattr(request, "htmx", False):
            url = reverse("workbench:matter-detail", args=[matter.pk])
            return redirect(f"{url}?action={spec.name}#{SLOT_ID}")
        horizon = Horizon.now()
        snap = snapshot_of(matter)
        if all(a.name != spec.name for a in available_for(request, matter, snap, horizon.today)):
            return render(
                request,
                "workbench/_action_unavailable.html",
                {
                    "action": spec,
                    "matter": matter,
                    "reason": action_refusal(
                        request.user, matter, spec, snap=snap, on=horizon.today
                    ),
                },
            )
        ctx = {
            "matter": matter,
            "form": action_form(matter, spec, horizon.today, snap=snap),
            "panel_id": PANEL_ID,
        }
        return render(request, "workbench/_action_form.html", ctx)

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        matter = get_matter(request, pk)
        try:
            spec = matter.declaration.action(action)
        except UnknownAction:
            raise Http404 from None
        form = ActionForm(spec, request.POST, orgs=_Orgs(), people=_People(matter))
        if form.is_valid():
            try:
                act(matter, action, request.user, form.on, **form.action_data())
            except ProcedureError as exc:
                form.add_procedure_error(exc)
            else:
                return self._done(request, matter, spec)
        htmx = bool(getattr(request, "htmx", False))
        ctx = matter_context(request, matter, failed=form)
        template = "workbench/_matter_panel.html" if htmx else "workbench/matter_detail.html"
        return render(request, template, ctx, status=422 if htmx else 200)

    def _done(self, request: HttpRequest, matter: Matter, spec: Action) -> HttpResponse:
        matter.refresh_from_db()
        note = f"已{spec.label}：{matter.reference} 现为“{matter.state_label}”。"
        if getattr(request, "htmx", False):
            ctx = matter_context(request, matter)
            ctx["done_message"] = note
            return render(request, "workbench/_matter_panel.html", ctx)
        messages.success(request, note)
        return redirect("workbench:matter-detail", pk=matter.pk)


class AttachmentUploadView(StaffRequiredMixin, View):
    http_method_names = ["post"]  # noqa: RUF012 Django's own attribute, a plain list

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        matter = get_matter(request, pk)
        refused = attachment_refusal(request.user, matter)
        if refused:  # before reading the file (add_attachment asks the same function)
            raise PermissionDenied(refused)
        upload = request.FILES.get("file")
        form = AttachmentForm(request.POST, request.FILES)
        if upload is None:
            form.is_valid()
            form.add_error("file", "请选择要上传的文件。")
        else:
            try:
                add_attachment(matter, upload.name or "file", upload, by=request.user)
            except ProcedureError as exc:
                form.is_valid()
                form.add_error("file", exc.message)
            else:
                messages.success(request, f"已上传附件“{upload.name}”。")
                return redirect(
                    reverse("workbench:matter-detail", args=[matter.pk]) + "#attachments"
                )
        ctx = matter_context(request, matter)
        ctx["attachment_form"] = form
        return render(request, "workbench/matter_detail.html", ctx)


class AttachmentDownloadView(StaffRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        visible = Matter.objects.for_user(request.user)  # assisting units' matters too
        attachment = get_object_or_404(
            Attachment.objects.select_related("matter").filter(matter__in=visible), pk=pk
        )
        return FileResponse(
            open_stored(attachment.file, "附件文件"),
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )


def units_for_registration(user: Any) -> list[OrgUnit]:
    """Units the user may register matters for (none for leaders, who only read)."""
    units = scope_queryset(OrgUnit.objects.filter(is_active=True), user, "self").order_by("path")
    return [u for u in units if can_act_on(user, u)]


class MatterCreateView(StaffRequiredMixin, View):
    """Register a new matter: choose the procedure, then fill the form built from it."""

    def _procedure(self, request: HttpRequest) -> Procedure | None:
        code = request.POST.get("procedure") or request.GET.get("procedure")
        if not code:
            return None
        for p in all_procedures():
            if p.code == code:
                return p
        raise Http404

    def _form(self, request: HttpRequest, procedure: Procedure, data: Any = None) -> MatterForm:
        units = units_for_registration(request.user)
        initial = {}
        profile = getattr(request.user, "profile", None)
        if profile is not None and any(u.pk == profile.org_id for u in units):
            initial["org"] = str(profile.org_id)
        return MatterForm(procedure, data, orgs=units, initial=initial)

    def get(self, request: HttpRequest) -> HttpResponse:
        procedure = self._procedure(request)
        ctx: dict[str, Any] = {"procedures": all_procedures(), "procedure": procedure}
        if procedure is not None:
            ctx["form"] = self._form(request, procedure)
        ctx["may_register"] = bool(units_for_registration(request.user))
        return render(request, "workbench/matter_create.html", ctx)

    def post(self, request: HttpRequest) -> HttpResponse:
        procedure = self._procedure(request)
        if procedure is None:
            return redirect("workbench:matter-create")
        form = self._form(request, procedure, request.POST)
        if form.is_valid():
            try:
                matter = register_matter(procedure.code, by=request.user, **form.register_kwargs())
            except (ProcedureError, UnknownProcedure) as exc:
                form.add_procedure_error(exc)
            else:
                if shows_verification_code(matter):  # once, to hand over (CODE_POLICY)
                    messages.success(
                        request,
                        f"已登记：{matter.reference}。查询码 {matter.verification_code}，"
                        "请当场告知当事人：此后不再显示，遗失无法找回。",
                    )
                else:
                    messages.success(request, f"已登记：{matter.reference}。")
                return redirect("workbench:matter-detail", pk=matter.pk)
        ctx = {
            "procedures": all_procedures(),
            "procedure": procedure,
            "form": form,
            "may_register": True,
        }
        return render(request, "workbench/matter_create.html", ctx)
