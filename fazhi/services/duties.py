"""The duty lists of townships and streets, versioned (乡街履职事项清单).

A list version is the set of a township's ``DutyItem`` entries with one ``version`` label; its
period is theirs. ``publish_version`` replaces the version in force by a new one from a day:
the old entries get ``valid_to`` = the day before, the new ones start on the day — through the
registers' one service (``save_entry``: permission, validation, audit), in one transaction, so
a refused item leaves the old version untouched. ``duty_list`` reads the version in force on a
day; ``versions`` lists a township's versions with their periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core.models import OrgUnit
from fazhi.core.registers import save_entry
from fazhi.core.scope import AnyUser
from fazhi.services.models import DUTY_UNIT_KINDS, DutyItem


class DutyListError(Exception):
    """A duty-list change that cannot be made (plain Chinese message)."""


@dataclass(frozen=True)
class Version:
    label: str
    valid_from: dt.date
    valid_to: dt.date | None
    items: int


def duty_list(org: OrgUnit, on: dt.date) -> list[DutyItem]:
    """The items of ``org``'s lists in force on ``on`` (every kind), in list order."""
    return list(
        DutyItem.entries()
        .filter(org=org)
        .valid_on(on)
        .select_related("responsible", "org")
        .order_by("kind", "name", "pk")
    )


def versions(org: OrgUnit) -> list[Version]:
    """``org``'s list versions, oldest first, with their periods and item counts."""
    found: dict[str, list[DutyItem]] = {}
    for item in DutyItem.entries().filter(org=org).order_by("valid_from", "pk"):
        found.setdefault(item.version, []).append(item)
    out = []
    for label, items in found.items():
        ends = [i.valid_to for i in items]
        out.append(
            Version(
                label,
                min(i.valid_from for i in items),
                None if any(e is None for e in ends) else max(e for e in ends if e is not None),
                len(items),
            )
        )
    return sorted(out, key=lambda v: v.valid_from)


@transaction.atomic
def publish_version(
    org: OrgUnit,
    label: str,
    valid_from: dt.date,
    items: Iterable[Mapping[str, Any]],
    *,
    by: AnyUser | None,
) -> list[DutyItem]:
    """Put version ``label`` of ``org``'s duty lists in force from ``valid_from``.

    Every entry of ``org`` still valid on ``valid_from`` (of another version) ends the day
    before; each of ``items`` (``kind``, ``name``, and optionally ``content``, ``keywords``,
    ``responsible``, ``legal_basis``) becomes an entry of the new version. All or nothing.
    """
    if org.kind not in DUTY_UNIT_KINDS:
        raise DutyListError("履职事项清单只能登记在乡（镇）或街道名下。")
    label = (label or "").strip()
    if not label:
        raise DutyListError("请填写清单版本，如“2024年版”。")
    rows = list(items)
    if not rows:
        raise DutyListError("新版本清单至少应有一个事项。")
    if DutyItem.entries().filter(org=org, version=label).exists():
        raise DutyListError(f"{org.name}已有“{label}”版本的清单，请换一个版本名称。")
    current = DutyItem.entries().filter(org=org).valid_on(valid_from).exclude(version=label)
    later = DutyItem.entries().filter(org=org, valid_from__gt=valid_from)
    if later.exists():
        raise DutyListError(
            f"{org.name}在 {valid_from:%Y-%m-%d} 之后已有清单版本，不能插入更早的版本。"
        )
    for old in current:
        if old.valid_from >= valid_from:
            raise DutyListError(
                f"“{old.version}”自 {old.valid_from:%Y-%m-%d} 起施行，新版本的起始日应晚于该日。"
            )
        save_entry(
            DutyItem,
            {"valid_to": valid_from - dt.timedelta(days=1)},
            by=by,
            instance=old,
        )
    made = []
    for n, row in enumerate(rows, start=1):
        data = {**row, "org": org, "version": label, "valid_from": valid_from, "valid_to": None}
        try:
            made.append(save_entry(DutyItem, data, by=by))
        except ValidationError as exc:
            messages = "；".join(
                f"{_verbose(k)}：{'、'.join(v)}" if k != "__all__" else "、".join(v)
                for k, v in exc.message_dict.items()
            )
            raise DutyListError(f"第{n}个事项“{row.get('name', '')}”：{messages}") from None
    return made


def _verbose(name: str) -> str:
    return str(getattr(DutyItem._meta.get_field(name), "verbose_name", name))
