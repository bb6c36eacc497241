"""Every change to a matter: ``register_matter`` and ``act`` (DESIGN.md, "The engine").

Both guard first (rules.apply), write in one transaction (the Step, the matter's new state
and deadline, the audit event) and never edit history. Views, the API, commands and the
import only parse input, call these and render.
"""

from fazhi.procedures.services.acting import act, register_matter, snapshot_of
from fazhi.procedures.services.dues import _apply_due, clock_row, store_clocks
from fazhi.procedures.services.inputs import (
    clean_channel,
    clean_party,
    intake_org,
    resolve_org,
    resolve_person,
)
from fazhi.procedures.services.references import (
    CODE_ALPHABET,
    CODE_POLICY,
    find_for_tracking,
    new_verification_code,
    next_reference,
    reference_prefix,
    shows_verification_code,
)
from fazhi.procedures.services.reminders import (
    WARNING_WORKING_DAYS,
    _handlers,
    _notify,
    _notify_unit,
)

__all__ = [
    "CODE_ALPHABET",
    "CODE_POLICY",
    "WARNING_WORKING_DAYS",
    "_apply_due",
    "_handlers",
    "_notify",
    "_notify_unit",
    "act",
    "clean_channel",
    "clean_party",
    "clock_row",
    "find_for_tracking",
    "intake_org",
    "new_verification_code",
    "next_reference",
    "reference_prefix",
    "register_matter",
    "resolve_org",
    "resolve_person",
    "shows_verification_code",
    "snapshot_of",
    "store_clocks",
]
