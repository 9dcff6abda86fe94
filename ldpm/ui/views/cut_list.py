"""The MVP's ranked list with its cut line.

The candidates for the MVP (items in the plan) in order — the MVP's own items, then the rest,
each by rank — with the cut line as a row among them (:class:`CutListModel`).  Dragging the line
moves items into or out of the MVP; dragging an item across it does the same for that item, and
ranks it between its new neighbours.  Ctrl+Up and Ctrl+Down move the selected row (item or
line) one place.  The line's row says how much the MVP costs against its capacity.  Every move
is one command (:func:`ldpm.services.plan.rearrange_cut`), run by the view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from ldpm.domain.entities import BacklogItem, Release
from ldpm.domain.release_plan import cut_list, release_load
from ldpm.ui.models.plan_items import CUT_ID, CutLine, CutListModel, CutRow
from ldpm.ui.views.cards import CardDelegate

#: Called with the rows in their new order (None for the line) and the id moved (None: the
#: line); returns True if something changed.
Rearrange = Callable[[list[str | None], str | None], bool]


def moved_rows(rows: Sequence[str | None], ids: Sequence[str], row: int) -> list[str | None]:
    """``rows`` (ids, None for the line, :data:`CUT_ID` given as None) after moving ``ids``
    to before row ``row`` (-1: the end), as a drop does."""
    moving: list[str | None] = [None if i == CUT_ID else i for i in ids]
    if row < 0:
        row = len(rows)
    before = sum(1 for r in rows[:row] if r in moving)
    rest = [r for r in rows if r not in moving]
    at = row - before
    return [*rest[:at], *moving, *rest[at:]]


class CutListView(QListView):
    """The ranked list: drag within it, Ctrl+Up and Ctrl+Down."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cut_model = CutListModel(self)
        self.setModel(self.cut_model)
        self.setItemDelegate(CardDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(True)  # the line's row is as tall as an item's
        self.setLayoutMode(QListView.LayoutMode.Batched)  # thousands of candidates
        self.setBatchSize(200)
        self._rearrange: Rearrange | None = None
        self.cut_model.on_drop = self._dropped

    def set_rearrange(self, rearrange: Rearrange) -> None:
        self._rearrange = rearrange

    def show_candidates(
        self, items: Sequence[BacklogItem], mvp: Release | None
    ) -> tuple[int, int]:
        """Show the candidates of ``items`` with the cut line for ``mvp``; returns how many
        items are above and below it."""
        order, cut = cut_list(items, mvp.id if mvp else None)
        load = release_load(order[:cut], mvp.capacity if mvp else None)
        rows: list[CutRow] = list(order)
        if mvp is not None:
            rows.insert(cut, CutLine(cut, load.effort, load.capacity))
        self.cut_model.set_rows(rows)
        return cut, len(order) - cut

    def _dropped(self, ids: list[str], row: int) -> bool:
        rows = self.cut_model.ids_with_line()
        if None not in rows or self._rearrange is None:
            return False
        new = moved_rows(rows, ids, row)
        if new == rows:
            return False
        moved = None if ids == [CUT_ID] else ids[0]
        return self._rearrange(new, moved)

    def move_current(self, delta: int) -> bool:
        """Move the selected row (an item or the line) ``delta`` places."""
        index = self.currentIndex()
        if not index.isValid():
            return False
        rows = self.cut_model.ids_with_line()
        at = index.row()
        to = at + delta
        if not 0 <= to < len(rows):
            return False
        row_id = CUT_ID if rows[at] is None else rows[at]
        assert row_id is not None
        target = to + 1 if delta > 0 else to  # before which row it lands
        done = self._dropped([row_id], target if target < len(rows) else -1)
        if done:
            new_row = self.cut_model.index_of(row_id)
            if new_row >= 0:
                self.setCurrentIndex(self.cut_model.index(new_row))
        return done

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() == Qt.KeyboardModifier.ControlModifier and event.key() in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            self.move_current(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)
