"""Django forms built from a declaration: an Action's data, or a Procedure's new matter.

The forms only *collect* input: every value goes to the engine as the text the user typed
(checkboxes as booleans), and the engine (``rules.clean_data``, ``register_matter``) decides
whether it is valid. A refused value comes back as a ``ProcedureError`` whose ``field`` names
the input; ``add_procedure_error`` puts its Chinese message next to that input. So there is
one set of validation rules, the engine's, whichever face (workbench, portal, API) asks.

Field names match the engine's: an action's declared field names plus ``on``; for a new
matter ``org``, ``received_on``, ``subject``, ``channel``, ``party.<key>`` and
``details.<name>`` (the ``field`` the engine reports for each).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.procedures.declarations import Action, Field, FieldType, Procedure
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Channel, PartyKind

OrgChoices = Iterable[OrgUnit]
PersonChoices = Iterable[tuple[str, str]]  # (user id, "name（unit · role）")

PARTY_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "当事人姓名或名称"),
    ("kind", "当事人类别"),
    ("id_number", "证件号码"),
    ("phone", "联系电话"),
    ("address", "联系地址"),
)


def _org_choices(orgs: OrgChoices, blank: bool) -> list[tuple[str, str]]:
    rows = [(str(u.pk), u.label) for u in orgs]
    return [("", "——请选择机构——"), *rows] if blank else rows


def form_field(f: Field, *, orgs: OrgChoices = (), people: PersonChoices = ()) -> forms.Field:
    """The Django form field that collects a declared ``Field`` (values stay as typed)."""
    attrs: dict[str, Any] = {}
    if f.required and f.type != FieldType.BOOL:
        attrs["required"] = True
        attrs["aria-required"] = "true"
    common: dict[str, Any] = {"label": f.label, "required": False, "help_text": f.help}
    if f.type == FieldType.BOOL:
        return forms.BooleanField(**common)
    if f.type == FieldType.TEXT:
        return forms.CharField(
            widget=forms.Textarea(attrs={**attrs, "rows": 4, "maxlength": f.max_length}),
            strip=False,
            **common,
        )
    if f.type == FieldType.CHOICE:
        choices = [("", "——请选择——"), *f.choices]
        return forms.CharField(widget=forms.Select(attrs=attrs, choices=choices), **common)
    if f.type == FieldType.ORG:
        return forms.CharField(
            widget=forms.Select(attrs=attrs, choices=_org_choices(orgs, blank=True)), **common
        )
    if f.type == FieldType.PERSON:
        choices = [("", "——请选择——"), *people]
        return forms.CharField(widget=forms.Select(attrs=attrs, choices=choices), **common)
    if f.type == FieldType.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={**attrs, "type": "date"}), **common)
    if f.type in (FieldType.INT, FieldType.DECIMAL):
        number_attrs = {**attrs, "inputmode": "numeric" if f.type == FieldType.INT else "decimal"}
        if f.min_value is not None:
            number_attrs["min"] = f.min_value
        if f.max_value is not None:
            number_attrs["max"] = f.max_value
        if f.type == FieldType.DECIMAL:
            number_attrs["step"] = "any"
        return forms.CharField(widget=forms.NumberInput(attrs=number_attrs), **common)
    return forms.CharField(
        widget=forms.TextInput(attrs={**attrs, "maxlength": f.max_length}), **common
    )


def _parse_date(value: str, label: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise forms.ValidationError(
            f"“{label}”格式错误：{value} 不是有效的日期（YYYY-MM-DD）。"
        ) from None


class DeclaredForm(forms.Form):
    """Shared behaviour: put an engine error next to the input it names."""

    def add_procedure_error(self, error: ProcedureError) -> None:
        """Show ``error`` next to ``error.field`` (or at the top of the form)."""
        field = error.field if error.field in self.fields else None
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            self.full_clean()
        self.add_error(field, error.message)


class ActionForm(DeclaredForm):
    """The data of one action, plus ``on`` (its date of effect, default today).

    ``action_data()`` gives the keyword arguments for ``services.act``.
    """

    def __init__(
        self,
        action: Action,
        *args: Any,
        orgs: OrgChoices = (),
        people: PersonChoices = (),
        today: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"id_{action.name}_%s")
        super().__init__(*args, **kwargs)
        self.action = action
        for f in action.fields:
            self.fields[f.name] = form_field(f, orgs=orgs, people=people)
        self.fields["on"] = forms.CharField(
            label="生效日期",
            required=False,
            initial=(today or clock.today()).isoformat(),
            help_text="该操作发生的日期（据以计算期限），默认今天。",
            widget=forms.DateInput(attrs={"type": "date", "required": True}),
        )

    def clean_on(self) -> dt.date | None:
        return _parse_date(self.cleaned_data.get("on", ""), "生效日期")

    def action_data(self) -> dict[str, Any]:
        """The declared fields as typed (booleans for checkboxes), for the engine to clean."""
        return {f.name: self.cleaned_data.get(f.name) for f in self.action.fields}

    @property
    def on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("on")
        return value

    @property
    def data_fields(self) -> list[forms.BoundField]:
        """The action's own fields (the date of effect apart, see ``date_field``)."""
        return [self[f.name] for f in self.action.fields]

    @property
    def date_field(self) -> forms.BoundField:
        return self["on"]

    @property
    def date_shown(self) -> str:
        """The date of effect as it will be submitted (today unless changed)."""
        value = self["on"].value()
        return str(value or "")

    @property
    def date_is_today(self) -> bool:
        return self.date_shown == str(self.fields["on"].initial)


