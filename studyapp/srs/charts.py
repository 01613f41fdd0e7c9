"""Server-rendered SVG charts. Pure: numbers in, escaped SVG markup out; no script, no inline style
(colours come from CSS classes, so the strict Content Security Policy and dark mode both hold)."""

import html
from collections.abc import Sequence
from datetime import date, timedelta


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def bar_chart(
    points: Sequence[tuple[str, int]], *, title: str, unit: str = "reviews", width: int = 720, height: int = 180, label_every: int = 7
) -> str:
    """Vertical bars, one per point (label, value), with a tooltip each and a y-axis maximum."""
    top, bottom, left, right = 10, 24, 34, 6
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for _, v in points), default=0) or 1
    step = plot_w / max(len(points), 1)
    bars, labels = [], []
    for index, (label, value) in enumerate(points):
        bar_h = plot_h * value / peak
        x = left + index * step
        bars.append(
            f'<rect class="chart-bar" x="{x + 1:.1f}" y="{top + plot_h - bar_h:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{bar_h:.1f}"><title>{_e(label)}: {value} {_e(unit)}</title></rect>'
        )
        if index % label_every == 0:
            labels.append(f'<text class="chart-label" x="{x + step / 2:.1f}" y="{height - 6}" text-anchor="middle">{_e(label)}</text>')
    total = sum(v for _, v in points)
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}: {total} {_e(unit)} in all, at most {peak if total else 0} in one day">'
        f"<title>{_e(title)}</title>"
        f'<line class="chart-axis" x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}"/>'
        f'<text class="chart-label" x="{left - 4}" y="{top + 8}" text-anchor="end">{peak if total else 0}</text>'
        f'<text class="chart-label" x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>'
        + "".join(bars)
        + "".join(labels)
        + "</svg>"
    )


def heatmap(counts: dict[date, int], *, end: date, weeks: int = 53, title: str = "Reviews in the last year") -> str:
    """A calendar of the last ``weeks`` weeks ending on ``end``: a column per week, Monday at the top,
    darker for more reviews (five levels, by share of the busiest day)."""
    cell, gap, left, top = 12, 2, 32, 16
    first = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
    peak = max(counts.values(), default=0) or 1
    rects, months = [], []
    day = first
    while day <= end:
        column, row = (day - first).days // 7, day.weekday()
        value = counts.get(day, 0)
        level = 0 if value == 0 else min(4, 1 + int(3 * value / peak))
        x, y = left + column * (cell + gap), top + row * (cell + gap)
        rects.append(
            f'<rect class="heat heat-{level}" x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2">'
            f"<title>{day:%a %d %b %Y}: {value} review{'s' if value != 1 else ''}</title></rect>"
        )
        # Each month's name over the column holding its first Monday (none in the last two columns,
        # where the name would run off the edge).
        if row == 0 and day.day <= 7 and column < weeks - 2:
            months.append(f'<text class="chart-label" x="{x}" y="{top - 5}">{day:%b}</text>')
        day += timedelta(days=1)
    width = left + weeks * (cell + gap)
    height = top + 7 * (cell + gap)
    days_label = "".join(
        f'<text class="chart-label" x="{left - 4}" y="{top + r * (cell + gap) + cell - 2}" text-anchor="end">{name}</text>'
        for r, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
    )
    active = sum(1 for v in counts.values() if v)
    return (
        f'<svg class="chart heatmap" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}: reviews on {active} days">'
        f"<title>{_e(title)}</title>" + "".join(months) + days_label + "".join(rects) + "</svg>"
    )
