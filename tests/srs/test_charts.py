"""The SVG charts: data in, accessible markup out, nothing executable."""

import re
from datetime import date, timedelta

from studyapp.srs.charts import bar_chart, heatmap, score_chart


def test_bar_chart_has_one_bar_per_point_with_tooltips():
    svg = bar_chart([("1 Nov", 3), ("2 Nov", 0), ("3 Nov", 6)], title="Reviews")
    assert svg.count('<rect class="chart-bar"') == 3
    assert "<title>3 Nov: 6 reviews</title>" in svg
    assert 'role="img"' in svg and "9 reviews in all" in svg


def test_labels_are_escaped_and_no_style_or_script():
    svg = bar_chart([("<b>x</b>", 1)], title='"quoted" & <tag>')
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "style=" not in svg and "<script" not in svg


def test_heatmap_covers_53_weeks_and_levels_scale_with_the_busiest_day():
    end = date(2026, 11, 25)
    svg = heatmap({end: 10, end - timedelta(days=1): 1}, end=end)
    assert svg.count('class="heat heat-') == 52 * 7 + end.weekday() + 1
    assert 'class="heat heat-4"' in svg and 'class="heat heat-1"' in svg
    assert "Wed 25 Nov 2026: 10 reviews" in svg


def test_empty_charts_draw():
    assert "0 reviews in all" in bar_chart([], title="Reviews")
    assert "reviews on 0 days" in heatmap({}, end=date(2026, 1, 1))


def test_an_empty_chart_says_no_data_yet_instead_of_drawing_zero_axes():
    for svg in (
        bar_chart([], title="Reviews"),
        bar_chart([("1 Nov", 0), ("2 Nov", 0)], title="Reviews"),
        heatmap({}, end=date(2026, 1, 1)),
    ):
        assert "No data yet" in svg
        assert '<text class="chart-label"' not in svg and "chart-axis" not in svg and "chart-point" not in svg
    assert "No data yet" in score_chart([], title="Mock exam scores")


def test_every_value_shows_on_hover_and_focus():
    svg = bar_chart([("1 Nov", 3), ("2 Nov", 0), ("3 Nov", 6)], title="Reviews")
    points = re.findall(r'<g class="chart-point" tabindex="(-?\d)" role="img" aria-label="([^"]*)"><title>([^<]*)</title>', svg)
    assert [(tab, label) for tab, label, _ in points] == [("0", "1 Nov: 3 reviews"), ("-1", "2 Nov: 0 reviews"), ("-1", "3 Nov: 6 reviews")]
    assert all(label == title for _, label, title in points)  # the tooltip says what a screen reader hears
    assert re.findall(r'<text class="chart-tip"[^>]*>(\d+)</text>', svg) == ["3", "0", "6"]  # shown by CSS on hover/focus
    assert 'role="group"' in svg and 'data-chart-keys="arrows"' in svg  # one tab stop; charts.js moves along
    cells = heatmap({date(2026, 11, 25): 2}, end=date(2026, 11, 25))
    assert cells.count('tabindex="0"') == 1 and 'aria-label="Wed 25 Nov 2026: 2 reviews" tabindex' not in cells
    assert '<g class="chart-point" tabindex="0" role="img" aria-label="Wed 25 Nov 2026: 2 reviews">' in cells
    assert 'class="chart-readout"' in cells and 'data-chart-keys="grid"' in cells


def test_mock_scores_are_drawn_from_100_to_1000_with_the_pass_line_and_labelled():
    svg = score_chart([("1 Nov", 151), ("8 Nov", 700), ("15 Nov", 1000)], title="Mock exam scores")
    bars = {
        int(v): (float(y), float(h))
        for y, h, v in re.findall(r'y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/><text class="chart-value"[^>]*>(\d+)<', svg)
    }
    assert set(bars) == {151, 700, 1000}
    top, bottom = bars[1000][0], bars[1000][0] + bars[1000][1]  # the full axis: 1000 at the top
    assert round(bars[151][1] / (bottom - top), 3) == round(51 / 900, 3)  # a failing 151 stays low
    pass_y = float(re.search(r'<line class="chart-pass" x1="\d+" y1="([\d.]+)"', svg).group(1))
    assert abs((bottom - pass_y) / (bottom - top) - 600 / 900) < 0.002
    assert ">Pass 700</text>" in svg and ">100</text>" in svg and ">1000</text>" in svg
    assert "1 Nov: 151 of 1000, below the pass mark" in svg and "8 Nov: 700 of 1000, pass" in svg
    assert svg.count('tabindex="0"') == 3  # few points: each is a tab stop, no script needed
    assert "chart-bar-pass" in svg and svg.count("chart-bar-pass") == 2
