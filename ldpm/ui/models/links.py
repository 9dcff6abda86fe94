"""A checkable list: what a metric is linked to (backlog items, releases, key results).

Rows are (id, text, checked).  Checking or unchecking a row asks ``toggle(id, checked)`` for
the command that links or unlinks it and runs it through the operation runner; the list is
then refreshed by the view from the services like every other model, so undo unchecks it
again the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from ldpm.services.commands import Command
from ldpm.ui.models.rows import RowListModel
from ldpm.ui.operations import OperationRunner

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class LinkRow:
    id: str
    text: str
    checked: bool


class LinksModel(RowListModel[LinkRow]):
    def __init__(
        self,
        runner: OperationRunner,
        toggle: Callable[[str, bool], Command | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._toggle = toggle

    def row_id(self, row: LinkRow) -> str:
        return row.id

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if row.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = self.tr("linked") if row.checked else self.tr("not linked")
            return f"{row.text}: {state}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        if checked == row.checked:
            return True
        command = self._toggle(row.id, checked)
        return command is not None and self.runner.run(command, origin=self)
