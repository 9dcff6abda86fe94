"""How the impact chart looks: its colours per theme, the date axis, the labels that wrap, the
target's diamond.

:func:`look` tells the light, dark and high-contrast themes apart from the palette; the
colours of each are chosen at 3:1 or more against that theme's background.
:class:`UtcDateAxis` keeps dates stored as UTC midnights in UTC and formats each tick label
once; :class:`WrappedLabel` wraps to the width the layout gives it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyqtgraph as pg  # type: ignore[import-untyped]
from pyqtgraph.graphicsItems.DateAxisItem import (  # type: ignore[import-untyped]
    MONTH_SPACING,
    ZoomLevel,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainterPath, QPalette
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

DASHES = (
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
)
#: Series colours per look: light, dark, high contrast (each ≥ 3:1 on its background).
SERIES = {
    "light": ("#2457c5", "#c0392b", "#1e7b45", "#b35c00", "#7b3fb5", "#00788a"),
    "dark": ("#7aa2ff", "#ff8a80", "#6fd68f", "#f2b45a", "#c9a3ff", "#5fd3e0"),
    "contrast": ("#ffd400", "#00e5ff", "#7dff9a", "#ff8a8a", "#ffffff", "#ff9d00"),
}
TARGET = {"light": "#17703a", "dark": "#6fd68f", "contrast": "#7dff9a"}
EXPERIMENT = {"light": "#7b3fb5", "dark": "#c9a3ff", "contrast": "#00e5ff"}


def luminance(colour: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def look(palette: QPalette) -> str:
    """ "light", "dark" or "contrast" (text against its base at 18:1 or more)."""
    base = luminance(palette.color(QPalette.ColorRole.Base))
    text = luminance(palette.color(QPalette.ColorRole.Text))
    ratio = (max(base, text) + 0.05) / (min(base, text) + 0.05)
    if ratio >= 18:
        return "contrast"
    return "dark" if base < 0.2 else "light"


def alpha(colour: str | QColor, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


class _UtcZoomLevel(ZoomLevel):  # type: ignore[misc]
    """A zoom level whose ticks stay in UTC (see :class:`UtcDateAxis`), worked out for three
    view widths at a time: a pan within them only picks the ticks in view.

    That gives the very ticks pyqtgraph would work out for the view alone when every level's
    ticks lie on one calendar grid whatever the view's start: whole years, days, hours …
    (multiples of their step) and every month's first.  Months skipped by a factor start from
    the view's first month (and milliseconds are summed up in fractions), so with them the
    ticks are worked out for the view each time."""

    def __init__(self, tickSpecs: Any, exampleText: str) -> None:
        super().__init__(tickSpecs, exampleText)
        #: (least spacing, first and last date covered, the levels' ticks there).
        self._known: tuple[float, float, float, list[tuple[float, list[float]]]] | None = None

    def extendTimeRangeForSpacing(
        self, spacing: int, minVal: float, maxVal: float
    ) -> tuple[float, float]:
        return minVal, maxVal

    def moveTicksToLocalTimeCoords(self, ticks: Any, spacing: int, skipFactor: int) -> Any:
        return ticks

    def _on_one_grid(self, minSpc: float) -> bool:
        """Every level's ticks are on a grid of whole seconds that does not depend on the
        view's start (milliseconds are summed up in fractions, months skipped from the
        view's first month)."""
        return not any(
            spec.spacing < 1 or (spec.spacing == MONTH_SPACING and spec.skipFactor(minSpc) > 1)
            for spec in self.tickSpecs
        )

    def tickValues(self, minVal: float, maxVal: float, minSpc: float) -> Any:
        if not self._on_one_grid(minSpc) or not maxVal > minVal:
            return super().tickValues(minVal, maxVal, minSpc)
        known = self._known
        if known is None or known[0] != minSpc or not known[1] <= minVal < maxVal <= known[2]:
            width = maxVal - minVal
            first, last = minVal - width, maxVal + width
            known = (minSpc, first, last, super().tickValues(first, last, minSpc))
            self._known = known
        # A tick is after the view's start and not after its end, as the steppers make them.
        return [
            (spacing, [t for t in ticks if minVal < t <= maxVal]) for spacing, ticks in known[3]
        ]


