"""Open311 GeoReport v2: the mapping between the engine's procedures and matters and the spec.

- A *service* is a procedure that accepts public submissions (``public_submission``); its
  *attributes* are the procedure's declared ``details`` fields (``content`` is the request's
  description itself).
- A *service request* is a matter of such a procedure, shown as the public may see it: no
  names, phones, e-mails, IDs or coordinates; description and notes masked
  (``fazhi.procedures.publicity.mask_for_public``), address kept to the district; never a confidential
  procedure; only matters whose submitter agreed to publication (``consent_publish``) and
  staff released (``procedures.publicity``): any other answers 404 or is absent from lists.
- ``submit`` validates the spec's form parameters and registers the matter through the
  engine (``register_matter(..., public=True, channel="api")``).

The HTTP side (formats, status codes, rate limit, idempotency) is in ``open311_views``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from fazhi.api.models import ApiClient, ServiceRequest
from fazhi.core import clock
from fazhi.core.pii import mask_address, phone_error
from fazhi.procedures.declarations import Field, FieldType, Procedure, all_procedures
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.intake import get_intake
from fazhi.procedures.models import Channel, Matter, PartyKind, Step
from fazhi.procedures.publicity import REPLY_TEXT, PublicView, public_view, released
from fazhi.procedures.rules import check_day
from fazhi.procedures.services import intake_org, register_matter

DESCRIPTION_FIELD = "content"  # the details field that holds the request's own text
MAX_RESULTS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)
MAX_IDS = 100
MAX_DESCRIPTION = 10000

# The service group (the spec's ``group``) of a service without an intake declaration.
DEFAULT_GROUP = "公众诉求"


class Open311Error(Exception):
    """A refusal in the spec's terms: an HTTP status and a Chinese description."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --- services -----------------------------------------------------------------------------


def services() -> list[Procedure]:
    """The procedures offered as services (public submission, never confidential)."""
    return [p for p in all_procedures() if p.public_submission and not p.confidential]


def get_service(code: str) -> Procedure | None:
    return next((p for p in services() if p.code == code), None)


def attribute_fields(procedure: Procedure) -> list[Field]:
    """The details fields a client may send as ``attribute[...]``."""
    return [f for f in procedure.details if f.name != DESCRIPTION_FIELD and f.type != FieldType.ORG]


def _default_value(f: Field) -> str | None:
    """The value taken when a client omits a required list attribute: its first choice."""
    if f.type == FieldType.CHOICE and f.choices:
        return f.choices[0][0]
    return None


def _group(procedure: Procedure) -> str:
    """The service group for clients that show services by category: the intake's."""
    intake = get_intake(procedure.code)
    return intake.group if intake is not None else DEFAULT_GROUP


def service_json(procedure: Procedure) -> dict[str, Any]:
    keywords = [procedure.label]
    for f in attribute_fields(procedure):
        if f.type == FieldType.CHOICE:
            keywords.extend(label for _value, label in f.choices)
    return {
        "service_code": procedure.code,
        "service_name": procedure.label,
        "description": procedure.description,
        "metadata": bool(attribute_fields(procedure)),
        "type": "realtime",
        "keywords": ",".join(dict.fromkeys(keywords)),
        "group": _group(procedure),
    }


_DATATYPES = {
    FieldType.STR: "string",
    FieldType.TEXT: "text",
    FieldType.INT: "number",
    FieldType.DECIMAL: "number",
    FieldType.DATE: "datetime",
}


def attribute_json(f: Field, order: int) -> dict[str, Any]:
    values: list[dict[str, str]] = []
    if f.type == FieldType.CHOICE:
        datatype = "singlevaluelist"
        values = [{"key": value, "name": label} for value, label in f.choices]
    elif f.type == FieldType.BOOL:
        datatype = "singlevaluelist"
        values = [{"key": "true", "name": "是"}, {"key": "false", "name": "否"}]
    else:
        datatype = _DATATYPES.get(f.type, "string")
    default = _default_value(f)
    description = f.help or f.label
    if f.required and default is not None:
        description += f"（不填时为“{f.choice_label(default)}”）"
    attribute: dict[str, Any] = {
        "variable": True,
        "code": f.name,
        "datatype": datatype,
        "required": f.required and default is None,
        "datatype_description": "" if values else _datatype_hint(f),
        "order": order,
        "description": description,
    }
    if values:
        attribute["values"] = values
    return attribute


def _datatype_hint(f: Field) -> str:
    if f.type in (FieldType.STR, FieldType.TEXT):
        return f"最多 {f.max_length} 字"
    if f.type == FieldType.DATE:
        return "日期，YYYY-MM-DD"
    return ""


def definition_json(procedure: Procedure) -> dict[str, Any]:
    return {
        "service_code": procedure.code,
        "attributes": [
            attribute_json(f, order) for order, f in enumerate(attribute_fields(procedure), 1)
        ],
    }


# --- service requests (public view) -------------------------------------------------------


