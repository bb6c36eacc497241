"""Public forms: each asks only what its procedure needs and checks it on the server.

The forms parse and pre-check input (so that an error appears next to its field before
anything is written); the engine (``register_matter``, ``act``) still validates everything
itself, and its errors are mapped back onto the fields by ``field_for_error``. Every message
is set here in Chinese, whatever language the browser asks for.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile

from fazhi.core.pii import credit_code_error, phone_error, resident_id_error
from fazhi.procedures.attachments import ALLOWED_EXTENSIONS, check_upload, max_attachment_bytes
from fazhi.procedures.declarations import PUBLIC, Action, FieldType, get_procedure
from fazhi.procedures.errors import ProcedureError

MAX_FILES = 5
HONEYPOT = "website"

PARTY_KINDS = (("person", "个人"), ("organisation", "企业或其他组织"))


def _messages(label: str) -> dict[str, str]:
    return {
        "required": f"请填写“{label}”。",
        "max_length": f"“{label}”最多 %(limit_value)d 字，现在是 %(show_value)d 字。",
        "invalid_choice": f"“{label}”的选项无效，请重新选择。",
        "invalid": f"“{label}”格式不正确。",
    }


def text_field(label: str, *, max_length: int, required: bool = True, **kwargs: Any) -> Any:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages=_messages(label),
        **kwargs,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (Django's documented pattern)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PublicForm(forms.Form):
    """Marks invalid inputs for assistive technology (aria-invalid, aria-describedby)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            described = []
            if field.help_text:
                described.append(f"id_{name}_hint")
            if self.is_bound and name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"id_{name}_error")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}_hint")
            if field.required and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs.setdefault("required", True)

    def add_engine_error(self, error: ProcedureError) -> None:
        """Show an engine error next to the field it names (or above the form)."""
        self.add_error(field_for_error(self, error.field), error.message)


def field_for_error(form: forms.Form, name: str | None) -> str | None:
    """The form field an engine error's ``field`` refers to (``party.phone`` → ``phone``)."""
    if not name:
        return None
    if name == "file":
        return "attachments" if "attachments" in form.fields else None
    bare = name.split(".", 1)[1] if name.startswith(("party.", "details.")) else name
    return bare if bare in form.fields else None


class SubmissionForm(PublicForm):
    """Common to the three channels: who (name, phone), what (subject, content), files."""

    procedure: ClassVar[str]
    with_id_number: ClassVar[bool] = False

    # Honeypot: hidden from people and screen readers (class hp, aria-hidden); bots fill it.
    website = forms.CharField(label="网址（请勿填写）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.attachments: list[tuple[str, bytes]] = []

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone", "")).strip()
        problem = phone_error(phone) if phone else None
        if problem:
            raise forms.ValidationError(problem)
        return phone

    def clean_attachments(self) -> list[UploadedFile]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"附件最多 {MAX_FILES} 个，您选择了 {len(files)} 个。")
        limit = max_attachment_bytes()
        problems, accepted = [], []
        for upload in files:
            name = upload.name or "附件"
            if upload.size is not None and upload.size > limit:
                problems.append(
                    f"附件“{name}”过大：{upload.size / 1048576:.1f} MB，"
                    f"每个附件不超过 {limit / 1048576:.0f} MB。"
                )
                continue
            content = upload.read(limit + 1)
            try:
                check_upload(name, content)
            except ProcedureError as exc:
                problems.append(exc.message)
                continue
            accepted.append((name, content))
        if problems:
            raise forms.ValidationError(problems)
        self.attachments = accepted
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = str(data.get("id_number") or "").strip()
        if self.with_id_number and number:
            if data.get("party_kind") == "organisation":
                problem = credit_code_error(number)
            else:
                problem = resident_id_error(number)
            if problem:
                self.add_error("id_number", problem)
        return data

    # What register_matter needs -------------------------------------------------------
    def party(self) -> dict[str, str]:
        data = self.cleaned_data
        party = {"name": data["name"], "phone": data["phone"]}
        if self.with_id_number:
            party["kind"] = data.get("party_kind") or "person"
            if data.get("id_number"):
                party["id_number"] = data["id_number"]
        return party

    def details(self) -> dict[str, Any]:
        return {"content": self.cleaned_data["content"]}


def _attachment_help() -> str:
    return (
        f"选填。最多 {MAX_FILES} 个，每个不超过 {max_attachment_bytes() / 1048576:.0f} MB；"
        f"可上传 {'、'.join(ALLOWED_EXTENSIONS)} 文件。"
    )


class _Fields:
    """Field factories, so that each form lists its fields in the order people fill them."""

    @staticmethod
    def name(label: str = "姓名") -> Any:
        return text_field(label, max_length=200, widget=forms.TextInput({"autocomplete": "name"}))

    @staticmethod
    def phone() -> Any:
        return text_field(
            "联系电话",
            max_length=30,
            help_text="用于工作人员联系您，不会公开。手机号11位，固定电话如 0434-1234567。",
            widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
        )

    @staticmethod
    def subject(label: str = "标题") -> Any:
        return text_field(label, max_length=300, help_text="一句话概括您的诉求，300字以内。")

    @staticmethod
    def content(procedure: str, label: str, help_text: str) -> Any:
        declared = get_procedure(procedure).detail_field("content")
        return text_field(
            label,
            max_length=declared.max_length if declared is not None else 5000,
            help_text=help_text,
            widget=forms.Textarea({"rows": 8}),
        )

    @staticmethod
    def attachments() -> Any:
        return MultipleFileField(
            label="附件",
            required=False,
            help_text=_attachment_help(),
            widget=MultipleFileInput({"accept": ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)}),
        )

    @staticmethod
    def party_kind() -> Any:
        return forms.ChoiceField(
            label="您是",
            choices=PARTY_KINDS,
            initial="person",
            widget=forms.RadioSelect,
            error_messages=_messages("您是"),
        )

    @staticmethod
    def id_number() -> Any:
        return text_field(
            "证件号码",
            max_length=32,
            required=False,
            help_text="选填。个人填居民身份证号码，企业或组织填统一社会信用代码（18位）。不会公开。",
            widget=forms.TextInput({"autocomplete": "off", "spellcheck": "false"}),
        )


