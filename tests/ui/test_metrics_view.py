"""The Metrics & Impact view on real project files: the chart's items, before/after, fast entry,
paste with a bad row, the question about a target on the wrong side, the vanity ladder, and
every model under the model checker."""

from __future__ import annotations

import xml.dom.minidom
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QModelIndex, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QImage
from pytestqt.qtbot import QtBot

from ldpm.domain.entities import Measurement, Metric
from ldpm.domain.enums import Direction, MetricTier
from ldpm.domain.impact import baseline_band
from ldpm.services import initiatives
from ldpm.services import metrics as svc
from ldpm.ui.impact_data import seconds, to_seconds
from ldpm.ui.models.metrics import MeasurementsModel
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.metrics import IMPACT, PLAN, MetricsView

TODAY = date(2026, 11, 29)
MVP = date(2026, 4, 27)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(svc, "today", lambda: TODAY)


def initiative_named(runner: OperationRunner, name: str) -> str:
    return next(i.id for i in initiatives.list_initiatives(runner.project) if i.name == name)


@pytest.fixture
def view(qtbot: QtBot, demo_runner: OperationRunner) -> MetricsView:
    v = MetricsView(demo_runner)
    qtbot.addWidget(v)
    v.resize(1400, 900)
    v.show()
    qtbot.waitExposed(v)
    v.set_initiative(initiative_named(demo_runner, "Incident hand-offs"))
    qtbot.waitUntil(lambda: chart_laid_out(v))
    return v


def chart_laid_out(view: MetricsView) -> bool:
    chart = view.impact_page.chart
    return chart is not None and all(p.plot.vb.height() > 40 for p in chart.panels.values())


def metric_named(view: MetricsView, name: str) -> Metric:
    assert view.impact is not None
    return next(m for m in view.impact.metrics if m.name == name)


ERRORS = "Hand-off errors per incident"


# --------------------------------------------------------------------------- the chart


def test_the_chart_draws_the_hand_off_errors_story(view: MetricsView) -> None:
    errors = metric_named(view, ERRORS)
    view.select_metric(errors.id)
    chart = view.impact_page.chart
    assert chart is not None
    panel = chart.panels[MetricTier.BEHAVIOUR]
    assert panel.data.metric is not None and panel.data.metric.id == errors.id
    assert view.impact is not None
    lines = view.impact.lines[errors.id]
    # The main line first, then each segment as its own line, as arrays of Unix seconds.
    shown = [c for c in panel.curves if c.isVisible()]
    assert [s.label for s in panel.data.series] == [
        "Everyone", "New hires (under 6 months)", "Other on-call teams", "Remote engineers",
        "Team Blue",
    ]  # fmt: skip
    assert len(shown) == 5
    remote = panel.data.series[3]
    x, y = shown[3].getData()
    assert np.array_equal(x, seconds(lines["Remote engineers"].days))
    assert np.array_equal(y, np.asarray(lines["Remote engineers"].values))
    assert shown[0].opts["pen"].style() == Qt.PenStyle.SolidLine
    assert shown[3].opts["pen"].style() != Qt.PenStyle.SolidLine  # a segment is dashed
    assert remote.label == "Remote engineers"
    # The baseline band: ±1 standard deviation of the measurements before the first change.
    main = lines[""]
    band = baseline_band(errors, main, view.impact.events[0].on)
    assert band is not None and panel.band is not None
    assert panel.band.getRegion() == pytest.approx(band)
    assert panel.baseline_line is not None and panel.baseline_line.value() == 2.5
    # The target: a line at 1.5 that ends at its date.
    assert panel.target_line is not None
    tx, ty = panel.target_line.getData()
    assert list(ty) == [1.5, 1.5]
    assert tx[-1] == to_seconds(date(2026, 9, 30))
    assert tx[0] == to_seconds(date(2026, 2, 2))  # from the baseline date
    # Releases and experiments as vertical markers, labelled in the top panel.
    top = chart.panels[MetricTier.OPERATIONAL]
    release = to_seconds(MVP)
    assert panel.marker_item is not None and top.marker_item is not None
    assert release in [m.x for m in panel.marker_item.drawn()]
    assert [m.label for m in chart.markers if m.x == release] == ["MVP — hand-off kit"]
    assert all(m.label for m in top.marker_item.drawn())
    assert all(m.label is None for m in panel.marker_item.drawn())  # labels only on top
    periods = [m for m in panel.marker_item.drawn() if m.end_x is not None]
    assert len(periods) == 2  # both experiments have an end date
    assert "Association, not proof of causation" in chart.caption.text
    # Large series: peak downsampling and clip-to-view.
    assert shown[0].opts["autoDownsample"] and shown[0].opts["downsampleMethod"] == "peak"
    assert shown[0].opts["clipToView"]


