"""Serializers of the staff API: input parsing and output shapes (no business rules here).

Input serializers only check types and sizes; what a matter, an action or an activity may
contain is decided by the engine, whose errors the views turn into 400/403 answers.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fazhi.api.errors import ErrorCode
from fazhi.core.models import OrgUnit, Role
from fazhi.procedures.declarations import Action, Field, Procedure
from fazhi.procedures.links import links_for
from fazhi.procedures.models import (
    Activity,
    Attachment,
    Channel,
    Clock,
    LinkKind,
    Matter,
    MatterAssistant,
    PartyKind,
    Satisfaction,
    Step,
)
from fazhi.procedures.services import shows_verification_code
from fazhi.workdays import TimeLimit, UnknownLimitError, get_limit

# --- declarations -------------------------------------------------------------------------


class ChoiceSpecSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a JSON key, not Field.label


class FieldSpecSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a JSON key, not Field.label
    type = serializers.CharField(
        help_text="str、text、bool、int、decimal、date、choice、org 之一。"
    )
    required = serializers.BooleanField()  # type: ignore[assignment]  # a JSON key, not Field.required
    choices = ChoiceSpecSerializer(many=True)
    max_length = serializers.IntegerField()
    min_value = serializers.IntegerField(allow_null=True)
    max_value = serializers.IntegerField(allow_null=True)
    help = serializers.CharField(allow_blank=True)


class ActionSpecSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a JSON key, not Field.label
    sources = serializers.ListField(
        child=serializers.CharField(), help_text="可执行的状态；* 为任一未办结状态，** 为任一状态。"
    )
    target = serializers.CharField(allow_null=True, help_text="执行后的状态；为空表示不变。")
    roles = serializers.ListField(child=serializers.CharField())
    fields = FieldSpecSerializer(many=True)  # type: ignore[assignment]  # a JSON key, not Field.fields
    needs_approval = serializers.BooleanField()
    generic = serializers.BooleanField()


class StateSpecSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a JSON key, not Field.label
    closed = serializers.BooleanField()


class DeadlineSpecSerializer(serializers.Serializer[Any]):
    limit = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a JSON key, not Field.label
    states = serializers.ListField(child=serializers.CharField())
    runs_from = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField(allow_blank=True)


class ProcedureSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a JSON key, not Field.label
    description = serializers.CharField(allow_blank=True)
    initial_state = serializers.CharField()
    states = StateSpecSerializer(many=True)
    actions = ActionSpecSerializer(many=True)
    details = FieldSpecSerializer(many=True)
    deadlines = DeadlineSpecSerializer(many=True)
    confidential = serializers.BooleanField()
    public_trackable = serializers.BooleanField()
    public_submission = serializers.BooleanField()
    party_required = serializers.BooleanField()


def field_json(f: Field) -> dict[str, Any]:
    return {
        "name": f.name,
        "label": f.label,
        "type": str(f.type),
        "required": f.required,
        "choices": [{"value": v, "label": label} for v, label in f.choices],
        "max_length": f.max_length,
        "min_value": f.min_value,
        "max_value": f.max_value,
        "help": f.help,
    }


def action_json(a: Action) -> dict[str, Any]:
    return {
        "name": a.name,
        "label": a.label,
        "sources": sorted(a.sources),
        "target": a.target,
        "roles": sorted(a.roles),
        "fields": [field_json(f) for f in a.fields],
        "needs_approval": a.needs_approval,
        "generic": a.generic,
    }


def procedure_json(p: Procedure) -> dict[str, Any]:
    deadlines = []
    for d in p.deadlines:
        try:
            limit: TimeLimit | None = get_limit(d.limit)  # the configured limit, not the default
        except UnknownLimitError:
            limit = None
        deadlines.append(
            {
                "limit": d.limit,
                "label": d.label,
                "states": sorted(d.states),
                "runs_from": list(d.runs_from),
                "description": limit.description if limit is not None else "",
            }
        )
    return {
        "code": p.code,
        "label": p.label,
        "description": p.description,
        "initial_state": p.initial_state,
        "states": [
            {"code": code, "label": label, "closed": p.is_closed(code)}
            for code, label in p.states.items()
        ],
        "actions": [action_json(a) for a in p.all_actions()],
        "details": [field_json(f) for f in p.details],
        "deadlines": deadlines,
        "confidential": p.confidential,
        "public_trackable": p.public_trackable,
        "public_submission": p.public_submission,
        "party_required": p.party_required,
    }


# --- matters ------------------------------------------------------------------------------


class OrgRefSerializer(serializers.ModelSerializer[OrgUnit]):
    class Meta:
        model = OrgUnit
        fields = ("id", "name", "division_code")


class MatterSerializer(serializers.ModelSerializer[Matter]):
    """A matter in a list."""

    procedure_label = serializers.CharField(read_only=True)
    state_label = serializers.CharField(read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    overdue = serializers.SerializerMethodField(help_text="今天是否已逾期。")
    # "" until the submitter rates: the schema says so (the model field's enum alone did not)
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices,
        allow_blank=True,
        read_only=True,
        help_text="最近一次评价；尚未评价时为空字符串。",
    )

    class Meta:
        model = Matter
        fields: tuple[str, ...] = (
            "id",
            "procedure",
            "procedure_label",
            "reference",
            "org",
            "org_name",
            "received_on",
            "subject",
            "channel",
            "party_name",
            "state",
            "state_label",
            "outcome",
            "due_on",
            "due_provisional",
            "due_paused",
            "overdue",
            "closed_on",
            "satisfaction",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_overdue(self, matter: Matter) -> bool:
        return matter.is_overdue(self.context.get("today"))


class StepSerializer(serializers.ModelSerializer[Step]):
    action_label = serializers.SerializerMethodField()
    state_after_label = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = (
            "seq",
            "action",
            "action_label",
            "on",
            "mailed_on",
            "at",
            "actor_label",
            "org",
            "state_before",
            "state_after",
            "state_after_label",
            "data",
        )
        read_only_fields = fields

    def get_action_label(self, step: Step) -> str:
        if step.action == "register":
            return "登记"
        procedure = step.matter.declaration
        names = {a.name: a.label for a in procedure.all_actions()}
        return names.get(step.action, step.action)

    def get_state_after_label(self, step: Step) -> str:
        return step.matter.declaration.state_label(step.state_after)


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    step = serializers.SerializerMethodField(help_text="带来该文件的步骤序号。")

    class Meta:
        model = Attachment
        fields = ("id", "name", "size", "content_type", "sha256", "public", "step", "uploaded_at")
        read_only_fields = fields

    def get_step(self, attachment: Attachment) -> int | None:
        return attachment.step.seq if attachment.step is not None else None


class PartySerializer(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    kind = serializers.ChoiceField(choices=PartyKind.choices, required=False, allow_blank=True)
    id_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="居民身份证号码或统一社会信用代码。",
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)


class LinkedMatterSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    subject = serializers.CharField()


class LinkSerializer(serializers.Serializer[Any]):
    """One link of the matter, as seen from it (fazhi.procedures.links.links_for)."""

    kind = serializers.ChoiceField(choices=LinkKind.choices, help_text="关联类型。")
    wording = serializers.CharField(
        help_text="从本事项看该关联的说法，如“导入至”“重复反映本事项”。"
    )
    direction = serializers.ChoiceField(
        choices=(("outgoing", "本事项指向对方"), ("incoming", "对方指向本事项")),
        help_text="outgoing：本事项的步骤建立了关联；incoming：对方事项的步骤指向本事项。",
    )
    on = serializers.DateField(help_text="建立关联的日期。")
    procedure_label = serializers.CharField(help_text="对方事项的程序。")
    reference = serializers.CharField(help_text="对方事项的编号。")
    matter = LinkedMatterSerializer(
        allow_null=True, help_text="对方事项；您无权查看时为空（保密程序的事项则整条不列出）。"
    )


class AssistantSerializer(serializers.Serializer[Any]):
    org = serializers.IntegerField(source="org_id", help_text="会办单位编号。")
    org_name = serializers.CharField(source="org.name", help_text="会办单位名称。")
    added_on = serializers.DateField(help_text="增加会办单位的日期。")


class ClockSerializer(serializers.ModelSerializer[Clock]):
    """One run of a time limit on the matter: running (``answered_on`` empty) or answered."""

    class Meta:
        model = Clock
        fields = Clock.VALUES
        read_only_fields = fields


class MatterDetailSerializer(MatterSerializer):
    """A matter with its party (unmasked: only staff in scope reach it), steps, clocks and
    files, its links to other matters and its assisting units (会办). ``due_on`` is the
    earliest running clock's; ``clocks`` lists each of them."""

    party = serializers.SerializerMethodField()
    verification_code = serializers.SerializerMethodField(
        help_text="查询码：只在登记的应答中给出一次（可网上查询的程序），此后为空（#19 缺陷4）。"
    )
    steps = StepSerializer(many=True, read_only=True)
    clocks = ClockSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    links = serializers.SerializerMethodField()
    assistants = serializers.SerializerMethodField()

    class Meta(MatterSerializer.Meta):
        fields = (
            *MatterSerializer.Meta.fields,
            "verification_code",
            "party",
            "details",
            "due_rule",
            "due_basis",
            "clocks",
            "steps",
            "attachments",
            "links",
            "assistants",
        )
        read_only_fields = fields

    def get_verification_code(self, matter: Matter) -> str:
        """The code once, in the answer to the registration (context ``show_code``), for a
        matter the public can track; never again (fazhi.procedures.services.CODE_POLICY)."""
        if self.context.get("show_code") and shows_verification_code(matter):
            return matter.verification_code
        return ""

    @extend_schema_field(LinkSerializer(many=True))
    def get_links(self, matter: Matter) -> list[dict[str, Any]]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return [
            {
                "kind": v.kind,
                "wording": v.wording,
                "direction": "outgoing" if v.outgoing else "incoming",
                "on": v.on.isoformat(),
                "procedure_label": v.procedure_label,
                "reference": v.reference,
                "matter": None
                if v.other is None
                else {"id": v.other.pk, "reference": v.other.reference, "subject": v.other.subject},
            }
            for v in links_for(matter, user)
        ]

    @extend_schema_field(AssistantSerializer(many=True))
    def get_assistants(self, matter: Matter) -> list[dict[str, Any]]:
        rows = MatterAssistant.objects.filter(matter=matter).select_related("org").order_by("pk")
        return [dict(AssistantSerializer(row).data) for row in rows]

    @extend_schema_field(PartySerializer)
    def get_party(self, matter: Matter) -> dict[str, str]:
        return {
            "name": matter.party_name,
            "kind": matter.party_kind,
            "id_number": matter.party_id_number,
            "phone": matter.party_phone_shown,
            "address": matter.party_address,
        }


class MatterCreateSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField(max_length=40, help_text="程序代码，见 /api/v1/procedures/。")
    org = serializers.CharField(
        required=False,
        max_length=200,
        help_text="承办机构：行政区划代码、机构编号或全称；默认本人所在机构。",
    )
    received_on = serializers.DateField(required=False, help_text="收到日期；默认今天。")
    subject = serializers.CharField(max_length=300)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    party = PartySerializer(required=False)
    details = serializers.DictField(required=False, help_text="程序声明的详情字段。")
    reference = serializers.CharField(
        required=False, max_length=64, help_text="已有编号（如纸质登记号）；默认自动编号。"
    )
    mailed_on = serializers.DateField(required=False, allow_null=True, help_text="交邮日期。")


class ActionRequestSerializer(serializers.Serializer[Any]):
    action = serializers.CharField(max_length=40, help_text="操作代码，见可执行操作列表。")
    on = serializers.DateField(required=False, help_text="生效日期（YYYY-MM-DD）；默认今天。")
    mailed_on = serializers.DateField(required=False, allow_null=True, help_text="交邮日期。")
    data = serializers.DictField(  # type: ignore[assignment]  # the request's "data" key
        required=False, help_text="操作声明的数据字段。"
    )


class ActionResultSerializer(serializers.Serializer[Any]):
    step = StepSerializer()
    matter = MatterDetailSerializer()


class AttachmentUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="PDF、JPEG、PNG、docx、xlsx、OFD 或 UTF-8 文本。")
    public = serializers.BooleanField(required=False, default=False, help_text="公众查询页可见。")


class MatterFilterSerializer(serializers.Serializer[Any]):
    """The matter list's filters: the workbench queue's names (``MatterQuerySet.filtered``).

    ``open``, ``overdue`` (true/false), ``received_after``, ``received_before`` and ``search``
    are the earlier names, still read (``canonical()``)."""

    procedure = serializers.CharField(required=False, max_length=40, help_text="程序代码。")
    state = serializers.CharField(required=False, max_length=40, help_text="状态代码。")
    org = serializers.CharField(
        required=False, max_length=200, help_text="机构（含下级）：区划代码、编号或全称。"
    )
    status = serializers.ChoiceField(
        required=False,
        choices=["open", "closed", "all"],
        help_text="open 未办结，closed 已办结，all 全部（默认）。",
    )
    due = serializers.ChoiceField(
        required=False,
        choices=["warning", "overdue", "not_overdue"],
        help_text="warning 临期（3个工作日内到期），overdue 已逾期，not_overdue 未逾期。",
    )
    received_from = serializers.DateField(required=False, help_text="收到日期不早于。")
    received_to = serializers.DateField(required=False, help_text="收到日期不晚于。")
    q = serializers.CharField(
        required=False,
        max_length=100,
        help_text="编号（完整）、事由、当事人或其电话（任意写法的数字）。",
    )
    who = serializers.ChoiceField(
        required=False,
        choices=["me", "unit", "unassigned"],
        help_text="me 指派给我的，unit 本单位主办的，unassigned 未指派经办人的。",
    )
    # the earlier names (deprecated)
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="已弃用：用 due。"
    )
    open = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="已弃用：用 status。"
    )
    received_after = serializers.DateField(required=False, help_text="已弃用：用 received_from。")
    received_before = serializers.DateField(required=False, help_text="已弃用：用 received_to。")
    search = serializers.CharField(required=False, max_length=100, help_text="已弃用：用 q。")

    @staticmethod
    def canonical(data: dict[str, Any]) -> dict[str, Any]:
        """The validated filters under the shared names, the earlier names mapped onto them."""
        f = dict(data)
        overdue, is_open = f.pop("overdue", None), f.pop("open", None)
        if not f.get("due") and overdue is not None:
            f["due"] = "overdue" if overdue else "not_overdue"
        if not f.get("status") and is_open is not None:
            f["status"] = "open" if is_open else "closed"
        for old, new in (
            ("received_after", "received_from"),
            ("received_before", "received_to"),
            ("search", "q"),
        ):
            value = f.pop(old, None)
            if value and not f.get(new):
                f[new] = value
        return f


