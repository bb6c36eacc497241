"""Time limits of business-environment complaints and the help window: local rules, configurable
(defaults of spec/procedures.md); a service request's is its item's committed limit (the
request's ``committed_days``), 20 working days when none is given."""

from __future__ import annotations

from fazhi.workdays import LOCAL_RULE, TimeLimit, Unit, register_limits

W = Unit.WORKING

LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "business_complaint.triage",
        "涉企投诉受理审查",
        3,
        W,
        "收到投诉之日",
        LOCAL_RULE,
        "—",
        configurable=True,
    ),
    TimeLimit(
        "business_complaint.conclude",
        "涉企投诉办结",
        15,
        W,
        "受理之日",
        LOCAL_RULE,
        "—",
        configurable=True,
    ),
    TimeLimit(
        "help_request.triage",
        "“办不成事”求助受理审查",
        3,
        W,
        "收到求助之日",
        LOCAL_RULE,
        "—",
        configurable=True,
    ),
    TimeLimit(
        "help_request.conclude",
        "“办不成事”求助办结",
        15,
        W,
        "受理之日",
        LOCAL_RULE,
        "—",
        configurable=True,
    ),
)

SERVICE_LIMITS: tuple[TimeLimit, ...] = (
    TimeLimit(
        "service_request.conclude",
        "政务服务办件办结（承诺时限）",
        20,
        W,
        "受理之日",
        LOCAL_RULE,
        "—",
        configurable=True,
    ),
)

register_limits(*LIMITS, *SERVICE_LIMITS)