def test_missing_due_measurements_are_hollow_markers(view: MetricsView) -> None:
    chart = view.impact_page.chart
    assert chart is not None
    panel = chart.panels[MetricTier.OPERATIONAL]
    assert panel.data.metric is not None
    assert panel.data.metric.name == "Hand-off kit usefulness rating"
    assert panel.missing is not None
    spots = panel.missing.points()
    due = [date(2026, 8, 17), date(2026, 8, 31), date(2026, 9, 14), date(2026, 9, 28)]
    assert [p.pos().x() for p in spots] == [to_seconds(d) for d in due]
    assert all(p.brush().style() == Qt.BrushStyle.NoBrush for p in spots)  # hollow
    # Each stands at the last value, as nothing came after it.
    last = view.impact.lines[panel.data.metric.id][""].values[-1]  # type: ignore[union-attr]
    assert [p.pos().y() for p in spots] == [last] * 4
    assert panel.missing.isVisible()
    # A metric with nothing missing: the empty scatter is hidden, not painted.
    behaviour = chart.panels[MetricTier.BEHAVIOUR]
    assert behaviour.missing is not None and len(behaviour.data.missing_x) == 0
    assert not behaviour.missing.isVisible()


def test_pan_and_zoom_are_linked(view: MetricsView, qtbot: QtBot) -> None:
    chart = view.impact_page.chart
    assert chart is not None
    business = chart.panels[MetricTier.BUSINESS].plot
    business.setXRange(to_seconds(date(2026, 3, 1)), to_seconds(date(2026, 5, 1)), padding=0)
    ranges = [p.plot.vb.viewRange()[0] for p in chart.panels.values()]
    assert all(r == pytest.approx(ranges[0]) for r in ranges)
    low, _high = ranges[0]
    assert low == pytest.approx(to_seconds(date(2026, 3, 1)))
    # Each panel fits its values to what is in view.
    errors = chart.panels[MetricTier.BEHAVIOUR]
    y_low, y_high = errors.plot.vb.viewRange()[1]
    assert y_low < 1.2 and y_high > 3.5  # Team Blue's lows, the new hires' highs
    chart.reset_zoom()
    assert chart.panels[MetricTier.OPERATIONAL].plot.vb.viewRange()[0][1] > to_seconds(
        date(2026, 12, 14)
    )


def test_hovering_a_point_reads_it_out(view: MetricsView, qtbot: QtBot) -> None:
    errors = metric_named(view, ERRORS)
    view.select_metric(errors.id)
    chart = view.impact_page.chart
    assert chart is not None
    panel = chart.panels[MetricTier.BEHAVIOUR]
    series = panel.data.series[0]
    point = QPointF(float(series.x[12]), float(series.y[12]))  # 27 Apr 2026: 2.3
    scene = panel.plot.vb.mapViewToScene(point)
    with qtbot.waitSignal(chart.hovered) as signal:
        chart._moved(scene)
    assert signal.args == [
        "Hand-off errors per incident · Everyone: 2.3 errors per incident on 27 Apr 2026"
    ]
    assert view.impact_page.readout.text() == signal.args[0]
    assert panel.crosshair is not None and panel.crosshair.isVisible()
    nothing = panel.plot.vb.mapViewToScene(QPointF(to_seconds(date(2026, 11, 20)), 2.0))
    with qtbot.waitSignal(chart.hovered) as signal:
        chart._moved(nothing)
    assert signal.args == [""]
    # Near a release line: its name and date in full.
    at_release = panel.plot.vb.mapViewToScene(QPointF(to_seconds(date(2026, 7, 31)), 3.6))
    with qtbot.waitSignal(chart.hovered) as signal:
        chart._moved(at_release)
    assert signal.args == ["Release “Release 2 — scale to all on-call teams”: 31 Jul 2026"]


