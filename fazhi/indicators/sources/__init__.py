"""The tally of the conditional sources (``SourceTally``): what makes every conditional figure
a sum of a few thousand rows instead of a pass over the year's matters and their steps.

- ``keys``: which sources are kept (``tallied``) and the digest that names each.
- ``membership``: a matter's part in each source as a function of the cut-off, from its facts
  (details, party, steps, clocks) — pure, no database; the grouped queries of
  ``engine.conditional`` stay the reference it is verified against.
- ``maintain``: the receivers (``act()``, registration, the clocks' recomputation, deletion),
  the bulk import's observer, ``rebuild`` and ``differences``.
- ``read``: the values of the built sources for a scope and period (one query).
"""
