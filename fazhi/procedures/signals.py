"""Hooks the engine offers to the layers above it (which it must not import).

- ``step_recording(sender=procedure_code, matter=Matter, steps=[Step])``: sent inside the
  transaction of ``act``, once the action is allowed and before anything is written:
  ``matter`` (locked) and its stored ``steps`` are as they were, for a layer that keeps what
  a matter adds to something and needs the difference (the indicators' tallies).
- ``step_recorded(sender=procedure_code, matter=Matter, step=Step)``: sent inside the
  transaction of ``register_matter``/``act``, after the step and the matter are written.
- ``matters_changing`` / ``matters_changed(sender=..., matter_ids=[int])``: sent inside the
  transaction of a change to matters that is not a step — their clocks recomputed after a
  calendar change (``sweeps.recompute_open_deadlines``) — before and after it is written.
- ``swept(sender="sweep", today=date)``: sent by the daily sweep (``sweeps.sweep``) inside its
  transaction, after the engine's own warnings: a layer with reminders of its own (a key
  task's a month ahead, to its assisting units too) adds them here and returns how many
  notifications it created (an int), which the sweep adds to its count. A layer whose rule
  takes a step when a date passes (an enforcement decision taken down when its publicity
  period ended) records it here through ``act(..., system=True)`` and returns a mapping
  ``{"recorded": steps, "notifications": n}``, added to the sweep's counts likewise.
- ``import_observers``: what a bulk import (``fazhi.procedures.importing``) tells the layers
  above about the matters it writes. A layer registers a factory with ``observe_imports``;
  each import makes one observer per factory (``ImportObserver``), before it starts replaying.

  The lines of a big file are replayed in worker processes, forked from the import's process
  with a copy of each observer, while the import's process writes. So an observer gathers
  from replayed matters wherever they are replayed (``replayed``: pure, no database), hands
  what it gathered to the import's process in pieces (``partial``: picklable), and the import's
  process, inside the import's transaction, folds the pieces in (``merge``) and finishes
  (``finish``, after the last batch, before the commit; never when the import is rolled back).

  ``replayed`` sees each matter the import writes exactly once in sum: a line replayed as new
  that turns out to be stored is taken back (``sign=-1``) and counted again as what it became
  (an update, or nothing). ``matters`` (``ImportedMatter``, below: the
  replay's own objects, to read during the call, never to change) have ``procedure``,
  ``reference``, ``org_id`` (the unit handling it now), ``received_on``, ``steps`` — every
  step, stored ones first, each with ``seq``, ``action``, ``on``, ``state_after``, ``data``
  and ``org_id`` (the unit that handled the matter until that step) — ``new_from``, the
  index of the first step the import writes, ``details`` and ``party_kind`` (after the last
  step), ``clocks`` (every clock after the last step: ``limit``, ``started_on``, ``due_on``,
  ``answered_on``, ``in_time``, ``answered_action``) and, for an update,
  ``before`` and ``before_clocks``: the stored matter's view and clocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from django.dispatch import Signal

step_recording = Signal()
step_recorded = Signal()
matters_changing = Signal()
matters_changed = Signal()
swept = Signal()


class ImportedStep(Protocol):
    """What an import's observers read of a replayed step (the import's ``StepRow``)."""

    @property
    def seq(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def on(self) -> dt.date: ...
    @property
    def state_after(self) -> str: ...
    @property
    def data(self) -> Mapping[str, Any]: ...
    @property
    def org_id(self) -> int: ...  # the unit that handled the matter until this step


class ImportedMatter(Protocol):
    """What an import's observers read of a matter it writes: the replay's own ``Replayed``
    objects, read-only."""

    @property
    def procedure(self) -> str: ...
    @property
    def reference(self) -> str: ...
    @property
    def org_id(self) -> int: ...  # the unit handling it now
    @property
    def received_on(self) -> dt.date: ...
    @property
    def steps(self) -> Sequence[ImportedStep]: ...  # every step, stored ones first
    @property
    def new_from(self) -> int: ...  # index in ``steps`` of the first step the import writes
    @property
    def details(self) -> Mapping[str, Any]: ...  # after the last step
    @property
    def party_kind(self) -> str: ...
    @property
    def clocks(self) -> Sequence[Any]: ...  # after the last step (limit, started_on, due_on …)
    @property
    def before(self) -> Any: ...  # an update's stored MatterSnapshot (None: a new matter)
    @property
    def before_clocks(self) -> Sequence[Any]: ...  # an update's stored Clock rows


class ImportObserver(Protocol):
    def replayed(self, matters: Sequence[ImportedMatter], sign: int) -> None:
        """Gather from replayed matters (``sign=-1``: take them back). No database access."""

    def partial(self, final: bool) -> Any:
        """What was gathered since the last call, to send now (None: nothing yet); ``final``
        at the end of the replaying process's share of the file."""

    def merge(self, partial: Any) -> None:
        """In the import's process and transaction: fold in a piece ``partial`` returned."""

    def finish(self) -> None:
        """In the import's process and transaction, after the last batch."""


import_observers: list[Callable[[], ImportObserver]] = []


def observe_imports(factory: Callable[[], ImportObserver]) -> None:
    """Register ``factory`` (once: registering it again does nothing)."""
    if factory not in import_observers:
        import_observers.append(factory)
