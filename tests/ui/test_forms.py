"""The form binder on a real project: edits become commands, refreshes never echo, and the
mouse wheel over a value editor scrolls the page instead of changing the value."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ldpm.domain.enums import Stage
from ldpm.services import initiatives
from ldpm.services.commands import Command
from ldpm.ui.forms import FormBinder
from ldpm.ui.operations import OperationRunner


def make_form(runner: OperationRunner, initiative_id: str) -> tuple[QScrollArea, FormBinder]:
    def edit(field: str, value: Any, typing: bool) -> Command:
        return initiatives.edit_initiative(
            runner.project, initiative_id, {field: value}, typing=typing
        )

    def run(command: Command, origin: QObject) -> bool:
        return runner.run(command, origin=origin)

    page = QWidget()
    binder = FormBinder(
        page,
        edit=edit,
        run=run,
        current=lambda: initiatives.get_initiative(runner.project, initiative_id),
    )
    column = QVBoxLayout(page)
    column.addWidget(binder.line_field("owner"))
    column.addWidget(binder.choice_field("stage", Stage))
    column.addWidget(binder.number_field("problem_baseline"))
    column.addWidget(binder.date_field("requested_on"))
    for _ in range(40):  # a long form
        filler = QWidget()
        filler.setMinimumHeight(40)
        column.addWidget(filler)
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.resize(500, 300)
    binder.show()
    return area, binder


def wheel(widget: QWidget, steps: int = -1) -> None:
    pos = QPointF(widget.rect().center())
    event = QWheelEvent(
        pos,
        QPointF(widget.mapToGlobal(pos.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_form_not_the_value(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str
) -> None:
    area, binder = make_form(runner, initiative_id)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    stage = binder.editors["stage"]
    date_edit = binder.editors["requested_on"]
    steps = runner.undo_stack.count()
    before = area.verticalScrollBar().value()
    wheel(stage)
    wheel(date_edit)
    stored = initiatives.get_initiative(runner.project, initiative_id)
    assert stored is not None and stored.stage is Stage.DISCOVER
    assert stored.requested_on is None
    assert runner.undo_stack.count() == steps
    assert area.verticalScrollBar().value() > before  # the page scrolled instead
    # With focus (clicked or tabbed into), the wheel is the user's intent.
    stage.setFocus()
    qtbot.waitUntil(stage.hasFocus)
    wheel(stage)
    stored = initiatives.get_initiative(runner.project, initiative_id)
    assert stored is not None and stored.stage is not Stage.DISCOVER


def test_typing_is_one_undo_step_and_refreshes_do_not_echo(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str
) -> None:
    area, binder = make_form(runner, initiative_id)
    qtbot.addWidget(area)
    owner = binder.editors["owner"]
    assert isinstance(owner, QLineEdit)
    steps = runner.undo_stack.count()
    qtbot.keyClicks(owner, "Maya")
    assert runner.undo_stack.count() == steps + 1
    owner.setCursorPosition(2)
    with qtbot.assert_not_emitted(runner.changed):
        binder.show()  # nothing differs: no edit, the cursor stays
    assert owner.cursorPosition() == 2
    assert runner.run(
        initiatives.edit_initiative(runner.project, initiative_id, {"owner": "Maya Keller"})
    )
    binder.show({"owner"})
    assert owner.text() == "Maya Keller" and runner.undo_stack.count() == steps + 2


def test_an_unreadable_number_is_refused_and_the_field_goes_back(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str
) -> None:
    area, binder = make_form(runner, initiative_id)
    qtbot.addWidget(area)
    number = binder.editors["problem_baseline"]
    assert isinstance(number, QLineEdit)
    number.setText("12")
    number.editingFinished.emit()
    number.setText("twelve")
    with qtbot.waitSignal(runner.failed) as failed:
        number.editingFinished.emit()
    assert failed.args[1] is number
    assert number.text() == "12"


def test_a_text_field_follows_the_width_it_is_given(qtbot: QtBot) -> None:
    """Widening the window shortens a wrapped field at once (it used to keep its height
    until another initiative was chosen), and narrowing grows it again."""
    from ldpm.ui.widgets import GrowingTextEdit

    page = QWidget()
    column = QVBoxLayout(page)
    field = GrowingTextEdit()
    column.addWidget(field)
    column.addStretch(1)
    qtbot.addWidget(page)
    field.setPlainText("word " * 120)
    page.resize(260, 700)
    page.show()
    qtbot.waitUntil(lambda: field._lines >= 8)
    tall = field.height()
    page.resize(1400, 700)
    qtbot.waitUntil(lambda: field.height() < tall)
    page.resize(260, 700)
    qtbot.waitUntil(lambda: field.height() == tall)
