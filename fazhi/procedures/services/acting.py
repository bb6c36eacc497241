"""``register_matter`` and ``act``: the only writers of a matter's steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction

from fazhi.core import audit, clock
from fazhi.core.audit import actor_label
from fazhi.core.models import OrgUnit
from fazhi.core.scope import AnyUser, can_act_on, role_of
from fazhi.procedures import links, permissions, rules
from fazhi.procedures.assisting import assisting_unit_for
from fazhi.procedures.declarations import PUBLIC, SYSTEM, get_procedure
from fazhi.procedures.errors import (
    DuplicateMatter,
    InvalidData,
    MissingData,
    NotAllowed,
)
from fazhi.procedures.models import (
    Channel,
    Matter,
    MatterAssistant,
    NotificationKind,
    Step,
)
from fazhi.procedures.services.dues import _apply_due, store_clocks
from fazhi.procedures.services.inputs import clean_channel, clean_party, resolve_org, resolve_person
from fazhi.procedures.services.references import new_verification_code, next_reference
from fazhi.procedures.services.reminders import _handlers, _notify, _notify_unit
from fazhi.procedures.signals import step_recorded, step_recording
from fazhi.procedures.snapshots import snapshot_of
from fazhi.workdays import Calendar


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
    within: Callable[[Matter, Step], None] | None = None,
) -> Matter:
    """Create a matter with its ``register`` step (its date is ``received_on``; its moment
    ``received_at`` when known, which clocks in hours count from).

    ``opened_from``: the matter whose step (a diversion, ``Link.opens``) opens this one, for
    another unit; the user must be able to act on that matter rather than on ``org``.

    ``within(matter, first_step)``: more writes of the caller in the same transaction, after
    the registration's own (the public form's subscription and files): all or nothing.

    Everything that only reads — checks, the clocks and the calendar they need, the unit's
    staff to notify — is done before the transaction begins; inside it the rows are written
    and nothing else, the reference counter first (its row stays locked until the commit on
    PostgreSQL; on SQLite the whole transaction holds the one write lock), so that concurrent
    registrations wait on each other as briefly as they can (#19).
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
    notified = _handlers([unit.pk]).get(unit.pk, [])  # read before the write lock is taken
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
        _notify(matter, notified, NotificationKind.ASSIGNED, exclude=by)
        step_recorded.send(sender=procedure, matter=matter, step=first)
        if within is not None:
            within(matter, first)
    return matter


def act(
    matter: Matter,
    action: str,
    by: AnyUser | None,
    on: dt.date | None = None,
    *,
    public: bool = False,
    system: bool = False,
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

    ``system``: the platform itself takes the step, with no user (``by`` must be None), for an
    action that declares the pseudo-role ``SYSTEM`` (a decision taken down when its publicity
    period ended, by the daily sweep); the step and the audit event name 系统 as the actor.
    """
    if system and (by is not None or public):
        raise ValueError("a system step has no user and is not the public's")
    data = {**(data or {}), **fields}
    today = today or clock.today()
    on = on or today
    mailed_on = rules.check_mailed_on(mailed_on, on, today=today)
    with transaction.atomic():
        locked = Matter.objects.select_for_update().get(pk=matter.pk)
        declaration = locked.declaration
        spec = declaration.action(action)
        role = SYSTEM if system else _role_for(by, public=public)
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
            system=system,
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
        step_recording.send(sender=locked.procedure, matter=locked, steps=steps)
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
        links.link_from_step(locked, spec, step, by, today=today, cal=cal, register=register_matter)
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
