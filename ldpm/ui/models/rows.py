"""One adapter from a plain Python list of rows to a Qt list model.

Views are told what changed by the operation runner's change records, after which a model
re-reads its rows from the services.  Resetting the whole model on every change would lose the
selection, the scroll position and an open editor, so :class:`RowListModel` instead compares the
new rows with the old ones by id and emits the minimal, correctly bracketed signals:
``beginRemoveRows``/``endRemoveRows`` for rows that went away, ``beginMoveRows``/
``endMoveRows`` for rows that changed place, ``beginInsertRows``/``endInsertRows`` for new ones,
and ``dataChanged`` for rows whose content differs.  Subclasses implement :meth:`row_id` and
``data``.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex

R = TypeVar("R")

_ROOT = QModelIndex()


class RowListModel(QAbstractListModel, Generic[R]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    # -- to implement
    def row_id(self, row: R) -> str:
        raise NotImplementedError

    # -- Qt API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    # -- helpers
    def row_at(self, index: int) -> R | None:
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def rows(self) -> list[R]:
        return list(self._rows)

    def index_of(self, row_id: str) -> int:
        for i, row in enumerate(self._rows):
            if self.row_id(row) == row_id:
                return i
        return -1

    def set_rows(self, new: list[R]) -> None:
        """Make the model hold ``new``, emitting the minimal change signals."""
        new_ids = [self.row_id(r) for r in new]
        if len(set(new_ids)) != len(new_ids):
            raise ValueError("row ids must be unique")
        keep = set(new_ids)
        # 1. Remove rows that are gone, bottom-up so indexes stay valid.
        for i in range(len(self._rows) - 1, -1, -1):
            if self.row_id(self._rows[i]) not in keep:
                self.beginRemoveRows(_ROOT, i, i)
                del self._rows[i]
                self.endRemoveRows()
        # 2. Walk the new order.  Rows before ``target`` already match, so a row that is
        #    present sits at ``target`` or later; a row that is absent is new.
        for target, (row_id, row) in enumerate(zip(new_ids, new, strict=True)):
            current = self.index_of(row_id)
            if current < 0:
                self.beginInsertRows(_ROOT, target, target)
                self._rows.insert(target, row)
                self.endInsertRows()
                continue
            if current != target:
                # Qt's destination is the row *before which* the moved row lands.
                self.beginMoveRows(_ROOT, current, current, _ROOT, target)
                self._rows.insert(target, self._rows.pop(current))
                self.endMoveRows()
            if self._rows[target] != row:
                self._rows[target] = row
                idx = self.index(target, 0)
                self.dataChanged.emit(idx, idx)
