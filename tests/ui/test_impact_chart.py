"""The impact chart's fast paths give what a fresh chart gives: markers moved in place, tick
labels from a cache, minor labels skipped only where pyqtgraph would drop them, long series
drawn plainly; and the metrics view lays itself out before the chart is painted."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyqtgraph as pg  # type: ignore[import-untyped]
import pytest
from pyqtgraph.graphicsItems.DateAxisItem import ZoomLevel  # type: ignore[import-untyped]
from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Metric
from ldpm.domain.enums import MetricTier
from ldpm.services import initiatives
from ldpm.services.commands import Command
from ldpm.ui.impact_chart import ImpactChart
from ldpm.ui.impact_data import Marker, PanelData, SeriesData, TargetData, seconds, to_seconds
from ldpm.ui.impact_look import UtcDateAxis
from ldpm.ui.impact_panel import SMOOTH_UP_TO
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.metrics import MetricsView

DAY = 86_400.0


def _chart(qtbot: QtBot) -> ImpactChart:
    chart = ImpactChart()
    qtbot.addWidget(chart)
    chart.resize(1000, 700)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def _panels(points: int) -> list[PanelData]:
    metric = Metric(initiative_id="i", name="Errors", tier=MetricTier.BEHAVIOUR)
    days = np.arange(points, dtype=np.float64) + date(2024, 1, 1).toordinal()
    values = np.linspace(5.0, 2.0, points)
    series = SeriesData("", "Everyone", seconds(days), values)
    return [PanelData(MetricTier.BEHAVIOUR, metric, [series])]


RELEASES = [
    Marker("release", to_seconds(date(2024, 3, 1)), None, "MVP"),
    Marker("experiment", to_seconds(date(2024, 4, 1)), to_seconds(date(2024, 5, 1)), "Pilot"),
]
OTHERS = [
    Marker("release", to_seconds(date(2024, 2, 1)), None, "Release {2}: {value}"),
    Marker("experiment", to_seconds(date(2024, 6, 1)), None, "Open-ended"),
    Marker("experiment", to_seconds(date(2024, 7, 1)), to_seconds(date(2024, 8, 1)), "Second"),
]


def _marker_state(chart: ImpactChart) -> list[object]:
    state: list[object] = []
    for panel in chart.panels.values():
        assert panel.marker_item is not None
        state.append((panel.tier, panel.marker_item.isVisible(), panel.marker_item.drawn()))
    return state


def test_one_item_per_panel_draws_the_markers_as_a_fresh_chart_does(qtbot: QtBot) -> None:
    chart = _chart(qtbot)
    chart.set_data(_panels(50), RELEASES)
    top = chart.panels[MetricTier.OPERATIONAL]
    item = top.marker_item
    assert item is not None
    chart.set_data(_panels(50), OTHERS)  # another initiative: the same item
    assert top.marker_item is item
    fresh = _chart(qtbot)
    fresh.set_data(_panels(50), OTHERS)
    assert _marker_state(chart) == _marker_state(fresh)
    drawn = item.drawn()
    assert [(m.kind, m.x, m.end_x) for m in drawn] == [(m.kind, m.x, m.end_x) for m in OTHERS]
    # Braces in a name are text, not a format; labels in the top panel only.
    assert drawn[0].label == "Release {2}: {value}"
    assert drawn[0].style == Qt.PenStyle.SolidLine and drawn[1].style == Qt.PenStyle.DashLine
    behaviour = chart.panels[MetricTier.BEHAVIOUR].marker_item
    assert behaviour is not None and [m.label for m in behaviour.drawn()] == [None] * 3
    # Fewer markers, then none: the item draws what is left, then hides.
    chart.set_data(_panels(50), RELEASES[:1])
    fewer = _chart(qtbot)
    fewer.set_data(_panels(50), RELEASES[:1])
    assert _marker_state(chart) == _marker_state(fewer)
    chart.set_data(_panels(50), [])
    assert not item.isVisible() and item.drawn() == []


def test_a_new_look_restyles_the_markers(qtbot: QtBot) -> None:
    from ldpm.ui.theme import THEMES, ThemeManager

    chart = _chart(qtbot)
    chart.set_data(_panels(50), RELEASES)
    light = _marker_state(chart)
    chart.setPalette(ThemeManager._palette(THEMES["contrast"]))
    fresh = _chart(qtbot)
    fresh.setPalette(ThemeManager._palette(THEMES["contrast"]))
    fresh.set_data(_panels(50), RELEASES)
    assert _marker_state(chart) == _marker_state(fresh) != light


def _panel_image(chart: ImpactChart, tier: MetricTier) -> tuple[QImage, pg.ViewBox]:
    chart.canvas.viewport().repaint()
    image = chart.canvas.grab().toImage()
    return image, chart.panels[tier].plot.vb


def _column(vb: pg.ViewBox, chart: ImpactChart, x: float) -> int:
    scene = vb.mapViewToScene(QPointF(x, 0))
    column: float = chart.canvas.mapFromScene(scene).x()
    return round(column)


def test_the_marker_item_paints_lines_periods_and_labels(qtbot: QtBot) -> None:
    chart = _chart(qtbot)
    chart.set_data(_panels(200), RELEASES)
    qtbot.waitUntil(lambda: chart.panels[MetricTier.BUSINESS].plot.vb.height() > 100)
    text = chart.palette().color(QPalette.ColorRole.Text)
    for tier in (MetricTier.OPERATIONAL, MetricTier.BUSINESS):
        image, vb = _panel_image(chart, tier)
        rect = chart.canvas.mapFromScene(vb.sceneBoundingRect()).boundingRect()
        y = rect.center().y()
        release = _column(vb, chart, RELEASES[0].x)
        near = [image.pixelColor(release + dx, y) for dx in (-1, 0, 1)]
        assert any(c.name() == text.name() for c in near)  # the release's line
        # The experiment's period is shaded, the page outside it is not.
        start, end = (_column(vb, chart, v) for v in (RELEASES[1].x, RELEASES[1].end_x or 0))
        inside = image.pixelColor((start + end) // 2, y)
        outside = image.pixelColor(end + 20, y)
        assert inside != outside
        assert outside == chart.palette().color(QPalette.ColorRole.Base)
    # The top panel's label: text left of the release's line, near the top.
    image, vb = _panel_image(chart, MetricTier.OPERATIONAL)
    rect = chart.canvas.mapFromScene(vb.sceneBoundingRect()).boundingRect()
    release = _column(vb, chart, RELEASES[0].x)
    band = [
        image.pixelColor(x, y).lightness()
        for x in range(release - 14, release - 3)
        for y in range(rect.top() + 8, rect.top() + 40)
    ]
    assert min(band) < 128  # dark text on the light page
    # Panning moves the lines with the dates (the item repaints, its bounds stay).
    before = QRectF(vb.rect())
    plot = chart.panels[MetricTier.OPERATIONAL].plot
    low, high = plot.vb.viewRange()[0]
    plot.setXRange(low + (high - low) * 0.1, high + (high - low) * 0.1, padding=0)
    image, vb = _panel_image(chart, MetricTier.BUSINESS)
    moved = _column(vb, chart, RELEASES[0].x)
    assert moved < release - 10
    rect = chart.canvas.mapFromScene(vb.sceneBoundingRect()).boundingRect()
    near = [image.pixelColor(moved + dx, rect.center().y()) for dx in (-1, 0, 1)]
    assert any(c.name() == text.name() for c in near)
    item = chart.panels[MetricTier.OPERATIONAL].marker_item
    assert item is not None and item.boundingRect() == before


def test_long_series_are_drawn_plainly_and_downsampled(qtbot: QtBot) -> None:
    chart = _chart(qtbot)
    chart.set_data(_panels(SMOOTH_UP_TO), [])
    curve = chart.panels[MetricTier.BEHAVIOUR].curves[0]
    assert curve.opts["antialias"]
    chart.set_data(_panels(5_000), [])
    assert not curve.opts["antialias"]
    assert curve.opts["autoDownsample"] and curve.opts["downsampleMethod"] == "peak"
    assert curve.opts["clipToView"] and curve.opts["symbol"] is None
    qtbot.waitUntil(lambda: curve.curve.xData is not None and len(curve.curve.xData) > 0)
    chart.canvas.viewport().repaint()
    drawn = len(curve.curve.xData)
    assert drawn < 5_000 / 2  # peak bins, not every point
    assert len(curve.xData) == 5_000 and curve.yData[0] == 5.0  # the data itself is whole


# ------------------------------------------------------------------------ date axis


class _PlainAxis(UtcDateAxis):
    """The same axis with pyqtgraph's own tick labels: no cache, every minor label measured."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> object:
        return pg.DateAxisItem.tickValues(self, minVal, maxVal, size)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return pg.DateAxisItem.tickStrings(self, values, scale, spacing)  # type: ignore[no-any-return]


