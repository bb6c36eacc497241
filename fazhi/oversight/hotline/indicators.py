"""Indicators of 12345 hotline work orders (spec/indicators.md, section 七).

- ``hotline_order.concluded``: distinct orders with a ``conclude`` step dated in Y, whatever
  year they were received (an order concluded twice counts once): the report's "13000余";
- ``hotline_order.received``: orders received in Y;
- ``hotline_order.response_rate`` 响应率: the timely rate of ``sign`` (either tier's clock)
  over the orders of Y, returned orders left out;
- ``hotline_order.resolution_rate`` 解决率: of the orders of Y concluded or revisited at the
  cut-off, those whose latest ``resolved`` (conclusion or revisit) by the cut-off is yes;
- ``hotline_order.satisfaction_rate`` 满意率: of the orders of Y revisited by the cut-off, those
  whose latest revisit says satisfied or basically satisfied.

Per unit and per street: the engine computes every figure per org unit (``compute_by_unit``,
the hotline page's table); the cohorts are those above.
"""

from __future__ import annotations

from fazhi.indicators.catalog import from_catalog
from fazhi.indicators.registry import SATISFIED, Matters, register, step, timely
from fazhi.oversight.hotline.limits import SIGN, SIGN_URGENT
from fazhi.oversight.hotline.procedures import CODE, DONE_STATES

ORDERS = Matters(CODE)
NOT_RETURNED = Matters(CODE, where=(step("return", negate=True),))
DONE = Matters(CODE, DONE_STATES)
RESOLVED = Matters(
    CODE, DONE_STATES, where=(step("conclude", "revisit", latest=True, resolved="yes"),)
)
REVISITED = Matters(CODE, where=(step("revisit"),))
SATISFIED_REVISITS = Matters(CODE, where=(step("revisit", latest=True, satisfaction=SATISFIED),))
RESPONSE = timely(NOT_RETURNED, (SIGN, SIGN_URGENT))

INDICATORS = (
    from_catalog(
        "hotline_order.concluded",
        "本年度内有办结记录的工单（不论何年受理；同一工单多次办结只计一次）。",
        Matters(CODE, cohort="conclude"),
    ),
    from_catalog("hotline_order.received", "本年度受理（派单）的工单。", ORDERS),
    from_catalog(
        "hotline_order.response_rate",
        "本年度工单中按时签收的 / 截止日前已签收或签收期限已届满的（退单的工单不计）；"
        "紧急工单按小时、一般工单按工作日计限。",
        *RESPONSE,
    ),
    from_catalog(
        "hotline_order.resolution_rate",
        "本年度工单中截止日为已办结或已回访、且截止日前最近一次办结或回访认定已解决的 / "
        "截止日为已办结或已回访的。",
        RESOLVED,
        DONE,
    ),
    from_catalog(
        "hotline_order.satisfaction_rate",
        "本年度工单中截止日前最近一次回访为满意或基本满意的 / 截止日前已回访的。",
        SATISFIED_REVISITS,
        REVISITED,
    ),
)

register(*INDICATORS)
