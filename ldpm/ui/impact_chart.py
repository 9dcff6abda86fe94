"""The impact chart: three stacked panels (operational, behaviour, business) on one date axis.

Per panel, the chosen metric of that tier (:mod:`ldpm.ui.impact_data` shapes the arrays):

* its lines — the main line solid, each segment in its own colour and dash (readable without
  colour too), as :class:`~ldpm.ui.impact_series.SeriesItem` views over numpy arrays, clipped
  to the dates in view and thinned to peaks, re-derived only when a pan or zoom needs it, so
  100,000 points pan smoothly;
* the baseline as a band (its usual variation before the first change) with a thin line;
* the target as a dashed line ending at its date, with a diamond and a label there;
* due measurements that are missing as hollow markers;
* releases as labelled vertical lines and experiments as a labelled start with their period
  shaded (labels in the top panel, the lines through all three), all of a panel's drawn by one
  :class:`~ldpm.ui.impact_markers.MarkerItem` (a pan repaints it, nothing is re-bounded);
* a crosshair and a read-out of the measurement under the pointer (also emitted as
  :attr:`ImpactChart.hovered`, which the view shows as text).

Pan and zoom (drag, wheel) move the three panels together along the date axis; each panel
fits its values to what is in view.  The caption "association, not proof of causation" is part
of the chart, so it is in every export.  Colours, line widths and text sizes follow the
application's palette and font, so the high-contrast projector theme gets black, bright lines
and large text.  Exports are written to a file name given by the caller (a bare
``export()`` would open pyqtgraph's own dialog).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
from pyqtgraph.exporters import ImageExporter  # type: ignore[import-untyped]
from pyqtgraph.graphicsItems.DateAxisItem import ZoomLevel  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QVBoxLayout, QWidget

from ldpm.domain.enums import MetricTier
from ldpm.ui.impact_data import Marker, PanelData, marker_readout, missing_readout, readout
from ldpm.ui.impact_markers import MarkerItem, MarkerStyle
from ldpm.ui.impact_series import SeriesItem
from ldpm.ui.svg_export import svg_exporter

_DASHES = (
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
)
#: Series colours per look: light, dark, high contrast (each ≥ 3:1 on its background).
_SERIES = {
    "light": ("#2457c5", "#c0392b", "#1e7b45", "#b35c00", "#7b3fb5", "#00788a"),
    "dark": ("#7aa2ff", "#ff8a80", "#6fd68f", "#f2b45a", "#c9a3ff", "#5fd3e0"),
    "contrast": ("#ffd400", "#00e5ff", "#7dff9a", "#ff8a8a", "#ffffff", "#ff9d00"),
}
_TARGET = {"light": "#17703a", "dark": "#6fd68f", "contrast": "#7dff9a"}
_EXPERIMENT = {"light": "#7b3fb5", "dark": "#c9a3ff", "contrast": "#00e5ff"}
#: A point within this many pixels (times the text scale) of the pointer is read out.
_HOVER_PX = 14
#: Downsampling aims at this many samples (bins) per pixel: a bin every four pixels, each
#: drawn as its low and high (peak), so a dense series keeps its envelope (the same picture as
#: a bin per pixel with lines two pixels wide or more) at a quarter of the segments.
_SAMPLES_PER_PIXEL = 0.25
#: Segments with more points than this are drawn solid.
_DASHED_UP_TO = 400
#: Series with more points than this are drawn without antialiasing.
_SMOOTH_UP_TO = 400


def _luminance(colour: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def look(palette: QPalette) -> str:
    """ "light", "dark" or "contrast" (text against its base at 18:1 or more)."""
    base = _luminance(palette.color(QPalette.ColorRole.Base))
    text = _luminance(palette.color(QPalette.ColorRole.Text))
    ratio = (max(base, text) + 0.05) / (min(base, text) + 0.05)
    if ratio >= 18:
        return "contrast"
    return "dark" if base < 0.2 else "light"


def _alpha(colour: str | QColor, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


class _UtcZoomLevel(ZoomLevel):  # type: ignore[misc]
    """A zoom level whose ticks stay in UTC (see :class:`UtcDateAxis`)."""

    def extendTimeRangeForSpacing(
        self, spacing: int, minVal: float, maxVal: float
    ) -> tuple[float, float]:
        return minVal, maxVal

    def moveTicksToLocalTimeCoords(self, ticks: Any, spacing: int, skipFactor: int) -> Any:
        return ticks


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


@dataclass(eq=False)
class _Panel:
    """One tier's plot and the items drawn on it (reused from one update to the next)."""

    tier: MetricTier
    plot: pg.PlotItem
    title: pg.LabelItem
    data: PanelData
    curves: list[pg.PlotDataItem] = field(default_factory=list)
    band: pg.LinearRegionItem | None = None
    baseline_line: pg.InfiniteLine | None = None
    target_line: pg.PlotDataItem | None = None
    #: The diamond at the target's date (a plain item: a pan only moves it).
    target_end: QGraphicsPathItem | None = None
    target_label: pg.TextItem | None = None
    #: The target's label without its date (the full one has no room at this width).
    short_target: bool = False
    missing: pg.ScatterPlotItem | None = None
    #: Every release and experiment of the panel, drawn by one item.
    marker_item: MarkerItem | None = None
    empty: pg.TextItem | None = None
    crosshair: pg.InfiniteLine | None = None
    tip: pg.TextItem | None = None


