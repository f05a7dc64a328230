"""The shared SVG charts: accessible, escaped, and their table holds exactly the plotted numbers."""

import re
from datetime import date

from rosc.core.charts import Bar, Series, bar_chart, line_chart

POINT = re.compile(r'data-series="([^"]*)" data-x="([^"]*)" data-value="([^"]*)"')


def plotted(chart):
    return sorted(POINT.findall(str(chart.svg)))


def tabled(chart):
    found = []
    for row in chart.rows:
        for label, cell in zip(chart.columns[1:], row.cells, strict=True):
            if re.fullmatch(r"-?\d+(\.\d)?", cell):
                found.append((label, row.header, cell))
    return sorted(found)


def test_a_line_chart_plots_exactly_the_numbers_in_its_table():
    chart = line_chart(
        [
            Series("Happiness", [(date(2026, 1, 5), 4), (date(2026, 2, 9), 6.25), (date(2026, 3, 2), None)]),
            Series("Anxiety", [(date(2026, 1, 5), 7), (date(2026, 3, 2), 3)]),
        ],
        y_min=0,
        y_max=10,
        y_label="Score",
        title="Wellbeing",
    )
    assert plotted(chart) == tabled(chart)
    assert len(plotted(chart)) == 4
    assert chart.columns == ("Date", "Happiness", "Anxiety")
    assert [row.header for row in chart.rows] == ["5 Jan 2026", "9 Feb 2026", "2 Mar 2026"]
    assert chart.rows[1].cells == ("6.2", "Not recorded")  # one decimal, same text as the marker
    assert chart.rows[2].cells == ("Not recorded", "3")


def test_the_svg_is_named_and_described_for_assistive_technology():
    chart = line_chart(
        [Series("Total", [(date(2026, 1, 1), 30)])], y_min=10, y_max=60, y_label="Total", title="BARC", chart_id="b"
    )
    svg = str(chart.svg)
    assert 'role="img"' in svg
    assert 'aria-labelledby="b-title b-desc"' in svg
    assert '<title id="b-title">BARC</title>' in svg
    assert '<desc id="b-desc">' in svg
    assert "style=" not in svg
    assert "<script" not in svg


def test_labels_are_escaped():
    chart = line_chart(
        [Series('<script>"x"</script>', [(date(2026, 1, 1), 3)])],
        y_min=0,
        y_max=10,
        y_label="<b>",
        title="<i>title</i>",
    )
    svg = str(chart.svg)
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "<i>" not in svg
    assert "&lt;script&gt;" in svg


def test_a_gap_breaks_the_line_and_an_empty_chart_says_so():
    chart = line_chart(
        [Series("S", [(date(2026, 1, 1), 1), (date(2026, 2, 1), None), (date(2026, 3, 1), 3), (date(2026, 4, 1), 4)])],
        y_min=0,
        y_max=10,
        y_label="S",
        title="T",
    )
    assert str(chart.svg).count("<polyline") == 1  # only the run 3 -> 4 is joined
    empty = line_chart([Series("S", [])], y_min=0, y_max=10, y_label="S", title="T")
    assert empty.empty
    assert "Nothing to show yet" in str(empty.svg)


def test_a_reference_line_is_drawn_with_its_label():
    chart = line_chart(
        [Series("Total", [(date(2026, 1, 1), 50)])],
        y_min=10,
        y_max=60,
        y_label="Total",
        title="T",
        reference=(47, "47: associated with sustained remission"),
    )
    assert 'data-reference="true"' in str(chart.svg)
    assert "47: associated with sustained remission" in str(chart.svg)


def test_series_differ_by_more_than_colour():
    chart = line_chart(
        [Series(f"S{i}", [(date(2026, 1, 1), i)]) for i in range(4)], y_min=0, y_max=10, y_label="S", title="T"
    )
    svg = str(chart.svg)
    assert "<circle" in svg
    assert "<rect" in svg
    assert "<path" in svg
    assert svg.count("stroke-dasharray") >= 3  # line patterns in the legend


def test_a_bar_chart_plots_the_numbers_in_its_table_and_notes_suppressed_bars():
    chart = bar_chart(
        [Bar("Chelmsford", 12), Bar("Basildon", None, note="fewer than 5"), Bar("Harlow", 7.5)],
        title="People",
        value_label="People measured",
        label_heading="Place",
    )
    assert plotted(chart) == tabled(chart)
    assert chart.columns == ("Place", "People measured")
    assert chart.rows[1].cells == ("fewer than 5",)
    assert "fewer than 5" in str(chart.svg)
