"""What of a matter the public may read, and how it is masked (#19 defects 1 and 6).

``mask_for_public`` is the one masking of a matter's text for every public output (the
portal's published letters and tracking page, Open311 JSON and XML): ``core.pii.mask_public``
told the matter's own party (name, phone, ID number, address) and the words staff chose to
hide when releasing it.
"""

from __future__ import annotations

from collections.abc import Iterable

from fazhi.core.pii import mask_public
from fazhi.procedures.models import Matter


def mask_for_public(matter: Matter, text: object, words: Iterable[str] = ()) -> str:
    """``text`` of ``matter`` as any public page or answer may show it."""
    return mask_public(
        str(text or ""),
        names=[matter.party_name],
        phones=[matter.party_phone],
        id_numbers=[matter.party_id_number],
        addresses=[matter.party_address],
        words=list(words),
    )