def test_export_png_and_svg(view: MetricsView, tmp_path: Path) -> None:
    png = view.export_chart(tmp_path / "impact.png", "png")
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 800
    svg = view.export_chart(tmp_path / "impact.svg", "svg")
    document = xml.dom.minidom.parse(str(svg))
    root = document.documentElement
    assert root is not None and root.tagName == "svg"
    text = svg.read_text(encoding="utf-8")
    assert "Association, not proof of causation" in text
    assert "MVP" in text


def test_the_chart_follows_the_theme(view: MetricsView) -> None:
    from ldpm.ui.impact_look import look
    from ldpm.ui.theme import THEMES, ThemeManager

    chart = view.impact_page.chart
    assert chart is not None
    palette = ThemeManager._palette(THEMES["contrast"])
    chart.setPalette(palette)
    assert look(palette) == "contrast" and chart._look == "contrast"
    assert chart.canvas.backgroundBrush().color().name() == "#000000"
    curve = next(c for c in chart.panels[MetricTier.BUSINESS].curves if c.isVisible())
    assert curve.opts["pen"].color().name() == "#ffd400"
    assert curve.opts["pen"].widthF() >= 3
    assert look(ThemeManager._palette(THEMES["light"])) == "light"
    assert look(ThemeManager._palette(THEMES["dark"])) == "dark"


# ---------------------------------------------------------------------- before/after


def test_before_and_after_the_checklist_release(view: MetricsView) -> None:
    page = view.impact_page
    on, event = page.chosen()
    assert on == MVP and event is not None and event.title == "MVP — hand-off kit"
    model = view.before_after_model
    row = model.row_of(metric_named(view, ERRORS).id)
    texts = [model.index(row, c).data() for c in range(model.columnCount())]
    # 29.13 / 12 = 2.43 before, 39.03 / 23 = 1.70 after (see tests/services/test_metrics_demo).
    assert texts == [ERRORS, "2.43", "1.7", "-0.8 (-32%)", "80%", "Met", "—"]
    assert "No comparison group is marked" in model.index(row, 6).data(Qt.ItemDataRole.ToolTipRole)
    # At the Trojan mouse's start, its own groups give the difference-in-differences.
    trojan = next(
        i
        for i in range(page.event_combo.count())
        if "Trojan mouse: hand-off" in page.event_combo.itemText(i)
    )
    page.event_combo.setCurrentIndex(trojan)
    did = model.index(row, 6)
    assert did.data() == "-0.92 ✓"
    assert "Team Blue after − before" in did.data(Qt.ItemDataRole.ToolTipRole)
    # One measurement before the date: "not enough data", never a number.
    satisfaction = model.row_of(metric_named(view, "Hand-off kit usefulness rating").id)
    assert model.index(satisfaction, 1).data() == "not enough data"


def test_clicking_a_metric_shows_it_in_its_panel(view: MetricsView) -> None:
    usage = metric_named(view, "Hand-offs with a completed checklist")
    model = view.before_after_model
    view.impact_page.table.clicked.emit(model.index(model.row_of(usage.id), 0))
    chart = view.impact_page.chart
    assert chart is not None
    assert chart.panels[MetricTier.BEHAVIOUR].data.metric.id == usage.id  # type: ignore[union-attr]
    assert view.selected == usage.id
    assert view.stories.only_metric.toolTip() == f"Only the stories about “{usage.name}”"


# ------------------------------------------------------------------ entering measurements


def count(runner: OperationRunner, metric_id: str) -> int:
    with runner.project.read() as tx:
        return tx.count(Measurement, where={"metric_id": metric_id})


