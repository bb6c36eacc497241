"""Charts of the html report, drawn by matplotlib as inline SVG (no JavaScript, no CDN).

- monthly intake by channel: the year's matters of the procedures the report counts, by the
  month received and the channel (stacked bars);
- rates by unit: each computed rate of the report (timely rates first), for the scope's own
  records and each direct child unit (horizontal bars).

Chinese labels need a CJK font: the first of ``CJK_FONTS`` that fontconfig/matplotlib finds
(Debian: fonts-noto-cjk). Without one, ``ChartsUnavailableError`` says what to install and
the report goes without charts (the same figures stand in its tables). Glyphs are written as
paths, so the SVG needs no font on the reader's side.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count

from fazhi.core.models import OrgUnit
from fazhi.indicators.engine import compute_by_unit
from fazhi.indicators.registry import computed_indicators
from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.models import Channel, Matter

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
MONTHS = [f"{m}月" for m in range(1, 13)]
COLOURS = ["#1f5fa8", "#d9822b", "#3c8d40", "#b3261e", "#6b4fa3", "#7a7a7a", "#138d90"]


class ChartsUnavailableError(RuntimeError):
    """No CJK font for the charts' labels; Chinese message."""


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    table: list[list[str]]  # the same numbers, for readers who do not see the chart

    @property
    def data_uri(self) -> str:
        """The chart as an image URL: an SVG image keeps its own styles, which the page's
        Content-Security-Policy would refuse as inline styles of an inline ``<svg>``."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def cjk_font() -> str:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            return name
    raise ChartsUnavailableError(
        "未找到中文字体，图表从略。请安装：apt-get install -y fonts-noto-cjk。"
    )


def _svg(figure: object) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")  # type: ignore[attr-defined]
    text = out.getvalue()
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    return text[text.index("<svg") :]


def _figure(width: float, height: float) -> object:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=96)
    return figure


def monthly_by_channel(org: OrgUnit, year: int, as_of: dt.date) -> dict[str, list[int]]:
    """Matters received in each month of ``year`` (up to ``as_of``) by channel: one grouped
    query by day and channel (at most 366 × channels rows), folded into months here."""
    procedures = sorted({i.procedure for i in computed_indicators() if i.procedure})
    end = min(as_of, dt.date(year, 12, 31))
    rows = (
        Matter.objects.filter(
            procedure__in=procedures,
            received_on__gte=dt.date(year, 1, 1),
            received_on__lte=end,
            org_id__in=OrgUnit.objects.subtree_of(org).values("pk"),
        )
        .values("received_on", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    series: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for row in rows:
        series[row["channel"] or "other"][row["received_on"].month - 1] += row["n"]
    labels = dict(Channel.choices)
    return {str(labels.get(k, k)): v for k, v in sorted(series.items(), key=lambda kv: -sum(kv[1]))}


def month_chart(year: int, series: dict[str, list[int]]) -> Chart:
    from matplotlib import rc_context

    title = f"{year}年各月受理事项（按渠道）"
    with rc_context({"font.family": cjk_font(), "svg.fonttype": "path"}):
        figure = _figure(7.2, 3.0)
        ax = figure.add_subplot()  # type: ignore[attr-defined]
        bottom = [0] * 12
        for i, (label, values) in enumerate(series.items()):
            ax.bar(MONTHS, values, bottom=bottom, label=label, color=COLOURS[i % len(COLOURS)])
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_title(title, fontsize=11)
        ax.set_ylabel("件")
        ax.spines[["top", "right"]].set_visible(False)
        if series:
            ax.legend(fontsize=8, frameon=False, ncols=min(4, len(series)))
        svg = _svg(figure)
    table = [["渠道", *MONTHS, "合计"]]
    table += [[k, *map(str, v), str(sum(v))] for k, v in series.items()]
    return Chart(title, svg, table)


def rates_by_unit(org: OrgUnit, year: int, as_of: dt.date) -> dict[str, list]:
    """Each computed rate (timely rates first) for the scope's own records and each direct
    child unit: ``{"names": [rate names], "units": [[unit name, [values as strings or None]]]}``,
    units without any rate left out. JSON as it stands, so an issue can freeze it."""
    rates = [i for i in computed_indicators() if i.is_rate]
    rates.sort(key=lambda i: 0 if "timely" in i.code else 1)
    labels = [i.label for i in rates]
    names = [
        f"{get_procedure(i.procedure).label}{i.label}"
        if i.procedure and labels.count(i.label) > 1
        else i.label
        for i in rates
    ]
    units = []
    for u in compute_by_unit(org, year, as_of) if rates else []:
        values = [u.values.get(i.code) for i in rates]
        if any(v is not None for v in values):
            name = (u.unit.short_name or u.unit.name) + ("（本级）" if u.own else "")
            units.append([name, [None if v is None else str(v) for v in values]])
    return {"names": names, "units": units}


def rate_chart(year: int, data: dict[str, list]) -> Chart | None:
    """Rates by unit; None when no unit has a rate."""
    from matplotlib import rc_context

    names, units = data.get("names") or [], data.get("units") or []
    if not names or not units:
        return None
    title = f"{year}年各单位比率（%）"
    with rc_context({"font.family": cjk_font(), "svg.fonttype": "path"}):
        figure = _figure(7.2, 0.5 + 0.35 * len(units) * len(names) ** 0.5)
        ax = figure.add_subplot()  # type: ignore[attr-defined]
        height = 0.8 / len(names)
        for j, name in enumerate(names):
            column = [float(vals[j] or 0) for _, vals in units]
            ys = [i + j * height for i in range(len(units))]
            ax.barh(ys, column, height=height, label=name, color=COLOURS[j % len(COLOURS)])
        ax.set_yticks([i + 0.4 - height / 2 for i in range(len(units))], [u[0] for u in units])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_title(title, fontsize=11)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        svg = _svg(figure)
    table = [["单位", *names]]
    for name, values in units:
        table.append([name, *(_pct(v) for v in values)])
    return Chart(title, svg, table)


def _pct(value: int | Decimal | str | None) -> str:
    if value is None:
        return "—"
    number = Decimal(value)
    return f"{number:.0f}%" if number == number.to_integral_value() else f"{number:.2f}%"


def chart_data(org: OrgUnit, year: int, as_of: dt.date) -> dict[str, object]:
    """What the charts show, computed from the records: frozen with an issue
    (``ReportIssue.charts``) so that the issued report's charts never change."""
    return {
        "months": monthly_by_channel(org, year, as_of),
        "rates": rates_by_unit(org, year, as_of),
    }


def draw(year: int, data: dict[str, Any]) -> list[Chart]:
    """The charts of ``data`` (``chart_data``'s shape)."""
    out = [month_chart(year, data.get("months") or {})]
    rates = rate_chart(year, data.get("rates") or {})
    if rates is not None:
        out.append(rates)
    return out


def charts(org: OrgUnit, year: int, as_of: dt.date) -> list[Chart]:
    return draw(year, chart_data(org, year, as_of))
