"""Hooks the engine offers to the layers above it (which it must not import).

- ``step_recorded(sender=procedure_code, matter=Matter, step=Step)``: sent inside the
  transaction of ``register_matter``/``act``, after the step and the matter are written.
- ``matters_imported(sender=procedure_code, matter_ids=list[int], matters=list[ImportedMatter],
  context=dict)``: sent inside the import's transaction after a batch of matters (and their
  steps) was written in bulk. ``matters`` (``fazhi.procedures.importing.ImportedMatter``,
  named tuples) are the matters as written: ``matter_id``, ``procedure``, ``reference``,
  ``org_id`` (the unit handling it now), ``received_on``, ``steps`` — every step of the
  matter, stored ones first, each with ``seq``, ``action``, ``on``, ``state_after``, ``data``
  and ``org_id`` (the unit that handled the matter until that step) — and ``new_from``, the
  index of the first step this import wrote; so that a receiver can derive its rows without
  reading back what was just written.
  ``context`` is a dict that lives for one import: a receiver may keep work there across
  batches (e.g. sums to write once) and must finish it on ``import_finished``.
- ``import_finished(sender=None, context=dict)``: sent inside the import's transaction after
  its last batch, before the commit (not sent when the import is rolled back).
"""

from django.dispatch import Signal

step_recorded = Signal()
matters_imported = Signal()
import_finished = Signal()
