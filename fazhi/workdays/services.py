"""Changes to the calendar: importing a notice. Each runs in one transaction, records one audit
event and sends ``calendar_changed`` on commit, so open deadlines are recomputed in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from fazhi.core import audit
from fazhi.workdays.calendar import DayKind
from fazhi.workdays.models import CalendarDay, CalendarYear
from fazhi.workdays.notices import ParsedNotice
from fazhi.workdays.signals import send_calendar_changed_on_commit

_NOTICE_KINDS = (DayKind.HOLIDAY.value, DayKind.REST.value, DayKind.WORKDAY.value)


@dataclass(frozen=True)
class ImportResult:
    year: int
    created: int
    updated: int
    deleted: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def import_notice(
    notice: ParsedNotice, *, actor: AbstractBaseUser | AnonymousUser | None = None
) -> ImportResult:
    """Load a validated notice: all or nothing, idempotent (an unchanged file changes nothing).

    The notice's days replace the notice-type rows (holiday, rest, workday) previously loaded
    for its year; local rest days stay. The year becomes covered.
    """
    created = updated = deleted = 0
    with transaction.atomic():
        year_row = CalendarYear.objects.select_for_update().filter(year=notice.year).first()
        year_fields = {
            "notice": notice.notice,
            "number": notice.number,
            "published_on": notice.published_on,
        }
        year_changed = False
        if year_row is None:
            year_row = CalendarYear.objects.create(year=notice.year, **year_fields)
            year_changed = True
        elif any(getattr(year_row, k) != v for k, v in year_fields.items()):
            for key, value in year_fields.items():
                setattr(year_row, key, value)
            year_row.save()
            year_changed = True

        wanted = {e.day: e for e in notice.entries}
        span = (min(wanted), max(wanted)) if wanted else None
        existing = {row.on: row for row in CalendarDay.objects.filter(on__in=list(wanted))}
        stale = CalendarDay.objects.filter(on__year=notice.year, kind__in=_NOTICE_KINDS).exclude(
            on__in=list(wanted)
        )
        affected = {d.year for d in wanted} | set(stale.values_list("on__year", flat=True))
        deleted = stale.delete()[0]
        to_create: list[CalendarDay] = []
        for day, entry in wanted.items():
            row = existing.get(day)
            values = {"kind": entry.kind.value, "name": entry.name, "source": entry.source}
            if row is None:
                to_create.append(CalendarDay(on=day, **values))
            elif any(getattr(row, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(row, key, value)
                row.save()
                updated += 1
        CalendarDay.objects.bulk_create(to_create)
        created = len(to_create)
        result = ImportResult(notice.year, created, updated, deleted)
        if result.changed or year_changed:
            audit.record(
                "workdays.import_notice",
                year_row,
                actor=actor,
                data={
                    "notice": notice.source,
                    "created": created,
                    "updated": updated,
                    "deleted": deleted,
                    "span": [d.isoformat() for d in span] if span else [],
                },
            )
            send_calendar_changed_on_commit(affected | {notice.year})
    return result
