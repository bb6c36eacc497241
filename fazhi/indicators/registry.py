"""The indicator registry: every figure of the annual report, its definition and how it is counted.

Domain apps declare their indicators (``fazhi/<app>/indicators.py``, imported from the app's
``ready()``) with ``register``. What an indicator counts is data, not code: a *source* names a
set of records (matters of a procedure whose state as of the cut-off is one of some states,
activities of a kind, internal bodies under townships …) and the engine computes every source of
a scope in a handful of grouped queries (fazhi.indicators.engine). A rate is a numerator source
over a denominator source.

Indicators of spec/indicators.md whose procedure or register does not exist yet are listed by
``fazhi.indicators.catalog`` as *pending* with the reason, so that the report and the dashboard
show "—（尚未建立该程序）" rather than a wrong zero; a domain app that later registers the same
code replaces the pending entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

# --- sources: which records make a figure ---------------------------------------------------


@dataclass(frozen=True)
class MatterSet:
    """Matters of ``procedure`` in the year's cohort (received_on in Y, on or before as_of)
    whose state as of as_of is in ``states`` (None: any state) and whose latest rating as of
    as_of is in ``ratings`` (None: not considered; ``RATED``: any rating)."""

    procedure: str
    states: frozenset[str] | None = None
    ratings: frozenset[str] | None = None

    @property
    def kind(self) -> str:
        return "matter"


RATED = frozenset({"satisfied", "basically_satisfied", "dissatisfied"})
SATISFIED = frozenset({"satisfied", "basically_satisfied"})


@dataclass(frozen=True)
class ActivityCount:
    """Activities of ``kind`` held in Y, on or before as_of."""

    activity: str

    @property
    def kind(self) -> str:
        return "activity"


@dataclass(frozen=True)
class ActivitySum:
    """The sum of the figure ``figure`` over the activities of ``kind`` held in Y by as_of."""

    activity: str
    figure: str

    @property
    def kind(self) -> str:
        return "activity"


@dataclass(frozen=True)
class InternalUnits:
    """Internal bodies (kind ``internal``, active) directly under each unit of ``parent_kind``
    in scope. The figure is the number per such unit when all have the same number, else the
    largest (the report states one number per kind of unit); no such unit in scope → null."""

    parent_kind: str

    @property
    def kind(self) -> str:
        return "org"


# --- conditions on matters (the vocabulary of spec/indicators.md) ----------------------------

Scalar = str | int | bool


@dataclass(frozen=True)
class Detail:
    """The matter's ``details[key]`` is one of ``values`` (``negate``: is not, or is absent)."""

    key: str
    values: frozenset[Scalar]
    negate: bool = False


@dataclass(frozen=True)
class Party:
    """The party is of ``kind`` (``person`` or ``organisation``)."""

    kind: str


@dataclass(frozen=True)
class HasStep:
    """The matter has a step of one of ``actions`` dated on or before the cut-off (``in_year``:
    and in Y), whose data has ``data`` (key, allowed values) pairs; ``negate``: has none.
    ``latest``: the latest such step of ``actions`` by the cut-off has ``data`` (a later answer
    overrides an earlier one: a revisit's "resolved" over the conclusion's)."""

    actions: frozenset[str]
    data: tuple[tuple[str, frozenset[Scalar]], ...] = ()
    negate: bool = False
    in_year: bool = False
    latest: bool = False


@dataclass(frozen=True)
class Linked:
    """Another matter is linked to this one (``incoming``: the other matter's link names this
    one, e.g. a repeat petition's ``repeat_of``; otherwise this matter's link names another),
    by a link of ``kind`` made on or before the cut-off; ``negate``: no such link."""

    kind: str
    incoming: bool = True
    negate: bool = False


Condition = Detail | Party | HasStep | Linked


def detail(key: str, *values: Scalar, negate: bool = False) -> Detail:
    return Detail(key, frozenset(values), negate)