def _axis(qtbot: QtBot, axis: UtcDateAxis) -> pg.PlotItem:
    canvas = pg.GraphicsLayoutWidget()
    qtbot.addWidget(canvas)
    canvas.resize(1200, 300)
    plot = canvas.addPlot(axisItems={"bottom": axis})
    plot.canvas = canvas  # kept alive as long as the plot
    canvas.show()
    qtbot.waitExposed(canvas)
    return plot


def _labels(plot: pg.PlotItem, low: date, high: date) -> list[str]:
    plot.setXRange(to_seconds(low), to_seconds(high), padding=0)
    image = QImage(1200, 80, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = plot.getAxis("bottom").generateDrawSpecs(painter)
    finally:
        painter.end()
    assert specs is not None
    return [text for _rect, _flags, text in specs[2]]


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (date(2016, 1, 1), date(2026, 12, 31)),  # years: months far too close
        (date(2025, 1, 1), date(2026, 12, 31)),  # two years
        (date(2026, 1, 1), date(2026, 7, 1)),  # months, with room for some days
        (date(2026, 3, 1), date(2026, 3, 20)),  # days
    ],
)
def test_tick_labels_are_pyqtgraphs_own(qtbot: QtBot, low: date, high: date) -> None:
    plain, fast = _axis(qtbot, _PlainAxis()), _axis(qtbot, UtcDateAxis())
    expected = _labels(plain, low, high)
    assert expected
    assert _labels(fast, low, high) == expected
    assert _labels(fast, low, high) == expected  # the second time from the cache