class UtcDateAxis(pg.DateAxisItem):  # type: ignore[misc]
    """A date axis for dates stored as UTC midnights: no tick is moved to local time, so
    ticks are not converted through ``QDateTime`` one by one at every pan (a third of a pan
    step's time with pyqtgraph's own zoom levels)."""

    def __init__(self) -> None:
        super().__init__(orientation="bottom", utcOffset=0)
        levels: dict[float, Any] = getattr(self, "zoomLevels")  # noqa: B009
        self.zoomLevels = {
            spacing: _UtcZoomLevel(level.tickSpecs, level.exampleText)
            for spacing, level in levels.items()
        }
        # Labels on the major ticks and the first minor level only: every candidate label
        # is measured at every pan, and day numbers under months add nothing.
        self.setStyle(maxTickLevel=1, maxTextLevel=1)
        #: Tick labels already formatted, by (zoom level, spacing, value): a pan formats
        #: only the ticks that came into view.
        self._strings: dict[tuple[int, float, float], str] = {}

    def tickValues(self, minVal: float, maxVal: float, size: float) -> Any:
        levels = super().tickValues(minVal, maxVal, size)
        # The minor level is labelled only when its ticks are at least a label apart: closer,
        # pyqtgraph would measure every label and then drop them all as too crowded.
        metrics = getattr(self, "fontMetrics", None)
        text_level = 1
        if len(levels) > 1 and size > 0 and maxVal > minVal and metrics is not None:
            apart = levels[1][0] * size / (maxVal - minVal)
            if apart < metrics.boundingRect(self.zoomLevel.exampleText).width():
                text_level = 0
        self.style["maxTextLevel"] = text_level
        return levels

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        level = id(self.zoomLevel)
        known = self._strings
        missing = [v for v in values if (level, spacing, v) not in known]
        if missing:
            if len(known) > 4096:
                known.clear()
            for value, text in zip(
                missing, super().tickStrings(missing, scale, spacing), strict=True
            ):
                known[(level, spacing, value)] = text
        return [known[(level, spacing, v)] for v in values]


class WrappedLabel(pg.LabelItem):  # type: ignore[misc]
    """A label that wraps to the width the layout gives it instead of demanding the width of
    its text (a long legend or caption must not widen the chart beyond its window)."""

    #: Narrower than this (while the layout is still settling) the text is not wrapped: a
    #: word per line would make the label, and so the chart, absurdly tall.
    MIN_WRAP = 200

    #: Called when the label's height changes (it wrapped to more or fewer lines).
    on_height: Callable[[], None] | None = None

    def resizeEvent(self, ev: object) -> None:
        width = self.rect().width()
        wanted = width if width >= self.MIN_WRAP else -1.0
        if abs(self.item.textWidth() - wanted) > 0.5:
            self.item.setTextWidth(wanted)
            if abs(self.itemRect().height() - self.minimumHeight()) > 0.5:
                self.updateMin()  # as tall as its lines at this width, no taller
        super().resizeEvent(ev)

    def updateMin(self) -> None:
        height = self.itemRect().height()
        self.setMinimumWidth(1)
        self.setMinimumHeight(height)
        self._sizeHint = {
            Qt.SizeHint.MinimumSize: (1, height),
            Qt.SizeHint.PreferredSize: (1, height),
            Qt.SizeHint.MaximumSize: (-1, -1),
            Qt.SizeHint.MinimumDescent: (0, 0),
        }
        self.updateGeometry()
        if self.on_height is not None:
            self.on_height()


def diamond() -> QGraphicsPathItem:
    """A diamond one unit across, drawn at its position in pixels (not stretched with the
    data): it is scaled to the symbol's size.  Qt paints and moves it without Python, where a
    one-point scatter re-derived its bounds and symbol at every pan."""
    path = QPainterPath()
    path.moveTo(0.0, -0.5)  # pyqtgraph's "d" symbol
    path.lineTo(-0.4, 0.0)
    path.lineTo(0.0, 0.5)
    path.lineTo(0.4, 0.0)
    path.closeSubpath()
    item = QGraphicsPathItem(path)
    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
    return item


def html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
