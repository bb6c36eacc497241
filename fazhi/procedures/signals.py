"""Hooks the engine offers to the layers above it (which it must not import).

- ``step_recorded(sender=procedure_code, matter=Matter, step=Step)``: sent inside the
  transaction of ``register_matter``/``act``, after the step and the matter are written.
- ``matters_imported(sender=procedure_code, matter_ids=list[int])``: sent inside the import's
  transaction after a batch of matters (and their steps) was written in bulk.
"""

from django.dispatch import Signal

step_recorded = Signal()
matters_imported = Signal()
