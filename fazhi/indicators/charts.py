"""Server-side inline SVG charts (no JavaScript, no CDN): monthly bars and unit comparison.

Every label is escaped; the SVG carries a <title> and role="img" so screen readers announce it,
and each chart is paired in the template with the table of the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MONTHS = [f"{m}月" for m in range(1, 13)]
BLUE = "#1f5fa8"
RED = "#b3261e"


def month_bars(
    title: str, values: Sequence[int], *, width: int = 360, height: int = 120
) -> SafeString:
    """Twelve vertical bars (January … December) with the count above each non-zero bar."""
    top, bottom, left = 16, 18, 4
    plot_h = height - top - bottom
    step = (width - left * 2) / 12
    peak = max(values) if values and max(values) > 0 else 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - left}" y2="{top + plot_h}" stroke="#c8d0da"/>',
    ]
    for i, v in enumerate(values):
        h = round(plot_h * v / peak, 1)
        x = round(left + i * step + step * 0.15, 1)
        w = round(step * 0.7, 1)
        y = round(top + plot_h - h, 1)
        parts.append(
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{BLUE}">'
            f"<title>{MONTHS[i]}：{v}</title></rect>"
        )
        if v:
            parts.append(
                f'<text x="{round(x + w / 2, 1)}" y="{round(y - 3, 1)}" font-size="10" '
                f'text-anchor="middle" fill="#333">{v}</text>'
            )
        parts.append(
            f'<text x="{round(x + w / 2, 1)}" y="{height - 4}" font-size="9" '
            f'text-anchor="middle" fill="#666">{i + 1}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every interpolated text is escaped above  # nosec B308 B703


PALETTE = ("#1f5fa8", "#d08a1e", "#2e8b57", "#8e44ad", "#b3261e", "#16a2b8", "#7f8c8d", "#c0392b")


def stacked_month_bars(
    title: str, series: Mapping[str, Sequence[int]], *, width: int = 360, height: int = 150
) -> SafeString:
    """Twelve stacked bars (one colour per series, e.g. per channel) with a legend below."""
    top, bottom, left = 16, 18, 4
    legend_rows = (len(series) + 2) // 3
    total_h = height + legend_rows * 16
    plot_h = height - top - bottom
    step = (width - left * 2) / 12
    totals = [sum(values[i] for values in series.values()) for i in range(12)]
    peak = max(totals) if totals and max(totals) > 0 else 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {total_h}" '
        f'width="{width}" height="{total_h}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - left}" y2="{top + plot_h}" stroke="#c8d0da"/>',
    ]
    for i in range(12):
        x = round(left + i * step + step * 0.15, 1)
        w = round(step * 0.7, 1)
        base: float = top + plot_h
        for k, (label, values) in enumerate(series.items()):
            v = values[i]
            if not v:
                continue
            h = round(plot_h * v / peak, 1)
            base = round(base - h, 1)
            parts.append(
                f'<rect x="{x}" y="{base}" width="{w}" height="{h}" '
                f'fill="{PALETTE[k % len(PALETTE)]}"><title>{MONTHS[i]} {escape(label)}：{v}'
                "</title></rect>"
            )
        if totals[i]:
            parts.append(
                f'<text x="{round(x + w / 2, 1)}" y="{round(base - 3, 1)}" font-size="10" '
                f'text-anchor="middle" fill="#333">{totals[i]}</text>'
            )
        parts.append(
            f'<text x="{round(x + w / 2, 1)}" y="{height - 4}" font-size="9" '
            f'text-anchor="middle" fill="#666">{i + 1}</text>'
        )
    for k, label in enumerate(series):
        lx = left + (k % 3) * (width / 3)
        ly = height + (k // 3) * 16 + 10
        parts.append(
            f'<rect x="{round(lx, 1)}" y="{ly - 8}" width="10" height="10" '
            f'fill="{PALETTE[k % len(PALETTE)]}"/>'
            f'<text x="{round(lx + 14, 1)}" y="{ly + 1}" font-size="10" fill="#333">'
            f"{escape(label[:10])}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every interpolated text is escaped above  # nosec B308 B703


def unit_bars(
    title: str,
    rows: Sequence[tuple[str, int | Decimal | None]],
    *,
    width: int = 520,
    percent: bool = False,
    target_min: Decimal | None = None,
) -> SafeString:
    """Horizontal bars, one per unit; a missing value (—) draws no bar; a bar under the target
    is red."""
    bar_h, gap, label_w = 16, 6, 130
    height = max(1, len(rows)) * (bar_h + gap) + gap
    numbers = [float(v) for _, v in rows if v is not None]
    peak = 100.0 if percent else (max(numbers) if numbers and max(numbers) > 0 else 1.0)
    plot_w = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 4}" font-size="11" text-anchor="end" '
            f'fill="#333">{escape(label[:12])}</text>'
        )
        if value is None:
            text = "—"
            w = 0.0
        else:
            w = round(plot_w * float(value) / peak, 1)
            text = f"{value}%" if percent else str(value)
        miss = target_min is not None and value is not None and value < target_min
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" '
            f'fill="{RED if miss else BLUE}"><title>{escape(label)}：{escape(text)}</title></rect>'
        )
        parts.append(
            f'<text x="{label_w + w + 4}" y="{y + bar_h - 4}" font-size="11" fill="#333">'
            f"{escape(text)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every interpolated text is escaped above  # nosec B308 B703