def public_requests() -> QuerySet[Matter]:
    """Matters the public may see as service requests: consented and released by staff
    (``procedures.publicity.released``), with what rendering them needs."""
    return (
        released()
        .filter(procedure__in=[p.code for p in services()])
        .select_related("org", "public_release")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=Step.objects.filter(action__in=sorted(REPLY_TEXT)).order_by("seq"),
                to_attr="reply_steps",
            )
        )
    )


def _w3c(moment: dt.datetime) -> str:
    return moment.astimezone(clock.SHANGHAI).isoformat(timespec="seconds")


def requested_at(matter: Matter) -> dt.datetime:
    """When the request was made: the moment of registration when it was registered on the
    day it was received, else the start of the day received (imported or back-entered)."""
    if clock.local_date(matter.created_at) == matter.received_on:
        return matter.created_at
    return dt.datetime.combine(matter.received_on, dt.time.min, clock.SHANGHAI)


def _view(matter: Matter) -> PublicView:
    return public_view(
        matter, steps=getattr(matter, "reply_steps", None), release=matter.public_release
    )


def status_notes(matter: Matter, view: PublicView | None = None) -> str:
    """The published reply covered by the release (masked); else the state."""
    view = view or _view(matter)
    if matter.is_closed and view.reply:
        return view.reply
    return matter.declaration.state_label(matter.state)


def request_json(matter: Matter) -> dict[str, Any]:
    procedure = matter.declaration
    view = _view(matter)
    expected = None
    notice = ""
    if matter.due_on is not None and not matter.is_closed:
        end_of_day = dt.datetime.combine(matter.due_on, dt.time(23, 59, 59), clock.SHANGHAI)
        expected = _w3c(end_of_day)
        notice = f"应于 {matter.due_on.isoformat()} 前办理（{matter.due_words}）。"
    return {
        "service_request_id": matter.reference,
        "status": "closed" if matter.is_closed else "open",
        "status_notes": status_notes(matter, view),
        "service_name": procedure.label,
        "service_code": procedure.code,
        "description": view.content or view.subject,
        "agency_responsible": matter.org.name,
        "service_notice": notice,
        "requested_datetime": _w3c(requested_at(matter)),
        "updated_datetime": _w3c(matter.updated_at),
        "expected_datetime": expected,
        "address": mask_address(matter.party_address),
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _moment(value: str, name: str, *, end: bool = False) -> dt.datetime:
    text = value.strip().replace(" ", "+")  # a '+' in an unencoded query arrives as a space
    try:  # well-formed but impossible (2024-02-30) raises ValueError
        moment = parse_datetime(text) if "T" in text else None
        day = parse_date(text) if moment is None and len(text) == 10 else None
    except ValueError:
        raise Open311Error(400, f"参数 {name} 不是有效的日期：“{value[:40]}”。") from None
    if moment is None:
        if day is None:
            raise Open311Error(
                400,
                f"参数 {name} 格式错误：“{value[:40]}”，应为 W3C 时间，如 2024-01-31T00:00:00+08:00。",
            )
        moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.SHANGHAI)
    try:  # the engine's one date check; the year 9999 would overflow the 90-day window
        check_day(moment.date(), name, f"参数 {name}")
    except ProcedureError as exc:
        raise Open311Error(400, exc.message) from None
    return moment


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def search_requests(params: Mapping[str, str]) -> list[Matter]:
    """GET requests: the spec's filters; ``service_request_id`` overrides every other."""
    qs = public_requests()
    ids = _csv(params.get("service_request_id", ""))
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Error(400, f"service_request_id 一次最多 {MAX_IDS} 个。")
        return list(qs.filter(reference__in=ids).order_by("-received_on", "-pk"))
    codes = _csv(params.get("service_code", ""))
    if codes:
        unknown = [c for c in codes if get_service(c) is None]
        if unknown:
            raise Open311Error(400, f"未知的服务代码（service_code）：{'、'.join(unknown)}。")
        qs = qs.filter(procedure__in=codes)
    statuses = _csv(params.get("status", "").lower())
    if statuses:
        if set(statuses) - {"open", "closed"}:
            raise Open311Error(400, "参数 status 只能是 open 或 closed（可用逗号分隔）。")
        if statuses == ["open"]:
            qs = qs.filter(closed_on__isnull=True)
        elif statuses == ["closed"]:
            qs = qs.filter(closed_on__isnull=False)
    start_raw, end_raw = params.get("start_date", ""), params.get("end_date", "")
    start = _moment(start_raw, "start_date") if start_raw else None
    end = _moment(end_raw, "end_date", end=True) if end_raw else None
    if end is None:
        end = start + DEFAULT_WINDOW if start is not None else clock.now()
    if start is None:
        start = end - DEFAULT_WINDOW
    if end < start:
        raise Open311Error(400, "end_date 早于 start_date。")
    if end - start > DEFAULT_WINDOW:
        raise Open311Error(400, "start_date 与 end_date 之间不能超过90天。")
    # by the day received (requested_datetime's date), in Asia/Shanghai
    qs = qs.filter(received_on__gte=clock.local_date(start), received_on__lte=clock.local_date(end))
    return list(qs.order_by("-received_on", "-pk")[:MAX_RESULTS])


