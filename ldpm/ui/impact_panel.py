"""One panel of the impact chart: a tier's plot and what is drawn on it.

:class:`Panel` holds the plot's items and draws a :class:`~ldpm.ui.impact_data.PanelData` on
them, reusing the items from one update to the next: the lines as
:class:`~ldpm.ui.impact_series.SeriesItem` (clipped to the dates in view, thinned to peaks,
dense ones solid and without antialiasing), the baseline band, the target and the missing
measurements.  :class:`PanelStyle` is what the chart's theme gives it to draw with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from ldpm.domain.enums import MetricTier
from ldpm.ui.impact_data import PanelData
from ldpm.ui.impact_look import DASHES, SERIES, TARGET, alpha, diamond
from ldpm.ui.impact_markers import MarkerItem
from ldpm.ui.impact_series import SeriesItem

#: Downsampling aims at this many samples (bins) per pixel: a bin every four pixels, each
#: drawn as its low and high (peak), so a dense series keeps its envelope (the same picture as
#: a bin per pixel with lines two pixels wide or more) at a quarter of the segments.
SAMPLES_PER_PIXEL = 0.25
#: Segments with more points than this are drawn solid.
DASHED_UP_TO = 400
#: Series with more points than this are drawn without antialiasing.
SMOOTH_UP_TO = 400


@dataclass(frozen=True)
class PanelStyle:
    """The theme's look (``look``), the text scale, the muted colour and the font of the
    target's label."""

    look: str
    scale: float
    muted: QColor
    label_font: QFont

    def pen(self, index: int, *, main: bool) -> QPen:
        """The pen of the line ``index`` (the main line solid, a segment dashed)."""
        colours = SERIES[self.look]
        width = (3.2 if self.look == "contrast" else 2.2) * self.scale
        pen = pg.mkPen(colours[index % len(colours)], width=width)
        if not main:
            pen.setStyle(DASHES[(index - 1) % len(DASHES)])
        return QPen(pen)


@dataclass(eq=False)
class Panel:
    """One tier's plot and the items drawn on it (reused from one update to the next), and how
    they are drawn."""

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

    def draw(self, style: PanelStyle) -> None:
        """Draw :attr:`data`: lines, baseline band, target and missing measurements."""
        data, plot = self.data, self.plot
        while len(self.curves) < len(data.series):
            # Clipped to the dates in view and thinned to peaks, re-derived only when a pan
            # or zoom needs it (see impact_series).
            curve = SeriesItem()
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            # A bin every few pixels (see SAMPLES_PER_PIXEL); pyqtgraph's default draws five
            # samples a pixel, which is all of a few thousand.
            curve.opts["autoDownsampleFactor"] = SAMPLES_PER_PIXEL
            plot.addItem(curve)
            self.curves.append(curve)
        symbol_size = max(5.0, 6.0 * style.scale)
        for i, curve in enumerate(self.curves):
            if i < len(data.series):
                series = data.series[i]
                main = series.segment == ""
                # Dashes tell segments apart where points are far apart; a dense series is
                # drawn solid (its dashes would not show, and Qt dashes thousands of segments
                # slowly).
                pen = style.pen(i, main=main or len(series.x) > DASHED_UP_TO)
                if not main:
                    pen.setWidthF(pen.widthF() * 0.8)
                few = main and len(series.x) <= 60
                curve.setData(
                    series.x,
                    series.y,
                    pen=pen,
                    # Smooth edges for a short series; a long one is drawn without (Qt's
                    # antialiased wide lines cost several times as much at every pan).
                    antialias=len(series.x) <= SMOOTH_UP_TO,
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
        muted = style.muted
        if data.band is not None and data.metric is not None:
            if self.band is None:
                self.band = pg.LinearRegionItem(orientation="horizontal", movable=False)
                self.band.setZValue(-10)
                plot.addItem(self.band, ignoreBounds=True)
                self.baseline_line = pg.InfiniteLine(angle=0, movable=False)
                self.baseline_line.setZValue(-9)
                plot.addItem(self.baseline_line, ignoreBounds=True)
            low, high = data.band
            self.band.setRegion((low, high))
            self.band.setBrush(alpha(muted, 60 if style.look != "contrast" else 90))
            for line in self.band.lines:
                line.hide()  # a band without edges (hidden, they cost nothing at a pan)
            assert self.baseline_line is not None
            self.baseline_line.setPos(data.baseline or 0.0)
            self.baseline_line.setPen(
                pg.mkPen(muted, width=1.2 * style.scale, style=Qt.PenStyle.DashLine)
            )
            self.band.show()
            self.baseline_line.show()
        elif self.band is not None and self.baseline_line is not None:
            self.band.hide()
            self.baseline_line.hide()
        self.draw_target(style)
        self.draw_missing(style)
        assert self.empty is not None
        if data.empty_text:
            self.empty.setText(data.empty_text)
            self.empty.show()
        else:
            self.empty.hide()

    def draw_target(self, style: PanelStyle) -> None:
        """The target as a dashed line ending at its date, with a diamond and a label there."""
        data, plot = self.data, self.plot
        target = data.target
        if target is None:
            for item in (self.target_line, self.target_end, self.target_label):
                if item is not None:
                    item.hide()
            return
        colour = QColor(TARGET[style.look])
        if self.target_line is None:
            self.target_line = pg.PlotDataItem()
            self.target_end = diamond()
            self.target_label = pg.TextItem(anchor=(1, 1))
            plot.addItem(self.target_line)
            # Two points: nothing to clip or thin out, so a pan does not re-derive them.
            self.target_line.setClipToView(False)
            self.target_line.setDownsampling(auto=False)
            plot.addItem(self.target_end, ignoreBounds=True)
            plot.addItem(self.target_label, ignoreBounds=True)
        assert self.target_end is not None and self.target_label is not None
        self.target_line.setData(
            [target.start, target.end],
            [target.value, target.value],
            pen=pg.mkPen(colour, width=2.0 * style.scale, style=Qt.PenStyle.DashLine),
        )
        self.target_end.setScale(12.0 * style.scale)
        edge = QPen(colour, 1.0)
        edge.setCosmetic(True)
        self.target_end.setPen(edge)
        self.target_end.setBrush(QBrush(colour))
        self.target_end.setPos(target.end, target.value)
        text = target.short if self.short_target and target.short else target.label
        self.target_label.setText(text, color=colour)
        self.target_label.setFont(style.label_font)
        # After the diamond, where the measurements have ended (the view leaves room).
        self.target_label.setAnchor((0, 0.5))
        self.target_label.setPos(target.end, target.value)
        for item in (self.target_line, self.target_end, self.target_label):
            item.show()

    def draw_missing(self, style: PanelStyle) -> None:
        """Due measurements that are missing, as hollow markers."""
        data = self.data
        if self.missing is None:
            self.missing = pg.ScatterPlotItem()
            self.missing.setZValue(5)
            self.plot.addItem(self.missing)
        colour = QColor(SERIES[style.look][0])
        self.missing.setData(
            data.missing_x,
            data.missing_y,
            symbol="o",
            size=11.0 * style.scale,
            pen=pg.mkPen(colour, width=2.0 * style.scale),
            brush=pg.mkBrush(None),
        )
        # Nothing due is missing: hidden, an empty scatter is not bounded and painted at
        # every pan.
        self.missing.setVisible(len(data.missing_x) > 0)