def _choices(procedure: str, field: str) -> tuple[tuple[str, str], ...]:
    declared = get_procedure(procedure).detail_field(field)
    return declared.choices if declared is not None else ()


class HelpRequestForm(SubmissionForm):
    """办不成事请找我: the kind of request, who, what."""

    procedure = "help_request"
    with_id_number = True

    kind = forms.ChoiceField(
        label="诉求类别",
        choices=_choices("help_request", "kind"),
        widget=forms.RadioSelect,
        error_messages=_messages("诉求类别"),
    )
    party_kind = _Fields.party_kind()
    name = _Fields.name("姓名或单位名称")
    phone = _Fields.phone()
    id_number = _Fields.id_number()
    subject = _Fields.subject()
    content = _Fields.content(
        "help_request", "具体情况", "请写明在哪里办什么事、遇到了什么问题、希望得到什么帮助。"
    )
    attachments = _Fields.attachments()

    def details(self) -> dict[str, Any]:
        return {**super().details(), "kind": self.cleaned_data["kind"]}


class BusinessComplaintForm(SubmissionForm):
    """营商环境投诉举报: the complainant, the unit complained about, the facts."""

    procedure = "business_complaint"
    with_id_number = True

    party_kind = _Fields.party_kind()
    name = _Fields.name("姓名或单位名称")
    id_number = _Fields.id_number()
    phone = _Fields.phone()
    enterprise = text_field(
        "涉及企业",
        max_length=200,
        required=False,
        help_text="选填。反映的问题涉及的企业名称。",
    )
    respondent = text_field(
        "被投诉单位",
        max_length=200,
        required=False,
        help_text="选填。您投诉或举报的单位、部门。",
    )
    subject = _Fields.subject()
    content = _Fields.content(
        "business_complaint",
        "投诉举报内容",
        "请写明时间、地点、经过和您的诉求；如有证据材料可作为附件上传。",
    )
    attachments = _Fields.attachments()

    def details(self) -> dict[str, Any]:
        details = super().details()
        for name in ("enterprise", "respondent"):
            if self.cleaned_data.get(name):
                details[name] = self.cleaned_data[name]
        return details


class MailboxLetterForm(SubmissionForm):
    """区长信箱: who writes, the letter, whether the reply may be published."""

    procedure = "mailbox_letter"

    name = _Fields.name()
    phone = _Fields.phone()
    subject = _Fields.subject("来信标题")
    content = _Fields.content("mailbox_letter", "来信内容", "请写明您的意见建议或反映的问题。")
    consent_publish = forms.BooleanField(
        label="同意将来信和答复脱敏后在本站公开",
        required=False,
        help_text="公开时隐去您的姓名（只保留姓氏）、电话和证件号码。",
    )
    attachments = _Fields.attachments()

    def details(self) -> dict[str, Any]:
        return {**super().details(), "consent_publish": self.cleaned_data["consent_publish"]}


SUBMISSION_FORMS: dict[str, type[SubmissionForm]] = {
    form.procedure: form for form in (HelpRequestForm, BusinessComplaintForm, MailboxLetterForm)
}


# --- tracking -------------------------------------------------------------------------------


class TrackForm(PublicForm):
    reference = text_field(
        "查询编号",
        max_length=64,
        help_text="提交成功后页面上显示的编号，如 BC-2024-000123。",
        widget=forms.TextInput({"autocomplete": "off", "spellcheck": "false"}),
    )
    code = text_field(
        "查询码",
        max_length=12,
        help_text="与编号一同给出的6位查询码。",
        widget=forms.TextInput({"autocomplete": "off", "spellcheck": "false"}),
    )


class ActionForm(PublicForm):
    """The form of an action the submitter may take (rate, request_reopen), from its fields."""

    def __init__(self, action: Action, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", action.name)
        super().__init__(*args, **kwargs)
        if PUBLIC not in action.roles:
            raise ValueError(f"{action.name} is not a public action")
        self.action = action
        for spec in action.fields:
            if spec.type == FieldType.CHOICE:
                self.fields[spec.name] = forms.ChoiceField(
                    label=spec.label,
                    choices=spec.choices,
                    required=spec.required,
                    widget=forms.RadioSelect,
                    error_messages=_messages(spec.label),
                )
            else:
                self.fields[spec.name] = text_field(
                    spec.label,
                    max_length=spec.max_length,
                    required=spec.required,
                    widget=forms.Textarea({"rows": 4}),
                )
        # __init__ of PublicForm ran before the fields existed: mark them now.
        for field in self.fields.values():
            if field.required and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs.setdefault("required", True)

    def data_for_engine(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
