"""The public site's one write: a submission and its files, in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import transaction

from fazhi.core import clock
from fazhi.portal.notices import subscribe
from fazhi.procedures.attachments import add_attachment
from fazhi.procedures.models import Attachment, Channel, Matter, Step
from fazhi.procedures.services import act, intake_org, register_matter


def submit_public(
    procedure: str,
    *,
    subject: str,
    party: Mapping[str, Any],
    details: Mapping[str, Any],
    attachments: Iterable[tuple[str, bytes]] = (),
    notify: Mapping[str, str] | None = None,
) -> Matter:
    """Register a public submission in the procedure's intake unit, with its attachments.

    One transaction, the registration's: if any file is refused (``ProcedureError`` from
    ``add_attachment``), no matter, step, reference number or audit event is left behind. The
    checks and reads come before it (``register_matter``), so that it is short (#19).
    """
    stored: list[Attachment] = []
    files = list(attachments)

    def within(matter: Matter, first: Step) -> None:
        if notify:
            subscribe(matter, **notify)
        for name, content in files:
            stored.append(
                add_attachment(matter, name, content, by=None, step=first, submitter=True)
            )

    try:
        matter = _register(procedure, subject, party, details, within)
    except Exception:
        # The rows are rolled back; the files already written to storage go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return matter


def _register(
    procedure: str,
    subject: str,
    party: Mapping[str, Any],
    details: Mapping[str, Any],
    within: Callable[[Matter, Step], None] | None = None,
) -> Matter:
    return register_matter(
        procedure,
        org=intake_org(procedure),
        received_on=clock.today(),
        subject=subject,
        public=True,
        channel=Channel.WEB,
        party=party,
        details=details,
        within=within,
    )


# The generic action by which the submitter adds information or files (procedures.generic).
SUPPLEMENT = "supplement"


def supplement_matter(matter: Matter, text: str, files: Iterable[tuple[str, bytes]]) -> Step:
    """The submitter's ``supplement`` step on the tracking page and its files, all or nothing
    (a refused file leaves no step and no stored file)."""
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            step = act(matter, SUPPLEMENT, None, public=True, data={"text": text} if text else {})
            for name, content in files:
                stored.append(
                    add_attachment(matter, name, content, by=None, step=step, submitter=True)
                )
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return step
