"""Forms of the workbench itself: the queue's filters and the attachment upload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms

from fazhi.core.models import OrgUnit
from fazhi.procedures.declarations import all_procedures
from fazhi.procedures.models import MatterQuerySet
from fazhi.procedures.search import phone_digits  # noqa: F401 (re-exported)

STATUS_CHOICES = (
    ("open", "未办结"),
    ("closed", "已办结"),
    ("all", "全部"),
)
WHO_CHOICES = (
    ("", "我的范围内全部"),
    ("me", "指派给我的"),
    ("unit", "本单位的"),
    ("unassigned", "未指派经办人的"),
)
DUE_CHOICES = (
    ("", "全部"),
    ("warning", "临期（3个工作日内到期）"),
    ("overdue", "已逾期"),
)


def state_choices() -> list[tuple[str, str]]:
    """Every state code of every procedure, with the labels it carries (deduplicated)."""
    labels: dict[str, list[str]] = {}
    for p in all_procedures():
        for code, label in p.states.items():
            names = labels.setdefault(code, [])
            if label not in names:
                names.append(label)
    return [("", "全部")] + [(code, "／".join(names)) for code, names in sorted(labels.items())]


class QueueFilterForm(forms.Form):
    """The queue's filters (GET). Invalid values are reported and ignored, never a 500."""

    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        help_text="编号、事由、当事人或其电话",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "编号、事由、当事人或电话"}),
    )
    who = forms.ChoiceField(label="经办", required=False, choices=WHO_CHOICES)
    procedure = forms.ChoiceField(label="程序", required=False)
    state = forms.ChoiceField(label="状态", required=False)
    org = forms.TypedChoiceField(label="机构", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="办理情况", required=False, choices=STATUS_CHOICES)
    due = forms.ChoiceField(label="期限", required=False, choices=DUE_CHOICES)
    overdue = forms.BooleanField(label="只看逾期", required=False)
    received_from = forms.DateField(
        label="收到日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label="收到日期至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: Any,
        orgs: Iterable[OrgUnit] = (),
        user: Any = None,
        own_org: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.own_org = own_org
        procedure_field: Any = self.fields["procedure"]
        procedure_field.choices = [("", "全部"), *((p.code, p.label) for p in all_procedures())]
        state_field: Any = self.fields["state"]
        state_field.choices = state_choices()
        org_field: Any = self.fields["org"]
        org_field.choices = [("", "全部（含下级）"), *((u.pk, u.label) for u in orgs)]
        self.units = {u.pk: u for u in orgs}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "“收到日期至”不能早于“收到日期自”。")
        return data

    def value(self, name: str) -> Any:
        """The cleaned value of ``name`` (None when absent or invalid)."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    def filter(self, qs: MatterQuerySet, today: dt.date, horizon: dt.date) -> MatterQuerySet:
        """Apply the valid filters to ``qs`` (already limited to the user's scope): the named
        filters of ``MatterQuerySet.filtered``, which the API's list applies too."""
        org_id = self.value("org")
        return qs.filtered(
            today=today,
            warn_until=horizon,
            user=self.user,
            own_org=self.own_org,
            procedure=self.value("procedure"),
            state=self.value("state"),
            org=self.units.get(org_id) if org_id is not None else None,
            status=self.value("status") or "open",
            due="overdue" if self.value("overdue") else self.value("due"),
            received_from=self.value("received_from"),
            received_to=self.value("received_to"),
            q=self.value("q"),
            who=self.value("who"),
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="选择文件",
        required=False,
        help_text="可上传 PDF、JPG、PNG、DOCX、XLSX、OFD、TXT。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["required"] = True
