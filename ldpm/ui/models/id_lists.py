"""List models whose rows can be dragged elsewhere by id, and take drops of ids.

:class:`IdListModel` is a :class:`~ldpm.ui.models.rows.RowListModel` (minimal change signals
on every reload) whose rows drag as :data:`ldpm.ui.canvas.ID_MIME` — so they can be dropped on
a card canvas, on another list, or on a lane of a board — and which hands drops to a callback
``on_drop(ids, row)`` (``row`` is where they were dropped: before that row, or -1 at the
end).  The callback runs the command; the model itself never changes its rows on a drop, so
Qt never removes the dragged rows itself: the runner's change record reloads every list.

The rows' roles beyond Qt's own: :data:`ID_ROLE` (the row's id) and :data:`SUBTITLE_ROLE`
(a second line), :data:`BADGE_ROLE` (a colour role name for a status chip),
:data:`BADGE_TEXT_ROLE` and :data:`WARNING_ROLE` (True: draw the row as a warning), read by
:class:`ldpm.ui.views.cards.CardDelegate`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QMimeData, QModelIndex, QObject, QPersistentModelIndex, Qt

from ldpm.ui.canvas import ID_MIME, decode_ids, encode_ids
from ldpm.ui.models.rows import RowListModel

R = TypeVar("R")

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 30
BADGE_ROLE = Qt.ItemDataRole.UserRole + 31
BADGE_TEXT_ROLE = Qt.ItemDataRole.UserRole + 32
WARNING_ROLE = Qt.ItemDataRole.UserRole + 33

AnyIndex = QModelIndex | QPersistentModelIndex
DropHandler = Callable[[list[str], int], bool]


class IdListModel(RowListModel[R]):
    """Rows with ids that drag and drop as ids (see the module docstring)."""

    def __init__(self, parent: QObject | None = None, *, drops: bool = True) -> None:
        super().__init__(parent)
        self._drops = drops
        #: Called with (ids, row) when ids are dropped here; returns True if it did something.
        self.on_drop: DropHandler | None = None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self._drops else Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        return flags

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ID_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        ids = [self.row_id(r) for n in rows if (r := self.row_at(n)) is not None]
        return encode_ids(ids)

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        return self._drops and data.hasFormat(ID_MIME)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        ids = decode_ids(data)
        if parent.isValid():  # dropped onto a row: before it
            row = parent.row()
        if not ids or self.on_drop is None:
            return False
        return self.on_drop(ids, row)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == ID_ROLE:
            return self.row_id(row)
        return self.row_data(row, role)

    def row_data(self, row: R, role: int) -> Any:
        """What to show of ``row`` in ``role`` (subclasses)."""
        return None