def get_request(reference: str) -> Matter | None:
    return public_requests().filter(reference=reference).first()


def resolve_token(token: str) -> Matter | None:
    """The public matter an Open311 token stands for."""
    row = ServiceRequest.objects.filter(token=token).only("matter_id").first()
    if row is None:
        return None
    # The token answers only the reference (GeoReport v2), released or not: the client that
    # holds it submitted the request; the request itself stays 404 until released.
    return Matter.objects.public().filter(pk=row.matter_id).first()


# --- submission ---------------------------------------------------------------------------

_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


def _coordinate(params: Mapping[str, str], name: str, bound: int) -> decimal.Decimal | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = decimal.Decimal(raw)
    except decimal.InvalidOperation:
        raise Open311Error(400, f"参数 {name} 应为数字，收到“{raw[:20]}”。") from None
    if not value.is_finite() or not -bound <= value <= bound:
        raise Open311Error(400, f"参数 {name} 应在 -{bound} 到 {bound} 之间。")
    return value.quantize(decimal.Decimal("0.000001"))


def _text(params: Mapping[str, str], name: str, limit: int) -> str:
    value = (params.get(name) or "").strip()
    if "\x00" in value:
        raise Open311Error(400, f"参数 {name} 含有空字符。")
    if len(value) > limit:
        raise Open311Error(400, f"参数 {name} 过长：最多 {limit} 字，实际 {len(value)} 字。")
    return value


def _subject(description: str) -> str:
    first = description.strip().splitlines()[0].strip() if description.strip() else ""
    return first if len(first) <= 40 else first[:40] + "…"


def submit(client: ApiClient, params: Any) -> ServiceRequest:
    """Register a matter from the spec's POST parameters (a QueryDict or a plain mapping)."""
    code = _text(params, "service_code", 40)
    if not code:
        raise Open311Error(400, "缺少参数 service_code。")
    procedure = get_service(code)
    if procedure is None:
        raise Open311Error(400, f"未知的服务代码（service_code）：{code}。")
    description = _text(params, "description", MAX_DESCRIPTION)
    if not description:
        raise Open311Error(400, "缺少参数 description（诉求内容）。")
    lat = _coordinate(params, "lat", 90)
    long = _coordinate(params, "long", 180)
    if (lat is None) != (long is None):
        raise Open311Error(400, "参数 lat 和 long 须同时提供。")
    address = _text(params, "address_string", 300)
    email = _text(params, "email", 254)
    if email:
        try:
            _email(email)
        except ValidationError:
            raise Open311Error(400, f"电子邮箱格式不正确：“{email[:60]}”。") from None
    phone = _text(params, "phone", 30)
    if phone:
        problem = phone_error(phone)
        if problem:
            raise Open311Error(400, problem)
    media_url = _text(params, "media_url", 500)
    if media_url:
        try:
            _url(media_url)
        except ValidationError:
            raise Open311Error(400, "参数 media_url 应为 http 或 https 网址。") from None
    name = _text(params, "last_name", 50) + _text(params, "first_name", 50)

    declared = {f.name: f for f in attribute_fields(procedure)}
    details: dict[str, Any] = {}
    keys = params.keys() if hasattr(params, "keys") else []
    for key in keys:
        match = _ATTRIBUTE.match(key)
        if match is None:
            continue
        attr = match.group(1)
        if attr not in declared:
            known = "、".join(declared) or "无"
            raise Open311Error(400, f"服务 {code} 没有属性“{attr[:40]}”。可用属性：{known}。")
        values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
        if len(values) != 1:
            raise Open311Error(400, f"属性“{attr}”只能有一个值。")
        details[attr] = _text({key: values[0]}, key, 10000)
    for f in declared.values():
        if details.get(f.name) in (None, "") and f.required:
            default = _default_value(f)
            if default is not None:
                details[f.name] = default
    if procedure.detail_field(DESCRIPTION_FIELD) is not None:
        details[DESCRIPTION_FIELD] = description
    subject = _subject(description)
    if not procedure.detail_field(DESCRIPTION_FIELD):
        subject = description[:300]

    org = client.org or intake_org(procedure.code)
    party = {
        "name": name,
        "kind": PartyKind.PERSON if name else "",
        "phone": phone,
        "address": address,
    }
    try:
        with transaction.atomic():
            matter = register_matter(
                procedure.code,
                org=org,
                received_on=clock.today(),
                subject=subject,
                public=True,
                channel=Channel.API,
                party=party,
                details=details,
            )
            return ServiceRequest.objects.create(
                matter=matter,
                token=ServiceRequest.new_token(),
                client=client,
                email=email,
                lat=lat,
                long=long,
                media_url=media_url,
            )
    except ProcedureError as exc:
        raise Open311Error(400, exc.message) from None
