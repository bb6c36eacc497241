"""The form of a supervision activity: its common fields and the figures its kind declares
(the files come as ``files``, read by the view; ``supervision.record_supervision`` checks them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from fazhi.core.models import OrgUnit
from fazhi.procedures.activities import get_kind
from fazhi.procedures.declarations import FieldType


class SupervisionForm(forms.Form):
    org = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label="组织单位")
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label="名称", max_length=300)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, kind: str, orgs: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = get_kind(kind)
        org_field = self.fields["org"]
        assert isinstance(org_field, forms.ModelChoiceField)  # noqa: S101  declared above  # nosec B101
        org_field.queryset = orgs
        for f in self.kind.figures:
            field: forms.Field
            if f.type == FieldType.INT:
                field = forms.IntegerField(min_value=f.min_value, max_value=f.max_value)
            elif f.type == FieldType.DECIMAL:
                field = forms.DecimalField(
                    min_value=f.min_value, max_value=f.max_value, decimal_places=2
                )
            else:
                field = forms.CharField()
            field.label, field.required, field.help_text = f.label, f.required, f.help
            self.fields[f.name] = field

    def figure_values(self) -> dict[str, Any]:
        return {f.name: self.cleaned_data.get(f.name) for f in self.kind.figures}