def test_fast_keyboard_entry(
    view: MetricsView, qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    errors = metric_named(view, ERRORS)
    view.select_metric(errors.id)
    view.focus_entry()
    panel = view.measurements
    assert view.pages.currentIndex() == PLAN
    assert panel.date_edit.value() == date(2026, 10, 5)  # a week after the last one
    before = count(demo_runner, errors.id)
    qtbot.keyClicks(panel.value_edit, "1.3")
    qtbot.keyClick(panel.value_edit, Qt.Key.Key_Return)
    assert count(demo_runner, errors.id) == before + 1
    assert panel.date_edit.value() == date(2026, 10, 12)  # moved on by the weekly cadence
    assert panel.value_edit.text() == "" and panel.value_edit.hasFocus()
    qtbot.keyClicks(panel.value_edit, "1.2")
    qtbot.keyClick(panel.value_edit, Qt.Key.Key_Return)
    assert count(demo_runner, errors.id) == before + 2
    demo_runner.undo_stack.undo()
    assert count(demo_runner, errors.id) == before + 1
    # A bad value: one plain sentence, nothing written.
    qtbot.keyClicks(panel.value_edit, "lots")
    qtbot.keyClick(panel.value_edit, Qt.Key.Key_Return)
    assert panel.message.text() == "“lots” is not a number: type the measured value."
    assert count(demo_runner, errors.id) == before + 1


def test_a_measurement_in_the_future_is_allowed_and_marked(
    view: MetricsView, demo_runner: OperationRunner
) -> None:
    errors = metric_named(view, ERRORS)
    view.select_metric(errors.id)
    view.pages.setCurrentIndex(PLAN)  # the table is read when its page is shown
    command = svc.add_measurement(errors.id, date(2027, 1, 4), 1.1)
    assert view.run(command)
    model = view.measurements_model
    row = model.row_of(command.entity.id)
    assert model.index(row, 4).data() == "In the future"
    early = svc.add_measurement(errors.id, date(2026, 1, 26), 2.6)
    assert view.run(early)
    assert model.index(model.row_of(early.entity.id), 4).data() == "Before the baseline date"


def test_paste_reports_bad_rows_and_writes_nothing_until_confirmed(
    view: MetricsView, demo_runner: OperationRunner
) -> None:
    errors = metric_named(view, ERRORS)
    view.select_metric(errors.id)
    before = count(demo_runner, errors.id)
    QGuiApplication.clipboard().setText(
        "Date\tValue\tSegment\n"
        "2026-10-05\t1.31\n"
        "2026-10-12\tn/a\tTeam Blue\n"
        "12 Oct 2026\t1.05\tTeam Blue\n"
        "2026-13-40\t1.2\n"
    )
    view.paste_measurements()
    panel = view.measurements
    assert panel.preview.isVisible()
    text = panel.preview_text.text()
    assert "Read 2 measurement(s)" in text
    assert "Row 1 looks like a header" in text
    assert "Row 3: “n/a” is not a number." in text
    assert "Row 5: “2026-13-40” is not a date" in text
    assert count(demo_runner, errors.id) == before  # nothing written yet
    assert panel.confirm_button.text() == "Add 2 Measurement(s)"
    panel.confirm_button.click()
    assert count(demo_runner, errors.id) == before + 2
    assert not panel.preview.isVisible()
    demo_runner.undo_stack.undo()  # the paste is one step
    assert count(demo_runner, errors.id) == before
    panel.paste("2026-10-05\tabc\n")
    assert not panel.confirm_button.isEnabled()
    panel.cancel_button.click()
    assert not panel.preview.isVisible()


# ---------------------------------------------------------------------- the plan


def test_a_target_on_the_wrong_side_is_asked_about(
    view: MetricsView, demo_runner: OperationRunner
) -> None:
    errors = metric_named(view, ERRORS)
    view.select_metric(errors.id)
    model = view.plan_model
    target = model.index(model.row_of(errors.id), 5)
    assert model.setData(target, "3")
    stored = svc.get_metric(demo_runner.project, errors.id)
    assert stored is not None and stored.target == 1.5  # nothing written yet
    question = view.question
    assert question.isVisible()
    assert question.text.text() == (
        "The target 3 is above the baseline 2.5, but “Hand-off errors per incident” should "
        "fall. Set it anyway?"
    )
    assert question.flip_button.text() == "Set It: Higher Is Better"
    question.flip_button.click()
    stored = svc.get_metric(demo_runner.project, errors.id)
    assert stored is not None
    assert (stored.target, stored.direction) == (3.0, Direction.INCREASE)
    assert not question.isVisible()
    demo_runner.undo_stack.undo()
    stored = svc.get_metric(demo_runner.project, errors.id)
    assert stored is not None and (stored.target, stored.direction) == (1.5, Direction.DECREASE)
    # "Set it anyway" writes what was typed; "Leave it" writes nothing.
    assert model.setData(target, "3")
    question.cancel_button.click()
    assert svc.get_metric(demo_runner.project, errors.id).target == 1.5  # type: ignore[union-attr]
    assert model.setData(target, "3")
    question.anyway_button.click()
    stored = svc.get_metric(demo_runner.project, errors.id)
    assert stored is not None and (stored.target, stored.direction) == (3.0, Direction.DECREASE)
    assert "⚠" in model.index(model.row_of(errors.id), 10).data()


def test_the_metric_form_edits_and_refuses_in_place(
    view: MetricsView, demo_runner: OperationRunner, qtbot: QtBot
) -> None:
    errors = metric_named(view, ERRORS)
    view.select_metric(errors.id)
    view.pages.setCurrentIndex(PLAN)
    level = view.details.editors["kirkpatrick"]
    level.setText("2.5")  # type: ignore[attr-defined]
    level.editingFinished.emit()  # type: ignore[attr-defined]
    assert svc.get_metric(demo_runner.project, errors.id).kirkpatrick == 3  # type: ignore[union-attr]
    messages = [m for _b, m in view.details.form.sections if m.isVisible()]
    assert [m.text() for m in messages] == ["The Kirkpatrick level must be a number."]
    level.setText("4")  # type: ignore[attr-defined]
    level.editingFinished.emit()  # type: ignore[attr-defined]
    assert svc.get_metric(demo_runner.project, errors.id).kirkpatrick == 4  # type: ignore[union-attr]
    assert "Kirkpatrick level 4" in view.details.tier_hint.text()  # points to business


def test_links_are_checked_in_lists(view: MetricsView, demo_runner: OperationRunner) -> None:
    errors = metric_named(view, ERRORS)
    view.select_metric(errors.id)
    view.pages.setCurrentIndex(PLAN)
    items = view.details.items_model
    checked = [r.text for r in items.rows() if r.checked]
    assert checked == ["Incident hand-off checklist (7 points)"]
    prompt = next(i for i, r in enumerate(items.rows()) if r.text.startswith("Hand-off prompt"))
    assert items.setData(
        items.index(prompt), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    assert items.rows()[prompt].checked  # the view re-read the links
    demo_runner.undo_stack.undo()
    assert not items.rows()[prompt].checked
    releases = [r.text for r in view.details.releases_model.rows() if r.checked]
    assert releases == ["MVP — hand-off kit"]
    key_results = [r.text for r in view.details.key_results_model.rows() if r.checked]
    assert key_results == ["Cut hand-off errors per incident by 40%, from 2.5 to 1.5"]


# ---------------------------------------------------------------------- the vanity check


def test_vanity_only_metrics_offer_the_ladder(
    view: MetricsView, demo_runner: OperationRunner
) -> None:
    sales = initiative_named(demo_runner, "Sales demo certification")
    view.set_initiative(sales)
    assert view.banner.isVisible()
    assert view.banner.text.text().startswith("⚠ Only vanity metrics:")
    assert "“Demo-to-opportunity conversion”" in view.banner.text.text()
    assert view.banner.button.text() == "Add Both Suggested Metrics"
    view.banner.button.click()
    plan = svc.list_metrics(demo_runner.project, sales)
    assert [m.tier for m in plan] == [
        MetricTier.OPERATIONAL,
        MetricTier.OPERATIONAL,
        MetricTier.BEHAVIOUR,
        MetricTier.BUSINESS,
    ]
    assert view.pages.currentIndex() == PLAN
    assert view.selected == plan[2].id  # the behaviour metric, ready to edit
    assert "Only vanity" not in view.banner.text.text()
    demo_runner.undo_stack.undo()
    assert len(svc.list_metrics(demo_runner.project, sales)) == 2
    assert view.banner.text.text().startswith("⚠ Only vanity metrics:")


def test_an_initiative_without_metrics(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str
) -> None:
    v = MetricsView(runner)
    qtbot.addWidget(v)
    v.show()
    v.set_initiative(initiative_id)
    assert v.banner.text.text() == (
        "⚠ There are no metrics yet: add a behaviour metric and a business metric to show impact."
    )
    v.pages.setCurrentIndex(IMPACT)
    chart = v.impact_page.chart
    assert chart is not None
    assert chart.panels[MetricTier.BUSINESS].data.empty_text.startswith("No business metric")
    v.banner.button.click()  # New Metric: a behaviour metric first
    [metric] = svc.list_metrics(runner.project, initiative_id)
    assert metric.tier is MetricTier.BEHAVIOUR and metric.kirkpatrick == 3
    v.set_initiative(None)
    assert v.stack.currentWidget() is v.empty_state


def test_every_model_passes_the_model_checker(view: MetricsView, qtmodeltester: object) -> None:
    errors = metric_named(view, ERRORS)
    view.select_metric(errors.id)
    view.pages.setCurrentIndex(PLAN)
    assert view.measurements_model.rowCount() == 5 * 35
    for model in (
        view.plan_model,
        view.plan_proxy,
        view.measurements_model,
        view.measurements.proxy,
        view.before_after_model,
        view.stories.model,
        view.details.items_model,
        view.details.releases_model,
        view.details.key_results_model,
    ):
        qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_the_plan_page_is_read_when_shown(view: MetricsView) -> None:
    errors = metric_named(view, ERRORS)
    view.select_metric(errors.id)
    assert view.pages.currentIndex() == IMPACT
    assert view.measurements_model.rowCount() == 0  # not read while its page is hidden
    view.pages.setCurrentIndex(PLAN)
    assert view.measurements_model.metric is not None
    assert view.measurements_model.metric.id == errors.id
    assert view.details.editors["name"].text() == ERRORS  # type: ignore[attr-defined]


def test_measurements_model_on_its_own(qtmodeltester: object, view: MetricsView) -> None:
    model = MeasurementsModel(view.runner)
    errors = metric_named(view, ERRORS)
    model.set_metric(errors, TODAY)
    assert model.rowCount() == 5 * 35
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_metric(None, TODAY)
    assert model.rowCount(QModelIndex()) == 0


def test_the_stories_pane_hides_and_is_remembered(
    view: MetricsView, demo_runner: OperationRunner, qtbot: QtBot
) -> None:
    page = view.impact_page
    assert page.stories_shown() and page.stories.isVisible()
    assert page.stories_button.accessibleName() == "Show the stories beside the chart"
    page.stories_button.click()
    assert not page.stories.isVisible() and not page.stories_shown()
    # A new view (the next start) remembers the pane was hidden.
    again = MetricsView(demo_runner)
    qtbot.addWidget(again)
    assert not again.impact_page.stories_button.isChecked()
    assert again.impact_page.stories.isHidden()
    again.impact_page.stories_button.click()
    assert not again.impact_page.stories.isHidden()
    third = MetricsView(demo_runner)
    qtbot.addWidget(third)
    assert third.impact_page.stories_button.isChecked()


def test_dragging_the_stories_shut_unticks_the_button(view: MetricsView) -> None:
    page = view.impact_page
    total = sum(page.splitter.sizes())
    page.splitter.moveSplitter(total, 1)
    assert page.splitter.sizes()[1] == 0
    assert not page.stories_button.isChecked()
