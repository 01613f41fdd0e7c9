"""The SVG charts: data in, accessible markup out, nothing executable."""

from datetime import date, timedelta

from studyapp.srs.charts import bar_chart, heatmap


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
