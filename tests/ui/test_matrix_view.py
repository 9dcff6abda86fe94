"""The value/effort matrix on the demo: the hand-off checklist is a quick win, a drag rescores
it in one undo step (and undo puts it back), a drop outside the axes is refused, arrow keys
nudge, unscored items wait beside the matrix and are scored by a drop, the backlog filter
narrows it, a double-click asks for the backlog, and it exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.coverage import in_plan
from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import ItemStatus
from ldpm.services import initiatives
from ldpm.services import plan as svc
from ldpm.services.commands import edit
from ldpm.services.navigation import ShowEntity
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.matrix import MatrixView
from ldpm.ui.views.matrix_scene import PLOT, point


@pytest.fixture
def view(qtbot: QtBot, demo_runner: OperationRunner) -> MatrixView:
    v = MatrixView(demo_runner)
    qtbot.addWidget(v)
    v.resize(1200, 800)
    v.show()
    qtbot.waitExposed(v)
    handoffs = initiatives.list_initiatives(demo_runner.project)[0]
    v.set_initiative(handoffs.id)
    return v


def item(view: MatrixView, start: str) -> BacklogItem:
    assert view.initiative_id is not None
    plan = svc.load_plan(view.project, view.initiative_id)
    return next(i for i in plan.items if i.title.startswith(start))


def checklist(view: MatrixView) -> BacklogItem:
    return item(view, "Incident hand-off checklist")


def send_mouse(view: MatrixView, kind: QEvent.Type, at: QPoint, button: Qt.MouseButton) -> None:
    viewport = view.canvas.viewport()
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    which = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else button
    event = QMouseEvent(
        kind,
        QPointF(at),
        QPointF(viewport.mapToGlobal(at)),
        which,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def drag(view: MatrixView, start: QPointF, end: QPointF) -> None:
    a, b = view.canvas.mapFromScene(start), view.canvas.mapFromScene(end)
    left = Qt.MouseButton.LeftButton
    send_mouse(view, QEvent.Type.MouseButtonPress, a, left)
    for i in range(1, 7):
        send_mouse(view, QEvent.Type.MouseMove, a + (b - a) * (i / 6), left)
    send_mouse(view, QEvent.Type.MouseButtonRelease, b, left)


def test_the_checklist_is_a_quick_win(view: MatrixView) -> None:
    card = view.canvas.item(checklist(view).id)
    assert card is not None
    centre = PLOT.center()
    assert card.pos().x() < centre.x() and card.pos().y() < centre.y()  # top left
    assert "Quick win" in card.spec.tooltip and "value 9" in card.spec.tooltip
    assert card.spec.fill == "success"  # done
    # The dropped, out-of-scope classroom course is not shown unless asked for.
    course = item(view, "Two-day")
    assert view.canvas.item(course.id) is None
    view.show_all.setChecked(True)
    assert view.canvas.item(course.id) is not None


def test_a_drag_rescores_in_one_undo_step_and_undo_puts_it_back(
    view: MatrixView, demo_runner: OperationRunner
) -> None:
    target = checklist(view)
    card = view.canvas.item(target.id)
    assert card is not None
    start = card.pos()
    before = demo_runner.undo_stack.count()
    axes = view._axes
    assert axes is not None
    drag(view, start, point(axes, 3, 12))  # a money pit: low value, 12 days
    after = checklist(view)
    assert (after.value, after.effort) == (3, 12.0)
    assert demo_runner.undo_stack.count() == before + 1
    card = view.canvas.item(target.id)
    assert card is not None and card.pos() == point(axes, 3, 12)
    assert "Money pit" in view.message.text()
    demo_runner.undo_stack.undo()
    assert (checklist(view).value, checklist(view).effort) == (9, 4.0)
    card = view.canvas.item(target.id)
    assert card is not None and card.pos() == start


def test_a_drop_outside_the_axes_is_refused(
    view: MatrixView, demo_runner: OperationRunner
) -> None:
    card = view.canvas.item(checklist(view).id)
    assert card is not None
    start = card.pos()
    before = demo_runner.undo_stack.count()
    drag(view, start, QPointF(PLOT.right() + 30, PLOT.top() + 100))
    assert demo_runner.undo_stack.count() == before
    assert (checklist(view).value, checklist(view).effort) == (9, 4.0)
    assert card.pos() == start  # back where it was
    assert "outside the axes" in view.message.text()
    assert view.message.property("role") == "warning"


def test_arrow_keys_nudge_one_value_point(
    view: MatrixView, qtbot: QtBot, demo_runner: OperationRunner
) -> None:
    target = checklist(view)
    view.canvas.setFocus()
    view.canvas.select([target.id])
    before = demo_runner.undo_stack.count()
    with qtbot.waitSignal(view.canvas.cards_moved, timeout=3000):
        QApplication.sendEvent(
            view.canvas,
            QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Up, Qt.KeyboardModifier.NoModifier),
        )
    assert checklist(view).value == 10 and checklist(view).effort == 4.0
    assert demo_runner.undo_stack.count() == before + 1
    assert view.canvas.selected_ids() == [target.id]  # still selected after the reload


def test_unscored_items_wait_beside_the_matrix_and_a_drop_scores_them(
    view: MatrixView, demo_runner: OperationRunner, qtmodeltester: object
) -> None:
    reading = item(view, "Curated reading")
    assert demo_runner.run(edit(BacklogItem, reading.id, {"effort": None}, "Clear effort"))
    assert view.canvas.item(reading.id) is None  # never at zero
    model = view.unplaced_model
    assert [r.id for r in model.rows()] == [reading.id]
    assert model.index(0).data(Qt.ItemDataRole.UserRole + 30) == "needs an effort"
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    axes = view._axes
    assert axes is not None
    view._on_dropped([reading.id], point(axes, 4, 1))
    assert (item(view, "Curated reading").value, item(view, "Curated reading").effort) == (4, 1.0)
    assert model.rowCount() == 0 and view.canvas.item(reading.id) is not None
    view._on_dropped([reading.id], QPointF(-200, -200))
    assert "inside the matrix" in view.message.text()


def test_the_backlog_filter_narrows_the_matrix(view: MatrixView) -> None:
    view.filter_bar.set_filter(BacklogFilter(statuses=frozenset({ItemStatus.IN_PROGRESS})))
    view.reload()
    shown = view.canvas.card_ids()
    assert [item(view, "Shadowing").id] == shown
    wanted = BacklogFilter(text="checklist")
    assert view.navigate(wanted)
    assert view.filter_bar.search.text() == "checklist"
    assert view.initiative_id is not None
    items = svc.load_plan(view.project, view.initiative_id).items
    expected = {i.id for i in items if wanted.matches(i) and in_plan(i)}
    assert set(view.canvas.card_ids()) == expected and len(expected) == 8


def test_double_click_asks_for_the_backlog(view: MatrixView, qtbot: QtBot) -> None:
    target = checklist(view)
    card = view.canvas.item(target.id)
    assert card is not None
    with qtbot.waitSignal(view.navigate_requested) as asked:
        qtbot.mouseDClick(
            view.canvas.viewport(),
            Qt.MouseButton.LeftButton,
            pos=view.canvas.mapFromScene(card.pos()),
        )
    assert asked.args == [ShowEntity(BacklogItem, target.id)]
    view.canvas.select([target.id])
    assert view.selected_title.text() == target.title
    with qtbot.waitSignal(view.navigate_requested) as asked:
        view.show_button.click()
    assert asked.args == [ShowEntity(BacklogItem, target.id)]


def test_export(view: MatrixView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = tmp_path / "matrix"
    monkeypatch.setattr(
        "ldpm.ui.views.matrix.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(chosen), ""),
    )
    view.export("png")
    image = QImage(str(tmp_path / "matrix.png"))
    assert not image.isNull() and image.width() > 1000
    assert "Saved the matrix" in view.message.text()
    assert view.export_to(tmp_path / "matrix.svg", "svg")
    assert "Quick wins" in (tmp_path / "matrix.svg").read_text("utf-8")
    assert not view.export_to(tmp_path / "missing" / "m.png", "png")
    assert view.message.property("role") == "warning"


def test_no_initiative_shows_the_empty_state(view: MatrixView) -> None:
    view.set_initiative(None)
    assert view.pages.currentWidget() is view.empty_state
