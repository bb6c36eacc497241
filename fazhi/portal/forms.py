"""Public forms: each asks only what its procedure needs and checks it on the server.

A submission form is built from the procedure's intake declaration (``procedures.intake``:
which fields, in which order, with which labels and help texts) and its declared details
(types, lengths, choices); a custom widget is the declaration's hook (``PublicField.widget``).

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
from fazhi.portal.notices import mobile_of
from fazhi.procedures.attachments import ALLOWED_EXTENSIONS, check_upload, max_attachment_bytes
from fazhi.procedures.declarations import PUBLIC, Action, FieldType, get_procedure
from fazhi.procedures.declarations import Field as DeclaredField
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.intake import COMMON_FIELDS, Intake, PublicField, get_intake

MAX_FILES = 5
HONEYPOT = "website"

PARTY_KINDS = (("person", "个人"), ("organisation", "企业或其他组织"))


def _messages(label: str, *, choose: bool = False) -> dict[str, str]:
    """Chinese error messages; a choice left empty asks to choose (请选择), not to fill in."""
    return {
        "required": f"请选择“{label}”。" if choose else f"请填写“{label}”。",
        "max_length": f"“{label}”最多 %(limit_value)d 字，现在是 %(show_value)d 字。",
        "invalid_choice": f"“{label}”的选项无效，请重新选择。",
        "invalid": f"“{label}”格式不正确。",
    }


class TextField(forms.CharField):
    """A text counted as the page's counter counts it: a line break (CRLF from the browser)
    as one character, so the browser's limit and the server's agree (#21)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("\r\n", "\n")
        return super().to_python(value)


def text_field(label: str, *, max_length: int, required: bool = True, **kwargs: Any) -> Any:
    return TextField(
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
    """A public submission form, built from its procedure's intake (``submission_form``): who
    (name, phone, …), what (subject, the public details), files."""

    procedure: ClassVar[str]
    intake: ClassVar[Intake]

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
        self.attachments = checked_uploads(files)
        return files

    def clean_notify_email(self) -> str:
        return str(self.cleaned_data.get("notify_email") or "").strip()

    def notify(self) -> dict[str, str]:
        """Where the submitter asked to be told (``notices.subscribe``'s keywords)."""
        data = self.cleaned_data
        return {
            "sms": data.get("phone", "") if data.get("notify_sms") else "",
            "email": data.get("notify_email", ""),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = str(data.get("id_number") or "").strip()
        if "id_number" in self.fields and number:
            if data.get("party_kind") == "organisation":
                problem = credit_code_error(number)
            else:
                problem = resident_id_error(number)
            if problem:
                self.add_error("id_number", problem)
        phone = str(data.get("phone") or "")
        if data.get("notify_sms") and phone and not mobile_of(phone):
            self.add_error(
                "notify_sms", "您填写的是固定电话，收不到短信：请改填手机号码，或取消勾选。"
            )
        return data

    # What register_matter needs -------------------------------------------------------
    def party(self) -> dict[str, str]:
        data = self.cleaned_data
        party = {"name": data["name"], "phone": data["phone"]}
        if "party_kind" in self.fields or "id_number" in self.fields:
            party["kind"] = data.get("party_kind") or "person"
        if data.get("id_number"):
            party["id_number"] = data["id_number"]
        return party

    def details(self) -> dict[str, Any]:
        """The public details given (an empty optional input is left out; a yes/no is kept)."""
        details: dict[str, Any] = {}
        for spec in self.intake.detail_fields:
            value = self.cleaned_data.get(spec.name)
            if value is None or value == "":
                continue
            details[spec.name] = value
        return details


def checked_uploads(files: list[UploadedFile]) -> list[tuple[str, bytes]]:
    """The uploaded files' names and contents, each checked (size, kind, content), or a
    ``ValidationError`` naming every refused file."""
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
    return accepted


def _attachment_help() -> str:
    return (
        f"选填。最多 {MAX_FILES} 个，每个不超过 {max_attachment_bytes() / 1048576:.0f} MB；"
        f"可上传 {'、'.join(ALLOWED_EXTENSIONS)} 文件。"
    )


def _common_field(spec: PublicField) -> Any:
    """A form field of the submitter, the subject or the files (the portal's wording)."""
    name = spec.name
    if name == "name":
        label = spec.label or "姓名"
        return text_field(
            label,
            max_length=200,
            help_text=spec.help,
            widget=forms.TextInput({"autocomplete": "name"}),
        )
    if name == "phone":
        return text_field(
            spec.label or "联系电话",
            max_length=30,
            help_text=spec.help
            or "用于工作人员联系您，不会公开。手机号11位，固定电话如 0434-1234567。",
            widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
        )
    if name == "subject":
        return text_field(
            spec.label or "标题",
            max_length=300,
            help_text=spec.help or "一句话概括您的诉求，300字以内。",
        )
    if name == "attachments":
        return MultipleFileField(
            label=spec.label or "附件",
            required=False,
            help_text=spec.help or _attachment_help(),
            widget=MultipleFileInput({"accept": ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)}),
        )
    if name == "party_kind":
        label = spec.label or "您是"
        return forms.ChoiceField(
            label=label,
            choices=PARTY_KINDS,
            initial="person",
            widget=forms.RadioSelect,
            error_messages=_messages(label, choose=True),
        )
    if name == "id_number":
        return text_field(
            spec.label or "证件号码",
            max_length=32,
            required=bool(spec.required),
            help_text=spec.help
            or "选填。个人填居民身份证号码，企业或组织填统一社会信用代码（18位）。不会公开。",
            widget=forms.TextInput({"autocomplete": "off", "spellcheck": "false"}),
        )
    raise ValueError(f"not a common field: {name}")


def _detail_field(spec: PublicField, declared: DeclaredField) -> Any:
    """A form field of a declared detail: its type, limits and choices; the intake's words."""
    label = spec.label or declared.label
    help_text = spec.help or declared.help
    required = declared.required if spec.required is None else spec.required
    messages = _messages(label)
    kwargs: dict[str, Any] = {"label": label, "help_text": help_text, "required": required}
    if spec.widget is not None:
        kwargs["widget"] = spec.widget()
    kind = declared.type
    if kind == FieldType.CHOICE:
        kwargs.setdefault("widget", forms.RadioSelect)
        messages = _messages(label, choose=True)
        return forms.ChoiceField(choices=declared.choices, error_messages=messages, **kwargs)
    if kind == FieldType.BOOL:
        return forms.BooleanField(error_messages=messages, **kwargs)
    if kind in (FieldType.INT, FieldType.DECIMAL):
        if declared.min_value is not None:
            messages["min_value"] = f"“{label}”不能小于 {declared.min_value}。"
        if declared.max_value is not None:
            messages["max_value"] = f"“{label}”不能大于 {declared.max_value}。"
        kwargs.setdefault("widget", forms.TextInput({"inputmode": "decimal"}))
        number = forms.IntegerField if kind == FieldType.INT else forms.DecimalField
        return number(
            min_value=declared.min_value,
            max_value=declared.max_value,
            error_messages=messages,
            **kwargs,
        )
    if kind == FieldType.DATE:
        messages["invalid"] = f"“{label}”应为日期，如 2024-05-01。"
        kwargs.setdefault("widget", forms.DateInput({"type": "date"}))
        return forms.DateField(error_messages=messages, **kwargs)
    if kind == FieldType.TEXT:
        kwargs.setdefault("widget", forms.Textarea({"rows": 8}))
    return text_field(max_length=declared.max_length, **kwargs)


_FORMS: dict[str, tuple[Intake, type[SubmissionForm]]] = {}


def submission_form(procedure: str) -> type[SubmissionForm]:
    """The public form of ``procedure``, built from its intake declaration (in its order).

    Built once per process and intake declaration (a class built at every request cost more
    than validating the submission, #19); a form *instance* is still new for each request.
    Raises ``KeyError`` when the procedure has no intake (nothing the public may submit).
    """
    intake = get_intake(procedure)
    if intake is None:
        raise KeyError(procedure)
    known = _FORMS.get(procedure)
    if known is not None and known[0] is intake:
        return known[1]
    form = _build_submission_form(procedure, intake)
    _FORMS[procedure] = (intake, form)
    return form


def _build_submission_form(procedure: str, intake: Intake) -> type[SubmissionForm]:
    declaration = get_procedure(procedure)
    attrs: dict[str, Any] = {"procedure": procedure, "intake": intake}
    for spec in intake.fields:
        declared = declaration.detail_field(spec.name)
        if spec.name in COMMON_FIELDS:
            attrs[spec.name] = _common_field(spec)
        elif declared is not None:
            attrs[spec.name] = _detail_field(spec, declared)
    attrs.update(_notice_fields())
    name = "".join(part.title() for part in procedure.split("_")) + "Form"
    return type(name, (SubmissionForm,), attrs)


def _notice_fields() -> dict[str, Any]:
    """Whether and where the submitter is told of the progress (fazhi.portal.notices)."""
    return {
        "notify_sms": forms.BooleanField(
            label="有进展时发短信告诉我（发到上面的手机号码）",
            required=False,
            initial=True,
            help_text="受理、答复和办结时各发一条短信，短信里只有查询编号，不含您的姓名和诉求内容。",
        ),
        "notify_email": forms.EmailField(
            label="电子邮箱",
            required=False,
            max_length=254,
            help_text="选填。填写后，受理、答复和办结时也发邮件告诉您。",
            error_messages={"invalid": "电子邮箱格式不对，如 zhang@example.com。"},
            widget=forms.EmailInput({"autocomplete": "email"}),
        ),
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
                    error_messages=_messages(spec.label, choose=True),
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


class SupplementForm(PublicForm):
    """The submitter's further information or files on the tracking page (``supplement``)."""

    text = text_field(
        "补充内容",
        max_length=5000,
        required=False,
        help_text="补充的情况说明，最多5000字；也可以只上传文件。",
        widget=forms.Textarea({"rows": 4, "maxlength": 5000}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "supplement")
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = MultipleFileField(
            label="补充文件", required=False, help_text=_attachment_help()
        )
        self.files_checked: list[tuple[str, bytes]] = []

    def clean_attachments(self) -> list[UploadedFile]:
        files = self.cleaned_data.get("attachments") or []
        self.files_checked = checked_uploads(files)
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("text") and not self.files_checked:
            raise forms.ValidationError("请填写补充内容或选择要上传的文件。")
        return data
