"""持证上岗: a decision names the certificates of the officers who made it, and each must be in
force on the decision's date. Called by the engine for every new decision, from the workbench,
the API and the import alike (``Procedure.register_check``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
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


# --- 重大执法决定法制审核 ------------------------------------------------------------------


@dataclass(frozen=True)
class MajorRule:
    action_type: str
    description: str
    min_amount: Decimal | None
    words: tuple[str, ...]
    valid_from: dt.date
    valid_to: dt.date | None

    def matches(self, details: Mapping[str, Any], on: dt.date) -> bool:
        if self.action_type != details.get("action_type"):
            return False
        if not (self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)):
            return False
        amount = details.get("amount")
        if (
            self.min_amount is not None
            and amount is not None
            and Decimal(str(amount)) >= self.min_amount
        ):
            return True
        result = str(details.get("result") or "")
        return any(w in result for w in self.words)


@dataclass(frozen=True)
class Review:
    opinion: str
    on: dt.date
    org_id: int


@dataclass(frozen=True)
class Registers:
    certificates: Mapping[str, Certificate]
    majors: tuple[MajorRule, ...]
    reviews: Mapping[str, Review]  # legal_review reference → its opinion


def load_registers() -> Registers:
    """What a decision is checked against: the certificates, the major-decision catalog and the
    legal reviews with their opinions (read once per registration or import)."""
    from fazhi.enforcement.models import MajorDecisionRule
    from fazhi.procedures.models import Step

    catalog: Any = MajorDecisionRule.objects  # typed by the base register's manager
    majors = tuple(
        MajorRule(kind, what, least, tuple(w for w in _SEPARATORS.split(words) if w), start, end)
        for kind, what, least, words, start, end in catalog.order_by("pk").values_list(
            "action_type", "description", "min_amount", "result_words", "valid_from", "valid_to"
        )
    )
    reviews = {
        ref: Review(str(data.get("opinion", "")), on, org_id)
        for ref, data, on, org_id in Step.objects.filter(
            matter__procedure="legal_review", action="opinion"
        ).values_list("matter__reference", "data", "on", "matter__org_id")
    }
    return Registers(load_certificates(), majors, reviews)


def reviewed_if_major(registers: Registers, details: Mapping[str, Any], on: dt.date) -> str | None:
    """A major decision needs a legal review whose opinion came on or before its date and did
    not refuse it (国办发〔2018〕118号: 未经法制审核或者审核未通过的，不得作出决定)."""
    rule = next((r for r in registers.majors if r.matches(details, on)), None)
    if rule is None:
        return None
    reference = str(details.get("legal_review") or "").strip()
    if not reference:
        return f"该决定属于重大执法决定（{rule.description}），须先经法制审核：请填写法制审核编号。"
    review = registers.reviews.get(reference)
    if review is None:
        return f"法制审核“{reference}”尚未出具审核意见，不能作出该重大执法决定。"
    if review.on > on:
        return (
            f"法制审核“{reference}”的审核意见于{review.on.isoformat()}出具，"
            f"晚于决定日期{on.isoformat()}：重大执法决定应先审核后决定。"
        )
    if review.opinion == "reject":
        return f"法制审核“{reference}”的意见为不同意，不能作出该决定。"
    return None


def check_decision(
    registers: Registers, details: Mapping[str, Any], on: dt.date, org: int
) -> str | None:
    return handlers_certified(registers.certificates, details, on, org) or reviewed_if_major(
        registers, details, on
    )


DECISION_CHECKS = RegisterCheck(load=load_registers, check=check_decision)