class MatterForm(DeclaredForm):
    """A new matter of ``procedure``: unit, dates, subject, channel, party and details."""

    def __init__(
        self,
        procedure: Procedure,
        *args: Any,
        orgs: OrgChoices = (),
        today: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        units = list(orgs)
        self.fields["org"] = forms.CharField(
            label="承办机构",
            required=False,
            widget=forms.Select(
                attrs={"required": True}, choices=_org_choices(units, blank=len(units) != 1)
            ),
        )
        self.fields["received_on"] = forms.CharField(
            label="收到日期",
            required=False,
            initial=(today or clock.today()).isoformat(),
            help_text="期限自收到之日起算。",
            widget=forms.DateInput(attrs={"type": "date", "required": True}),
        )
        self.fields["subject"] = forms.CharField(
            label="事由",
            required=False,
            widget=forms.TextInput(attrs={"required": True, "maxlength": 300}),
        )
        self.fields["channel"] = forms.CharField(
            label="渠道",
            required=False,
            initial=Channel.WINDOW,
            widget=forms.Select(choices=Channel.choices),
        )
        for key, label in PARTY_FIELDS:
            attrs: dict[str, Any] = {}
            if key == "name" and procedure.party_required:
                attrs = {"required": True}
            widget: forms.Widget
            if key == "kind":
                widget = forms.Select(choices=[("", "——自动判断——"), *PartyKind.choices])
            else:
                widget = forms.TextInput(attrs=attrs)
            help_text = (
                "自然人填居民身份证号码，组织填统一社会信用代码。" if key == "id_number" else ""
            )
            self.fields[f"party.{key}"] = forms.CharField(
                label=label, required=False, widget=widget, help_text=help_text
            )
        for f in procedure.details:
            self.fields[f"details.{f.name}"] = form_field(f, orgs=units)

    def clean_received_on(self) -> dt.date | None:
        return _parse_date(self.cleaned_data.get("received_on", ""), "收到日期")

    def register_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``services.register_matter`` (the engine validates them)."""
        data = self.cleaned_data
        details = {}
        for f in self.procedure.details:
            value = data.get(f"details.{f.name}")
            if value not in (None, "") or f.type == FieldType.BOOL:
                details[f.name] = value
        return {
            "org": data.get("org") or "",
            "received_on": data.get("received_on"),
            "subject": data.get("subject") or "",
            "channel": data.get("channel") or Channel.WINDOW,
            "party": {key: data.get(f"party.{key}") or "" for key, _ in PARTY_FIELDS},
            "details": details,
        }

    @property
    def party_fields(self) -> list[forms.BoundField]:
        return [self[f"party.{key}"] for key, _ in PARTY_FIELDS]

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        return [self[f"details.{f.name}"] for f in self.procedure.details]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("org", "received_on", "subject", "channel")]