def step(
    *actions: str,
    negate: bool = False,
    in_year: bool = False,
    latest: bool = False,
    **data: Scalar | frozenset[Scalar],
) -> HasStep:
    """``HasStep`` in a few words: ``step("divert", channel="mediation")``; a frozenset value
    allows any of its values."""
    pairs = tuple(
        sorted((k, v if isinstance(v, frozenset) else frozenset({v})) for k, v in data.items())
    )
    return HasStep(frozenset(actions), pairs, negate, in_year, latest)


@dataclass(frozen=True)
class Matters:
    """Matters of ``procedure`` in the year's cohort meeting every condition of ``where``, with
    their state as of the cut-off in ``states`` (None: any state).

    The cohort is the matters received in Y (by the cut-off); with ``cohort`` set to an action,
    it is instead the distinct matters with a step of that action dated in Y (by the cut-off),
    whatever year they were received in. ``total`` sums a number in ``details`` (an amount)
    instead of counting.
    """

    procedure: str
    states: frozenset[str] | None = None
    where: tuple[Condition, ...] = ()
    cohort: str = ""
    total: str = ""

    @property
    def kind(self) -> str:
        return "matter"


@dataclass(frozen=True)
class Steps:
    """Steps of ``actions`` (dated in Y, by the cut-off, whose data has ``data``) on the matters
    of ``matters`` — a count of events such as hearings, not of matters."""

    matters: Matters
    actions: frozenset[str]
    data: tuple[tuple[str, frozenset[Scalar]], ...] = ()

    @property
    def procedure(self) -> str:
        return self.matters.procedure

    @property
    def kind(self) -> str:
        return "step"


@dataclass(frozen=True)
class Timely:
    """The common rule for timely rates (spec/indicators.md) over the clocks of ``limit`` (one
    limit's code, or several: a decision published within 7 or 20 working days by its type) on
    the matters of ``matters``: ``answered`` counts the clocks answered by the cut-off within their
    limit (``in_time``); otherwise the denominator: clocks answered by the cut-off, plus those
    still waiting at the cut-off whose limit ended before it. ``actions`` (optional) keeps only
    clocks answered by those actions or not answered yet. ``only`` counts one part of the
    denominator instead: ``"late"`` the clocks answered by the cut-off out of time (filed
    late), ``"overdue"`` those still waiting at the cut-off past their limit (not filed),
    ``"missed"`` both (the denominator less the numerator: judgments not performed in time)."""

    matters: Matters
    limit: str | tuple[str, ...]
    answered: bool = False
    actions: frozenset[str] | None = None
    only: Literal["", "late", "overdue", "missed"] = ""

    @property
    def limits(self) -> tuple[str, ...]:
        """The codes of the limits whose clocks count."""
        return (self.limit,) if isinstance(self.limit, str) else self.limit

    @property
    def procedure(self) -> str:
        return self.matters.procedure

    @property
    def kind(self) -> str:
        return "matter"


def timely(
    matters: Matters, limit: str | tuple[str, ...], actions: frozenset[str] | None = None
) -> tuple[Timely, Timely]:
    """The numerator and denominator of a timely rate."""
    return Timely(matters, limit, True, actions), Timely(matters, limit, False, actions)


@dataclass(frozen=True)
class Entries:
    """Register entries of ``model`` ("app_label.ModelName") valid on the cut-off, in scope,
    whose fields equal ``where``; ``total`` sums a numeric field (``minus``: less another)."""

    model: str
    where: tuple[tuple[str, Scalar], ...] = ()
    total: str = ""
    minus: str = ""

    @property
    def kind(self) -> str:
        return "register"


Source = (
    MatterSet | ActivityCount | ActivitySum | InternalUnits | Matters | Steps | Timely | Entries
)


# --- indicators -----------------------------------------------------------------------------

