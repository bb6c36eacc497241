"""What the public may see of matters: channels and their time limits, the public timeline of a
matter, published replies (an intake's ``Publication``). Everything here reads; every change goes
through the engine.

Rules (issue 6): the public sees a matter's procedure, state, dates, the handling unit's name
and the texts published to the submitter (a reply, a result, a refusal's reason); never a
``note``, never a staff member's name, never the internal data of a generic action (transfers,
extensions, suspensions show as their label only). Only non-confidential procedures are ever
looked up (``Matter.objects.public()``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from fazhi.procedures.declarations import FieldType, Procedure, get_procedure
from fazhi.procedures.intake import Intake, Publication, all_intakes, get_intake
from fazhi.procedures.models import Attachment, Matter, Step
from fazhi.procedures.publicity import (
    REPLY_TEXT,
    load_people,
    mask_for_public,
    public_view,
    released,
)
from fazhi.workdays import get_limit

# Actions whose data field is written for the submitter and shown on the tracking page.
PUBLISHED_TEXT = REPLY_TEXT
# Actions never shown to the public.
HIDDEN_ACTIONS = frozenset({"note"})


@dataclass(frozen=True)
class Channel:
    code: str
    label: str
    summary: str
    time_limits: str
    url_name: str


def submit_url_name(intake: Intake) -> str:
    """``submit-help-request``: the URL name (namespace ``portal``) of an intake's form."""
    return f"submit-{intake.procedure.replace('_', '-')}"


def summary(procedure: str) -> str:
    intake = get_intake(procedure)
    return intake.summary if intake is not None else get_procedure(procedure).description


def time_limit_text(procedure: Procedure) -> str:
    """How long a procedure takes, read from its declared deadlines and the configured limits.

    ``3个工作日内受理审查，受理后15个工作日内办结``.
    """
    parts = []
    for deadline in procedure.deadlines:
        limit = get_limit(deadline.limit)
        span = f"{limit.unit.describe(limit.length)}内{deadline.label}"
        start = deadline.runs_from[0] if deadline.runs_from else "register"
        if start == "register":
            parts.append(span)
        else:
            parts.append(f"{procedure.action(start).label}后{span}")
    return "，".join(parts)


def channels() -> list[Channel]:
    """The public channels (every intake declared by an installed domain), in their order."""
    result = []
    for intake in all_intakes():
        procedure = get_procedure(intake.procedure)
        result.append(
            Channel(
                code=procedure.code,
                label=procedure.label,
                summary=intake.summary,
                time_limits=time_limit_text(procedure),
                url_name=f"portal:{submit_url_name(intake)}",
            )
        )
    return result


# --- tracking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    on: dt.date
    label: str
    text: str = ""
    text_label: str = ""


def public_timeline(matter: Matter, steps: Iterable[Step]) -> list[TimelineEntry]:
    """The steps of ``matter`` as the submitter may see them (date, action, published text)."""
    procedure = matter.declaration
    entries = []
    rated = False  # a rating of the current conclusion is shown: a later one changes it
    for step in steps:
        if step.action in HIDDEN_ACTIONS:
            continue
        if step.action == "register":
            entries.append(TimelineEntry(step.on, "提交并登记"))
            continue
        action = procedure.action(step.action)
        label = action.label
        if action.target is not None and procedure.is_closed(action.target):
            rated = False
        if action.satisfaction:
            label = f"修改{action.label}" if rated else action.label
            rated = True
        text, text_label = "", ""
        field_name = PUBLISHED_TEXT.get(step.action)
        if step.action == "supplement" and step.actor_id is None and step.data.get("text"):
            # The submitter's own words, masked as their subject is (#19 defect 8).
            text, text_label = mask_for_public(matter, step.data["text"]), "您补充的内容"
        elif field_name and not action.generic and step.data.get(field_name):
            text = mask_for_public(matter, step.data[field_name])
            text_label = action.field(field_name).label
        elif action.satisfaction and step.data.get(action.satisfaction):
            # The submitter's own rating, shown back to them.
            text = action.field(action.satisfaction).choice_label(step.data[action.satisfaction])
            text_label = action.field(action.satisfaction).label
        entries.append(TimelineEntry(step.on, label, text, text_label))
    return entries


