"""The status chart's geometry, without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rosc.voice.charts import BAR_SPACE, bar_chart


def test_the_largest_count_fills_the_bar_space_and_others_scale():
    chart = bar_chart([("a", "A", 10), ("b", "B", 5), ("c", "C", 0)])
    assert [bar.width for bar in chart.bars] == [BAR_SPACE, BAR_SPACE // 2, 0]
    assert chart.bars[1].y > chart.bars[0].y
    assert chart.bars[0].label_y < chart.bars[0].y, "each label sits above its bar"


def test_no_requests_draws_no_bars():
    chart = bar_chart([("a", "A", 0), ("b", "B", 0)])
    assert [bar.width for bar in chart.bars] == [0, 0]


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        bar_chart([("a", "A", -1)])


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8))
def test_every_bar_fits_and_any_count_above_zero_shows(counts):
    chart = bar_chart([(str(i), str(i), n) for i, n in enumerate(counts)])
    for bar, count in zip(chart.bars, counts, strict=True):
        assert 0 <= bar.width <= BAR_SPACE
        assert (bar.width > 0) == (count > 0)
        assert bar.value_x < chart.width
