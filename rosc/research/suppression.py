"""Small-number suppression for survey results. Pure logic: no Django.

Two kinds of table come out of a survey:

- A **partition**: every person who answered falls in exactly one cell and
  the total is shown (a single-choice question, a scale, the ways answers were
  gathered). A single hidden cell could be worked out by taking the others
  from the total, so suppression has to be "secondary" as well as "primary".
- **Overlapping** cells: a person may be in several cells or none (a
  multiple-choice question, free-text themes). Each cell has a complement,
  "answered but not in this cell", that the total gives away.

Primary suppression: a count below the threshold (zero included) is shown as
"fewer than <threshold>", so a reader knows only that it lies between 0 and
threshold - 1.

Secondary suppression in a partition: if a reader who knows the shown cells,
the total and this rule could pin any suppressed cell to one value, the
smallest cell still shown is hidden as well ("not shown", which a reader knows
is at least the threshold and at most the smallest count still shown), and the
test is repeated. If every cell is suppressed and a value can still be pinned
(for example two cells of 4 with a total of 8), the whole table is withheld.

Secondary suppression for overlapping cells: a count whose complement is
below the threshold ("all but 2 people chose this") is not shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class CellStatus(StrEnum):
    SHOWN = "shown"
    FEWER_THAN = "fewer_than"
    NOT_SHOWN = "not_shown"


@dataclass(frozen=True)
class Cell:
    """One published number: ``count`` is None unless the status is SHOWN."""

    status: CellStatus
    count: int | None = None

    @property
    def is_suppressed(self) -> bool:
        return self.status is not CellStatus.SHOWN


@dataclass(frozen=True)
class Table:
    """A suppressed table. ``withheld``: nothing in it may be published."""

    cells: tuple[Cell, ...]
    withheld: bool = False


def _shown(count: int) -> Cell:
    return Cell(CellStatus.SHOWN, count)


def _check(counts: Sequence[int], threshold: int) -> None:
    if threshold < 2:
        raise ValueError("The suppression threshold must be 2 or more.")
    if any(count < 0 for count in counts):
        raise ValueError("Counts cannot be negative.")


def feasible_range(cells: Sequence[Cell], total: int, threshold: int, index: int) -> tuple[int, int]:
    """What a reader who knows the rule can tell about suppressed cell ``index``
    of a partition: the lowest and highest value it could have.

    Fewer-than cells lie in [0, threshold - 1]; not-shown cells in
    [threshold, smallest shown count] (or [threshold, total] if nothing is
    shown); the suppressed cells add up to the total less the shown cells. For
    one equation over boxed integers the range of each variable is exactly
    this interval.
    """
    shown_counts = [cell.count for cell in cells if cell.status is CellStatus.SHOWN and cell.count is not None]
    ceiling = min(shown_counts) if shown_counts else total
    remaining = total - sum(shown_counts)

    def bounds(cell: Cell) -> tuple[int, int]:
        if cell.status is CellStatus.FEWER_THAN:
            return 0, threshold - 1
        return threshold, ceiling

    others = [bounds(cell) for i, cell in enumerate(cells) if cell.is_suppressed and i != index]
    low_others = sum(low for low, _ in others)
    high_others = sum(high for _, high in others)
    own_low, own_high = bounds(cells[index])
    return max(own_low, remaining - high_others), min(own_high, remaining - low_others)


def _pinned(cells: Sequence[Cell], total: int, threshold: int) -> bool:
    for index, cell in enumerate(cells):
        if cell.is_suppressed:
            low, high = feasible_range(cells, total, threshold, index)
            if low >= high:
                return True
    return False


def suppress_partition(counts: Sequence[int], threshold: int) -> Table:
    """Suppress a table whose cells add up to a total that is shown."""
    _check(counts, threshold)
    total = sum(counts)
    cells = [_shown(c) if c >= threshold else Cell(CellStatus.FEWER_THAN) for c in counts]
    if len(cells) < 2 or not any(cell.is_suppressed for cell in cells):
        return Table(tuple(cells))
    while _pinned(cells, total, threshold):
        still_shown = [i for i, cell in enumerate(cells) if not cell.is_suppressed]
        if not still_shown:
            return Table(tuple(Cell(CellStatus.NOT_SHOWN) for _ in cells), withheld=True)
        smallest = min(still_shown, key=lambda i: (counts[i], i))
        cells[smallest] = Cell(CellStatus.NOT_SHOWN)
    return Table(tuple(cells))


def suppress_overlapping(counts: Sequence[int], total: int, threshold: int) -> Table:
    """Suppress cells that people may share or leave (each count is out of ``total``)."""
    _check(counts, threshold)
    if any(count > total for count in counts):
        raise ValueError("A cell cannot count more people than answered.")
    cells = []
    for count in counts:
        if count < threshold:
            cells.append(Cell(CellStatus.FEWER_THAN))
        elif total - count < threshold:
            cells.append(Cell(CellStatus.NOT_SHOWN))
        else:
            cells.append(_shown(count))
    return Table(tuple(cells))


def may_publish_total(total: int, threshold: int) -> bool:
    """A table (or a whole survey) answered by fewer people than the threshold is not shown at all."""
    return total >= threshold
