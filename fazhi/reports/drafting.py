"""Drafting the report: creating it, saving a section's text (each save a version), diffs.

Every change is one transaction with an audit event (``fazhi.core.audit``).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max

from fazhi.core import audit, clock
from fazhi.core.models import OrgUnit
from fazhi.reports import placeholders
from fazhi.reports.assembly import ReportError
from fazhi.reports.models import Report, ReportSection, SectionVersion
from fazhi.reports.template import SECTION_BY_KEY, WRITABLE


@transaction.atomic
def create_report(
    org: OrgUnit,
    year: int,
    *,
    by: Any = None,
    texts: Mapping[str, str] | None = None,
    as_of: dt.date | None = None,
) -> Report:
    """A new report with every section of the template (its default text, or ``texts``)."""
    if Report.objects.filter(org=org, year=year).exists():
        raise ReportError(f"{org.name}{year}年度报告已经建立。")
    given = dict(texts or {})
    unknown = sorted(set(given) - {s.key for s in WRITABLE})
    if unknown:
        raise ReportError(f"报告没有这些部分：{'、'.join(unknown)}。")
    report = Report.objects.create(org=org, year=year, as_of=as_of)
    now = clock.now()
    for spec in WRITABLE:
        text = given.get(spec.key, spec.default)
        _validate(text, spec.key)
        section = ReportSection.objects.create(report=report, key=spec.key, text=text)
        SectionVersion.objects.create(
            section=section, number=1, text=text, by=by, at=now, note="初稿"
        )
    audit.record("report.create", report, actor=by, data={"org": org.pk, "year": year})
    return report


def _validate(text: str, key: str) -> None:
    spec = SECTION_BY_KEY[key]
    try:
        placeholders.validate(text, spec.heading or "前言")
    except placeholders.PlaceholderError as exc:
        raise ReportError(str(exc)) from None


@transaction.atomic
def save_text(section: ReportSection, text: str, by: Any, note: str = "") -> SectionVersion | None:
    """Store a new text of ``section`` as its next version (None when nothing changed)."""
    text = text.replace("\r\n", "\n").strip()
    _validate(text, section.key)
    section = ReportSection.objects.select_for_update().get(pk=section.pk)
    if text == section.text:
        return None
    number = (section.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = SectionVersion.objects.create(
        section=section, number=number, text=text, by=by, at=clock.now(), note=note[:200]
    )
    section.text = text
    section.save(update_fields=["text", "updated_at"])
    audit.record(
        "report.section.save",
        section.report,
        actor=by,
        data={"section": section.key, "version": number},
    )
    return version


def diff(old: str, new: str, old_label: str = "", new_label: str = "") -> list[str]:
    """A unified diff of two texts, paragraph by paragraph (difflib)."""
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), old_label, new_label, lineterm="", n=1
        )
    )