SECTIONS: tuple[tuple[str, str], ...] = (
    ("1", "（一）政府履职"),
    ("2", "（二）制度体系"),
    ("3", "（三）依法决策"),
    ("4", "（四）行政执法"),
    ("5", "（五）安全生产"),
    ("6", "（六）矛盾化解"),
    ("7", "（七）制约监督"),
    ("duty", "三、第一责任人职责"),
    ("tasks", "四、重点任务"),
)
SECTION_LABELS = dict(SECTIONS)


@dataclass(frozen=True)
class Indicator:
    """One figure. ``numerator`` alone: a count; with ``denominator``: a rate in percent.

    ``target`` is what the report aims at, as shown ("100%", "0"); ``target_min`` /
    ``target_max`` make it checkable (a value outside is shown red). ``pending`` says why the
    figure is not computed yet (its procedure does not exist); ``addition`` marks indicators
    that the catalog (spec/indicators.md) does not list.
    """

    code: str
    label: str
    section: str
    definition: str
    unit: str = "件"
    numerator: Source | None = None
    denominator: Source | None = None
    target: str = ""
    target_min: Decimal | None = None
    target_max: Decimal | None = None
    pending: str = ""
    addition: bool = False
    order: int = 0

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    @property
    def is_pending(self) -> bool:
        return self.numerator is None

    @property
    def section_label(self) -> str:
        return SECTION_LABELS.get(self.section, self.section)

    @property
    def procedure(self) -> str | None:
        """The procedure whose matters make the figure, if it is a matter figure."""
        src = self.denominator or self.numerator
        if isinstance(src, MatterSet | Matters | Steps | Timely):
            return src.procedure
        return None

    def misses(self, value: int | Decimal | None) -> bool:
        """True when ``value`` falls outside the target (an unknown value never misses)."""
        if value is None:
            return False
        if self.target_min is not None and value < self.target_min:
            return True
        return self.target_max is not None and value > self.target_max


_INDICATORS: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    """Declare indicators. A computed declaration replaces a pending one of the same code;
    registering the same code twice with different contents is a programming error."""
    for ind in indicators:
        if ind.section not in SECTION_LABELS:
            raise ValueError(f"indicator {ind.code}: unknown section {ind.section!r}")
        if ind.is_rate and ind.unit != "%":
            raise ValueError(f"indicator {ind.code}: a rate's unit is %")
        existing = _INDICATORS.get(ind.code)
        if existing is not None and existing != ind:
            if existing.is_pending and not ind.is_pending:
                ind = _with_order(ind, existing.order)
            elif ind.is_pending and not existing.is_pending:
                # the domain declared it before the catalog's pending entry: keep its place
                _INDICATORS[ind.code] = _with_order(existing, ind.order)
                continue
            else:
                raise ValueError(f"indicator {ind.code} registered twice with different contents")
        _INDICATORS[ind.code] = ind


def _with_order(ind: Indicator, order: int) -> Indicator:
    return replace(ind, order=ind.order or order)


def get_indicator(code: str) -> Indicator:
    try:
        return _INDICATORS[code]
    except KeyError:
        raise KeyError(f"未知的指标代码“{code}”。") from None


ADDITION_NOTE = "（指标目录之外的补充指标）"


def addition(
    code: str,
    label: str,
    unit: str,
    definition: str,
    numerator: Source,
    denominator: Source | None = None,
    *,
    beside: Indicator,
) -> Indicator:
    """An indicator outside the catalog (``addition``), shown beside a catalog indicator (its
    section and place), its definition saying so (``ADDITION_NOTE``)."""
    return Indicator(
        code=code,
        label=label,
        section=beside.section,
        unit=unit,
        definition=f"{definition}{ADDITION_NOTE}",
        numerator=numerator,
        denominator=denominator,
        addition=True,
        order=beside.order,
    )


def all_indicators() -> list[Indicator]:
    """Every indicator in report order (section, then declaration order)."""
    section_rank = {code: i for i, (code, _) in enumerate(SECTIONS)}
    return sorted(_INDICATORS.values(), key=lambda i: (section_rank[i.section], i.order, i.code))


def computed_indicators() -> list[Indicator]:
    return [i for i in all_indicators() if not i.is_pending]


