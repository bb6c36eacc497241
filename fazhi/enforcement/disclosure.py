"""What the public disclosure list shows of a decision, below both the list
(``enforcement.public``) and its search index (``enforcement.search``): the one public masking
as this list applies it, and the steps the list reads."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from fazhi.core.pii import mask_public
from fazhi.procedures.models import Matter, PartyKind, Step
from fazhi.procedures.publicity import known_names, mask_for_public


def masked(text: object, matter: Matter) -> str:
    """The one public masking (``procedures.publicity``); an organisation's own name and credit
    code are public on this list (国办发〔2018〕118号), so only a person's data is replaced."""
    if matter.party_kind == PartyKind.ORGANISATION:  # the people it records stay hidden
        return mask_public(
            str(text or ""),
            names=known_names(matter),
            phones=[matter.party_phone],
            addresses=[matter.party_address],
        )
    return mask_for_public(matter, text)


def with_public_steps(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """``qs`` with the organ and the publish and withdraw steps the public page shows."""
    return qs.select_related("org").prefetch_related(
        Prefetch(
            "steps",
            queryset=Step.objects.filter(action__in=("publish", "withdraw")).order_by("seq"),
            to_attr="public_steps",
        )
    )
