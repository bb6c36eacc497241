"""The submitter's rating 评价 and the staff callback 回访: actions many procedures share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fazhi.procedures.declarations.actions import Action
from fazhi.procedures.declarations.fields import PUBLIC, STAFF_ROLES, Field, FieldType
from fazhi.procedures.errors import UnknownAction

if TYPE_CHECKING:
    from fazhi.procedures.rules import MatterSnapshot


SATISFACTION_CHOICES = (
    ("satisfied", "满意"),
    ("basically_satisfied", "基本满意"),
    ("dissatisfied", "不满意"),
)


RATINGS_PER_CONCLUSION = 2
"""How often the submitter may rate one conclusion: the rating and one change of mind."""


def ratings_since_conclusion(snap: MatterSnapshot) -> int:
    """The ``rate`` steps since the step that last closed the matter (its conclusion)."""
    count = 0
    procedure = snap.procedure
    for step in reversed(snap.steps):
        if step.action == "rate":
            count += 1
            continue
        if step.action == "register":
            break
        try:
            target = procedure.action(step.action).target
        except UnknownAction:
            continue
        if target is not None and procedure.is_closed(target):
            break
    return count


def _rating_limit(snap: MatterSnapshot, on: dt.date, data: Mapping[str, Any]) -> str | None:
    if ratings_since_conclusion(snap) >= RATINGS_PER_CONCLUSION:
        return "本次办理结果已评价并修改过一次，不能再次修改评价。"
    return None


def rate_action(*sources: str) -> Action:
    """The submitter's rating 评价, by the submitter alone (the tracking page, or a client
    system on the submitter's behalf with ``public=True``): never by staff (#19 defect 2: a
    clerk's 满意 replaced the citizen's). One rating per conclusion, which the submitter may
    change once (the tracking page shows both); what staff hear on a callback is
    ``callback_action``'s, recorded as such."""
    return Action(
        "rate",
        "评价",
        frozenset(sources),
        None,
        fields=(
            Field("satisfaction", "满意度", FieldType.CHOICE, choices=SATISFACTION_CHOICES),
            Field("comment", "评价意见", FieldType.TEXT, required=False, max_length=1000),
        ),
        roles=frozenset({PUBLIC}),
        satisfaction="satisfaction",
        guard=_rating_limit,
    )


CALLBACK_SOURCES = (
    ("phone", "电话回访"),
    ("visit", "上门回访"),
    ("sms", "短信回访"),
    ("other", "其他方式"),
)


def callback_action(*sources: str) -> Action:
    """A staff callback 回访: what the party said, recorded by staff with its source. It is
    not the submitter's rating: it sets no ``satisfaction`` (the matter's rating and the
    satisfaction rates read ``rate`` only); an indicator that counts callbacks says so in its
    definition, reading the ``callback`` steps."""
    return Action(
        "callback",
        "回访",
        frozenset(sources),
        None,
        fields=(
            Field("source", "回访方式", FieldType.CHOICE, choices=CALLBACK_SOURCES),
            Field(
                "satisfaction", "当事人表示的满意度", FieldType.CHOICE, choices=SATISFACTION_CHOICES
            ),
            Field("note", "回访记录", FieldType.TEXT, required=False, max_length=1000),
        ),
        roles=STAFF_ROLES,
    )
