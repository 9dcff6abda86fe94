"""The backlog's table: the shared :class:`~ldpm.ui.table_view.DataTableView` with what a
backlog adds — keyboard-first entry, moving rows, dragging them, and a column chooser whose
choices are remembered.

Keys (while the table has focus; the window's own uses of these keys wait):

- **Enter** on the last row, or after editing a cell of the last row, asks for a new item
  (:attr:`BacklogTable.append_requested`); elsewhere Enter moves down as in every table.
- **Delete** (or Backspace) asks to remove the selected items (:attr:`delete_requested`).
- **Alt+Up / Alt+Down** ask to move the current item one row (:attr:`move_requested`).

A drop of rows dragged inside the table asks to move them before a shown row
(:attr:`rows_dropped`); the view decides (it knows the order and the filter), so nothing
moves in Qt's own way.

**Columns.**  Right-click a header (or use the view's Columns button) to show or hide
columns; drag a header to reorder; drag its edge to set a width.  Order, visibility and the
widths set by hand are stored by column key (:data:`~ldpm.ui.models.backlog_columns.KEYS`) in
the user's settings, so a new column in a later version never shifts the others.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QMenu,
    QWidget,
)

from ldpm.ui import settings as prefs
from ldpm.ui.models.backlog import MIME_TYPE
from ldpm.ui.models.backlog_columns import DEFAULT_HIDDEN, DEFAULT_ORDER, KEYS
from ldpm.ui.table_view import DataTableView

_OVERRIDDEN = {
    (Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Backspace, Qt.KeyboardModifier.NoModifier),
}
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _combo(event: QKeyEvent) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return Qt.Key(event.key()), Qt.KeyboardModifier(mods)


class BacklogTable(DataTableView):
    """See the module docstring."""

    append_requested = Signal()
    delete_requested = Signal()
    move_requested = Signal(int)  # -1 up, +1 down
    #: Dragged item ids and the shown row they were dropped before (the row count: the end).
    rows_dropped = Signal(list, int)
    #: The columns shown, their order or a width set by hand changed (after a restore too).
    columns_changed = Signal()

    def __init__(self, settings: prefs.Settings | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backlog")
        self.setAccessibleName(self.tr("Backlog items"))
        self.settings = settings
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sectionMoved.connect(self._save_columns)
        header.sectionResized.connect(self._resized)
        self._restoring = False

    # ------------------------------------------------------------------ keys
    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self.state() != QAbstractItemView.State.EditingState
            and _combo(event) in _OVERRIDDEN
        ):
            event.accept()  # ours while the table has focus (not the window's Move Up …)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = _combo(event)
        if self.state() != QAbstractItemView.State.EditingState:
            if mods == Qt.KeyboardModifier.AltModifier and key in (
                Qt.Key.Key_Up,
                Qt.Key.Key_Down,
            ):
                self.move_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
                event.accept()
                return
            if mods == Qt.KeyboardModifier.NoModifier and key in (
                Qt.Key.Key_Delete,
                Qt.Key.Key_Backspace,
            ):
                self.delete_requested.emit()
                event.accept()
                return
            if key in _ENTER and mods == Qt.KeyboardModifier.NoModifier and self._on_last_row():
                self.append_requested.emit()
                event.accept()
                return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        last = self._on_last_row()
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache and last:
            self.append_requested.emit()  # Enter after the last row's cell: the next item

    def _on_last_row(self) -> bool:
        model = self.model()
        current = self.currentIndex()
        return model is not None and current.isValid() and current.row() == model.rowCount() - 1

    # ------------------------------------------------------------- dragging
    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.source() is not self or not event.mimeData().hasFormat(MIME_TYPE):
            event.ignore()
            return
        super().dragMoveEvent(event)
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        if event.source() is not self or not event.mimeData().hasFormat(MIME_TYPE):
            event.ignore()
            return
        raw = bytes(event.mimeData().data(MIME_TYPE).data()).decode("ascii")
        ids = [i for i in raw.split(",") if i]
        before = self.drop_row(event.position().toPoint())
        # Nothing moves Qt's way (which would remove the dragged rows): the view decides.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if ids:
            self.rows_dropped.emit(ids, before)

    def drop_row(self, pos: QPoint) -> int:
        """The shown row a drop at ``pos`` lands before (the row count: at the end)."""
        model = self.model()
        count = model.rowCount() if model is not None else 0
        index = self.indexAt(pos)
        if not index.isValid():
            return count
        rect = self.visualRect(index)
        return index.row() + (1 if pos.y() > rect.center().y() else 0)

    # -------------------------------------------------------------- columns
    def column_keys(self) -> list[str]:
        """The shown columns' keys, in the shown order."""
        header = self.horizontalHeader()
        return [
            KEYS[header.logicalIndex(v)]
            for v in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(v))
        ]

    def set_column_shown(self, key: str, shown: bool) -> None:
        column = KEYS.index(key)
        if self.horizontalHeader().isSectionHidden(column) != (not shown):
            self.horizontalHeader().setSectionHidden(column, not shown)
            self.cells.remeasure()
            self._save_columns()

    def column_menu(self, parent: QWidget | None = None) -> QMenu:
        """Show or hide each column; put the columns back as they came."""
        menu = QMenu(self.tr("Columns"), parent or self)
        header = self.horizontalHeader()
        model = self.model()
        for column, key in enumerate(KEYS):
            title = str(model.headerData(column, Qt.Orientation.Horizontal)) if model else key
            action = QAction(title, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(key != "title")  # a backlog without titles says nothing
            action.toggled.connect(lambda on, k=key: self.set_column_shown(k, on))
            menu.addAction(action)
        menu.addSeparator()
        reset = menu.addAction(self.tr("Reset Columns"))
        reset.triggered.connect(self.reset_columns)
        return menu

    def _header_menu(self, pos: QPoint) -> None:
        menu = self.column_menu(self)
        menu.exec(self.horizontalHeader().viewport().mapToGlobal(pos))
        menu.deleteLater()

    def reset_columns(self) -> None:
        self._apply_columns(
            {"order": list(DEFAULT_ORDER), "hidden": sorted(DEFAULT_HIDDEN), "widths": {}}
        )
        self._save_columns()

    def restore_columns(self) -> None:
        """Order, visibility and hand-set widths as the user left them (or the defaults)."""
        raw = self.settings.get(prefs.BACKLOG_COLUMNS) if self.settings is not None else ""
        try:
            state = json.loads(raw) if raw else {}
        except ValueError:
            state = {}
        if not isinstance(state, dict):
            state = {}
        self._apply_columns(
            {
                "order": state.get("order", list(DEFAULT_ORDER)),
                "hidden": state.get("hidden", sorted(DEFAULT_HIDDEN)),
                "widths": state.get("widths", {}),
            }
        )

    def _apply_columns(self, state: dict[str, object]) -> None:
        header = self.horizontalHeader()
        order = [k for k in _strings(state.get("order")) if k in KEYS]
        order += [k for k in KEYS if k not in order]  # columns new in this version
        hidden = set(_strings(state.get("hidden"))) - {"title"}
        widths = state.get("widths")
        self._restoring = True
        try:
            for visual, key in enumerate(order):
                logical = KEYS.index(key)
                current = header.visualIndex(logical)
                if current != visual:
                    header.moveSection(current, visual)
            for column, key in enumerate(KEYS):
                header.setSectionHidden(column, key in hidden)
            self.cells.pinned.clear()
            if isinstance(widths, dict):
                for key, width in widths.items():
                    if key in KEYS and isinstance(width, int) and width > 8:
                        column = KEYS.index(key)
                        self.cells.pinned.add(column)
                        header.resizeSection(column, width)
        finally:
            self._restoring = False
        self.cells.remeasure()
        self.columns_changed.emit()

    def _resized(self, column: int, old: int, new: int) -> None:
        # From or to 0: the header showing or hiding the column (see _Cells), which saves
        # itself (set_column_shown) or is no change at all (rows moved).
        if not self._restoring and old and new and column in self.cells.pinned:
            self._save_columns()

    def _save_columns(self, *_args: object) -> None:
        if self._restoring:
            return
        header = self.horizontalHeader()
        state = {
            "order": [KEYS[header.logicalIndex(v)] for v in range(header.count())],
            "hidden": [k for c, k in enumerate(KEYS) if header.isSectionHidden(c)],
            "widths": {KEYS[c]: header.sectionSize(c) for c in sorted(self.cells.pinned)},
        }
        if self.settings is not None:
            self.settings.set(prefs.BACKLOG_COLUMNS, json.dumps(state))
        self.columns_changed.emit()

    def select_rows(self, rows: Sequence[int], current: int | None = None) -> None:
        """Select the shown ``rows`` (whole rows) and make ``current`` the current row."""
        model = self.model()
        selection = self.selectionModel()
        if model is None or selection is None:
            return
        selection.clearSelection()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for row in rows:
            selection.select(model.index(row, 0), flags)
        if current is not None and 0 <= current < model.rowCount():
            column = max(self.currentIndex().column(), 0)
            selection.setCurrentIndex(
                model.index(current, column), selection.SelectionFlag.NoUpdate
            )
            self.scrollTo(model.index(current, column))

    def current_row(self) -> int:
        index: QModelIndex = self.currentIndex()
        return index.row() if index.isValid() else -1


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