# --- activities ---------------------------------------------------------------------------


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    kind_label = serializers.SerializerMethodField()
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Activity
        fields = (
            "id",
            "kind",
            "kind_label",
            "on",
            "org",
            "org_name",
            "title",
            "figures",
            "note",
            "reference",
            "created_at",
        )
        read_only_fields = fields

    def get_kind_label(self, activity: Activity) -> str:
        from fazhi.procedures.activities import all_kinds

        return {k.code: k.label for k in all_kinds()}.get(activity.kind, activity.kind)


class ActivityCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(max_length=40, help_text="活动类别代码。")
    on = serializers.DateField(help_text="活动日期。")
    org = serializers.CharField(
        required=False, max_length=200, help_text="组织机构；默认本人所在机构。"
    )
    title = serializers.CharField(max_length=300)
    figures = serializers.DictField(required=False, help_text="该类别声明的统计数字。")
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    reference = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")


class ActivityFilterSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(required=False, max_length=40, help_text="活动类别代码。")
    year = serializers.IntegerField(required=False, min_value=1949, max_value=9999)
    org = serializers.CharField(required=False, max_length=200, help_text="机构（含下级）。")


# --- indicators and me ---------------------------------------------------------------------


class IndicatorQuerySerializer(serializers.Serializer[Any]):
    org = serializers.CharField(
        required=False, max_length=200, help_text="机构：区划代码或编号；默认本人所在机构。"
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="年度。")
    as_of = serializers.DateField(required=False, help_text="统计截止日；默认今天。")


class IndicatorResultSerializer(serializers.Serializer[Any]):
    org = serializers.JSONField()
    year = serializers.IntegerField()
    as_of = serializers.JSONField()
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))
    checks = serializers.ListField(child=serializers.JSONField())


class MeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField()
    org = OrgRefSerializer(allow_null=True)
    sees_all_units = serializers.BooleanField()


class ErrorSerializer(serializers.Serializer[Any]):
    """Every API error (fazhi/api/errors.py)."""

    detail = serializers.CharField(help_text="中文说明：哪里有误、为什么。")
    field = serializers.CharField(
        allow_null=True, help_text="出错的输入项（如 received_on、party.id_number）；无则为 null。"
    )
    code = serializers.ChoiceField(
        choices=[c.value for c in ErrorCode],
        help_text="稳定的错误代码（fazhi/api/errors.py 的 ErrorCode），供程序判断；"
        "detail 的中文可能调整，code 不变。",
    )
    errors = serializers.DictField(  # type: ignore[assignment]  # the body's "errors" key
        required=False, help_text="校验错误的完整列表（按输入项）。"
    )
