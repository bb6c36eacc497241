"""What the public may submit: a domain's intake declarations (``fazhi/<domain>/intake.py``).

An ``Intake`` says, for one procedure open to public submission, which fields its public form
asks for and in what order (``PublicField``: a field of the submitter — ``name``, ``phone``,
``party_kind``, ``id_number`` —, the matter's ``subject``, its ``attachments``, or one of the
procedure's declared ``details``), with the labels and help texts the public reads. The
portal builds its form from it, the Open311 API takes its service group from it, and a
``Publication`` says which answered matters the public may read (with the sender's consent).

Nothing here touches the database or Django's forms: the faces read these declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fazhi.procedures.declarations import FieldType, get_procedure

#: Fields every public form may ask for besides the procedure's ``details``.
PARTY_FIELDS = ("name", "phone", "party_kind", "id_number")
COMMON_FIELDS = (*PARTY_FIELDS, "subject", "attachments")


@dataclass(frozen=True)
class PublicField:
    """One input of a public form.

    ``label`` and ``help`` default to the declared field's (or the portal's for the common
    fields); ``required`` defaults to the declared field's. ``widget`` is a rare custom
    widget: a callable returning a Django widget (the portal's default follows the type: a
    radio list for a choice, a text area for a text, a check box for a yes/no).
    """

    name: str
    label: str = ""
    help: str = ""
    required: bool | None = None
    widget: Callable[[], Any] | None = None


@dataclass(frozen=True)
class Publication:
    """Answered matters the public may read: in ``state``, with ``consent`` (a yes/no detail)
    true; the text of the latest ``action`` step's ``text`` field is the published reply."""

    state: str
    consent: str
    action: str
    text: str
    title: str = "信件公开"


@dataclass(frozen=True)
class Intake:
    """A procedure's public submission: its form, its place on the portal and in Open311.

    ``slug`` is the portal's path (``/<slug>/``); ``summary`` the one line the home page and
    the form show; ``group`` the Open311 service group; ``order`` the place among channels.
    """

    procedure: str
    slug: str
    summary: str
    fields: tuple[PublicField, ...]
    group: str = "公众诉求"
    order: int = 100
    publication: Publication | None = None

    @property
    def detail_fields(self) -> tuple[PublicField, ...]:
        """The inputs that are the procedure's declared details."""
        return tuple(f for f in self.fields if f.name not in COMMON_FIELDS)

    def field(self, name: str) -> PublicField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def asks_id_number(self) -> bool:
        return self.field("id_number") is not None


_INTAKES: dict[str, Intake] = {}


def register_intake(*intakes: Intake) -> None:
    """Declare what the public may submit (a domain's ``intake.py``, after its procedures).

    Checked when declared: the procedure accepts public submissions, every field is a common
    field or a declared detail, names and slugs are unique, a publication's fields exist.
    """
    for intake in intakes:
        procedure = get_procedure(intake.procedure)
        where = f"intake {intake.procedure}"
        if not procedure.public_submission:
            raise ValueError(f"{where}: the procedure does not accept public submissions")
        names = [f.name for f in intake.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"{where}: a field is listed twice")
        for name in ("name", "phone", "subject"):
            if name not in names:
                raise ValueError(f"{where}: the form must ask for {name}")
        for f in intake.detail_fields:
            if procedure.detail_field(f.name) is None:
                raise ValueError(f"{where}: {f.name} is neither a common field nor a detail")
        pub = intake.publication
        if pub is not None:
            consent = procedure.detail_field(pub.consent)
            if consent is None or consent.type != FieldType.BOOL:
                raise ValueError(f"{where}: publication consent {pub.consent} is not a yes/no")
            if pub.state not in procedure.states:
                raise ValueError(f"{where}: publication state {pub.state} unknown")
            if pub.text not in procedure.action(pub.action).field_names:
                raise ValueError(f"{where}: action {pub.action} has no field {pub.text}")
        for other in _INTAKES.values():
            if other.procedure != intake.procedure and other.slug == intake.slug:
                raise ValueError(f"{where}: slug {intake.slug} taken by {other.procedure}")
        existing = _INTAKES.get(intake.procedure)
        if existing is not None and existing != intake:
            raise ValueError(f"{where} registered twice with different contents")
        _INTAKES[intake.procedure] = intake


def get_intake(procedure: str) -> Intake | None:
    return _INTAKES.get(procedure)


def all_intakes() -> list[Intake]:
    """Every intake, in channel order."""
    return sorted(_INTAKES.values(), key=lambda i: (i.order, i.procedure))
