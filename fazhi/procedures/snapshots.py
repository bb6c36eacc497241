"""The rules' view of a stored matter (``rules.MatterSnapshot``), built from its steps.

Apart from ``services`` so that ``permissions`` (which ``act()`` asks) can build one too.
"""

from __future__ import annotations

from collections.abc import Iterable

from fazhi.procedures import rules
from fazhi.procedures.models import Matter, Step


def snapshot_of(matter: Matter, steps: Iterable[Step] | None = None) -> rules.MatterSnapshot:
    """The rules' view of a matter, from its steps (one query unless ``steps`` is given)."""
    rows = list(steps) if steps is not None else list(matter.steps.order_by("seq"))
    return rules.MatterSnapshot(
        procedure=matter.declaration,
        state=matter.state,
        received_on=matter.received_on,
        details=dict(matter.details),
        steps=tuple(rules.StepRecord(s.action, s.on, s.data, s.occurred_at) for s in rows),
        outcome=matter.outcome,
        satisfaction=matter.satisfaction,
        closed_on=matter.closed_on,
        party_kind=matter.party_kind,
    )
