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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from fazhi.core import audit, clock
from fazhi.core.pii import mask_name, mask_public, names_in
from fazhi.core.scope import AnyUser, can_act_on
from fazhi.procedures.errors import NotAllowed
from fazhi.procedures.models import Matter, PublicRelease, ReleaseDecision, Step

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


def _submitted_names(matter: Matter) -> list[str]:
    texts = [matter.subject, *(v for v in (matter.details or {}).values() if isinstance(v, str))]
    return [name for text in texts for name in names_in(text)]


def mask_for_public(matter: Matter, text: object, words: Iterable[str] = ()) -> str:
    """``text`` of ``matter`` as any public page or answer may show it: the party's data and
    every name the submission introduces (``pii.names_in`` over its subject and texts: a
    relative named as 患者 in the letter stays hidden where the reply names them again)."""
    return mask_public(
        str(text or ""),
        names=[matter.party_name, *_submitted_names(matter)],
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
