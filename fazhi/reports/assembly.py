"""Assembling the annual report: the template's texts, the figures of the records, the checks.

``assemble(org, year)`` computes every indicator of ``org``'s subtree for the year through the
indicator engine (``compute_indicators``, one set of grouped queries; last year's too when a
text asks for it), renders each section's text with its placeholders, and lists what the
pre-issue check must show: figures not in the platform yet (【待补：code】), prose still to be
written (【待撰写】), failed consistency rules. An issued report is assembled from the figures
frozen when it was issued (``figures=``), never recomputed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fazhi.core import clock
from fazhi.core.models import OrgUnit
from fazhi.indicators.engine import (
    Check,
    IndicatorError,
    Value_,
    check_values,
    compute_indicators,
    json_number,
)
from fazhi.indicators.formatting import format_value
from fazhi.indicators.registry import Indicator, all_indicators, get_indicator
from fazhi.reports import placeholders
from fazhi.reports.placeholders import Paragraph
from fazhi.reports.template import SECTIONS, SectionSpec, title_lines


class ReportError(ValueError):
    """A report that cannot be assembled as asked; Chinese message."""


@dataclass(frozen=True)
class Figure:
    """One indicator's value for the report: computed from the records, or not yet."""

    code: str
    year: int
    as_of: dt.date
    value: Value_
    computed: bool

    @property
    def indicator(self) -> Indicator:
        return get_indicator(self.code)

    def display(self, *, approx: bool = False) -> str:
        if not self.computed:
            return placeholders.missing_text((self.code,))
        return format_value(self.indicator, self.value, approx=approx)

    def as_json(self) -> dict[str, Any]:
        ind = self.indicator
        return {
            "code": self.code,
            "label": ind.label,
            "definition": ind.definition or ind.label,
            "unit": ind.unit,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "status": "computed" if self.computed else "pending",
            "value": json_number(self.value) if self.computed else None,
            "display": self.display(),
            **({"approx": self.display(approx=True)} if self.computed and not ind.is_rate else {}),
            **({} if self.computed else {"reason": ind.pending}),
        }


Figures = dict[str, Figure]


def compute_figures(org: OrgUnit, year: int, as_of: dt.date | None = None) -> Figures:
    """Every indicator of the catalog for the scope and year, as of the cut-off."""
    try:
        result = compute_indicators(org, year, as_of)
    except IndicatorError as exc:
        raise ReportError(str(exc)) from None
    return {
        ind.code: Figure(
            ind.code, year, result.as_of, result.values.get(ind.code), not ind.is_pending
        )
        for ind in all_indicators()
    }


def figures_to_json(figures: Figures) -> dict[str, Any]:
    """The frozen form kept with an issued report: value (exact, as text for rates) and as-of."""
    return {
        code: {
            "year": f.year,
            "as_of": f.as_of.isoformat(),
            "computed": f.computed,
            "value": None if f.value is None else str(f.value),
        }
        for code, f in figures.items()
    }


def figures_from_json(data: Mapping[str, Any]) -> Figures:
    out: Figures = {}
    for code, item in data.items():
        raw = item.get("value")
        value: Value_ = None
        if raw is not None:
            value = Decimal(raw) if "." in str(raw) or _is_rate(code) else int(raw)
        out[code] = Figure(
            code, int(item["year"]), dt.date.fromisoformat(item["as_of"]), value, item["computed"]
        )
    return out


def _is_rate(code: str) -> bool:
    try:
        return get_indicator(code).is_rate
    except KeyError:
        return False


@dataclass
class RenderedSection:
    spec: SectionSpec
    heading: str
    text: str
    paragraphs: list[Paragraph]

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def todos(self) -> list[str]:
        return [p.text for para in self.paragraphs for p in para if p.todo]

    @property
    def pending(self) -> list[str]:
        return [c for para in self.paragraphs for p in para for c in p.pending]

    @property
    def is_missing(self) -> bool:
        """Prose still to be written, or no text at all (part 一's own heading has none)."""
        return bool(self.todos) or (self.spec.level != 1 and not self.paragraphs)


@dataclass(frozen=True)
class Placeholder:
    code: str
    year: int
    sections: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        ind = get_indicator(self.code)
        return {
            "code": self.code,
            "label": ind.label,
            "year": self.year,
            "reason": ind.pending,
            "sections": list(self.sections),
            "text": placeholders.missing_text((self.code,)),
        }


