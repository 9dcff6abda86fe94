"""The value/effort matrix's axes: where an item goes, and what a position means.

The matrix is a 2×2 of quick wins, big bets, fill-ins and money pits
(:func:`ldpm.domain.scoring.value_effort_quadrant`).  Positions are *fractions* of the plot,
``fx`` from 0 (no effort, left) to 1 (most effort, right) and ``fy`` from 0 (lowest value,
bottom) to 1 (highest value, top), so the splits sit in the middle and the four quadrants are
the same size:

* **value** 1…10 occupies ten equal bands; value ``v`` sits in the middle of band ``v``, so the
  split 5.5 is at ``fy = 0.5``;
* **effort** is linear from 0 to the split (5 person-days) on the left half, and from the split
  to :attr:`MatrixAxes.effort_max` on the right half — a week and a quarter are both readable.

Dropping a card at a position gives back a value and an effort *snapped* to what people
estimate in (whole value points; half days up to 10 days, whole days up to 40, then five-day
steps), or ``None`` outside the plot: a card dragged off the axes is refused, never clamped
into a silent wrong value.  Pure Python, tested with hand-computed values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ldpm.domain.scoring import DEFAULT_EFFORT_SPLIT, DEFAULT_VALUE_SPLIT

VALUE_MIN, VALUE_MAX = 1, 10
#: The right end of the effort axis is the smallest of these that holds every item.
_NICE_MAXIMA = (10, 15, 20, 30, 40, 60, 80, 100, 150, 200, 300, 400, 600, 800, 1000)


def snap_effort(effort: float) -> float:
    """``effort`` (person-days) rounded as people estimate: half days below 10 days, whole
    days below 40, then steps of five; never below half a day."""
    if effort < 10:
        step = 0.5
    elif effort < 40:
        step = 1.0
    else:
        step = 5.0
    return max(0.5, round(effort / step) * step)


def nice_effort_max(efforts: Iterable[float | None], split: float = DEFAULT_EFFORT_SPLIT) -> float:
    """The right end of the effort axis: at least twice the split, and past every effort."""
    largest = max((e for e in efforts if e is not None and math.isfinite(e)), default=0.0)
    need = max(2 * split, largest)
    for nice in _NICE_MAXIMA:
        if nice >= need:
            return float(nice)
    return float(math.ceil(need / 1000) * 1000)


@dataclass(frozen=True)
class MatrixAxes:
    """Fractions of the plot for values and efforts, and back."""

    effort_max: float = 10.0
    effort_split: float = DEFAULT_EFFORT_SPLIT
    value_split: float = DEFAULT_VALUE_SPLIT

    @classmethod
    def for_efforts(cls, efforts: Iterable[float | None]) -> MatrixAxes:
        return cls(effort_max=nice_effort_max(efforts))

    # ------------------------------------------------------------ value → position
    def fx(self, effort: float) -> float:
        """Where ``effort`` sits across the plot (0 left … 1 right)."""
        split = self.effort_split
        if effort <= split:
            return 0.5 * max(0.0, effort) / split
        return 0.5 + 0.5 * min(1.0, (effort - split) / (self.effort_max - split))

    def fy(self, value: float) -> float:
        """Where ``value`` sits up the plot (0 bottom … 1 top): the middle of its band."""
        return (value - VALUE_MIN + 0.5) / (VALUE_MAX - VALUE_MIN + 1)

    # ------------------------------------------------------------ position → value
    def effort_at(self, fx: float) -> float | None:
        """The effort a drop at ``fx`` means (snapped), or None outside the plot."""
        if not 0.0 <= fx <= 1.0:
            return None
        split = self.effort_split
        if fx <= 0.5:
            raw = fx / 0.5 * split
        else:
            raw = split + (fx - 0.5) / 0.5 * (self.effort_max - split)
        return min(snap_effort(raw), self.effort_max)

    def value_at(self, fy: float) -> int | None:
        """The value a drop at ``fy`` means (the band it falls in), or None outside the plot."""
        if not 0.0 <= fy <= 1.0:
            return None
        bands = VALUE_MAX - VALUE_MIN + 1
        return min(VALUE_MAX, VALUE_MIN + math.floor(fy * bands))

    def ticks(self) -> list[float]:
        """Efforts to label along the axis: the split, its half, and a few to the right."""
        right = [self.effort_split + (self.effort_max - self.effort_split) * k / 3 for k in (1, 2)]
        return [0.0, self.effort_split / 2, self.effort_split, *right, self.effort_max]