class ImpactChart(QWidget):
    """The stacked impact chart (see the module docstring)."""

    #: The read-out of what is under the pointer ("" when nothing is).
    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = pg.GraphicsLayoutWidget(self)
        self.canvas.setAccessibleName(self.tr("Impact chart"))
        self.canvas.ci.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.panels: dict[MetricTier, _Panel] = {}
        self.markers: list[Marker] = []
        first: pg.PlotItem | None = None
        tiers = list(MetricTier)
        for row, tier in enumerate(tiers):
            title = WrappedLabel(justify="left")
            title.on_height = self.updateGeometry
            self.canvas.addItem(title, row=2 * row, col=0)
            axis = UtcDateAxis()
            plot = self.canvas.addPlot(row=2 * row + 1, col=0, axisItems={"bottom": axis})
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            plot.setMouseEnabled(x=True, y=False)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.vb.disableAutoRange()
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            if row < len(tiers) - 1:
                # One date axis, under the last panel: the others' would only repeat it (and
                # each date axis works out its ticks again at every pan).
                plot.hideAxis("bottom")
            panel = _Panel(tier, plot, title, PanelData(tier))
            panel.marker_item = MarkerItem(plot.vb, labelled=row == 0)
            panel.crosshair = pg.InfiniteLine(angle=90, movable=False)
            panel.crosshair.hide()
            plot.addItem(panel.crosshair, ignoreBounds=True)
            panel.tip = pg.TextItem(anchor=(0, 1))
            panel.tip.setZValue(100)
            panel.tip.hide()
            plot.addItem(panel.tip, ignoreBounds=True)
            panel.empty = pg.TextItem(anchor=(0.5, 0.5))
            panel.empty.hide()
            plot.addItem(panel.empty, ignoreBounds=True)
            self.panels[tier] = panel
        self.caption = WrappedLabel(justify="left")
        self.caption.on_height = self.updateGeometry
        self.canvas.addItem(self.caption, row=2 * len(tiers), col=0)
        first_plot = self.panels[MetricTier.OPERATIONAL].plot
        first_plot.vb.sigResized.connect(self._resized)
        first_plot.sigXRangeChanged.connect(self._user_range)
        # The panels' dates are linked: the first panel's change is every panel's.
        first_plot.sigXRangeChanged.connect(self._fit_y)
        self._markers_drawn: tuple[object, ...] = ()
        #: The dates in view are the chart's own choice (not the user's pan or zoom).
        self.fitted = True
        self._fitting = False
        self._look = ""
        self._scale = 1.0
        self.canvas.scene().sigMouseMoved.connect(self._moved)
        self.apply_theme()

    def minimumSizeHint(self) -> QSize:
        """As tall as the titles (wrapped at this width), the caption, the date axis and a few
        lines of each panel: nothing of the chart is cut off in large text on a low screen."""
        hint = super().minimumSizeHint()
        layout = self.canvas.ci.layout
        height = layout.effectiveSizeHint(Qt.SizeHint.MinimumSize).height()
        frame = 2 * self.canvas.frameWidth()
        least = self.fontMetrics().lineSpacing() * 10  # three panels of a few lines
        return QSize(hint.width(), max(hint.height(), least, math.ceil(height) + frame))

    # ------------------------------------------------------------------ data
    def set_data(
        self, panels: list[PanelData], markers: list[Marker], *, keep_view: bool = False
    ) -> None:
        """Draw ``panels`` (one per tier) and ``markers``; ``keep_view`` keeps the dates in
        view (an edit), otherwise everything is shown (another initiative)."""
        self.markers = list(markers)
        for data in panels:
            panel = self.panels[data.tier]
            panel.data = data
            self._draw_panel(panel)
        self._draw_markers()
        self._titles()
        if keep_view:
            self._fit_y()
        else:
            self.reset_zoom()

    def _pen(self, index: int, *, main: bool) -> QPen:
        colours = _SERIES[self._look]
        width = (3.2 if self._look == "contrast" else 2.2) * self._scale
        pen = pg.mkPen(colours[index % len(colours)], width=width)
        if not main:
            pen.setStyle(_DASHES[(index - 1) % len(_DASHES)])
        return QPen(pen)

    def _draw_panel(self, panel: _Panel) -> None:
        data, plot = panel.data, panel.plot
        while len(panel.curves) < len(data.series):
            # Clipped to the dates in view and thinned to peaks, re-derived only when a pan
            # or zoom needs it (see impact_series).
            curve = SeriesItem()
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            # A bin every few pixels (see _SAMPLES_PER_PIXEL); pyqtgraph's default draws five
            # samples a pixel, which is all of a few thousand.
            curve.opts["autoDownsampleFactor"] = _SAMPLES_PER_PIXEL
            plot.addItem(curve)
            panel.curves.append(curve)
        symbol_size = max(5.0, 6.0 * self._scale)
        for i, curve in enumerate(panel.curves):
            if i < len(data.series):
                series = data.series[i]
                main = series.segment == ""
                # Dashes tell segments apart where points are far apart; a dense series is
                # drawn solid (its dashes would not show, and Qt dashes thousands of segments
                # slowly).
                pen = self._pen(i, main=main or len(series.x) > _DASHED_UP_TO)
                if not main:
                    pen.setWidthF(pen.widthF() * 0.8)
                few = main and len(series.x) <= 60
                curve.setData(
                    series.x,
                    series.y,
                    pen=pen,
                    # Smooth edges for a short series; a long one is drawn without (Qt's
                    # antialiased wide lines cost several times as much at every pan).
                    antialias=len(series.x) <= _SMOOTH_UP_TO,
                    symbol="o" if few else None,
                    symbolSize=symbol_size,
                    symbolPen=pen.color(),
                    symbolBrush=pen.color(),
                    name=series.label,
                )
                curve.show()
            else:
                curve.setData([], [])
                curve.hide()
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        if data.band is not None and data.metric is not None:
            if panel.band is None:
                panel.band = pg.LinearRegionItem(orientation="horizontal", movable=False)
                panel.band.setZValue(-10)
                plot.addItem(panel.band, ignoreBounds=True)
                panel.baseline_line = pg.InfiniteLine(angle=0, movable=False)
                panel.baseline_line.setZValue(-9)
                plot.addItem(panel.baseline_line, ignoreBounds=True)
            low, high = data.band
            panel.band.setRegion((low, high))
            panel.band.setBrush(_alpha(muted, 60 if self._look != "contrast" else 90))
            for line in panel.band.lines:
                line.hide()  # a band without edges (hidden, they cost nothing at a pan)
            assert panel.baseline_line is not None
            panel.baseline_line.setPos(data.baseline or 0.0)
            panel.baseline_line.setPen(
                pg.mkPen(muted, width=1.2 * self._scale, style=Qt.PenStyle.DashLine)
            )
            panel.band.show()
            panel.baseline_line.show()
        elif panel.band is not None and panel.baseline_line is not None:
            panel.band.hide()
            panel.baseline_line.hide()
        self._draw_target(panel)
        self._draw_missing(panel)
        assert panel.empty is not None
        if data.empty_text:
            panel.empty.setText(data.empty_text)
            panel.empty.show()
        else:
            panel.empty.hide()

    def _draw_target(self, panel: _Panel) -> None:
        data, plot = panel.data, panel.plot
        target = data.target
        if target is None:
            for item in (panel.target_line, panel.target_end, panel.target_label):
                if item is not None:
                    item.hide()
            return
        colour = QColor(_TARGET[self._look])
        if panel.target_line is None:
            panel.target_line = pg.PlotDataItem()
            panel.target_end = _diamond()
            panel.target_label = pg.TextItem(anchor=(1, 1))
            plot.addItem(panel.target_line)
            # Two points: nothing to clip or thin out, so a pan does not re-derive them.
            panel.target_line.setClipToView(False)
            panel.target_line.setDownsampling(auto=False)
            plot.addItem(panel.target_end, ignoreBounds=True)
            plot.addItem(panel.target_label, ignoreBounds=True)
        assert panel.target_end is not None and panel.target_label is not None
        panel.target_line.setData(
            [target.start, target.end],
            [target.value, target.value],
            pen=pg.mkPen(colour, width=2.0 * self._scale, style=Qt.PenStyle.DashLine),
        )
        panel.target_end.setScale(12.0 * self._scale)
        edge = QPen(colour, 1.0)
        edge.setCosmetic(True)
        panel.target_end.setPen(edge)
        panel.target_end.setBrush(QBrush(colour))
        panel.target_end.setPos(target.end, target.value)
        text = target.short if panel.short_target and target.short else target.label
        panel.target_label.setText(text, color=colour)
        panel.target_label.setFont(self._font(0.9))
        # After the diamond, where the measurements have ended (the view leaves room).
        panel.target_label.setAnchor((0, 0.5))
        panel.target_label.setPos(target.end, target.value)
        for item in (panel.target_line, panel.target_end, panel.target_label):
            item.show()

    def _draw_missing(self, panel: _Panel) -> None:
        data = panel.data
        if panel.missing is None:
            panel.missing = pg.ScatterPlotItem()
            panel.missing.setZValue(5)
            panel.plot.addItem(panel.missing)
        colour = QColor(_SERIES[self._look][0])
        panel.missing.setData(
            data.missing_x,
            data.missing_y,
            symbol="o",
            size=11.0 * self._scale,
            pen=pg.mkPen(colour, width=2.0 * self._scale),
            brush=pg.mkBrush(None),
        )
        # Nothing due is missing: hidden, an empty scatter is not bounded and painted at
        # every pan.
        panel.missing.setVisible(len(data.missing_x) > 0)

    def _draw_markers(self, *, force: bool = False) -> None:
        """Releases and experiments through every panel (labelled in the top one), an
        experiment's period shaded: one :class:`MarkerItem` per panel draws them all."""
        drawn = (tuple(self.markers), self._look, self._scale)
        if drawn == self._markers_drawn and not force:
            return  # the same markers in the same look
        self._markers_drawn = drawn
        text = self.palette().color(QPalette.ColorRole.Text)
        experiment = QColor(_EXPERIMENT[self._look])
        width = 1.5 * self._scale
        style = MarkerStyle(
            release=pg.mkPen(text, width=width),
            experiment=pg.mkPen(experiment, width=width, style=Qt.PenStyle.DashLine),
            period=QBrush(_alpha(experiment, 28 if self._look != "contrast" else 60)),
            fill=_alpha(self.palette().color(QPalette.ColorRole.Base), 200),
            font=self._font(0.85),
        )
        labels = [self._elided(marker.label) for marker in self.markers]
        for panel in self.panels.values():
            assert panel.marker_item is not None
            panel.marker_item.set_markers(self.markers, labels, style)

    def _elided(self, text: str) -> str:
        """``text`` short enough to stand along the top panel's height."""
        height = self.panels[MetricTier.OPERATIONAL].plot.vb.height()
        metrics = QFontMetrics(self._font(0.85))
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(60, int(height * 0.9)))

    def _relabel(self, *_args: object) -> None:
        top = self.panels[MetricTier.OPERATIONAL]
        assert top.marker_item is not None
        top.marker_item.set_labels([self._elided(marker.label) for marker in self.markers])

    def _titles(self) -> None:
        text = self.palette().color(QPalette.ColorRole.Text).name()
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        size = f"{self._font(1.0).pointSizeF():.1f}pt"
        legend = f"{self._font(0.8).pointSizeF():.1f}pt"
        for panel in self.panels.values():
            data = panel.data
            parts = [f"<b>{_html(data.title)}</b>"]
            if data.metric is not None:
                unit = f" ({_html(data.metric.unit)})" if data.metric.unit else ""
                parts.append(f"{_html(data.metric.name)}<span style='color:{muted}'>{unit}</span>")
                keys = []
                for i, series in enumerate(data.series):
                    solid = series.segment == "" or len(series.x) > _DASHED_UP_TO
                    pen = self._pen(i, main=solid)
                    glyph = "━━" if solid else "╍╍"
                    keys.append(
                        f"<span style='color:{pen.color().name()}'>{glyph}</span>&nbsp;"
                        f"{_html(series.label)}"
                    )
                if len(keys) > 1:  # one line needs no key: the title names it
                    # The key a size smaller than the title: one line more often, so the
                    # panel keeps its height for the lines in large text.
                    parts.append(
                        f"<span style='font-size:{legend}'>{'&nbsp;&nbsp;'.join(keys)}</span>"
                    )
            panel.title.setText(" · ".join(parts), color=text, size=size)
        caption = self.tr(
            "Association, not proof of causation: other things changed at the same time."
        )
        self.caption.setText(
            f"<i>{_html(caption)}</i>", color=muted, size=f"{self._font(0.9).pointSizeF():.1f}pt"
        )

    # ------------------------------------------------------------------ range
    def data_x_range(self) -> tuple[float, float] | None:
        """The dates of everything drawn, as Unix seconds."""
        lows, highs = [], []
        for panel in self.panels.values():
            data = panel.data
            for series in data.series:
                if len(series.x):
                    lows.append(float(series.x[0]))
                    highs.append(float(series.x[-1]))
            if data.target is not None:
                lows.append(data.target.start)
                highs.append(data.target.end)
            if len(data.missing_x):
                lows.append(float(data.missing_x.min()))
                highs.append(float(data.missing_x.max()))
        for marker in self.markers:
            lows.append(marker.x)
            highs.append(marker.end_x or marker.x)
        if not lows:
            return None
        return min(lows), max(highs)

    def _user_range(self, *_args: object) -> None:
        if not self._fitting:
            self.fitted = False

    def _resized(self, *_args: object) -> None:
        self._relabel()
        if self.fitted:
            self.reset_zoom()  # room for the target labels at the new width

    def reset_zoom(self) -> None:
        """Show every date drawn (the whole evaluation period)."""
        self._fitting = True
        try:
            self._reset_zoom()
        finally:
            self._fitting = False
        self.fitted = True

    def _reset_zoom(self) -> None:
        span = self.data_x_range()
        first = self.panels[MetricTier.OPERATIONAL].plot
        if span is None:
            first.setXRange(0, 86_400 * 30, padding=0)
        else:
            low, high = span
            pad = max((high - low) * 0.03, 86_400 * 3)
            right = high + pad
            width = first.vb.width()
            if width > 0:
                # Room after each target's date for its label (it is drawn right of the
                # diamond), within reason: at most a third of the view.
                left = low - pad
                label = QFontMetrics(self._font(0.9))
                for panel in self.panels.values():
                    target = panel.data.target
                    if target is None:
                        continue
                    room = 24 * self._scale
                    short = label.horizontalAdvance(target.label) + room > width / 3
                    if short != panel.short_target:
                        panel.short_target = short
                        self._draw_target(panel)
                    text = target.short if short and target.short else target.label
                    px = min(label.horizontalAdvance(text) + room, width / 3)
                    if target.end + px * (right - left) / width > right:
                        # The right edge where the label just fits: right − end = px · (right
                        # − left) / width, solved for right.
                        right = (target.end * width - px * left) / (width - px)
            first.setXRange(low - pad, right, padding=0)
        self._fit_y()

    def _fit_y(self, *_args: object) -> None:
        for panel in self.panels.values():
            low, high = panel.plot.vb.viewRange()[0]
            values: list[float] = []
            data = panel.data
            for series in data.series:
                i, j = np.searchsorted(series.x, [low, high])
                i, j = max(0, i - 1), min(len(series.x), j + 1)
                if j > i:
                    chunk = series.y[i:j]
                    values += [float(chunk.min()), float(chunk.max())]
            if len(data.missing_y):
                values += [float(data.missing_y.min()), float(data.missing_y.max())]
            if data.band is not None:
                values += list(data.band)
            if data.target is not None and data.target.end >= low:
                values.append(data.target.value)
            finite = [v for v in values if math.isfinite(v)]
            if not finite:
                panel.plot.setYRange(0, 1, padding=0)
                self._place_empty(panel)
                continue
            bottom, top = min(finite), max(finite)
            pad = (top - bottom) * 0.12 or max(abs(top) * 0.1, 1.0)
            wanted = (bottom - pad, top + pad * 1.6)
            shown_low, shown_high = panel.plot.vb.viewRange()[1]
            # Keep the values' range while it still fits them well: a pan then redraws no
            # value axis.
            fits = shown_low <= bottom and shown_high >= top
            tight = (shown_high - shown_low) <= (wanted[1] - wanted[0]) * 1.3
            if not (fits and tight):
                panel.plot.setYRange(*wanted, padding=0)
            self._place_empty(panel)

    def _place_empty(self, panel: _Panel) -> None:
        assert panel.empty is not None
        (x0, x1), (y0, y1) = panel.plot.vb.viewRange()
        panel.empty.setPos((x0 + x1) / 2, (y0 + y1) / 2)

    # ------------------------------------------------------------------ hover
    def _moved(self, pos: QPointF) -> None:
        found = ""
        x_at: float | None = None
        for panel in self.panels.values():
            assert panel.tip is not None
            panel.tip.hide()
            vb = panel.plot.vb
            if not vb.sceneBoundingRect().contains(pos):
                continue
            point = vb.mapSceneToView(pos)
            x_at = point.x()
            found, where = self._nearest(panel, pos)
            if found and where is not None:
                panel.tip.setText(found, color=self.palette().color(QPalette.ColorRole.Text))
                panel.tip.setFont(self._font(0.9))
                panel.tip.fill = pg.mkBrush(
                    _alpha(self.palette().color(QPalette.ColorRole.Base), 230)
                )
                panel.tip.setPos(where)
                panel.tip.show()
        for panel in self.panels.values():
            assert panel.crosshair is not None
            if x_at is None:
                panel.crosshair.hide()
            else:
                panel.crosshair.setPos(x_at)
                panel.crosshair.show()
        self.hovered.emit(found)

    def _nearest(self, panel: _Panel, pos: QPointF) -> tuple[str, QPointF | None]:
        """The read-out of the point nearest to ``pos`` (scene coordinates) within reach."""
        vb, data = panel.plot.vb, panel.data
        if data.metric is None:
            return "", None
        reach = _HOVER_PX * self._scale
        best: tuple[float, str, QPointF] | None = None
        candidates: list[tuple[float, float, str]] = []
        x = vb.mapSceneToView(pos).x()
        for series in data.series:
            i = int(np.searchsorted(series.x, x))
            for k in (i - 1, i):
                if 0 <= k < len(series.x):
                    text = readout(data, series, k)
                    candidates.append((float(series.x[k]), float(series.y[k]), text))
        i = int(np.searchsorted(data.missing_x, x))
        for k in (i - 1, i):
            if 0 <= k < len(data.missing_x):
                candidates.append(
                    (
                        float(data.missing_x[k]),
                        float(data.missing_y[k]),
                        missing_readout(data, k),
                    )
                )
        for cx, cy, text in candidates:
            scene = vb.mapViewToScene(QPointF(cx, cy))
            distance = math.hypot(scene.x() - pos.x(), scene.y() - pos.y())
            if distance <= reach and (best is None or distance < best[0]):
                best = (distance, text, QPointF(cx, cy))
        if best is None:  # near a release or an experiment line: its full name
            y = vb.mapSceneToView(pos).y()
            for marker in self.markers:
                scene = vb.mapViewToScene(QPointF(marker.x, y))
                if abs(scene.x() - pos.x()) <= reach / 2:
                    return marker_readout(marker), QPointF(marker.x, y)
            return "", None
        return best[1], best[2]

    # ------------------------------------------------------------------ theme
    def _font(self, factor: float) -> QFont:
        font = QFont(self.font())
        size = font.pointSizeF()
        if size > 0:
            font.setPointSizeF(size * factor)
        return font

    def apply_theme(self) -> None:
        """Colours, widths and text sizes from the palette and font (see the docstring)."""
        palette = self.palette()
        self._look = look(palette)
        base_pt = QFont().pointSizeF() if QFont().pointSizeF() > 0 else 10.0
        self._scale = max(1.0, self.font().pointSizeF() / base_pt) if base_pt else 1.0
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        self.canvas.setBackground(base)
        tick_font = self._font(0.9)
        grid_alpha = 0.35 if self._look == "contrast" else 0.18
        for panel in self.panels.values():
            plot = panel.plot
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setPen(pg.mkPen(muted, width=self._scale))
                axis.setTextPen(pg.mkPen(text))
                axis.setStyle(tickFont=tick_font)
            plot.getAxis("left").setWidth(int(self.fontMetrics().averageCharWidth() * 9))
            # A few lines of values at least, however many lines the titles wrap to.
            plot.setMinimumHeight(self.fontMetrics().lineSpacing() * 2.5)
            plot.showGrid(x=False, y=False, alpha=grid_alpha)
            assert panel.crosshair is not None and panel.empty is not None
            panel.crosshair.setPen(pg.mkPen(muted, width=self._scale, style=Qt.PenStyle.DotLine))
            panel.empty.setColor(muted)
            panel.empty.setFont(self._font(1.0))
            self._draw_panel(panel)
        self._draw_markers(force=True)
        self._titles()
        self.updateGeometry()  # the panels' least height follows the text size
        if getattr(self, "fitted", False):
            self.reset_zoom()  # the labels' room follows the text size

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
        ):
            self.apply_theme()

    # ------------------------------------------------------------------ export
    def export_png(self, path: Path, *, scale: float = 2.0) -> Path:
        """Write the chart (caption included) as a PNG ``scale`` times its size on screen."""
        exporter = ImageExporter(self.canvas.ci)
        width = max(800, int(self.canvas.width() * scale))
        exporter.parameters()["width"] = width
        exporter.parameters()["background"] = self.palette().color(QPalette.ColorRole.Base)
        exporter.export(str(path))
        return path

    def export_svg(self, path: Path) -> Path:
        """Write the chart as SVG (vector: it scales for print and slides)."""
        exporter = svg_exporter(self.canvas.ci)
        exporter.parameters()["background"] = self.palette().color(QPalette.ColorRole.Base)
        exporter.export(str(path))
        return path


def _diamond() -> QGraphicsPathItem:
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


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