@dataclass
class AnnualReport:
    org: OrgUnit
    year: int
    as_of: dt.date
    sections: list[RenderedSection]
    figures: Figures
    previous: Figures
    checks: list[Check]
    date: dt.date
    issuer: str
    frozen: bool = False
    used: set[tuple[str, int]] = field(default_factory=set)
    charts: dict[str, Any] | None = None  # an issue's frozen chart data; None: from the records

    @property
    def title(self) -> tuple[str, str]:
        return title_lines(self.org.name, self.year)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def figure(self, code: str, year: int) -> Figure:
        return (self.figures if year == self.year else self.previous)[code]

    @property
    def placeholders(self) -> list[Placeholder]:
        """Figures the texts use that are not in the platform yet, in the order they appear."""
        where: dict[tuple[str, int], list[str]] = {}
        for sec in self.sections:
            for para in sec.paragraphs:
                for piece in para:
                    for code in piece.pending:
                        keys = where.setdefault((code, piece.year or self.year), [])
                        if sec.key not in keys:
                            keys.append(sec.key)
        return [Placeholder(code, year, tuple(keys)) for (code, year), keys in where.items()]

    @property
    def missing_sections(self) -> list[RenderedSection]:
        return [s for s in self.sections if s.is_missing]

    @property
    def pending_figures(self) -> list[Figure]:
        """Every indicator of the catalog not computed yet (used in a text or not)."""
        return [f for f in self.figures.values() if not f.computed]

    def as_json(self) -> dict[str, Any]:
        return {
            "org": self.org.division_code or self.org.pk,
            "org_name": self.org.name,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "title": "".join(self.title),
            "frozen": self.frozen,
            "figures": [f.as_json() for f in self.figures.values()],
            "previous_year": [
                f.as_json()
                for (code, y) in sorted(self.used)
                if y != self.year
                for f in [self.previous[code]]
            ],
            "placeholders": [p.as_json() for p in self.placeholders],
            "pending_figures": [f.code for f in self.pending_figures],
            "missing_sections": [
                {"key": s.key, "heading": s.heading, "todo": s.todos} for s in self.missing_sections
            ],
            "checks": [{**c.as_json(), "ok": c.ok} for c in self.checks],
            "sections": [
                {
                    "key": s.key,
                    "heading": s.heading,
                    "level": s.spec.level,
                    "paragraphs": [placeholders.plain_text(p) for p in s.paragraphs],
                }
                for s in self.sections
            ],
            "issuer": self.issuer,
            "date": self.date.isoformat(),
        }


def assemble(
    org: OrgUnit,
    year: int,
    as_of: dt.date | None = None,
    *,
    texts: Mapping[str, str] | None = None,
    figures: Figures | None = None,
    previous: Figures | None = None,
    date: dt.date | None = None,
) -> AnnualReport:
    """The report of ``org`` for ``year``: ``texts`` (section key → text) over the template's
    defaults; ``figures``/``previous`` frozen at issue (computed from the records otherwise)."""
    frozen = figures is not None
    if figures is None:
        figures = compute_figures(org, year, as_of)
    cut_off = next(iter(figures.values())).as_of if figures else (as_of or dt.date(year, 12, 31))
    prev: Figures | None = previous
    used: set[tuple[str, int]] = set()

    def display(ind: Indicator, at: int, approx: bool) -> str:
        nonlocal prev
        if at == year:
            fig = figures[ind.code]
        else:
            if prev is None:
                prev = compute_figures(org, at) if at >= 2000 else {}
            fig = prev.setdefault(ind.code, Figure(ind.code, at, dt.date(at, 12, 31), None, False))
        used.add((ind.code, at))
        if not fig.computed:
            raise LookupError(ind.code)
        return fig.display(approx=approx)

    given = dict(texts or {})
    unknown = sorted(set(given) - {s.key for s in SECTIONS})
    if unknown:
        raise ReportError(f"报告没有这些部分：{'、'.join(unknown)}。")
    rendered = []
    for spec in SECTIONS:
        text = given.get(spec.key, spec.default)
        heading = spec.heading_for(year)
        try:
            paragraphs = placeholders.render(text, year, display, heading or "前言")
        except placeholders.PlaceholderError as exc:
            raise ReportError(str(exc)) from None
        rendered.append(RenderedSection(spec, heading, text, paragraphs))
    values = {code: f.value for code, f in figures.items() if f.computed}
    return AnnualReport(
        org=org,
        year=year,
        as_of=cut_off,
        sections=rendered,
        figures=figures,
        previous=prev or {},
        checks=check_values(values),
        date=date or clock.today(),
        issuer=org.name,
        frozen=frozen,
        used=used,
    )
