"""Normative documents 行政规范性文件 and major administrative decisions 重大行政决策
(spec/procedures.md), with the public's comments on draft decisions and the opinion mailbox.

A normative document is drafted, reviewed for legality (5–15 working days) and fair
competition, adopted collectively, published with its validity (default 5 years), filed with
the body above within 30 days, evaluated after implementation and cleaned up (kept, amended,
repealed or declared expired). A major decision enters the year's catalog and walks its gates
in order — public consultation of at least 30 days, expert argument, risk assessment, legality
review of at least 7 working days, collective decision, publication, post-decision evaluation
—; a gate the law lets a decision skip is skipped with a recorded reason. The order is the
state machine: a collective decision before the legality review is refused by the engine, a
consultation shorter than 30 days cannot close (a minimum period: ``Deadline``).
"""

from fazhi.rulemaking.procedures.decisions import (
    DECISION_RESULTS,
    GATE_STATES,
    MAJOR_DECISION,
    RISK_LEVELS,
    SKIPS,
)
from fazhi.rulemaking.procedures.normative import (
    CLEANUP_OUTCOMES,
    DEFAULT_VALIDITY_YEARS,
    IN_FORCE,
    LAW_OFFICE,
    NORMATIVE_DOCUMENT,
    OPINIONS,
    valid_until,
    validity_years,
)
from fazhi.rulemaking.procedures.public import ADOPTIONS, DECISION_OPINION, DRAFT_COMMENT

__all__ = [
    "ADOPTIONS",
    "CLEANUP_OUTCOMES",
    "DECISION_OPINION",
    "DECISION_RESULTS",
    "DEFAULT_VALIDITY_YEARS",
    "DRAFT_COMMENT",
    "GATE_STATES",
    "IN_FORCE",
    "LAW_OFFICE",
    "MAJOR_DECISION",
    "NORMATIVE_DOCUMENT",
    "OPINIONS",
    "RISK_LEVELS",
    "SKIPS",
    "valid_until",
    "validity_years",
]
