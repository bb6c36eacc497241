"""Every change to a matter: ``register_matter`` and ``act`` (DESIGN.md, "The engine").

Both guard first (rules.apply), write in one transaction (the Step, the matter's new state
and deadline, the audit event) and never edit history. Views, the API, commands and the
import only parse input, call these and render.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import F

from fazhi.core import audit, clock
from fazhi.core.audit import actor_label
from fazhi.core.choices import allowed_words, choice_code
from fazhi.core.models import OrgUnit, Role, StaffProfile
from fazhi.core.pii import (
    credit_code_error,
    normalize_credit_code,
    normalize_resident_id,
    phone_error,
    resident_id_error,
)
from fazhi.core.scope import AnyUser, can_act_on, role_of
from fazhi.procedures import links, permissions, rules
from fazhi.procedures.assisting import assisting_unit_for
from fazhi.procedures.clocks import ClockState
from fazhi.procedures.declarations import PUBLIC, Procedure, get_procedure
from fazhi.procedures.errors import (
    DuplicateMatter,
    InvalidData,
    MissingData,
    NotAllowed,
)
from fazhi.procedures.models import (
    Channel,
    Clock,
    IntakeRoute,
    Matter,
    MatterAssistant,
    Notification,
    NotificationKind,
    PartyKind,
    ReferenceCounter,
    Step,
)
from fazhi.procedures.signals import step_recorded
from fazhi.procedures.snapshots import snapshot_of
from fazhi.workdays import Calendar, Due

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over the phone
WARNING_WORKING_DAYS = 3


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


def intake_org(procedure: str) -> OrgUnit:
    """The unit that receives new public submissions of ``procedure`` (IntakeRoute, admin-edited).

    Without a route, the deployment's root unit (FAZHI_ROOT_DIVISION_CODE) receives them.
    """
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


# --- references -----------------------------------------------------------------------------


def reference_prefix(procedure: Procedure) -> str:
    return procedure.reference_prefix or procedure.code.upper()[:6]


def next_reference(procedure: Procedure, year: int) -> str:
    """``FY-2024-000017``: the next sequential number of the procedure's prefix and year.

    The counter row is incremented with an UPDATE … SET last = last + 1 inside the caller's
    transaction, so concurrent registrations on several app servers never share a number.
    """
    prefix = reference_prefix(procedure)
    ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
    ReferenceCounter.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
    last = ReferenceCounter.objects.filter(prefix=prefix, year=year).values_list("last", flat=True)[
        0
    ]
    return f"{prefix}-{year}-{last:06d}"


CODE_POLICY = (
    "查询码只在提交或登记时显示一次，凭查询编号和查询码在网上查询进度；"
    "查询码遗失无法找回，工作人员看不到查询码，也不会向您索要。"
)
"""The one policy on verification codes (#19 defect 4), stated the same on the public receipt
and to staff: shown once — to the submitter on the receipt, or to the clerk registering a
trackable matter on the party's behalf, to hand over there and then — and never again."""


def shows_verification_code(matter: Matter) -> bool:
    """Whether ``matter``'s code means anything to its party: only a matter the public
    tracking page can find has one worth giving (never a reconsideration's or a petition's)."""
    procedure = matter.declaration
    return procedure.public_trackable and not procedure.confidential


def new_verification_code(length: int = 6) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def find_for_tracking(reference: str, code: str) -> Matter | None:
    """The public matter with this reference and verification code; None for any mismatch.

    Confidential procedures (petitions) are never found. The code comparison is constant-time.
    """
    reference = (reference or "").strip().upper()
    code = (code or "").strip().upper()
    if not reference or not code:
        return None
    for matter in Matter.objects.public().filter(reference=reference)[:5]:
        if hmac.compare_digest(matter.verification_code.upper(), code):
            return matter
    return None


# --- due dates ----------------------------------------------------------------------------


def _apply_due(matter: Matter, due: Due | None) -> None:
    before = matter.due_on
    if due is None:
        matter.due_on, matter.due_rule, matter.due_basis = None, "", ""
        matter.due_provisional = matter.due_paused = False
    else:
        matter.due_on = due.on
        matter.due_rule = due.code or ""
        matter.due_basis = due.description[:300]
        matter.due_provisional = due.provisional
        matter.due_paused = due.paused
    if matter.due_on != before:
        matter.warned_on = matter.overdue_on = None


def clock_row(matter_id: int, c: ClockState) -> Clock:
    """The ``Clock`` row of a computed clock (act(), recomputation, the backfill)."""
    due = c.due
    return Clock(
        matter_id=matter_id,
        seq=c.seq,
        limit=c.limit,
        label=c.label[:100],
        minimum=c.minimum,
        started_on=c.started_on,
        started_at=c.started_at,
        due_on=None if due is None else due.on,
        due_at=None if due is None else due.at,
        basis=c.basis,
        provisional=c.provisional,
        paused=c.paused,
        answered_on=c.answered_on,
        answered_at=c.answered_at,
        answered_action=c.answered_action,
        in_time=c.in_time,
    )


def store_clocks(matter_id: int, clocks: Iterable[ClockState], *, replace: bool = True) -> None:
    """The matter's clocks as rows: the stored ones replaced by ``clocks``."""
    if replace:
        Clock.objects.filter(matter_id=matter_id).delete()
    rows = [clock_row(matter_id, c) for c in clocks]
    if rows:
        Clock.objects.bulk_create(rows)


def _moment(at: dt.datetime | None, on: dt.date, what: str) -> dt.datetime | None:
    """The step's moment of effect: ``at`` if given (checked), else now when it is dated
    today (it is being recorded as it happens), else unknown."""
    if at is not None:
        return rules.check_moment(at, on, what)
    now = clock.now()
    return now if clock.local_date(now) == on else None


def _role_for(by: AnyUser | None, *, public: bool) -> str | None:
    if public:
        return PUBLIC
    return role_of(by)


# --- register and act -----------------------------------------------------------------------


def register_matter(
    procedure: str,
    *,
    org: OrgUnit | str | int,
    received_on: dt.date,
    subject: str,
    by: AnyUser | None = None,
    public: bool = False,
    channel: str = Channel.WINDOW,
    party: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
    reference: str | None = None,
    mailed_on: dt.date | None = None,
    received_at: dt.datetime | None = None,
    cal: Calendar | None = None,
    today: dt.date | None = None,
    opened_from: Matter | None = None,
) -> Matter:
    """Create a matter with its ``register`` step (its date is ``received_on``; its moment
    ``received_at`` when known, which clocks in hours count from).

    ``opened_from``: the matter whose step (a diversion, ``Link.opens``) opens this one, for
    another unit; the user must be able to act on that matter rather than on ``org``.
    """
    declaration = get_procedure(procedure)
    unit = resolve_org(org)
    today = today or clock.today()
    role = _role_for(by, public=public)
    if public:
        if not declaration.public_submission:
            raise NotAllowed(f"{declaration.label}不接受公众直接提交。", field="procedure")
    elif role is None or not can_act_on(by, unit if opened_from is None else opened_from.org):
        raise NotAllowed(f"您不能为“{unit.label}”登记{declaration.label}。", field="org")
    rules.check_day(received_on, "received_on", "收到日期", today=today)
    mailed_on = rules.check_mailed_on(mailed_on, received_on, today=today, register=True)
    subject = (subject or "").strip()
    if not subject:
        raise MissingData("缺少事由。", field="subject")
    if len(subject) > 300:
        raise InvalidData(f"事由过长：最多300字，实际{len(subject)}字。", field="subject")
    channel = clean_channel(channel)
    cleaned_party = clean_party(party, required=declaration.party_required)
    cleaned_details = rules.clean_details(declaration, details)
    if declaration.register_check is not None:
        rc = declaration.register_check
        problem = rc.check(rc.load(), cleaned_details, received_on, unit.pk)
        if problem:
            raise InvalidData(problem, field="details")
    received_at = _moment(received_at, received_on, "收到")
    snap = rules.new_snapshot(
        declaration, received_on, cleaned_details, cleaned_party["kind"], received_at=received_at
    )
    clocks = rules.clocks_of(snap, cal)
    due = rules.matter_due(clocks)
    with transaction.atomic():
        if reference:
            reference = reference.strip()
            if Matter.objects.filter(procedure=procedure, reference=reference).exists():
                raise DuplicateMatter(
                    f"{declaration.label}编号“{reference}”已存在。", field="reference"
                )
        else:
            reference = next_reference(declaration, received_on.year)
        now = clock.now()
        matter = Matter(
            procedure=procedure,
            reference=reference,
            verification_code=new_verification_code(),
            org=unit,
            received_on=received_on,
            subject=subject,
            channel=channel,
            party_name=cleaned_party["name"],
            party_kind=cleaned_party["kind"],
            party_id_number=cleaned_party["id_number"],
            party_phone=cleaned_party["phone"],
            party_address=cleaned_party["address"],
            state=snap.state,
            details=cleaned_details,
            created_at=now,
            updated_at=now,
        )
        _apply_due(matter, due)
        matter.save()
        first = Step.objects.create(
            matter=matter,
            seq=1,
            action="register",
            on=received_on,
            mailed_on=mailed_on,
            occurred_at=received_at,
            actor=by if by is not None and by.is_authenticated else None,  # type: ignore[misc]
            actor_label="公众" if public else actor_label(by),
            org=unit,
            state_before="",
            state_after=matter.state,
            data={},
        )
        store_clocks(matter.pk, clocks, replace=False)
        audit.record(
            "matter.register",
            matter,
            actor=by,
            label="公众" if public else None,
            data={"procedure": procedure, "reference": reference, "subject": subject},
        )
        links.link_from_details(matter, first, by)
        _notify_unit(matter, NotificationKind.ASSIGNED, exclude=by)
        step_recorded.send(sender=procedure, matter=matter, step=first)
    return matter


def act(
    matter: Matter,
    action: str,
    by: AnyUser | None,
    on: dt.date | None = None,
    *,
    public: bool = False,
    mailed_on: dt.date | None = None,
    at: dt.datetime | None = None,
    cal: Calendar | None = None,
    today: dt.date | None = None,
    data: Mapping[str, Any] | None = None,
    **fields: Any,
) -> Step:
    """Take ``action`` on ``matter``: the only way a matter changes.

    Checks the action against the state, the actor's role and scope, validates the data,
    writes the Step, moves the state, recomputes the matter's clocks (each running limit with
    its due date, suspensions and approved extensions included; the answered ones with
    whether they were in time) and its due date (the earliest open clock), and records the
    audit event, in one transaction. ``at`` is the moment of effect (clocks in hours), by
    default now when ``on`` is today.

    The action's data comes as keyword arguments (``satisfaction="satisfied"``) or, from
    untrusted input, as one ``data`` mapping, which can never reach the keyword parameters.
    """
    data = {**(data or {}), **fields}
    today = today or clock.today()
    on = on or today
    mailed_on = rules.check_mailed_on(mailed_on, on, today=today)
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        declaration = locked.declaration
        spec = declaration.action(action)
        role = _role_for(by, public=public)
        resolved: dict[str, OrgUnit] = {}
        if spec.assisting == "only" and not public and data.get("org") in (None, ""):
            mine = assisting_unit_for(by, locked)  # an opinion: the user's assisting unit
            if mine is not None:
                data["org"] = mine
        for name in spec.org_field_names:
            if data.get(name) not in (None, ""):
                resolved[name] = resolve_org(data[name], field=name)
                data[name] = str(resolved[name].pk)
        steps = list(locked.steps.order_by("seq"))
        snap = snapshot_of(locked, steps)
        refused = permissions.refusal(
            by,
            locked,
            spec,
            public=public,
            snap=snap,
            org=resolved.get("org") if spec.assisting else None,
            guard=False,  # rules.apply runs the guard with the action's data
        )
        if refused is not None:
            raise refused.error()
        people: dict[str, Any] = {}
        for name in rules.person_fields(spec):
            if data.get(name) not in (None, ""):
                people[name] = resolve_person(data[name], locked, field=name)
                data[name] = str(people[name].pk)
        moment = _moment(at, on, spec.label) if isinstance(on, dt.date) else None
        transition = rules.apply(
            snap, action, role=role, on=on, data=data, today=today, cal=cal, at=moment
        )
        step_data = dict(transition.step.data)
        for name, person in people.items():  # the name beside the id, as for org units
            step_data[f"{name}_name"] = person.get_full_name() or person.get_username()
        known = {unit.pk: unit for unit in (locked.org, *resolved.values())}

        def unit(pk: int) -> OrgUnit:
            if pk not in known:
                known[pk] = OrgUnit.objects.get(pk=pk)
            return known[pk]

        new_org = unit(
            rules.org_effects(
                action,
                step_data,
                locked.org_id,
                [(s.action, s.data) for s in steps],
                lambda pk: unit(pk).name,
                spec.moves_to,
            )
        )
        new = transition.snapshot
        step = Step.objects.create(
            matter=locked,
            seq=len(steps) + 1,
            action=action,
            on=on,
            mailed_on=mailed_on,
            occurred_at=moment,
            actor=by if by is not None and by.is_authenticated else None,  # type: ignore[misc]
            actor_label="公众" if public else actor_label(by),
            org=locked.org,
            state_before=transition.state_before,
            state_after=new.state,
            data=step_data,
        )
        locked.state = new.state
        locked.outcome = new.outcome
        locked.satisfaction = new.satisfaction
        locked.closed_on = new.closed_on
        locked.details = dict(new.details)
        if action == "assign_handler":
            locked.handler = people["handler"]
        if action == "add_assistant":
            locked.details = rules.with_assistant(locked.details, resolved["org"].pk)
            MatterAssistant.objects.get_or_create(
                matter=locked, org=resolved["org"], defaults={"added_on": on, "step": step}
            )
        org_changed = new_org.pk != locked.org_id
        if org_changed:
            locked.handler = None  # another unit: its own people take it on
        locked.org = new_org
        locked.updated_at = clock.now()
        _apply_due(locked, transition.due)
        locked.save()
        store_clocks(locked.pk, transition.clocks)
        audit.record(
            f"matter.{action}",
            locked,
            actor=by,
            label="公众" if public else None,
            data={"on": on.isoformat(), "state": new.state, **step_data},
        )
        links.link_from_step(locked, spec, step, by, today=today, cal=cal)
        if org_changed:
            _notify_unit(locked, NotificationKind.ASSIGNED, exclude=by)
        if action == "assign_handler":
            _notify(locked, [people["handler"].pk], NotificationKind.ASSIGNED, exclude=by)
        elif action == "instruct":
            handlers = [locked.handler_id] if locked.handler_id else None
            _notify(locked, handlers, NotificationKind.INSTRUCTED, exclude=by)
        elif action == "add_assistant":
            _notify_unit(locked, NotificationKind.ASSISTING, exclude=by, org_id=resolved["org"].pk)
        elif action == "opinion":
            _notify_unit(locked, NotificationKind.OPINION, exclude=by)
        step_recorded.send(sender=locked.procedure, matter=locked, step=step)
    matter.refresh_from_db()
    return step


# --- reminders ------------------------------------------------------------------------------


def _handlers(org_ids: Iterable[int]) -> dict[int, list[int]]:
    """User ids of the staff and heads of each org unit."""
    result: dict[int, list[int]] = {}
    for org_id, user_id in StaffProfile.objects.filter(
        org_id__in=list(org_ids), role__in=[Role.STAFF, Role.HEAD], user__is_active=True
    ).values_list("org_id", "user_id"):
        result.setdefault(org_id, []).append(user_id)
    return result


def _notify(
    matter: Matter, users: list[int] | None, kind: str, *, exclude: AnyUser | None = None
) -> None:
    """Notify ``users`` (None: the unit's handlers) of ``matter``."""
    if users is None:
        _notify_unit(matter, kind, exclude=exclude)
        return
    skip = exclude.pk if exclude is not None and exclude.is_authenticated else None
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=u, matter=matter, kind=kind, due_on=matter.due_on)
            for u in users
            if u != skip
        ],
        ignore_conflicts=True,
    )


def _notify_unit(
    matter: Matter, kind: str, *, exclude: AnyUser | None = None, org_id: int | None = None
) -> None:
    """Notify the staff and heads of the matter's unit (or of ``org_id``, an assisting unit)."""
    skip = exclude.pk if exclude is not None and exclude.is_authenticated else None
    unit = org_id if org_id is not None else matter.org_id
    users = [u for u in _handlers([unit]).get(unit, []) if u != skip]
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=u, matter=matter, kind=kind, due_on=matter.due_on)
            for u in users
        ],
        ignore_conflicts=True,
    )
