"""What of a matter the public may read, and how it is masked (#19 defects 1 and 6).

- ``mask_for_public`` is the one masking of a matter's text for every public output (the
  portal's published letters and tracking page, Open311 JSON and XML): ``core.pii.mask_public``
  told the matter's own party (name, phone, ID number, address) and the words staff chose to
  hide when releasing it.
- A matter is public only when its submitter agreed (``details.consent_publish``, asked on
  every public form) **and** staff released it (``PublicRelease``) after a preview of exactly
  what will be shown (``public_view``); a release covers the steps recorded up to then, so a
  reply written later waits for the next release. ``released()`` is the one filter every
  public list and look-up starts from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet

from fazhi.core import audit, clock
from fazhi.core.pii import mask_name, mask_public, names_in, person_names, staff_names
from fazhi.core.scope import AnyUser, can_act_on
from fazhi.procedures.declarations import Field, FieldType
from fazhi.procedures.errors import NotAllowed, ProcedureError
from fazhi.procedures.models import Matter, PartyKind, PublicRelease, ReleaseDecision, Step

#: The yes/no detail in which the submitter agrees to publication (every public form asks).
CONSENT_FIELD = "consent_publish"
#: Actions whose text is written to the submitter and may be published: action → field.
REPLY_TEXT = {"reply": "reply", "conclude": "result", "refuse": "reason"}
#: What every public form says will become public (the portal shows it beside the consent).
WHAT_IS_PUBLISHED = (
    "勾选后，经工作人员审核，标题、内容和答复可在本站“信件公开”和开放接口（Open311）公开；"
    "公开时姓名只保留姓氏，电话、证件号码、银行卡号和区县以下的详细地址一律隐去，"
    "工作人员还会隐去其他涉及个人隐私的内容（如病情）。不勾选的，任何内容都不会公开。"
)


# --- the people a matter records ----------------------------------------------------------
#
# A public text of a matter may name someone without any word that introduces a name (经查，
# 欧阳娜娜于…；经办人赵铁柱已核实): nothing in the text tells a name from other words. What the
# system knows is who the matter records — its party, its handler and every staff member who
# acted on it, the people a step or a detail names (a staff field, a ``personal`` field such as
# 论证专家, 参加人员), and what a domain knows (``register_people``: the enforcement officers a
# decision names by certificate, a draft's commenters). Every public text of the matter hides
# all of them (``mask_for_public``), wherever they stand.

PeopleSource = Callable[[Sequence[Matter]], Mapping[int, Iterable[str]]]
_PEOPLE_SOURCES: dict[str, list[PeopleSource]] = {}
_CACHE = "_public_people"


def register_people(procedure: str, source: PeopleSource) -> None:
    """A domain's source of the people its matters of ``procedure`` name: given matters, their
    pk → names (one query for all of them)."""
    _PEOPLE_SOURCES.setdefault(procedure, []).append(source)


def _texts_names(matter: Matter) -> list[str]:
    texts = [matter.subject, *(v for v in (matter.details or {}).values() if isinstance(v, str))]
    return [name for text in texts for name in names_in(text)]


def _personal(fields: Iterable[Field], data: Mapping[str, Any]) -> list[str]:
    out = []
    for f in fields:
        value = data.get(f.name)
        if value in (None, ""):
            continue
        if f.personal:
            out += person_names(value)
        elif f.type == FieldType.PERSON:  # a staff member: the name stored beside the id
            out += person_names(data.get(f"{f.name}_name"))
    return out


def load_people(matters: Iterable[Matter]) -> None:
    """Find the people each of ``matters`` records (``known_names``), in a few queries for all:
    a public list calls it once for its page."""
    todo = [m for m in matters if getattr(m, _CACHE, None) is None and m.pk is not None]
    if not todo:
        return
    by_pk = {m.pk: m for m in todo}
    found: dict[int, list[str]] = {m.pk: [] for m in todo}
    user_model = get_user_model()
    handlers = {m.handler_id for m in todo if m.handler_id}
    rows = Step.objects.filter(matter_id__in=list(by_pk)).values_list(
        "matter_id", "action", "actor_id", "actor_label", "data"
    )
    actors: dict[int, set[int]] = {}
    for matter_id, action, actor_id, label, data in rows:
        if actor_id:
            actors.setdefault(matter_id, set()).add(actor_id)
        elif label and label not in ("公众", "系统"):
            found[matter_id] += person_names(label)
        if action != "register" and isinstance(data, dict) and data:
            try:
                spec = by_pk[matter_id].declaration.action(action)
            except ProcedureError:  # an action no longer declared: its data names nobody known
                continue
            found[matter_id] += _personal(spec.fields, data)
    user_ids = handlers | {u for ids in actors.values() for u in ids}
    names = {
        pk: staff_names(first, last)
        for pk, first, last in user_model.objects.filter(pk__in=user_ids).values_list(
            "pk", "first_name", "last_name"
        )
    }
    for m in todo:
        people = found[m.pk]
        if m.party_kind != PartyKind.ORGANISATION and m.party_name:
            people.append(m.party_name)
        people += _texts_names(m)
        people += _personal(m.declaration.details, m.details or {})
        for user in actors.get(m.pk, set()) | ({m.handler_id} if m.handler_id else set()):
            people += names.get(user, [])
    for code in {m.procedure for m in todo}:
        group = [m for m in todo if m.procedure == code]
        for source in _PEOPLE_SOURCES.get(code, []):
            for pk, extra in source(group).items():
                found[pk] += [n for n in extra if n]
    for m in todo:
        setattr(m, _CACHE, sorted(set(found[m.pk]), key=len, reverse=True))


def known_names(matter: Matter) -> list[str]:
    """The people ``matter`` records (see above): its public texts hide each of them."""
    if matter.pk is None:
        return [matter.party_name, *_texts_names(matter)]
    load_people([matter])
    return list(getattr(matter, _CACHE))


def mask_for_public(matter: Matter, text: object, words: Iterable[str] = ()) -> str:
    """``text`` of ``matter`` as any public page or answer may show it: through the one public
    masking (``pii.mask_public``), told the party's phone, ID number and address and every
    person the matter records (``known_names``: the party, a relative named as 患者 in the
    letter, the handler, the staff who acted, an expert …) wherever they stand in it."""
    return mask_public(
        str(text or ""),
        names=[matter.party_name, *known_names(matter)],
        phones=[matter.party_phone],
        id_numbers=[matter.party_id_number],
        addresses=[matter.party_address],
        words=list(words),
    )


# --- may it be public? ------------------------------------------------------------------------


def consented(matter: Matter) -> bool:
    return matter.details.get(CONSENT_FIELD) is True


def why_not_publishable(matter: Matter) -> str | None:
    """Why ``matter`` can never be released, in plain Chinese; None if it can."""
    procedure = matter.declaration
    if procedure.confidential:
        return f"{procedure.label}属于保密事项，不得公开。"
    if procedure.detail_field(CONSENT_FIELD) is None:
        return f"{procedure.label}不向公众公开。"
    if not consented(matter):
        return "当事人提交时未同意公开，不得公开。"
    return None


def released(queryset: QuerySet[Matter] | None = None) -> QuerySet[Matter]:
    """Matters the public may read: not confidential, consented and released by staff."""
    base = queryset if queryset is not None else Matter.objects.all()
    public: QuerySet[Matter] = base.public()  # type: ignore[attr-defined]
    return public.filter(
        Q(**{f"details__{CONSENT_FIELD}": True}),
        public_release__decision=ReleaseDecision.RELEASED,
    )


# --- what the public reads ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublicView:
    """A matter's texts as published (masked), and the reply covered by the release."""

    subject: str
    content: str
    reply: str
    reply_label: str
    replied_on: dt.date | None
    sender: str


