"""Org units, staff and parties named in input, resolved and cleaned for the engine."""

from __future__ import annotations

import copy
import time
from collections.abc import Mapping
from typing import Any

from fazhi.core.choices import allowed_words, choice_code
from fazhi.core.models import OrgUnit, Role
from fazhi.core.pii import (
    credit_code_error,
    normalize_credit_code,
    normalize_resident_id,
    phone_error,
    resident_id_error,
)
from fazhi.core.scope import can_act_on
from fazhi.procedures.errors import (
    InvalidData,
    MissingData,
)
from fazhi.procedures.models import (
    Channel,
    IntakeRoute,
    Matter,
    PartyKind,
)

# --- org units named in input -------------------------------------------------------------


def resolve_org(value: object, *, field: str = "org") -> OrgUnit:
    """An org unit from its division code, id or full name (imports and action data)."""
    if isinstance(value, OrgUnit):
        return value
    text = str(value or "").strip()
    if not text:
        raise MissingData("缺少机构。", field=field)
    unit = None
    if text.isdigit():
        unit = OrgUnit.objects.filter(division_code=text).first()
        if unit is None and len(text) < 6:
            unit = OrgUnit.objects.filter(pk=int(text)).first()
    if unit is None:
        matches = list(OrgUnit.objects.filter(name=text)[:2])
        if len(matches) > 1:
            raise InvalidData(f"机构名称“{text}”对应多个机构，请改用机构编号。", field=field)
        unit = matches[0] if matches else None
    if unit is None:
        raise InvalidData(
            f"找不到机构“{text}”（可填行政区划代码、机构编号或机构全称）。", field=field
        )
    return unit


def resolve_person(value: object, matter: Matter, *, field: str = "handler") -> Any:
    """A staff member who may handle ``matter``: by user id or user name, active, with a role
    that handles matters (经办人 or 负责人) in a unit whose scope covers the matter's unit."""
    from django.contrib.auth import get_user_model

    text = str(getattr(value, "pk", value) or "").strip()
    if not text:
        raise MissingData("请选择经办人。", field=field)
    users = get_user_model().objects.filter(is_active=True).select_related("profile__org")
    person = (users.filter(pk=int(text)) if text.isdigit() else users.none()).first()
    person = person or users.filter(username=text).first()
    profile = getattr(person, "profile", None) if person is not None else None
    if person is None or profile is None:
        raise InvalidData(f"找不到工作人员“{text}”。", field=field)
    if profile.role not in (Role.STAFF, Role.HEAD) or not can_act_on(person, matter.org):
        name = person.get_full_name() or person.get_username()
        raise InvalidData(
            f"{name}（{profile.org.label}）不能办理“{matter.org.label}”的事项，"
            "请选择承办机构的经办人或负责人。",
            field=field,
        )
    return person


# The intake unit of each procedure, read once per process and kept ``INTAKE_SECONDS``
# (#19: two queries of every public submission). An edit of an IntakeRoute or an OrgUnit in
# this process forgets it at once (signals, procedures.apps); other processes see the edit
# within ``INTAKE_SECONDS``.
INTAKE_SECONDS = 30.0
_intake: dict[tuple[str, str], tuple[float, OrgUnit]] = {}


def forget_intake(**_: Any) -> None:
    """Forget the remembered intake units (a route or a unit was edited; tests)."""
    _intake.clear()


def intake_org(procedure: str) -> OrgUnit:
    """The unit that receives new public submissions of ``procedure`` (IntakeRoute, admin-edited).

    Without a route, the deployment's root unit (FAZHI_ROOT_DIVISION_CODE) receives them.
    """
    from django.db import router

    key = (router.db_for_read(OrgUnit), procedure)
    remembered = _intake.get(key)
    now = time.monotonic()
    if remembered is not None and remembered[0] > now:
        return copy.copy(remembered[1])  # a copy: the caller's matter may cache relations on it
    unit = _read_intake_org(procedure)
    _intake[key] = (now + INTAKE_SECONDS, copy.copy(unit))
    return unit


def _read_intake_org(procedure: str) -> OrgUnit:
    route = IntakeRoute.objects.select_related("org").filter(procedure=procedure).first()
    if route is not None:
        return route.org
    from django.conf import settings

    root = OrgUnit.objects.filter(division_code=settings.FAZHI_ROOT_DIVISION_CODE).first()
    root = root or OrgUnit.objects.roots().order_by("pk").first()
    if root is None:
        raise InvalidData("尚未建立机构，无法受理。请管理员先建立机构和受理分派。", field="org")
    return root


# --- channel and party ----------------------------------------------------------------------


def clean_channel(channel: str) -> str:
    """The channel's code from its code, label or synonym (窗口, 12345热线, 来信 …)."""
    if channel in Channel.values:
        return channel
    code = choice_code(Channel.choices, channel)
    if code is None:
        raise InvalidData(
            f"渠道“{channel}”无效，可选：{allowed_words(Channel.choices)}。", field="channel"
        )
    return code


def clean_party(party: Mapping[str, Any] | None, *, required: bool) -> dict[str, str]:
    """Validate the party (当事人): name, kind, ID number or credit code, phone, address."""
    party = dict(party or {})
    allowed = {"name", "kind", "id_number", "phone", "address"}
    if not party.keys() <= allowed:
        unknown = sorted(party.keys() - allowed)
        raise InvalidData(f"当事人没有字段 {'、'.join(unknown)}。", field=f"party.{unknown[0]}")
    name = str(party.get("name") or "").strip()
    if required and not name:
        raise MissingData("缺少当事人姓名或名称。", field="party.name")
    if len(name) > 200:
        raise InvalidData("当事人姓名或名称过长（最多200字）。", field="party.name")
    kind = str(party.get("kind") or "").strip()
    id_number = str(party.get("id_number") or "").strip()
    if kind and kind not in PartyKind:  # by value (Django's choices), without building .values
        code = choice_code(PartyKind.choices, kind)  # 个人, 自然人, 企业或其他组织 … (core.choices)
        if code is None:
            raise InvalidData(
                f"当事人类别“{kind}”无效，应为“自然人”（个人）或“法人或其他组织”"
                "（代码 person 或 organisation）。",
                field="party.kind",
            )
        kind = code
    if id_number:
        if not kind:
            kind = (
                PartyKind.PERSON
                if len(id_number) == 18 and id_number[:17].isdigit()
                else PartyKind.ORGANISATION
            )
        if kind == PartyKind.PERSON:
            problem = resident_id_error(id_number)
            id_number = normalize_resident_id(id_number)
        else:
            problem = credit_code_error(id_number)
            id_number = normalize_credit_code(id_number)
        if problem:
            raise InvalidData(problem, field="party.id_number")
    phone = str(party.get("phone") or "").strip()
    if phone:
        problem = phone_error(phone)
        if problem:
            raise InvalidData(problem, field="party.phone")
    address = str(party.get("address") or "").strip()
    if len(address) > 300:
        raise InvalidData("地址过长（最多300字）。", field="party.address")
    return {"name": name, "kind": kind, "id_number": id_number, "phone": phone, "address": address}
