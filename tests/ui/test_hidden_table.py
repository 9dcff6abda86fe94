"""A hidden table is measured when it is shown, not while hidden: Qt's sizeHintForColumn
sizes every row of a hidden view (seconds for 10,000 rows)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ldpm.ui.models.table import Column, ColumnTableModel
from ldpm.ui.operations import OperationRunner
from ldpm.ui.table_view import DataTableView


class Row:
    def __init__(self, i: int) -> None:
        self.id = str(i)
        self.name = f"Row {i}" + ("x" * 40 if i == 7 else "")


def test_a_hidden_table_waits_to_be_shown(qtbot: QtBot, runner: OperationRunner) -> None:
    rows = [Row(i) for i in range(2_000)]
    model = ColumnTableModel(runner, [Column(field="name", header=lambda: "Name")], lambda: rows)
    model.set_following(False)
    model.reload()
    view = DataTableView()
    qtbot.addWidget(view)
    asked: list[int] = []
    original = view.sizeHintForColumn

    def counting(column: int) -> int:
        asked.append(column)
        return original(column)

    view.sizeHintForColumn = counting  # type: ignore[method-assign]
    view.setModel(model)
    view.fit_columns()
    assert asked == [] and not view.cells.measured
    view.resize(600, 300)
    view.show()
    qtbot.waitUntil(lambda: view.cells.measured)
    assert asked  # measured once shown: the visible rows and the longest texts
    assert view.columnWidth(0) >= view.fontMetrics().horizontalAdvance(rows[7].name)