def pending_indicators() -> list[Indicator]:
    return [i for i in all_indicators() if i.is_pending]


PERCENT_100 = Decimal(100)


def breakdown(ind: Indicator, key: str, choices: tuple[tuple[str, str], ...]) -> list[Indicator]:
    """``ind`` and one part per choice of ``details[key]`` (spec/indicators.md, "Breakdowns"):
    ``code.<value>``, labelled "label（choice）", counting the same records with the value."""

    def part(src: Source | None, value: str) -> Source | None:
        if isinstance(src, Matters):
            return replace(src, where=(*src.where, Detail(key, frozenset({value}))))
        if src is None:
            return None
        raise ValueError(f"indicator {ind.code}: only Matters sources break down by a field")

    parts = [
        replace(
            ind,
            code=f"{ind.code}.{value}",
            label=f"{ind.label}（{label}）",
            definition=f"{ind.definition}其中{label}。",
            numerator=part(ind.numerator, value),
            denominator=part(ind.denominator, value),
            addition=True,
        )
        for value, label in choices
    ]
    return [ind, *parts]


# --- consistency rules ----------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """A consistency rule (spec/indicators.md) a domain declares beside its indicators:
    ``total`` compared (``op``) with the sum of ``parts``.

    ``names`` are the short words the rule's detail uses for ``total`` and each part (default:
    the indicators' labels); ``note`` is appended when the two sides differ, with ``{gap}`` the
    difference (e.g. "（差额 {gap} 件截止日尚未审查）"). A rule whose figures are not all computed
    is skipped, never reported as passed.
    """

    code: str
    label: str
    total: str
    parts: tuple[str, ...]
    op: Literal[">=", "==", "<="] = ">="
    names: tuple[str, ...] = ()
    note: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return (self.total, *self.parts)

    def holds(self, values: Mapping[str, int | Decimal]) -> bool:
        total = values[self.total]
        parts = sum((values[c] for c in self.parts), Decimal(0))
        if self.op == ">=":
            return total >= parts
        if self.op == "<=":
            return total <= parts
        return total == parts

    def detail(self, values: Mapping[str, int | Decimal]) -> str:
        names = self.names or tuple(get_indicator(c).label for c in self.codes)
        text = "，".join(f"{name} {values[c]}" for name, c in zip(names, self.codes, strict=True))
        gap = values[self.total] - sum((values[c] for c in self.parts), Decimal(0))
        if gap and self.note:
            text += self.note.format(gap=gap)
        return text


_CHECKS: dict[str, Balance] = {}

# What the dashboard shows beside the sections, declared by the domains (their indicators.py):
# "compare", the figures compared across units in one table; "timely", the rates drawn per unit.
_DASHBOARD: dict[str, list[str]] = {"compare": [], "timely": []}


def register_dashboard(*, compare: Iterable[str] = (), timely: Iterable[str] = ()) -> None:
    """A domain's figures on the dashboard, in the order given (domains in INSTALLED_APPS
    order): ``compare`` side by side for every unit, ``timely`` rates as a chart by unit."""
    for kind, codes in (("compare", compare), ("timely", timely)):
        for code in codes:
            if code not in _DASHBOARD[kind]:
                _DASHBOARD[kind].append(code)


def dashboard_codes(kind: str) -> tuple[str, ...]:
    """The codes registered for the dashboard's ``kind`` ("compare" or "timely")."""
    return tuple(_DASHBOARD[kind])


def register_check(*rules: Balance) -> None:
    """Declare consistency rules (from a domain's ``indicators.py``); idempotent per code."""
    for rule in rules:
        existing = _CHECKS.get(rule.code)
        if existing is not None and existing != rule:
            raise ValueError(f"check {rule.code} registered twice with different contents")
        _CHECKS[rule.code] = rule


def all_checks() -> list[Balance]:
    """Every declared consistency rule, in declaration order."""
    return list(_CHECKS.values())
