"""Drafting the report: creating it, saving a section's text (each save a version), diffs.

Every change is one transaction with an audit event (``fazhi.core.audit``).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max

from fazhi.core import audit, clock
from fazhi.core.models import OrgUnit
from fazhi.core.scope import ALL_ACTING, can_act_on, scope_of
from fazhi.indicators.registry import get_indicator
from fazhi.reports import placeholders
from fazhi.reports.assembly import (
    AnnualReport,
    ReportError,
    assemble,
    figures_from_json,
    figures_to_json,
)
from fazhi.reports.charts import chart_data
from fazhi.reports.models import (
    Report,
    ReportIssue,
    ReportSection,
    ReportState,
    SectionState,
    SectionVersion,
)
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
    report = section.report
    if report.state != ReportState.DRAFTING:  # an edit after approval or issue: a new draft
        report.state = ReportState.DRAFTING
        report.save(update_fields=["state", "updated_at"])
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


# --- assignment, submission, approval -------------------------------------------------------


def is_office(user: Any) -> bool:
    """The rule-of-law office (and administrators) assign, compile, approve and issue."""
    return scope_of(user).role in ALL_ACTING


def may_edit(user: Any, section: ReportSection) -> bool:
    """The office always; a department's staff and heads their own assigned section while it
    is being drafted (not after it was submitted or approved)."""
    if is_office(user):
        return True
    return (
        section.department is not None
        and section.state == SectionState.ASSIGNED
        and can_act_on(user, section.department)
    )


@transaction.atomic
def assign(section: ReportSection, department: OrgUnit, due_on: dt.date | None, by: Any) -> None:
    if not is_office(by):
        raise ReportError("只有依法治区办可以分配报告的部分。")
    if not department.path.startswith(section.report.org.path):
        raise ReportError(f"“{department.name}”不是{section.report.org.name}的下级机构。")
    section.department = department
    section.due_on = due_on or section.report.sections_due_on
    section.state = SectionState.ASSIGNED
    section.save(update_fields=["department", "due_on", "state", "updated_at"])
    audit.record(
        "report.section.assign",
        section.report,
        actor=by,
        data={"section": section.key, "department": department.pk, "due_on": str(section.due_on)},
    )


@transaction.atomic
def submit(section: ReportSection, by: Any) -> None:
    if section.state != SectionState.ASSIGNED or not may_edit(by, section):
        raise ReportError("只有承办部门可以报送起草中的部分。")
    section.state = SectionState.SUBMITTED
    section.save(update_fields=["state", "updated_at"])
    audit.record("report.section.submit", section.report, actor=by, data={"section": section.key})


@transaction.atomic
def approve_section(section: ReportSection, by: Any) -> None:
    if not is_office(by):
        raise ReportError("只有依法治区办可以审定报告的部分。")
    section.state = SectionState.APPROVED
    section.save(update_fields=["state", "updated_at"])
    audit.record("report.section.approve", section.report, actor=by, data={"section": section.key})


@transaction.atomic
def set_due_dates(
    report: Report, by: Any, *, sections_due_on: dt.date, publish_due_on: dt.date
) -> None:
    """The office's own due dates for the departments' sections and the public report
    (defaults: 1 March and 31 March of the following year). Sections assigned with the old
    default follow the new one; a section given its own date keeps it."""
    if not is_office(by):
        raise ReportError("只有依法治区办可以调整报送和公开期限。")
    if publish_due_on < sections_due_on:
        raise ReportError(
            f"向社会公开期限（{publish_due_on:%Y-%m-%d}）不能早于各部门报送期限"
            f"（{sections_due_on:%Y-%m-%d}）。"
        )
    if sections_due_on.year <= report.year - 1 or publish_due_on.year > report.year + 1:
        raise ReportError(
            f"期限应在{report.year}年至{report.year + 1}年内（{report.year}年度报告）。"
        )
    report = Report.objects.select_for_update().get(pk=report.pk)
    old = report.sections_due_on
    report.sections_due_on, report.publish_due_on = sections_due_on, publish_due_on
    report.save(update_fields=["sections_due_on", "publish_due_on", "updated_at"])
    report.sections.filter(due_on=old).update(due_on=sections_due_on)
    audit.record(
        "report.due_dates",
        report,
        actor=by,
        data={"sections_due_on": str(sections_due_on), "publish_due_on": str(publish_due_on)},
    )


@transaction.atomic
def approve_report(report: Report, by: Any) -> None:
    if not is_office(by):
        raise ReportError("只有依法治区办可以审定报告。")
    report.state = ReportState.APPROVED
    report.save(update_fields=["state", "updated_at"])
    audit.record("report.approve", report, actor=by)


# --- the pre-issue check and issuing --------------------------------------------------------


@dataclass
class Problem:
    kind: str  # "check", "placeholder", "missing", "unapproved"
    text: str


def pre_issue_check(report: Report, assembled: AnnualReport | None = None) -> list[Problem]:
    """What stands between the draft and a clean issue: failed consistency rules, figures not
    in the platform yet, prose not written, sections not approved."""
    assembled = assembled or draft_of(report)
    problems = [Problem("check", f"{c.label}：{c.detail}") for c in assembled.failures]
    for p in assembled.placeholders:
        ind = get_indicator(p.code)
        where = "、".join(SECTION_BY_KEY[k].heading_for(report.year) or "前言" for k in p.sections)
        problems.append(
            Problem("placeholder", f"待补：{ind.label}（{p.code}，{p.year}年）见{where}")
        )
    for sec in assembled.missing_sections:
        what = "；".join(sec.todos) or "没有正文"
        problems.append(Problem("missing", f"{sec.heading or '前言'}：{what}"))
    for section in report.sections.exclude(state=SectionState.APPROVED).exclude(
        state=SectionState.OPEN
    ):
        spec = SECTION_BY_KEY[section.key]
        problems.append(
            Problem(
                "unapproved",
                f"{spec.heading_for(report.year) or '前言'}：{section.get_state_display()}，尚未审定",
            )
        )
    return problems


def draft_of(report: Report, *, org: OrgUnit | None = None) -> AnnualReport:
    """The live draft of ``report`` (its texts, figures now); ``org`` another scope's figures."""
    return assemble(org or report.org, report.year, report.as_of, texts=report.texts())


