"""Links between matters, made by steps (DESIGN.md, "Links").

``act()`` and ``register_matter()`` call ``link_from_step`` / ``link_from_details`` inside
their transaction: a link by reference finds the other matter by its reference (an unknown one
is refused with a plain message, so the whole step is refused); a diversion registers the new
matter through ``register_matter`` — the same rules as any new matter, no second path — and
links to it (``act()`` hands it in as ``register``: this module does not import the services). The bulk import makes the same links by reference after writing its rows
(``importing.linking``). ``links_for`` is what a page shows of a matter's links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fazhi.core import audit
from fazhi.core.models import OrgUnit
from fazhi.core.scope import AnyUser
from fazhi.procedures.declarations import Action, Link, Procedure, all_procedures, get_procedure
from fazhi.procedures.errors import InvalidData, ProcedureError
from fazhi.procedures.models import (
    LINK_WORDING,
    Channel,
    LinkKind,
    Matter,
    MatterLink,
    Step,
)
from fazhi.workdays import Calendar


def find_linked(procedure: Procedure, reference: str, *, field: str) -> Matter:
    """The matter of ``procedure`` with ``reference``; ``InvalidData`` naming ``field`` if none."""
    reference = reference.strip()
    found = Matter.objects.filter(procedure=procedure.code, reference=reference).first()
    if found is None:
        raise InvalidData(
            f"找不到编号为“{reference}”的{procedure.label}（{field}）：请核对所关联事项的编号。",
            field=field,
        )
    return found


def linked_procedure(matter_procedure: str, link: Link) -> Procedure:
    return get_procedure(link.procedure or matter_procedure)


def record_link(
    source: Matter, target: Matter, kind: str, on: dt.date, step: Step | None, by: AnyUser | None
) -> MatterLink:
    """Store one link (once: the same link again is the one stored) with its audit event."""
    if source.pk == target.pk:
        raise InvalidData("事项不能关联到自身。", field="reference")
    link, created = MatterLink.objects.get_or_create(
        source=source, target=target, kind=kind, defaults={"created_on": on, "step": step}
    )
    if created:
        audit.record(
            "matter.link",
            source,
            actor=by,
            data={"kind": kind, "target": target.reference, "on": on.isoformat()},
        )
    return link


def link_from_details(matter: Matter, step: Step, by: AnyUser | None) -> None:
    """The links a procedure makes at registration from details keys (``Procedure.links``)."""
    for link in matter.declaration.links:
        value = matter.details.get(link.reference)
        if value in (None, ""):
            continue
        other = find_linked(
            linked_procedure(matter.procedure, link),
            str(value),
            field=f"details.{link.reference}",
        )
        record_link(matter, other, link.kind, step.on, step, by)


def link_from_step(
    matter: Matter,
    spec: Action,
    step: Step,
    by: AnyUser | None,
    *,
    today: dt.date,
    cal: Calendar | None,
    register: Callable[..., Matter],
) -> Matter | None:
    """The link ``step`` makes (``spec.link``); returns the matter a diversion opened through
    ``register`` (``services.register_matter``)."""
    link = spec.link
    if link is None:
        return None
    data = step.data
    reference = str(data.get(link.reference) or "").strip() if link.reference else ""
    if reference:
        procedure = (
            get_procedure(link.opened_procedure(data))
            if link.opens and link.opened_procedure(data)
            else linked_procedure(matter.procedure, link)
        )
        other = find_linked(procedure, reference, field=link.reference)
        record_link(matter, other, link.kind, step.on, step, by)
        return None
    if not link.opens:
        return None
    code = link.opened_procedure(data)
    if code not in {p.code for p in all_procedures()}:
        return None  # e.g. a petition diverted to arbitration: no procedure here to open
    opened = _open(matter, link, code, data, step, by, today=today, cal=cal, register=register)
    record_link(matter, opened, link.kind, step.on, step, by)
    return opened


def _open(
    matter: Matter,
    link: Link,
    code: str,
    data: Mapping[str, Any],
    step: Step,
    by: AnyUser | None,
    *,
    today: dt.date,
    cal: Calendar | None,
    register: Callable[..., Matter],
) -> Matter:
    procedure = get_procedure(code)
    org: OrgUnit | int = matter.org
    if link.to_org and data.get(link.to_org) not in (None, ""):
        org = int(data[link.to_org])
    party = {
        "name": matter.party_name,
        "kind": matter.party_kind,
        "id_number": matter.party_id_number,
        "phone": matter.party_phone,
        "address": matter.party_address,
    }
    details = {name: data[name] for name in link.carries if data.get(name) not in (None, "")}
    try:
        return register(
            code,
            org=org,
            received_on=step.on,
            subject=matter.subject,
            by=by,
            channel=Channel.LINKED,
            party={k: v for k, v in party.items() if v},
            details=details,
            opened_from=matter,
            cal=cal,
            today=today,
        )
    except ProcedureError as exc:
        exc.message = f"导入{procedure.label}未能登记：{exc.message}"
        exc.args = (exc.message,)
        if exc.field and exc.field.startswith("details.") and exc.field[8:] in link.carries:
            exc.field = exc.field[8:]  # the action's own field, which the user fills
        raise


# --- what a page shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkView:
    """One link as one matter's page shows it: the wording from that side and the other matter
    (``other`` None: the user may not see it; only its procedure and reference are named)."""

    wording: str
    kind: str
    on: dt.date
    procedure_label: str
    reference: str
    other: Matter | None
    outgoing: bool


def links_for(matter: Matter, user: AnyUser | None) -> list[LinkView]:
    """The matter's links both ways, in date order. The other matter is shown when the user may
    see it (``for_user``); one they may not see is named by its procedure and reference only
    (a diverting unit tells the petitioner where the matter went), and one of a confidential
    procedure (petitions) the user may not see is left out altogether."""
    rows = [
        (link, True, link.target)
        for link in MatterLink.objects.filter(source=matter).select_related("target")
    ] + [
        (link, False, link.source)
        for link in MatterLink.objects.filter(target=matter).select_related("source")
    ]
    if not rows:
        return []
    visible = set(
        Matter.objects.for_user(user)
        .filter(pk__in=[other.pk for _, _, other in rows])
        .values_list("pk", flat=True)
    )
    views = []
    for link, outgoing, other in rows:
        declaration = other.declaration
        seen = other.pk in visible
        if not seen and declaration.confidential:
            continue
        views.append(
            LinkView(
                wording=LINK_WORDING[LinkKind(link.kind)][0 if outgoing else 1],
                kind=link.kind,
                on=link.created_on,
                procedure_label=declaration.label,
                reference=other.reference,
                other=other if seen else None,
                outgoing=outgoing,
            )
        )
    return sorted(views, key=lambda v: (v.on, v.kind))
