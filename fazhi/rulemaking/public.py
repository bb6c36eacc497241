"""What the public sees of rulemaking: the register of normative documents in force, the
major-decision standard and catalog, the drafts open for comment (article by article), and the
decisions published with their adoption notes.

Rules: only published documents in force; a catalog item's gates and their dates, not its
internal opinions; a consultation's draft as published for comment; an adoption note through
the one public masking (``core.pii.mask_public``) with every commenter's name and phone, since
staff may quote a comment in it; the draft's articles, every title, document number and reason
through the same masking, told the people the matter records (``publicity.known_names``: the
staff who acted, the experts, the commenters — a draft may quote a case, #19). The register's
own entries (the standard, the catalog) through it too. The public's comments themselves are
never listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from fazhi.core.pii import mask_public
from fazhi.core.registers import RegisterEntry
from fazhi.procedures.models import Matter, Step
from fazhi.procedures.publicity import known_names
from fazhi.rulemaking.cleanup import documents_in_force, validity_end
from fazhi.rulemaking.grouping import article_label, parse_articles
from fazhi.rulemaking.procedures import MAJOR_DECISION

PUBLIC_STEPS = ("publish", "file", "cleanup", "list_for_cleanup")


def masked(m: Matter, text: object) -> str:
    """A text of a rulemaking matter as the public reads it: the one public masking, told the
    people the matter records (an organ's own name is public)."""
    return mask_public(str(text or ""), names=known_names(m))


def masked_entry(text: object) -> str:
    """A register entry's text (the decision standard, the catalog) as the public reads it."""
    return mask_public(str(text or ""))


@dataclass(frozen=True)
class PublicEntry:
    """A register entry as published: the decision standard, the year's catalog."""

    title: str
    text: str
    published_on: dt.date | None


def public_entry(entry: RegisterEntry) -> PublicEntry:
    """A decision standard or catalog as published: its texts through the one masking."""
    return PublicEntry(
        title=masked_entry(getattr(entry, "title", "")),
        text=masked_entry(getattr(entry, "text", "")),
        published_on=getattr(entry, "published_on", None),
    )


@dataclass(frozen=True)
class PublicDocument:
    reference: str
    title: str
    organ: str
    number: str
    published_on: dt.date | None
    valid_until: dt.date | None


def register_of_documents(query: str = "", organ: int | None = None) -> QuerySet[Matter]:
    """The documents in force, newest first; ``query`` matches the title or number."""
    qs = documents_in_force(Matter.objects.public())
    if query:
        qs = qs.filter(Q(subject__icontains=query) | Q(details__document_number__icontains=query))
    if organ:
        qs = qs.filter(org_id=organ)
    return (
        qs.select_related("org")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=Step.objects.filter(action__in=PUBLIC_STEPS).order_by("seq"),
                to_attr="rulemaking_steps",
            )
        )
        .order_by("-received_on", "-pk")
    )


def public_document(m: Matter) -> PublicDocument:
    steps = getattr(m, "rulemaking_steps", None) or list(
        m.steps.filter(action="publish").order_by("seq")
    )
    published = next((s for s in steps if s.action == "publish"), None)
    return PublicDocument(
        reference=m.reference,
        title=masked(m, m.subject),
        organ=m.org.name,
        number=masked(m, m.details.get("document_number")),
        published_on=published.on if published else None,
        valid_until=validity_end(m),
    )


# --- major decisions ----------------------------------------------------------------------

GATES = (
    ("open_consultation", "公开征求意见"),
    ("close_consultation", "征求意见结束"),
    ("skip_consultation", "不公开征求意见"),
    ("expert_argument", "专家论证"),
    ("skip_expert_argument", "不需专家论证"),
    ("risk_assessment", "风险评估"),
    ("skip_risk_assessment", "不需风险评估"),
    ("legality_review", "合法性审查"),
    ("collective_decision", "集体讨论决定"),
    ("publish", "公布"),
    ("post_evaluate", "决策后评估"),
)
GATE_LABELS = dict(GATES)


def decisions(year: int | None = None) -> QuerySet[Matter]:
    """The catalog items (of ``year``'s catalog), with their gate steps."""
    qs = Matter.objects.filter(procedure="major_decision").exclude(state="withdrawn")
    if year is not None:
        qs = qs.filter(details__catalog_year=year)
    return (
        qs.select_related("org")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=Step.objects.filter(action__in=list(GATE_LABELS)).order_by("seq"),
                to_attr="gate_steps",
            )
        )
        .order_by("received_on", "pk")
    )


def open_consultations(today: dt.date) -> QuerySet[Matter]:
    """Drafts open for comment today (their announced closing date not passed)."""
    return decisions().filter(state="consulting", details__closes_on__gte=today.isoformat())


@dataclass(frozen=True)
class Gate:
    label: str
    on: dt.date
    note: str = ""


@dataclass(frozen=True)
class PublicDecision:
    reference: str
    title: str
    organ: str
    state: str
    gates: tuple[Gate, ...]
    closes_on: dt.date | None
    consulting: bool
    adoption_note: str


def _masked_note(m: Matter, note: str) -> str:
    if not note:
        return ""
    commenters = Matter.objects.filter(
        procedure="draft_comment", details__decision=m.reference
    ).values_list("party_name", "party_phone")
    phones = [p for _, p in commenters if p]
    return mask_public(note, names=known_names(m), phones=phones)


def public_decision(m: Matter, today: dt.date) -> PublicDecision:
    steps = getattr(m, "gate_steps", None)
    if steps is None:
        steps = list(m.steps.filter(action__in=list(GATE_LABELS)).order_by("seq"))
    gates = []
    note = ""
    for s in steps:
        extra = ""
        if s.action.startswith("skip_"):
            extra = masked(m, s.data.get("reason"))
        if s.action == "publish":
            extra = masked(m, s.data.get("document_number"))
        if s.action == "close_consultation":
            note = str(s.data.get("adoption_note", ""))
        gates.append(Gate(GATE_LABELS[s.action], s.on, extra))
    closes = m.details.get("closes_on")
    closes_on = dt.date.fromisoformat(closes) if isinstance(closes, str) and closes else None
    return PublicDecision(
        reference=m.reference,
        title=masked(m, m.subject),
        organ=m.org.name,
        state=MAJOR_DECISION.state_label(m.state),
        gates=tuple(gates),
        closes_on=closes_on,
        consulting=m.state == "consulting" and closes_on is not None and closes_on >= today,
        adoption_note=_masked_note(m, note),
    )


@dataclass(frozen=True)
class Article:
    number: int
    label: str
    text: str


def draft_articles(m: Matter) -> list[Article]:
    """The draft as opened for comment, one article a paragraph."""
    step = m.steps.filter(action="open_consultation").order_by("-seq").first()
    draft = str(step.data.get("draft", "")) if step else ""
    return [Article(n, article_label(n), masked(m, text)) for n, text in parse_articles(draft)]
