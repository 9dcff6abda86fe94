"""The stakeholder map's card canvas: the shared :class:`~ldpm.ui.canvas.CardCanvas` with the
label layout held back while the map is rebuilt.

Showing the map (or a comparison of two assessments) changes three things the canvas lays its
labels out after: the plane (the legend grew a row, so the map is fitted again), the cards,
and the area the names keep to (off the ghosts of a comparison).  Each would lay out 300
labels on its own, and only the last layout counts.  Inside :meth:`MapCanvas.batch` those
layouts are held back and done once, at the end, with everything in place — the same result
as laying out after each step (a test checks that), for a third of the work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ldpm.ui.canvas import CardCanvas


class MapCanvas(CardCanvas):
    """A :class:`CardCanvas` whose label layouts can be batched (see the module docstring)."""

    _held = 0
    _due = False
    #: How many layouts were actually done (for tests: a batch does one).
    layouts = 0

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Lay the labels out once, when the outermost batch ends (if anything asked)."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self._due:
                self._due = False
                self.relayout()

    def relayout(self, *, scale: float | None = None) -> None:
        if self._held and scale is None:  # an export's layout at its own scale is not held
            self._due = True
            return
        self.layouts += 1
        super().relayout(scale=scale)
