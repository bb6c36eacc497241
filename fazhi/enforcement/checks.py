"""持证上岗: a decision names the certificates of the officers who made it, and each must be in
force on the decision's date. Called by the engine for every new decision, from the workbench,
the API and the import alike (``Procedure.register_check``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fazhi.enforcement.types import TWO_OFFICERS, action_type_label
from fazhi.procedures.declarations import RegisterCheck

_SEPARATORS = re.compile(r"[、,，;；\s]+")
_NUMBER = re.compile(r"^[0-9A-Za-z-]{4,40}$")


def handler_numbers(value: object) -> list[str]:
    """The certificate numbers in the ``handlers`` text, in order, without repeats."""
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(str(value or "")):
        if part:
            seen.setdefault(part.upper(), None)
    return list(seen)


def handler_numbers_problem(value: Any) -> str | None:
    """The field's own check: numbers of the right shape (without reading the register)."""
    numbers = handler_numbers(value)
    if not numbers:
        return "至少填写一名执法人员的执法证号。"
    bad = [n for n in numbers if not _NUMBER.match(n)]
    if bad:
        return f"执法证号“{bad[0]}”格式不对：应为4至40位数字或字母。"
    return None


@dataclass(frozen=True)
class Certificate:
    name: str
    valid_from: dt.date
    valid_to: dt.date | None


def load_certificates() -> dict[str, Certificate]:
    """Every certificate of the register, by number (a city: some thousands of rows)."""
    from fazhi.enforcement.models import EnforcementOfficer

    return {
        number: Certificate(name, start, end)
        for number, name, start, end in EnforcementOfficer.objects.values_list(
            "certificate_number", "name", "valid_from", "valid_to"
        ).order_by()
    }


def handlers_certified(
    certificates: Mapping[str, Certificate], details: Mapping[str, Any], on: dt.date, org: int
) -> str | None:
    """None if every named officer held a certificate in force on ``on``; else the problem."""
    numbers = handler_numbers(details.get("handlers"))
    kind = str(details.get("action_type") or "")
    if kind in TWO_OFFICERS and len(numbers) < 2:
        return (
            f"{action_type_label(kind)}决定应由两名以上持证执法人员作出，"
            f"现只填写了{len(numbers)}名。"
        )
    for number in numbers:
        cert = certificates.get(number)
        if cert is None:
            return f"执法证号“{number}”不在执法人员登记簿中，不能作为承办人（持证上岗）。"
        if not (cert.valid_from <= on and (cert.valid_to is None or on <= cert.valid_to)):
            until = cert.valid_to.isoformat() if cert.valid_to else "长期"
            return (
                f"{cert.name}的执法证（{number}）在决定日期{on.isoformat()}不在有效期内"
                f"（{cert.valid_from.isoformat()}至{until}），不能作为承办人（持证上岗）。"
            )
    return None


CERTIFIED = RegisterCheck(load=load_certificates, check=handlers_certified)
