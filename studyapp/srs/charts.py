"""Server-rendered SVG charts. Pure: numbers in, escaped SVG markup out; no script, no inline style
(colours come from CSS classes, so the strict Content Security Policy and dark mode both hold).

Every value can be read three ways: a ``<title>`` tooltip on hover, a label that CSS shows while
the point is hovered or focused, and the point's ``aria-label`` for a screen reader. A chart is one
tab stop: its first point is focusable (``tabindex="0"``), the others ``-1``, and
``static/js/charts.js`` moves the focus with the arrow keys (a chart of few points, such as the mock
scores, makes each point a tab stop and needs no script). A chart with nothing to show says
"No data yet" rather than drawing empty axes.
"""

import html
from collections.abc import Sequence
from datetime import date, timedelta

NO_DATA = "No data yet"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _point(inner: str, *, label: str, focusable: bool) -> str:
    """One value: a focusable group named ``label``, with its tooltip."""
    return (
        f'<g class="chart-point" tabindex="{0 if focusable else -1}" role="img" aria-label="{_e(label)}">'
        f"<title>{_e(label)}</title>{inner}</g>"
    )


EMPTY_WIDTH, EMPTY_HEIGHT = 200, 40  # an empty chart is one line of text, not a blank plot


def _empty(css: str, width: int, *, label: str, title: str) -> str:
    """ "No data yet" in a box of its own size (CSS draws it 1:1), so the text is not scaled down
    with the chart's width on a phone."""
    text = f'<text class="chart-empty" x="{EMPTY_WIDTH / 2:.0f}" y="{EMPTY_HEIGHT / 2 + 5:.0f}" text-anchor="middle">{NO_DATA}</text>'
    return _svg(f"{css} chart-empty-state", EMPTY_WIDTH, EMPTY_HEIGHT, label=label, title=title, body=text, keys="none")


def _svg(css: str, width: int, height: int, *, label: str, title: str, body: str, keys: str) -> str:
    return (
        f'<svg class="{css}" viewBox="0 0 {width} {height}" role="group" aria-label="{_e(label)}" data-chart-keys="{keys}">'
        f"<title>{_e(title)}</title>{body}</svg>"
    )


def bar_chart(
    points: Sequence[tuple[str, int]], *, title: str, unit: str = "reviews", width: int = 720, height: int = 180, label_every: int = 7
) -> str:
    """Vertical bars, one per point (label, value), with a tooltip each and a y-axis maximum;
    "No data yet" when every value is 0. One tab stop; arrow keys move between bars."""
    top, bottom, left, right = 14, 24, 34, 6
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for _, v in points), default=0) or 1
    total = sum(v for _, v in points)
    summary = f"{title}: {total} {unit} in all, at most {peak if total else 0} in one day"
    if not total:
        return _empty("chart", width, label=summary, title=title)
    step = plot_w / max(len(points), 1)
    bars, labels = [], []
    for index, (label, value) in enumerate(points):
        bar_h = plot_h * value / peak
        x = left + index * step
        y = top + plot_h - bar_h
        bars.append(
            _point(
                # A transparent full-height hit area, so a day with 0 can be hovered too.
                f'<rect class="chart-hit" x="{x:.1f}" y="{top}" width="{step:.1f}" height="{plot_h}"/>'
                f'<rect class="chart-bar" x="{x + 1:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" height="{bar_h:.1f}"/>'
                f'<text class="chart-tip" x="{x + step / 2:.1f}" y="{max(y - 3, top - 3):.1f}" text-anchor="middle">{value}</text>',
                label=f"{label}: {value} {unit}",
                focusable=index == 0,
            )
        )
        if index % label_every == 0:
            labels.append(f'<text class="chart-label" x="{x + step / 2:.1f}" y="{height - 6}" text-anchor="middle">{_e(label)}</text>')
    body = (
        f'<line class="chart-axis" x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}"/>'
        f'<text class="chart-label" x="{left - 4}" y="{top + 8}" text-anchor="end">{peak}</text>'
        f'<text class="chart-label" x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>' + "".join(bars) + "".join(labels)
    )
    return _svg("chart", width, height, label=summary, title=title, body=body, keys="arrows")


