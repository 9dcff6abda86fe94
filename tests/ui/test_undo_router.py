"""Ctrl+Z goes to the project's undo stack whatever has focus — fields of views built after
the project opened included — while a cell editor keeps its own undo until it commits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from ldpm.services import initiatives as svc
from ldpm.ui.main_window import MainWindow
from ldpm.ui.undo_router import in_item_editor


def test_ctrl_z_in_a_field_undoes_the_project_edit(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.page is not None and window.project is not None
    owner = window.page.overview.editors["owner"]
    assert isinstance(owner, QLineEdit)
    owner.setFocus()
    owner.end(False)
    before = owner.text()
    qtbot.keyClicks(owner, "!")
    current = window.page.current_initiative()
    assert current is not None and current.owner == before + "!"
    qtbot.keyClick(owner, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    current = svc.get_initiative(window.project, current.id)
    assert current is not None and current.owner == before
    assert owner.text() == before


def test_a_field_made_after_opening_is_routed_too(
    window: MainWindow, qtbot: QtBot, demo_path: Path
) -> None:
    with qtbot.waitSignal(window.project_opened):
        window.open_path(demo_path)
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.page is not None and window.runner is not None
    window.menu_actions["new_initiative"].trigger()  # one step on the project's stack
    steps = window.runner.undo_stack.count()
    late = QLineEdit(window.page.overview)  # a field of a view built later
    late.show()
    late.setFocus()
    qtbot.keyClicks(late, "abc")
    qtbot.keyClick(late, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.runner.undo_stack.count() == steps
    assert window.runner.undo_stack.index() == steps - 1  # the project's step was undone
    assert late.text() == "abc"  # not the field's own undo


def test_cell_editors_keep_their_own_undo(qtbot: QtBot) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    editor = QLineEdit(view.viewport())
    plain = QLineEdit(view)
    assert in_item_editor(editor)
    assert not in_item_editor(plain)
