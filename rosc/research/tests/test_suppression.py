"""Small-number suppression: the maths, tested without a database."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rosc.research.suppression import (
    CellStatus,
    may_publish_total,
    suppress_overlapping,
    suppress_partition,
)

F, N, S = CellStatus.FEWER_THAN, CellStatus.NOT_SHOWN, CellStatus.SHOWN


def statuses(table):
    return [cell.status for cell in table.cells]


def test_it_shows_counts_at_or_above_the_threshold_and_hides_the_rest():
    table = suppress_partition([12, 7, 3, 1], threshold=5)
    assert statuses(table) == [S, S, F, F]
    assert [cell.count for cell in table.cells] == [12, 7, None, None]


def test_zero_is_below_the_threshold_too():
    assert statuses(suppress_partition([9, 0, 6], threshold=5)) == [S, F, N]


def test_a_single_small_cell_that_the_total_would_give_away_takes_the_next_smallest_with_it():
    # 20 people: 19 said yes, 1 said no. Showing 19 and the total would reveal the 1.
    table = suppress_partition([19, 1], threshold=5)
    assert statuses(table) == [N, F]
    assert all(cell.count is None for cell in table.cells)


def test_the_next_smallest_cell_is_the_one_hidden():
    table = suppress_partition([30, 8, 2, 12], threshold=5)
    assert statuses(table) == [S, N, F, S]


def test_two_small_cells_that_together_could_be_many_values_need_nothing_more():
    assert statuses(suppress_partition([10, 2, 1, 9], threshold=5)) == [S, F, F, S]


def test_two_small_cells_that_must_both_be_the_largest_small_value_are_protected():
    # Total 28 with 20 shown leaves 8 for two cells below 5: both must be 4.
    table = suppress_partition([20, 4, 4], threshold=5)
    assert statuses(table) == [N, F, F]


def test_two_small_cells_that_must_both_be_zero_are_protected():
    table = suppress_partition([20, 0, 0, 7], threshold=5)
    assert statuses(table).count(S) <= 1
    assert statuses(table)[1:3] == [F, F]


def test_a_table_that_cannot_be_protected_is_withheld():
    # Two answers, four people each: whatever is hidden, 8 = 4 + 4.
    table = suppress_partition([4, 4], threshold=5)
    assert table.withheld
    assert all(cell.count is None for cell in table.cells)


def test_a_table_with_nothing_small_is_left_alone():
    table = suppress_partition([5, 6, 70], threshold=5)
    assert statuses(table) == [S, S, S]
    assert not table.withheld


def test_a_single_cell_table_is_shown_as_it_is():
    assert statuses(suppress_partition([7], threshold=5)) == [S]


def test_the_threshold_comes_from_the_caller():
    assert statuses(suppress_partition([10, 3, 3], threshold=3)) == [S, S, S]
    assert statuses(suppress_partition([10, 3, 3], threshold=11)) == [F, F, F]


@pytest.mark.parametrize("threshold", [0, 1, -5])
def test_a_threshold_below_two_is_refused(threshold):
    with pytest.raises(ValueError, match="threshold"):
        suppress_partition([1, 2], threshold=threshold)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        suppress_partition([3, -1], threshold=5)


def test_overlapping_cells_hide_small_counts_and_counts_whose_complement_is_small():
    # 20 people could choose several options.
    table = suppress_overlapping([3, 18, 10, 20], total=20, threshold=5)
    assert statuses(table) == [F, N, S, N]
    assert table.cells[2].count == 10


def test_an_overlapping_count_larger_than_the_total_is_refused():
    with pytest.raises(ValueError, match="more people"):
        suppress_overlapping([21], total=20, threshold=5)


def test_a_total_below_the_threshold_may_not_be_published():
    assert not may_publish_total(4, 5)
    assert may_publish_total(5, 5)


# --- Properties ---------------------------------------------------------------------


def consistent_values(table, counts, threshold):
    """Every set of counts a reader could believe, given the shown cells, the
    total, that "fewer than" cells are 0..threshold-1 and "not shown" cells are
    at least the threshold and (being the smallest hidden first) no more than
    the smallest count still shown. Worked out by brute force, independently
    of the module's own reasoning."""
    total = sum(counts)
    shown = [cell.count for cell in table.cells if cell.status is CellStatus.SHOWN]
    ceiling = min(shown) if shown else total
    ranges = []
    for cell in table.cells:
        if cell.status is CellStatus.SHOWN:
            ranges.append([cell.count])
        elif cell.status is CellStatus.FEWER_THAN:
            ranges.append(range(threshold))
        else:
            ranges.append(range(threshold, ceiling + 1))
    return [combo for combo in itertools.product(*ranges) if sum(combo) == total]


small_tables = st.tuples(
    st.integers(min_value=2, max_value=6),
    st.lists(st.integers(min_value=0, max_value=14), min_size=2, max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(small_tables)
def test_no_suppressed_cell_of_a_partition_can_be_worked_out(case):
    threshold, counts = case
    table = suppress_partition(counts, threshold)
    if table.withheld:
        return
    possible = consistent_values(table, counts, threshold)
    assert tuple(counts) in possible
    for index, cell in enumerate(table.cells):
        if cell.is_suppressed:
            values = {combo[index] for combo in possible}
            assert len(values) >= 2, f"cell {index} of {counts} (threshold {threshold}) must be {values}"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=2, max_value=10), st.lists(st.integers(min_value=0, max_value=60), max_size=8))
def test_a_partition_never_shows_a_small_count_or_a_lone_hidden_cell(threshold, counts):
    table = suppress_partition(counts, threshold)
    assert len(table.cells) == len(counts)
    for cell, count in zip(table.cells, counts, strict=True):
        if cell.status is CellStatus.SHOWN:
            assert cell.count == count >= threshold
        elif cell.status is CellStatus.FEWER_THAN:
            assert count < threshold
            assert cell.count is None
        else:
            assert cell.count is None
            assert count >= threshold or table.withheld
    if len(counts) >= 2 and not table.withheld:
        assert sum(cell.is_suppressed for cell in table.cells) != 1


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=2, max_value=10),
    st.integers(min_value=0, max_value=80).flatmap(
        lambda total: st.tuples(st.just(total), st.lists(st.integers(min_value=0, max_value=total), max_size=8))
    ),
)
def test_overlapping_cells_never_show_a_small_count_or_a_small_complement(threshold, case):
    total, counts = case
    table = suppress_overlapping(counts, total, threshold)
    for cell, count in zip(table.cells, counts, strict=True):
        if cell.status is CellStatus.SHOWN:
            assert cell.count == count
            assert count >= threshold
            assert total - count >= threshold
        else:
            assert cell.count is None