def score_chart(
    points: Sequence[tuple[str, int]],
    *,
    title: str,
    low: int = 100,
    high: int = 1000,
    pass_mark: int = 700,
    unit: str = "of 1000",
    width: int = 720,
    height: int = 200,
) -> str:
    """Scaled scores (label, score) as bars on a fixed ``low``–``high`` axis with the pass line, so a
    failing score looks like one; each bar is labelled with its score and is its own tab stop."""
    top, bottom, left, right = 18, 24, 40, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    passed = sum(1 for _, v in points if v >= pass_mark)
    summary = f"{title}: {len(points)} scored, {passed} at or above the pass mark of {pass_mark}"
    if not points:
        return _empty("chart", width, label=summary, title=title)

    def y_of(value: int) -> float:
        return top + plot_h - plot_h * (min(max(value, low), high) - low) / (high - low)

    step = plot_w / len(points)
    bar_w = min(step - 4, 48)
    bars, labels = [], []
    for index, (label, value) in enumerate(points):
        x = left + index * step + (step - bar_w) / 2
        y = y_of(value)
        verdict = "pass" if value >= pass_mark else "below the pass mark"
        bars.append(
            _point(
                f'<rect class="chart-bar{" chart-bar-pass" if value >= pass_mark else ""}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{bar_w:.1f}" height="{top + plot_h - y:.1f}"/>'
                f'<text class="chart-value" x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{value}</text>',
                label=f"{label}: {value} {unit}, {verdict}",
                focusable=True,
            )
        )
        labels.append(f'<text class="chart-label" x="{x + bar_w / 2:.1f}" y="{height - 6}" text-anchor="middle">{_e(label)}</text>')
    pass_y = y_of(pass_mark)
    body = (
        f'<line class="chart-axis" x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}"/>'
        + "".join(f'<text class="chart-label" x="{left - 4}" y="{y_of(v) + 4:.1f}" text-anchor="end">{v}</text>' for v in (low, high))
        + "".join(bars)
        + f'<line class="chart-pass" x1="{left}" y1="{pass_y:.1f}" x2="{width - right}" y2="{pass_y:.1f}"/>'
        f'<text class="chart-pass-label" x="{width - right + 4}" y="{pass_y + 4:.1f}">Pass {pass_mark}</text>' + "".join(labels)
    )
    return _svg("chart score-chart", width, height, label=summary, title=title, body=body, keys="tab")


def heatmap(counts: dict[date, int], *, end: date, weeks: int = 53, title: str = "Reviews in the last year") -> str:
    """A calendar of the last ``weeks`` weeks ending on ``end``: a column per week, Monday at the top,
    darker for more reviews (five levels, by share of the busiest day); "No data yet" without any
    review. One tab stop; arrow keys move by day (up/down) and week (left/right)."""
    cell, gap, left, top = 12, 2, 32, 16
    first = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
    peak = max(counts.values(), default=0) or 1
    width = left + weeks * (cell + gap)
    height = top + 7 * (cell + gap) + 16
    active = sum(1 for v in counts.values() if v)
    summary = f"{title}: reviews on {active} days"
    if not active:
        return _empty("chart heatmap", width, label=summary, title=title)
    rects, months = [], []
    day = first
    while day <= end:
        column, row = (day - first).days // 7, day.weekday()
        value = counts.get(day, 0)
        level = 0 if value == 0 else min(4, 1 + int(3 * value / peak))
        x, y = left + column * (cell + gap), top + row * (cell + gap)
        rects.append(
            _point(
                f'<rect class="heat heat-{level}" x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2"/>',
                label=f"{day:%a %d %b %Y}: {value} review{'s' if value != 1 else ''}",
                focusable=day == end,
            )
        )
        # Each month's name over the column holding its first Monday (none in the last two columns,
        # where the name would run off the edge).
        if row == 0 and day.day <= 7 and column < weeks - 2:
            months.append(f'<text class="chart-label" x="{x}" y="{top - 5}">{day:%b}</text>')
        day += timedelta(days=1)
    days_label = "".join(
        f'<text class="chart-label" x="{left - 4}" y="{top + r * (cell + gap) + cell - 2}" text-anchor="end">{name}</text>'
        for r, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
    )
    # charts.js writes the focused or hovered day here (a cell is too small for its own label).
    readout = f'<text class="chart-readout" x="{left}" y="{height - 3}" aria-hidden="true"></text>'
    return _svg(
        "chart heatmap",
        width,
        height,
        label=summary,
        title=title,
        body="".join(months) + days_label + "".join(rects) + readout,
        keys="grid",
    )
