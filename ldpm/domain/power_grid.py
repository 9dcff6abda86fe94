"""The power/interest grid as a plane: where a rating sits, which rating a point is, and how
people who share a rating are spread so that none hides another.

Interest runs left to right (1 … 10), power bottom to top (1 … 10), each rating a cell of the
grid rectangle; y grows downwards, as on screen.  The quadrant lines fall between 5 and 6
(:data:`~ldpm.domain.stakeholders.HIGH_ABOVE`), in the middle of the grid.

People with the same rating share a cell: :func:`place` puts them side by side in rows
(:func:`cluster_offsets`), as close as the cards allow and never beyond the cell, so a card
dropped back anywhere in its cell still reads as the same rating (:func:`rating_at`).
Pure Python; coordinates are plain floats.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ldpm.domain.entities import GRID_MAX, GRID_MIN
from ldpm.domain.stakeholders import HIGH_ABOVE

_STEPS = GRID_MAX - GRID_MIN + 1


@dataclass(frozen=True, slots=True)
class Grid:
    """The rectangle the ratings 1..10 × 1..10 fill."""

    left: float
    top: float
    width: float
    height: float

    @property
    def cell_width(self) -> float:
        return self.width / _STEPS

    @property
    def cell_height(self) -> float:
        return self.height / _STEPS

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def middle(self) -> tuple[float, float]:
        """Where the quadrant lines cross (between ratings 5 and 6 on each axis)."""
        return (
            self.left + (HIGH_ABOVE - GRID_MIN + 1) * self.cell_width,
            self.bottom - (HIGH_ABOVE - GRID_MIN + 1) * self.cell_height,
        )

    def centre(self, power: int, interest: int) -> tuple[float, float]:
        """The centre of the cell of a rating."""
        return (
            self.left + (interest - GRID_MIN + 0.5) * self.cell_width,
            self.bottom - (power - GRID_MIN + 0.5) * self.cell_height,
        )

    def rating_at(self, x: float, y: float) -> tuple[int, int]:
        """The rating (power, interest) of the cell under a point; a point beyond the grid
        takes the nearest cell."""
        interest = GRID_MIN + math.floor((x - self.left) / self.cell_width)
        power = GRID_MIN + math.floor((self.bottom - y) / self.cell_height)
        return _clamp(power), _clamp(interest)


def _clamp(rating: int) -> int:
    return max(GRID_MIN, min(GRID_MAX, rating))


def cluster_offsets(
    count: int, cell: tuple[float, float], card: tuple[float, float], gap: float = 4.0
) -> list[tuple[float, float]]:
    """Offsets from a cell's centre for ``count`` cards of size ``card`` in a cell of size
    ``cell``: in centred rows (the number of columns that needs the least squeezing), ``gap``
    apart when there is room and closer (overlapping) when there is not, always inside the
    cell."""
    if count <= 0:
        return []
    (cell_w, cell_h), (card_w, card_h) = cell, card

    def room(columns: int) -> float:
        rows = math.ceil(count / columns)
        wide = columns * card_w + (columns - 1) * gap
        tall = rows * card_h + (rows - 1) * gap
        return min(cell_w / wide, cell_h / tall)

    columns = max(range(1, count + 1), key=lambda c: (room(c), -c))
    rows = math.ceil(count / columns)
    step_x = min(card_w + gap, (cell_w - card_w) / max(columns - 1, 1)) if columns > 1 else 0.0
    step_y = min(card_h + gap, (cell_h - card_h) / max(rows - 1, 1)) if rows > 1 else 0.0
    step_x, step_y = max(step_x, 0.0), max(step_y, 0.0)
    out = []
    for i in range(count):
        row, col = divmod(i, columns)
        in_row = min(columns, count - row * columns)  # the last row may be shorter
        x = (col - (in_row - 1) / 2) * step_x
        y = (row - (rows - 1) / 2) * step_y
        out.append((x, y))
    return out


def place(
    grid: Grid, ratings: Sequence[tuple[str, int, int]], card: tuple[float, float]
) -> dict[str, tuple[float, float]]:
    """Centres for cards of size ``card`` by id, from ``(id, power, interest)`` in the order
    given (which also orders the cards within a shared cell)."""
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key, power, interest in ratings:
        cells[_clamp(power), _clamp(interest)].append(key)
    out: dict[str, tuple[float, float]] = {}
    size = (grid.cell_width, grid.cell_height)
    for (power, interest), keys in cells.items():
        cx, cy = grid.centre(power, interest)
        for key, (dx, dy) in zip(keys, cluster_offsets(len(keys), size, card), strict=True):
            out[key] = (cx + dx, cy + dy)
    return out
