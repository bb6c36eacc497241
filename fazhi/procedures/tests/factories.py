"""Helpers to build matters through the engine (never by writing rows directly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core import clock
from fazhi.procedures.services import register_matter


def make_matter(procedure: str, org, by, received_on: dt.date, **kwargs: Any):  # type: ignore[no-untyped-def]
    kwargs.setdefault("subject", f"测试{procedure}事项")
    if procedure == "reconsideration":
        kwargs.setdefault("party", {"name": "张三", "id_number": "11010519491231002X"})
        kwargs.setdefault("details", {"respondent": "某局", "contested_act": "罚款决定"})
    if procedure == "help_request":
        kwargs.setdefault("details", {"kind": "help"})
    with clock.frozen(max(received_on, kwargs.pop("today", received_on))):
        return register_matter(procedure, org=org, received_on=received_on, by=by, **kwargs)