@transaction.atomic
def issue(
    report: Report, by: Any, *, issued_on: dt.date | None = None, reason: str = ""
) -> ReportIssue:
    """Freeze the draft: its texts and every figure with its as-of. With problems left, only
    with the office's reason, which is recorded with the issue."""
    if not is_office(by):
        raise ReportError("只有依法治区办可以印发报告。")
    report = Report.objects.select_for_update().get(pk=report.pk)
    assembled = draft_of(report)
    problems = pre_issue_check(report, assembled)
    reason = reason.strip()
    if problems and not reason:
        raise ReportError(
            f"印发前检查有 {len(problems)} 项未通过，需填写带问题印发的理由（将与报告一并存档）。"
        )
    number = (report.issues.aggregate(n=Max("number"))["n"] or 0) + 1
    used_previous = {
        code: assembled.previous[code] for code, y in assembled.used if y != report.year
    }
    record = ReportIssue.objects.create(
        report=report,
        number=number,
        issued_on=issued_on or clock.today(),
        issued_at=clock.now(),
        issued_by=by,
        texts=report.texts(),
        figures=figures_to_json(assembled.figures),
        previous=figures_to_json(used_previous),
        charts=chart_data(report.org, report.year, assembled.as_of),
        failures=[{"kind": p.kind, "text": p.text} for p in problems],
        reason=reason if problems else "",
    )
    report.state = ReportState.ISSUED
    report.save(update_fields=["state", "updated_at"])
    audit.record(
        "report.issue",
        report,
        actor=by,
        data={"issue": number, "problems": len(problems), "reason": record.reason},
    )
    return record


@dataclass(frozen=True)
class Change:
    code: str
    label: str
    issued: str
    now: str


def changes_since_issue(report: Report, assembled: AnnualReport | None = None) -> list[Change]:
    """The figures of the live draft that differ from the latest issue's (value or status)."""
    latest = report.latest_issue()
    if latest is None:
        return []
    assembled = assembled or draft_of(report)
    frozen = figures_from_json(latest.figures)
    out = []
    for code, now in assembled.figures.items():
        then = frozen.get(code)
        if then is None or then.value != now.value or then.computed != now.computed:
            out.append(
                Change(
                    code,
                    get_indicator(code).label,
                    then.display() if then is not None else "—",
                    now.display(),
                )
            )
    return out
