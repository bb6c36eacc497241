"""The petition office keeps sight of what it routed (信访工作条例 §22, §38: it assigns or
forwards a petition to the organ that handles it, and follows and supervises the handling).

Each ``route`` step's unit (the office) gets a ``RoutedPetition`` row: written in the step's
transaction (``on_step_recorded``) and, for a bulk import, from the stored steps after its last
batch (``RoutingImport``). ``matters_read_by`` is the reading scope the engine adds to
``Matter.objects.for_user``: the office's staff read the petition (workbench, API, drill-down)
but do not act on it, since acting asks the matter's own unit. Confidentiality is unchanged:
no other unit gains sight, and nothing public lists petitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet

from fazhi.disputes.models import RoutedPetition
from fazhi.disputes.petitions.procedures import CODE
from fazhi.procedures.models import Matter, Step

ROUTING = "route"


def matters_read_by(org_ids: list[int]) -> QuerySet[RoutedPetition, Any]:
    """The petitions these units routed (as matter ids, for ``for_user``)."""
    return RoutedPetition.objects.filter(org_id__in=org_ids).values("matter_id")


def record_routing(steps: Iterable[Step]) -> int:
    """A row for each routing step (idempotent); the count of steps given."""
    rows = [
        RoutedPetition(matter_id=s.matter_id, org_id=s.org_id, routed_on=s.on, step=s)
        for s in steps
        if s.org_id is not None
    ]
    RoutedPetition.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


def on_step_recorded(sender: Any, matter: Matter, step: Step, **kwargs: Any) -> None:
    """In the step's transaction: the office that routed the petition keeps sight of it."""
    if sender == CODE and step.action == ROUTING:
        record_routing([step])


def _chunks(items: Sequence[str], size: int = 900) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RoutingImport:
    """The rows' part in a bulk import (``fazhi.procedures.signals.ImportObserver``): the
    references of routed petitions are gathered where they are replayed, and their rows written
    from the stored route steps after the import's last batch, in its transaction."""

    def __init__(self) -> None:
        self.pending: list[str] = []
        self.references: set[str] = set()

    def replayed(self, matters: Sequence[Any], sign: int) -> None:
        if sign < 0:
            return  # a row for a line taken back is harmless: the steps decide in finish()
        self.pending.extend(
            m.reference
            for m in matters
            if m.procedure == CODE and any(s.action == ROUTING for s in m.steps[m.new_from :])
        )

    def partial(self, final: bool) -> Any:
        out, self.pending = self.pending, []
        return out or None

    def merge(self, partial: Any) -> None:
        self.references.update(partial)

    def finish(self) -> None:
        self.merge(self.pending)
        self.pending = []
        for chunk in _chunks(sorted(self.references)):
            record_routing(
                Step.objects.filter(
                    matter__procedure=CODE, matter__reference__in=chunk, action=ROUTING
                ).only("matter_id", "org_id", "on")
            )
