"""The impact chart's lines: thinned for the dates in view, re-derived only when needed, and
drawing after any pan or zoom the points a fresh chart draws."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Metric
from ldpm.domain.enums import MetricTier
from ldpm.ui.impact_chart import ImpactChart
from ldpm.ui.impact_data import PanelData, SeriesData, seconds
from ldpm.ui.impact_series import OffsetCurve, SeriesItem, offsets, thinned


def _reference(
    x: np.ndarray, y: np.ndarray, first: int, last: int, factor: int
) -> tuple[np.ndarray, np.ndarray]:
    """Bins ``first // factor`` … of the whole line, point by point."""
    xs: list[float] = []
    ys: list[float] = []
    for k in range(first // factor, -(-last // factor)):
        chunk = y[k * factor : (k + 1) * factor]
        middle = x[min(k * factor + factor // 2, len(x) - 1)]
        xs += [middle, middle]
        ys += [float(chunk.max()), float(chunk.min())]
    return np.array(xs), np.array(ys)


@pytest.mark.parametrize("factor", [1, 3, 7, 10])
@pytest.mark.parametrize(("low", "high"), [(-50.0, 40.0), (123.5, 456.2), (900.0, 2000.0)])
def test_thinned_gives_the_peaks_of_bins_aligned_to_the_data(
    factor: int, low: float, high: float
) -> None:
    rng = np.random.default_rng(3)
    x = np.arange(1003, dtype=np.float64)
    y = rng.normal(50.0, 5.0, len(x))
    xs, ys = thinned(x, y, low, high, factor)
    first = max(0, int(np.searchsorted(x, low)) - factor)
    first -= first % factor
    last = int(np.searchsorted(x, high)) + factor
    last = min(len(x), -(-last // factor) * factor)
    if factor == 1:
        expected = (x[first:last], y[first:last])
    else:
        expected = _reference(x, y, first, last, factor)
    np.testing.assert_array_equal(xs, expected[0])
    np.testing.assert_array_equal(ys, expected[1])
    if len(xs):  # the line reaches past both edges of what was asked (or the data's end)
        assert xs[0] <= max(low, x[0] + factor // 2) and xs[-1] >= min(high, x[-1])


def _noisy(points: int) -> list[PanelData]:
    metric = Metric(initiative_id="i", name="Errors", tier=MetricTier.BEHAVIOUR)
    days = np.arange(points, dtype=np.float64) + date(2020, 1, 1).toordinal()
    values = np.random.default_rng(5).normal(40.0, 6.0, points)
    series = SeriesData("", "Everyone", seconds(days), values)
    return [PanelData(MetricTier.BEHAVIOUR, metric, [series])]


def _chart(qtbot: QtBot) -> ImpactChart:
    chart = ImpactChart()
    qtbot.addWidget(chart)
    chart.resize(1000, 700)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_data(_noisy(6_000), [])
    return chart


def _drawn(chart: ImpactChart) -> tuple[np.ndarray, np.ndarray]:
    """The points of the behaviour line's curve within the dates in view."""
    panel = chart.panels[MetricTier.BEHAVIOUR]
    curve = panel.curves[0]
    assert isinstance(curve, SeriesItem)
    chart.canvas.viewport().repaint()
    x, y = curve.curve.getData()
    low, high = panel.plot.vb.viewRange()[0]
    inside = (x >= low) & (x <= high)
    return x[inside], y[inside]


def test_after_pans_and_zooms_the_line_is_what_a_fresh_chart_draws(qtbot: QtBot) -> None:
    chart = _chart(qtbot)
    plot = chart.panels[MetricTier.OPERATIONAL].plot
    curve = chart.panels[MetricTier.BEHAVIOUR].curves[0]
    low, high = plot.vb.viewRange()[0]
    width = (high - low) / 3
    plot.setXRange(low + width, low + 2 * width, padding=0)
    chart.canvas.viewport().repaint()
    derived = curve.curve.getData()[0]
    fresh = _chart(qtbot)
    fresh_plot = fresh.panels[MetricTier.OPERATIONAL].plot
    for step, (move, shrink) in enumerate(
        [(0.1, 0.0), (0.1, 0.0), (-0.05, 0.0), (0.0, 0.1), (0.7, 0.0), (0.0, -0.2)]
    ):
        low, high = plot.vb.viewRange()[0]
        span = high - low
        plot.setXRange(low + span * (move + shrink), high + span * (move - shrink), padding=0)
        x, y = _drawn(chart)
        if step < 3:  # small pans within the margin: the points derived are kept
            assert curve.curve.getData()[0] is derived
        fresh_plot.setXRange(*plot.vb.viewRange()[0], padding=0)
        fx, fy = _drawn(fresh)
        assert len(x) > 100
        np.testing.assert_array_equal(x, fx)
        np.testing.assert_array_equal(y, fy)
    # The zoom and the long pan derived the points again.
    assert curve.curve.getData()[0] is not derived


def test_without_clip_to_view_the_line_is_pyqtgraphs_own(qtbot: QtBot) -> None:
    chart = _chart(qtbot)
    curve = chart.panels[MetricTier.BEHAVIOUR].curves[0]
    curve.setClipToView(False)
    curve.setDownsampling(auto=False)
    chart.canvas.viewport().repaint()
    x, _ = curve.curve.getData()
    assert len(x) == 6_000  # every point, as a plain PlotDataItem draws them


def _painted(item: pg.PlotCurveItem, ratio: float) -> np.ndarray:
    """Where ``item`` paints on a white image (device pixels), as a boolean mask."""
    image = QImage(int(420 * ratio), int(220 * ratio), QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(ratio)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        # Data 0 … 400 by 0 … 200 onto the image, upside down as a plot is.
        painter.setTransform(QTransform(1.0, 0.0, 0.0, -1.0, 10.0, 210.0))
        item.paint(painter, None, None)
    finally:
        painter.end()
    view = image.constBits()
    rgb = np.frombuffer(view, dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    pixels = rgb[:, : image.width() * 4].reshape(image.height(), image.width(), 4)
    return np.asarray(pixels[:, :, 2] < 128)  # red (bytes are B, G, R, A): the line has little


@pytest.mark.parametrize("ratio", [1.0, 2.0])
@pytest.mark.parametrize("width", [2.2, 3.2, 5.0])
def test_a_wide_line_painted_by_offsets_covers_what_qts_stroker_does(
    qtbot: QtBot, ratio: float, width: float
) -> None:
    rng = np.random.default_rng(9)
    x = np.linspace(0.0, 400.0, 300)
    y = np.concatenate([np.full(60, 40.0), rng.normal(110.0, 25.0, 180), np.full(60, 170.0)])
    pen = pg.mkPen("#2457c5", width=width)
    ours = OffsetCurve(x, y, pen=pen, antialias=False)
    stock = pg.PlotCurveItem(x, y, pen=pen, antialias=False)
    assert ours.offset_width() == round(width)
    mine, theirs = _painted(ours, ratio), _painted(stock, ratio)
    both = (mine & theirs).sum()
    # The same pixels, but for the edges where the two round differently (a 2.2-pixel pen is
    # two pixels wide here, two or three there).
    assert both / theirs.sum() > 0.75 and both / mine.sum() > 0.8
    # As wide as the pen (a cosmetic pen's width is in device pixels) across the level runs.
    for column in (int(30 * ratio), int(390 * ratio)):
        assert mine[:, column].sum() == round(width)
        assert theirs[:, column].sum() == pytest.approx(mine[:, column].sum(), abs=1)


def test_what_is_not_a_plain_wide_line_is_painted_by_pyqtgraph(qtbot: QtBot) -> None:
    x, y = np.arange(10.0), np.arange(10.0)
    wide = pg.mkPen("#2457c5", width=3)
    assert OffsetCurve(x, y, pen=wide, antialias=False).offset_width() == 3
    assert OffsetCurve(x, y, pen=wide, antialias=True).offset_width() == 0
    assert OffsetCurve(x, y, pen=pg.mkPen("#2457c5", width=1), antialias=False).offset_width() == 0
    dashed = pg.mkPen("#2457c5", width=3, style=Qt.PenStyle.DashLine)
    assert OffsetCurve(x, y, pen=dashed, antialias=False).offset_width() == 0
    translucent = pg.mkPen(QColor(36, 87, 197, 128), width=3)
    assert OffsetCurve(x, y, pen=translucent, antialias=False).offset_width() == 0
    filled = OffsetCurve(x, y, pen=wide, antialias=False, fillLevel=0.0, brush="w")
    assert filled.offset_width() == 0
    exported = OffsetCurve(x, y, pen=wide, antialias=False)
    exported.setExportMode(True, {"antialias": True})
    assert exported.offset_width() == 0  # an export gets the true pen
    exported.setExportMode(False)
    assert exported.offset_width() == 3


def test_offsets_fill_a_disc() -> None:
    assert offsets(2) == ((-1, -1), (-1, 0), (0, -1), (0, 0))
    assert len(offsets(3)) == 9 and (0, 0) in offsets(3)
    four = offsets(4)
    assert len(four) == 12 and (-2, -2) not in four and (1, 1) not in four


def test_the_chart_lines_are_offset_curves(qtbot: QtBot) -> None:
    chart = _chart(qtbot)
    curve = chart.panels[MetricTier.BEHAVIOUR].curves[0]
    assert isinstance(curve, SeriesItem) and isinstance(curve.curve, OffsetCurve)
    assert curve.curve.parentItem() is curve
    assert [c for c in curve.childItems() if isinstance(c, pg.PlotCurveItem)] == [curve.curve]
    assert curve.curve.offset_width() >= 2  # 6,000 points: no antialiasing, a wide pen


def test_a_pan_keeps_the_data_bounds_and_new_data_forgets_them(qtbot: QtBot) -> None:
    chart = _chart(qtbot)
    plot = chart.panels[MetricTier.OPERATIONAL].plot
    line = chart.panels[MetricTier.BEHAVIOUR].curves[0].curve
    for move, shrink in ((0.1, 0.0), (-0.3, 0.0), (0.0, 0.2), (0.05, -0.1)):
        low, high = plot.vb.viewRange()[0]
        span = high - low
        plot.setXRange(low + span * (move + shrink), high + span * (move - shrink), padding=0)
        chart.canvas.viewport().repaint()
        kept = (line.dataBounds(0), line.dataBounds(1), line.boundingRect())
        line.invalidateBounds()  # what pyqtgraph does at every pan: all worked out again
        assert (line.dataBounds(0), line.dataBounds(1), line.boundingRect()) == kept
    x, _ = line.getData()
    line.setData(x, np.full(len(x), 1234.0))
    assert line.dataBounds(1) == (1234.0, 1234.0)