def _covered_reply(
    matter: Matter, steps: Iterable[Step], through_seq: int | None
) -> tuple[Step, str] | None:
    procedure = matter.declaration
    latest = None
    for step in steps:
        name = REPLY_TEXT.get(step.action)
        if name is None or (through_seq is not None and step.seq > through_seq):
            continue
        if name in procedure.action(step.action).field_names and step.data.get(name):
            latest = (step, name)
    return latest


def public_view(
    matter: Matter,
    *,
    steps: Iterable[Step] | None = None,
    release: PublicRelease | None = None,
    words: Iterable[str] | None = None,
    through_seq: int | None = None,
) -> PublicView:
    """What the public reads of ``matter``: the same for the staff's preview, the portal and
    Open311. ``release`` (default the matter's) gives the words to hide and the steps covered;
    ``words`` and ``through_seq`` override them (the preview of a release not yet made)."""
    if release is None:
        release = PublicRelease.objects.filter(matter=matter).first()
    if words is None:
        words = release.hidden_words if release is not None else []
    if through_seq is None:
        through_seq = release.through_seq if release is not None else 0
    words = list(words)
    rows = list(steps) if steps is not None else list(matter.steps.order_by("seq"))
    covered = _covered_reply(matter, rows, through_seq)
    if covered is not None:
        step, name = covered
        reply = mask_for_public(matter, step.data[name], words)
        label = matter.declaration.action(step.action).field(name).label
        on: dt.date | None = step.on
    else:
        reply, label, on = "", "", None
    return PublicView(
        subject=mask_for_public(matter, matter.subject, words),
        content=mask_for_public(matter, matter.details.get("content", ""), words),
        reply=reply,
        reply_label=label,
        replied_on=on,
        sender=mask_name(matter.party_name) or "匿名",
    )


