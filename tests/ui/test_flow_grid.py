"""The rows of a form (FormPage.grid is a FlowGrid): which combo boxes hold a row apart."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ldpm.ui.views.flow_grid import FlowGrid

LONG = "Share of hand-offs with a completed checklist in the incident channel"


def test_a_combo_that_may_elide_does_not_need_its_longest_choice(qtbot: QtBot) -> None:
    """A choice of fixed labels (kind, support) is shown whole; a list of names the user typed
    (metrics, releases) said it may be cut, and does not widen the form."""
    fixed = QComboBox()
    fixed.addItems(["Short", LONG])
    names = QComboBox()
    names.addItems(["Short", LONG])
    names.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    names.setMinimumContentsLength(12)
    grid = FlowGrid([[fixed, QLineEdit()], [names, QLineEdit()]], min_chars=4)
    qtbot.addWidget(grid)
    longest = fixed.fontMetrics().horizontalAdvance(LONG)
    assert grid.needed(fixed) > longest
    assert grid.needed(names) < longest
    assert grid.needed(names) >= names.minimumSizeHint().width()


def test_tab_follows_the_rows_as_they_read(qtbot: QtBot) -> None:
    """Fields made in one order and laid out in another: Tab goes along the rows, and a
    combo box with its own line edit is one stop."""
    grid = QWidget()  # the fields' first parent, as a form's section is
    first, last, middle = QLineEdit(grid), QLineEdit(grid), QLineEdit(grid)
    combo = QComboBox(grid)
    combo.setEditable(True)
    rows = FlowGrid([[first], [middle, combo], [last]], grid, min_chars=4)
    QVBoxLayout(grid).addWidget(rows)
    qtbot.addWidget(grid)
    grid.show()
    with qtbot.waitActive(grid):
        grid.activateWindow()
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    order: list[QWidget | None] = [first]
    for _ in range(3):
        rows.focusNextChild()
        order.append(QApplication.focusWidget())
    assert order == [first, middle, combo, last]
