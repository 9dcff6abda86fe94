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

Each panel is a :class:`~ldpm.ui.impact_panel.Panel`, which draws its lines, band, target and
missing measurements; the chart lays the panels out, draws the markers, titles and caption,
and owns the dates in view, the hover read-out, the theme and the exports;
:mod:`ldpm.ui.impact_look` holds the colours, the date axis and the wrapping labels.

Pan and zoom (drag, wheel) move the three panels together along the date axis; each panel
fits its values to what is in view.  The caption "association, not proof of causation" is part
of the chart, so it is in every export.  Colours, line widths and text sizes follow the
application's palette and font, so the high-contrast projector theme gets black, bright lines
and large text.  Exports are written to a file name given by the caller (a bare
``export()`` would open pyqtgraph's own dialog).
"""

from __future__ import annotations

import math
from pathlib import Path

import pyqtgraph as pg  # type: ignore[import-untyped]
from pyqtgraph.exporters import ImageExporter  # type: ignore[import-untyped]
from PySide6.QtCore import QEvent, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ldpm.domain.enums import MetricTier
from ldpm.ui.impact_data import Marker, PanelData, marker_readout, near, x_span, y_span
from ldpm.ui.impact_look import (
    EXPERIMENT,
    UtcDateAxis,
    WrappedLabel,
    alpha,
    html,
    look,
)
from ldpm.ui.impact_markers import MarkerItem, MarkerStyle
from ldpm.ui.impact_panel import DASHED_UP_TO, Panel, PanelStyle
from ldpm.ui.svg_export import svg_exporter

#: A point within this many pixels (times the text scale) of the pointer is read out.
_HOVER_PX = 14


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
        self.panels: dict[MetricTier, Panel] = {}
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
            panel = Panel(tier, plot, title, PanelData(tier))
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
            panel.draw(self._style())
        self._draw_markers()
        self._titles()
        if keep_view:
            self._fit_y()
        else:
            self.reset_zoom()

    def _draw_markers(self, *, force: bool = False) -> None:
        """Releases and experiments through every panel (labelled in the top one), an
        experiment's period shaded: one :class:`MarkerItem` per panel draws them all."""
        drawn = (tuple(self.markers), self._look, self._scale)
        if drawn == self._markers_drawn and not force:
            return  # the same markers in the same look
        self._markers_drawn = drawn
        text = self.palette().color(QPalette.ColorRole.Text)
        experiment = QColor(EXPERIMENT[self._look])
        width = 1.5 * self._scale
        style = MarkerStyle(
            release=pg.mkPen(text, width=width),
            experiment=pg.mkPen(experiment, width=width, style=Qt.PenStyle.DashLine),
            period=QBrush(alpha(experiment, 28 if self._look != "contrast" else 60)),
            fill=alpha(self.palette().color(QPalette.ColorRole.Base), 200),
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
        style = self._style()
        for panel in self.panels.values():
            data = panel.data
            parts = [f"<b>{html(data.title)}</b>"]
            if data.metric is not None:
                unit = f" ({html(data.metric.unit)})" if data.metric.unit else ""
                parts.append(f"{html(data.metric.name)}<span style='color:{muted}'>{unit}</span>")
                keys = []
                for i, series in enumerate(data.series):
                    solid = series.segment == "" or len(series.x) > DASHED_UP_TO
                    pen = style.pen(i, main=solid)
                    glyph = "━━" if solid else "╍╍"
                    keys.append(
                        f"<span style='color:{pen.color().name()}'>{glyph}</span>&nbsp;"
                        f"{html(series.label)}"
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
            f"<i>{html(caption)}</i>", color=muted, size=f"{self._font(0.9).pointSizeF():.1f}pt"
        )

    # ------------------------------------------------------------------ range
    def data_x_range(self) -> tuple[float, float] | None:
        """The dates of everything drawn, as Unix seconds."""
        return x_span((panel.data for panel in self.panels.values()), self.markers)

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
                        panel.draw_target(self._style())
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
            span = y_span(panel.data, low, high)
            if span is None:
                panel.plot.setYRange(0, 1, padding=0)
                self._place_empty(panel)
                continue
            bottom, top = span
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

    def _place_empty(self, panel: Panel) -> None:
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
                    alpha(self.palette().color(QPalette.ColorRole.Base), 230)
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

    def _nearest(self, panel: Panel, pos: QPointF) -> tuple[str, QPointF | None]:
        """The read-out of the point nearest to ``pos`` (scene coordinates) within reach."""
        vb, data = panel.plot.vb, panel.data
        if data.metric is None:
            return "", None
        reach = _HOVER_PX * self._scale
        best: tuple[float, str, QPointF] | None = None
        x = vb.mapSceneToView(pos).x()
        for cx, cy, text in near(data, x):
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
    def _style(self) -> PanelStyle:
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        return PanelStyle(self._look, self._scale, muted, self._font(0.9))

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
            panel.draw(self._style())
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
