"""Procedures of report part (六): reconsideration, litigation, mediation and disputes.

Each module registers its declaration on import (spec/procedures.md fixes codes, states,
actions and outcomes); petitions live in ``fazhi.disputes.petitions``.
"""

from fazhi.disputes.procedures import dispute, litigation, mediation, reconsideration

__all__ = ["dispute", "litigation", "mediation", "reconsideration"]