# --- staff decide ------------------------------------------------------------------------------


def _guard(matter: Matter, by: AnyUser) -> None:
    if not can_act_on(by, matter.org):
        raise NotAllowed("您不能审核该事项的公开。", field="matter")


def clean_words(words: Iterable[str] | str) -> list[str]:
    """The words to hide, one per line (blank lines and repeats dropped, at most 100)."""
    if isinstance(words, str):
        words = words.splitlines()
    out: list[str] = []
    for word in words:
        w = str(word).strip()
        if w and w not in out:
            out.append(w[:100])
    return out[:100]


def release_matter(
    matter: Matter, by: AnyUser, *, hidden_words: Iterable[str] | str = (), reason: str = ""
) -> PublicRelease:
    """Release ``matter`` to the public as previewed: its texts so far, masked, minus the
    ``hidden_words``. One transaction, one audit event."""
    _guard(matter, by)
    problem = why_not_publishable(matter)
    if problem:
        raise NotAllowed(problem, field="decision")
    words = clean_words(hidden_words)
    return _decide(matter, by, ReleaseDecision.RELEASED, words, reason)


def withhold_matter(matter: Matter, by: AnyUser, *, reason: str = "") -> PublicRelease:
    """Decide that ``matter`` is not public (or no longer): "do not publish"."""
    _guard(matter, by)
    return _decide(matter, by, ReleaseDecision.WITHHELD, [], reason)


def _decide(
    matter: Matter, by: AnyUser, decision: str, words: list[str], reason: str
) -> PublicRelease:
    with transaction.atomic():
        last = matter.steps.order_by("-seq").values_list("seq", flat=True).first() or 1
        user: Any = by if getattr(by, "is_authenticated", False) else None
        row, _created = PublicRelease.objects.update_or_create(
            matter=matter,
            defaults={
                "decision": decision,
                "through_seq": last,
                "hidden_words": words,
                "reason": (reason or "").strip()[:500],
                "decided_by": user,
                "decided_at": clock.now(),
            },
        )
        audit.record(
            f"matter.{'release' if decision == ReleaseDecision.RELEASED else 'withhold'}",
            matter,
            actor=by,
            data={
                "through_seq": last,
                "hidden_words": len(words),
                "reason": row.reason,
            },
        )
    return row


def release_status(matter: Matter) -> str:
    """The publication status in words, for staff (the matter page): no query unless the
    submitter consented."""
    problem = why_not_publishable(matter)
    if problem:
        return problem
    row = PublicRelease.objects.filter(matter=matter).first()
    if row is None:
        return "当事人同意公开，尚未审核：公众看不到。"
    if not row.is_released:
        return "已决定不公开。"
    newer = matter.steps.filter(seq__gt=row.through_seq, action__in=list(REPLY_TEXT)).exists()
    if newer:
        return "已公开；此后的答复尚未审核，公众看不到。"
    return "已审核公开（脱敏）。"
