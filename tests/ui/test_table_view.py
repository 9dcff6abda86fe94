"""The shared table and tree views, driven with the keyboard as a user would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget
from pytestqt.qtbot import QtBot

from ldpm.services import initiatives
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.overview import OverviewView


@pytest.fixture
def overview(qtbot: QtBot, runner: OperationRunner, initiative_id: str) -> OverviewView:
    view = OverviewView(runner)
    qtbot.addWidget(view)
    view.resize(1100, 800)
    view.set_initiative(initiative_id)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitActive(view)
    return view


def editor(view: QAbstractItemView) -> QWidget:
    """The editor open in ``view``'s current cell."""
    widget = view.indexWidget(view.currentIndex())
    assert widget is not None, "no editor is open"
    return widget


def type_into(qtbot: QtBot, view: QAbstractItemView, text: str, then: Qt.Key) -> None:
    """Replace what the open editor holds with ``text``, then press ``then``."""
    widget = editor(view)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, then)


def test_tab_in_key_results_moves_to_the_next_cell(
    qtbot: QtBot, runner: OperationRunner, initiative_id: str, overview: OverviewView
) -> None:
    """Issue 7: Tab in the key-results table re-opened the name cell, so values typed after
    Tab overwrote the name."""
    overview.add_objective_button.click()
    tree = overview.objectives_view
    type_into(qtbot, tree, "Hand-offs hold", Qt.Key.Key_Tab)
    overview.add_key_result_button.click()
    type_into(qtbot, tree, "Hand-off errors", Qt.Key.Key_Tab)
    type_into(qtbot, tree, "30", Qt.Key.Key_Tab)
    type_into(qtbot, tree, "18", Qt.Key.Key_Tab)
    type_into(qtbot, tree, "per month", Qt.Key.Key_Tab)
    ((objective, key_results),) = initiatives.list_objectives(runner.project, initiative_id)
    assert objective.title == "Hand-offs hold"
    (kr,) = key_results
    assert (kr.title, kr.baseline, kr.target) == ("Hand-off errors", 30.0, 18.0)
    assert kr.unit == "per month"