def tracked_subject(matter: Matter) -> str:
    """The submitter's own subject on the tracking page: anyone with the number and code
    sees the page, so it goes through the one public masking (#19 defect 8): numbers, and
    the party's name, phone, ID and address wherever they appear in it."""
    return mask_for_public(matter, matter.subject)


def submitted_details(matter: Matter) -> list[tuple[str, str]]:
    """What the submitter wrote on the form (its details), as the tracking page shows it to
    the holder of the number and code: through the one public masking, like the subject."""
    intake = get_intake(matter.procedure)
    if intake is None:
        return []
    shown = []
    for spec in intake.detail_fields:
        declared = matter.declaration.detail_field(spec.name)
        value = matter.details.get(spec.name)
        if declared is None or value in (None, "") or declared.type == FieldType.BOOL:
            continue
        if declared.type == FieldType.CHOICE:
            value = declared.choice_label(value)
        shown.append((spec.label or declared.label, mask_for_public(matter, str(value))))
    return shown


def submitter_files(matter: Matter) -> QuerySet[Attachment]:
    """The files of ``matter`` its submitter may fetch on the tracking page: those they sent
    (with the submission or a supplement of their own) and those published to them."""
    own = Q(step__action="register") | Q(step__action="supplement", step__actor__isnull=True)
    return (
        Attachment.objects.filter(matter=matter)
        .filter(own | Q(public=True))
        .order_by("uploaded_at", "pk")
    )


def trackable(queryset: QuerySet[Matter] | None = None) -> QuerySet[Matter]:
    """Matters the public may track: non-confidential (``public()``) and publicly trackable."""
    from fazhi.procedures.declarations import all_procedures

    codes = [p.code for p in all_procedures() if p.public_trackable and not p.confidential]
    base = queryset if queryset is not None else Matter.objects.all()
    return base.public().filter(procedure__in=codes)  # type: ignore[attr-defined]


# --- published replies --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedReply:
    reference: str
    subject: str
    sender: str
    received_on: dt.date
    letter: str
    replied_on: dt.date | None
    reply: str
    unit: str


def publications() -> list[tuple[str, Publication]]:
    """The procedures whose answered matters the public may read (their intake's publication)."""
    return [(i.procedure, i.publication) for i in all_intakes() if i.publication is not None]


def published_letters() -> QuerySet[Matter]:
    """Answered matters the public may read: each procedure's ``Publication`` (state, reply
    action), consented and released by staff with the reply covered by the release
    (``procedures.publicity.released``), newest reply first."""
    wanted = Q(pk__in=[])
    actions = set()
    for code, pub in publications():
        covered = Step.objects.filter(
            matter=OuterRef("pk"),
            action=pub.action,
            seq__lte=OuterRef("public_release__through_seq"),
        )
        wanted |= Q(procedure=code, state=pub.state) & Q(Exists(covered))
        actions.add(pub.action)
    return (
        released()
        .filter(wanted)
        .select_related("org", "public_release")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=Step.objects.filter(action__in=sorted(actions)).order_by("seq"),
                to_attr="reply_steps",
            )
        )
        .order_by("-closed_on", "-pk")
    )


def published_replies(matters: Iterable[Matter]) -> list[PublishedReply]:
    """``published_reply`` of each, the people they record found in one go (the masking)."""
    rows = list(matters)
    load_people(rows)
    return [published_reply(m) for m in rows]


def published_reply(matter: Matter) -> PublishedReply:
    """One letter and its reply as released, through the one public masking."""
    intake = get_intake(matter.procedure)
    pub = intake.publication if intake is not None else None
    if pub is None:
        raise ValueError(f"{matter.procedure} publishes nothing")
    steps = getattr(matter, "reply_steps", None)
    if steps is None:
        steps = list(matter.steps.filter(action=pub.action).order_by("seq"))
    view = public_view(
        matter,
        steps=[s for s in steps if s.action == pub.action],
        release=matter.public_release,
    )
    return PublishedReply(
        reference=matter.reference,
        subject=view.subject,
        sender=view.sender,
        received_on=matter.received_on,
        letter=view.content,
        replied_on=view.replied_on or matter.closed_on,
        reply=view.reply,
        unit=matter.org.name,
    )
