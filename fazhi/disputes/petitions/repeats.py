"""Likely repeat petitions (重复信访): earlier petitions of the same petitioner on the same matter.

When a petition is registered, staff are shown the earlier petitions they may see (the same
scope as every list) whose petitioner is the same person — the same resident ID, the same phone
number, or the same name at the same address — and whose subject reads alike (``SequenceMatcher``
on the subjects; the same category counts for a little). Nothing is linked until staff confirm
one (the action ``confirm_repeat``), which makes the ``repeat_of`` link.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Q

from fazhi.core.scope import AnyUser
from fazhi.disputes.petitions.procedures import CODE
from fazhi.procedures.models import Matter, MatterLink

THRESHOLD = 0.5  # the least likeness shown
SHOWN = 5
LOOKED_AT = 50  # the latest earlier petitions of the petitioner compared


@dataclass(frozen=True)
class Candidate:
    matter: Matter
    likeness: float  # 0..1
    why: str  # what identifies the petitioner as the same

    @property
    def percent(self) -> int:
        return round(self.likeness * 100)


def _same_petitioner(matter: Matter) -> Q | None:
    q = Q()
    if matter.party_id_number:
        q |= Q(party_id_number=matter.party_id_number)
    if matter.party_phone:
        q |= Q(party_phone=matter.party_phone)
    if matter.party_name and matter.party_address:
        q |= Q(party_name=matter.party_name, party_address=matter.party_address)
    return q or None


def _why(matter: Matter, other: Matter) -> str:
    if matter.party_id_number and other.party_id_number == matter.party_id_number:
        return "身份证号相同"
    if matter.party_phone and other.party_phone == matter.party_phone:
        return "联系电话相同"
    return "姓名和地址相同"


def likeness(matter: Matter, other: Matter) -> float:
    ratio = difflib.SequenceMatcher(None, matter.subject, other.subject).ratio()
    if matter.details.get("category") == other.details.get("category"):
        ratio = min(1.0, ratio + 0.1)
    return ratio


def likely_repeats(matter: Matter, user: AnyUser | None) -> list[Candidate]:
    """The earlier petitions ``user`` may see that ``matter`` likely repeats, likeliest first
    (none already linked as its original)."""
    if matter.procedure != CODE:
        return []
    same = _same_petitioner(matter)
    if same is None:
        return []
    linked = MatterLink.objects.filter(source=matter, kind="repeat_of").values("target_id")
    earlier = (
        Matter.objects.for_user(user)
        .of(CODE)
        .filter(same, received_on__lte=matter.received_on)
        .exclude(pk=matter.pk)
        .exclude(pk__in=linked)
        .select_related("org")
        .order_by("-received_on", "-pk")[:LOOKED_AT]
    )
    found = [Candidate(m, likeness(matter, m), _why(matter, m)) for m in earlier]
    found = [c for c in found if c.likeness >= THRESHOLD]
    found.sort(key=lambda c: (-c.likeness, -c.matter.received_on.toordinal()))
    return found[:SHOWN]