def test_tick_strings_from_the_cache_match(qtbot: QtBot) -> None:
    plot = _axis(qtbot, UtcDateAxis())
    _labels(plot, date(2025, 1, 1), date(2026, 12, 31))
    axis = plot.getAxis("bottom")
    values = [to_seconds(date(2026, m, 1)) for m in range(1, 13)]
    spacing = axis.zoomLevel.tickSpecs[-1].spacing
    first = axis.tickStrings(values, 1.0, spacing)
    again = axis.tickStrings(values[3:] + values[:3], 1.0, spacing)
    assert first == pg.DateAxisItem.tickStrings(axis, values, 1.0, spacing)
    assert again == first[3:] + first[:3]


# ------------------------------------------------------------------------- the view


def test_the_view_is_laid_out_before_the_chart_is_painted(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    view = MetricsView(demo_runner)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    qtbot.waitExposed(view)
    found = {i.name: i.id for i in initiatives.list_initiatives(demo_runner.project)}
    view.set_initiative(found["Incident hand-offs"])
    qtbot.waitUntil(lambda: view.impact_page.chart is not None)
    chart = view.impact_page.chart
    assert chart is not None
    heights: set[tuple[int, int]] = set()
    for initiative_id in found.values():  # more and fewer metrics: a taller, shorter table
        view.set_initiative(initiative_id)
        at_once = (chart.height(), view.impact_page.table.height())
        QCoreApplication.processEvents()  # every posted event: layouts, paints
        assert (chart.height(), view.impact_page.table.height()) == at_once
        heights.add(at_once)
    assert len(heights) > 1  # the test did change the table's height


# ------------------------------------------------------------------- large text, low screens


def _many_lines() -> list[PanelData]:
    metric = Metric(initiative_id="i", name="Hand-off errors per incident", unit="per incident")
    days = np.arange(30, dtype=np.float64) + date(2024, 1, 1).toordinal()
    series = [
        SeriesData(s, s or "Everyone", seconds(days), np.full(30, float(k)))
        for k, s in enumerate(["", "New hires (under 6 months)", "Other on-call teams", "Remote"])
    ]
    return [PanelData(MetricTier.BEHAVIOUR, metric, series)]


def test_the_chart_asks_for_the_height_its_titles_take(qtbot: QtBot) -> None:
    chart = _chart(qtbot)
    chart.set_data(_many_lines(), [])
    chart.resize(1400, 700)
    qtbot.waitUntil(lambda: chart.canvas.ci.width() > 1300)
    wide = chart.minimumSizeHint().height()
    chart.resize(420, 700)  # the titles wrap to more lines
    title = chart.panels[MetricTier.BEHAVIOUR].title
    qtbot.waitUntil(lambda: chart.minimumSizeHint().height() > wide)
    # Each title is as tall as its wrapped lines, and the chart asks for all of it.
    assert title.minimumHeight() == pytest.approx(title.itemRect().height(), abs=0.5)
    layout = chart.canvas.ci.layout.effectiveSizeHint(Qt.SizeHint.MinimumSize).height()
    assert chart.minimumSizeHint().height() >= layout
    # One line needs no key; several have one.
    assert "Everyone" in title.text and "Remote" in title.text
    chart.set_data(_panels(30), [])
    assert "Everyone" not in chart.panels[MetricTier.BEHAVIOUR].title.text


def test_a_target_label_without_room_drops_its_date(qtbot: QtBot) -> None:
    chart = _chart(qtbot)
    metric = Metric(
        initiative_id="i", name="Errors", tier=MetricTier.BEHAVIOUR, target=1.5,
        target_date=date(2024, 9, 30),
    )  # fmt: skip
    panel = _panels(200)[0]
    panel.metric = metric
    panel.target = TargetData(1.5, to_seconds(date(2024, 1, 1)), to_seconds(date(2024, 9, 30)),
                              " Target 1.5 by 30 Sep 2024", " Target 1.5")  # fmt: skip
    chart.resize(1600, 700)
    chart.set_data([panel], [])
    qtbot.waitUntil(lambda: chart.panels[MetricTier.BEHAVIOUR].plot.vb.width() > 1200)
    chart.reset_zoom()
    label = chart.panels[MetricTier.BEHAVIOUR].target_label
    assert label is not None and label.toPlainText() == " Target 1.5 by 30 Sep 2024"
    chart.resize(500, 700)
    qtbot.waitUntil(lambda: chart.panels[MetricTier.BEHAVIOUR].plot.vb.width() < 450)
    chart.reset_zoom()
    assert label.toPlainText() == " Target 1.5"
    chart.set_data([panel], [], keep_view=True)  # an edit keeps the short label
    assert label.toPlainText() == " Target 1.5"


def test_the_stories_list_narrows_to_story_and_rating(
    qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    from ldpm.ui.models.stories import KIND, RATING, TITLE, WHO
    from ldpm.ui.views.stories_panel import StoriesPanel

    def run(command: Command | None, origin: QObject | None = None) -> bool:
        return True

    panel = StoriesPanel(demo_runner, run)
    qtbot.addWidget(panel)
    panel.resize(1200, 600)
    panel.show()
    qtbot.waitExposed(panel)

    def hidden() -> list[bool]:
        return [panel.table.isColumnHidden(c) for c in (TITLE, KIND, WHO, RATING)]

    assert hidden() == [False, False, False, False]
    panel.resize(panel.fontMetrics().averageCharWidth() * (panel.NARROW_CHARS - 4), 600)
    qtbot.waitUntil(lambda: hidden() == [False, True, True, False])
    panel.resize(1200, 600)
    qtbot.waitUntil(lambda: hidden() == [False, False, False, False])


def test_a_menu_button_has_an_arrow_at_the_texts_size(qapp: QApplication) -> None:
    from ldpm.ui.theme import ThemeManager

    themes = ThemeManager(qapp)
    try:
        themes.apply("contrast", 2.0)
        sheet = qapp.styleSheet()
        rule = sheet[sheet.index("QPushButton::menu-indicator {") :].split("}")[0]
        assert "image: url(" in rule and "width:" in rule
        assert "QPushButton::menu-indicator:disabled" in sheet
    finally:
        themes.apply("light", 1.0)


@pytest.mark.parametrize("width_days", [2.0, 20.0, 90.0, 400.0, 1500.0, 4000.0, 20000.0])
def test_the_ticks_of_a_pan_are_those_worked_out_for_the_view_alone(
    qtbot: QtBot, width_days: float
) -> None:
    """The zoom levels work ticks out for three view widths and pick those in view: after any
    pan or zoom they are the ticks pyqtgraph works out for the view alone."""
    rng = np.random.default_rng(int(width_days))
    plot = _axis(qtbot, UtcDateAxis())
    axis = plot.getAxis("bottom")
    image = QImage(10, 10, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        axis.generateDrawSpecs(painter)  # as a paint does: the font's measures for the labels
    finally:
        painter.end()
    low = to_seconds(date(2019, 12, 31)) + 0.25
    for _ in range(60):
        width = width_days * DAY * rng.uniform(0.7, 1.3)
        low += width * rng.uniform(-0.4, 0.4)
        if rng.random() < 0.2:
            low = float(round(low / DAY) * DAY)  # on a midnight: a tick's own date
        got = axis.tickValues(low, low + width, 1100.0)
        # pyqtgraph's own method on the level chosen: its UTC ticks, nothing kept.
        plain = ZoomLevel.tickValues(axis.zoomLevel, low, low + width, axis.minSpacing)
        assert got == plain
