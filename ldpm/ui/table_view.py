"""The shared table and tree views for column models (:mod:`ldpm.ui.models.table`).

:class:`DataTableView` (a ``QTableView``) and :class:`DataTreeView` (a ``QTreeView``, for a
:class:`~ldpm.ui.models.tree.TwoLevelModel`) behave alike:

- **Keyboard.**  Tab and Shift+Tab move to the next / previous editable cell (row by row) and
  commit the cell they leave; they never re-open it.  At the last cell Tab leaves the table.
  Enter commits and moves down, as in a spreadsheet; Escape cancels the edit.  Typing or F2
  starts editing; so does a double click.
- **Editors** come from the column's :class:`~ldpm.ui.models.table.Kind` through one
  delegate (:class:`~ldpm.ui.table_delegate.ColumnDelegate`): a line edit for text and
  numbers (right-aligned), a combo box of translated labels for a choice, a date field with
  "No date" for a date.  The mouse wheel changes an editor only while it has focus.
- **Column sizing** (:meth:`fit_columns`, run after every change of rows, size or font, and
  when a hidden view is shown — a hidden view is not measured, as Qt would size every row): every
  column gets the width of its content; the widest flexible (text) column takes the spare
  room; when there is too little, flexible columns shrink (widest first, down to a few
  characters or the column's ``min_chars``) and elide (at the end, or as
  ``setTextElideMode`` says), so a number, unit,
  date or choice is never cut off while a text column has room.  A column the user resized
  keeps its width.  An elided cell shows its full text in its tooltip.
- **Refused values.**  When the model refuses a value (its ``edit_rejected`` signal), the view
  says why beside the cell in a small message (or in the label given to
  :meth:`set_message_label`); nothing was written.  The message stays while the user goes
  on (Tab to the next cell does not hide it) and goes when the next change is written.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeyEvent, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableView,
    QTreeView,
    QWidget,
)

from ldpm.ui.models.table import COLUMN_ROLE, Column, ColumnTableModel
from ldpm.ui.table_delegate import ColumnDelegate
from ldpm.ui.widgets import (
    set_role,
)

AnyIndex = QModelIndex | QPersistentModelIndex

if TYPE_CHECKING:  # what _CellView is mixed into (a Qt view), for the type checker
    _ViewBase = QAbstractItemView
else:
    _ViewBase = object

_EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)
#: A flexible column never shrinks below this many average characters (or its header).
_MIN_CHARS = 8
#: Up to this many changed or new rows are measured one by one; more: measure it all again.
_MEASURE_ROWS = 50
#: The rows with the longest text measured in each column, besides the visible ones.
_SAMPLE = 5


class _Cells(QObject):
    """What both views share: navigation, sizing, messages.  ``view`` is the table or tree;
    ``below``/``above`` step one visible row (keeping the column)."""

    def __init__(
        self,
        view: QAbstractItemView,
        header: QHeaderView,
        below: Callable[[QModelIndex], QModelIndex],
        above: Callable[[QModelIndex], QModelIndex],
    ) -> None:
        super().__init__(view)
        self.view = view
        self.header = header
        self.below = below
        self.above = above
        self.pinned: set[int] = set()  # columns the user resized
        self.natural: dict[int, int] = {}  # measured content widths
        self.measured = False
        self._fitting = False
        self._burst = 0  # changed rows since the last fit
        self._model: QAbstractItemModel | None = None
        self._source: QObject | None = None
        #: Per column, the source rows with the longest text (see _measure), kept while the
        #: column model's rows stay as they are: a filter changed, the same rows are longest.
        self._longest: dict[int, list[int]] = {}
        self.external: QLabel | None = None
        self._said = ""  # what this view put into ``external``
        self.bubble = QLabel(view)
        self.bubble.setObjectName("cellMessage")
        self.bubble.setWordWrap(True)
        self.bubble.setFrameShape(QFrame.Shape.Box)
        self.bubble.setAutoFillBackground(True)
        self.bubble.setBackgroundRole(QPalette.ColorRole.Base)
        self.bubble.setMargin(view.fontMetrics().averageCharWidth() // 2 + 2)
        self.bubble.setAccessibleName(self.tr("Why the value was not taken"))
        set_role(self.bubble, "warning")
        self.bubble.hide()
        self.fit_timer = QTimer(self)
        self.fit_timer.setSingleShot(True)
        self.fit_timer.setInterval(0)
        self.fit_timer.timeout.connect(self.fit_columns)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.sectionResized.connect(self._section_resized)
        view.setItemDelegate(ColumnDelegate(view))
        view.setEditTriggers(_EDIT_TRIGGERS)
        view.setTabKeyNavigation(True)
        view.setAlternatingRowColors(True)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)

    # -------------------------------------------------------------------- model
    def model_set(self, model: QAbstractItemModel | None) -> None:
        """Follow ``model`` (and the column model under its proxies) for refits and
        refusals."""
        if self._model is not None:
            for signal, slot in self._connections(self._model):
                signal.disconnect(slot)
        if self._source is not None and hasattr(self._source, "edit_rejected"):
            self._source.edit_rejected.disconnect(self._rejected)
        if isinstance(self._source, QAbstractItemModel):
            for signal in self._source_changes(self._source):
                signal.disconnect(self._longest.clear)
        self._model = model
        self._source = None
        self._longest.clear()
        self.measured = False
        if model is None:
            return
        for signal, slot in self._connections(model):
            signal.connect(slot)
        source: QAbstractItemModel = model
        while isinstance(source, QAbstractProxyModel):
            source = source.sourceModel()
        self._source = source
        if hasattr(source, "edit_rejected"):
            source.edit_rejected.connect(self._rejected)
        for signal in self._source_changes(source):
            signal.connect(self._longest.clear)
        self.fit_timer.start()

    @staticmethod
    def _source_changes(source: QAbstractItemModel) -> list[Any]:
        """The column model's signals after which its longest texts may be in other rows."""
        return [
            source.modelReset,
            source.rowsInserted,
            source.rowsRemoved,
            source.rowsMoved,
            source.dataChanged,
            source.layoutChanged,
        ]

    def _connections(self, model: QAbstractItemModel) -> list[tuple[Any, Any]]:
        written = [model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged]
        return [
            *((signal, self.hide_message) for signal in written),  # the refusal is past
            (model.modelReset, self.remeasure),
            (model.columnsInserted, self.remeasure),
            (model.columnsRemoved, self.remeasure),
            (model.rowsInserted, self._rows_arrived),
            (model.dataChanged, self._cells_changed),
            (model.rowsRemoved, self.fit_timer.start),
            (model.layoutChanged, self.fit_timer.start),  # sorted or filtered: same content
        ]

    # --------------------------------------------------------------- navigation
    def columns_in_order(self) -> list[int]:
        header = self.header
        return [
            header.logicalIndex(visual)
            for visual in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(visual))
        ]

    def neighbour(self, index: QModelIndex, forward: bool) -> QModelIndex:
        """The next (or previous) editable cell after ``index``, row by row; invalid at the
        end.  With no current cell: the first (last) editable cell."""
        columns = self.columns_in_order()
        model = self.view.model()
        if not columns or model is None:
            return QModelIndex()
        step = self.below if forward else self.above
        if index.isValid() and index.column() in columns:
            row, pos = index, columns.index(index.column())
        else:
            count = model.rowCount(self.view.rootIndex())
            if count == 0:
                return QModelIndex()
            row = model.index(0 if forward else count - 1, columns[0], self.view.rootIndex())
            if not forward:  # the last visible row, where a tree hides its children
                while (nxt := self.below(row)).isValid():
                    row = nxt
            pos = -1 if forward else len(columns)
        while True:
            pos += 1 if forward else -1
            if not 0 <= pos < len(columns):
                row = step(row)
                if not row.isValid():
                    return QModelIndex()
                pos = 0 if forward else len(columns) - 1
            cell = row.siblingAtColumn(columns[pos])
            if cell.isValid() and cell.flags() & Qt.ItemFlag.ItemIsEditable:
                return cell

    def move_down(self) -> None:
        """After Enter: the cell below becomes current (not opened)."""
        below = self.below(self.view.currentIndex())
        if below.isValid():
            self.view.setCurrentIndex(below)

    # ------------------------------------------------------------------ sizing
    def _section_resized(self, section: int, old: int, new: int) -> None:
        # From or to 0 is the header showing or hiding a column (the chooser; or again all
        # the hidden ones whenever a proxy turns a move of rows into a layout change), never
        # the user dragging an edge: such a column stays sized to its content.
        if not self._fitting and old and new:
            self.pinned.add(section)

    def remeasure(self, *_args: object) -> None:
        """Measure every column again at the next fit (new rows, font or style)."""
        self.measured = False
        self.fit_timer.start()

    def _rows_arrived(self, parent: QModelIndex, first: int, last: int) -> None:
        # A filter letting rows back in inserts them in many short runs: past a few rows
        # before the next fit, one sampled measure is cheaper than measuring every run.
        self._burst += last - first + 1
        if self.measured and self._burst <= _MEASURE_ROWS:
            self._grow(parent, range(first, last + 1), self.columns_in_order())
            self.fit_timer.start()
        else:
            self.remeasure()

    def _cells_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, *_: Any) -> None:
        # Many runs of changed rows before the next fit (a bulk edit) are measured once.
        self._burst += bottom_right.row() - top_left.row() + 1
        if self.measured and self._burst <= _MEASURE_ROWS:
            columns = range(top_left.column(), bottom_right.column() + 1)
            self._grow(top_left.parent(), range(top_left.row(), bottom_right.row() + 1), columns)
            self.fit_timer.start()
        else:
            self.remeasure()

    def _width(self, index: QModelIndex) -> int:
        """The width ``index``'s content wants, as ``sizeHintForColumn`` counts it."""
        width = self.view.sizeHintForIndex(index).width()
        view = self.view
        if isinstance(view, QTreeView) and index.column() == 0:
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width += view.indentation() * (depth + (1 if view.rootIsDecorated() else 0))
        return width

    def _grow(self, parent: QModelIndex, rows: range, columns: Iterable[int]) -> None:
        """Widen the measured widths for content that changed or arrived (never narrow:
        that waits for the next full measure)."""
        model = self.view.model()
        pad = self.view.fontMetrics().averageCharWidth()
        for c in columns:
            if c in self.natural:
                wanted = max(self._width(model.index(r, c, parent)) for r in rows) + pad
                self.natural[c] = max(self.natural[c], wanted)

    def _measure(self, columns: list[int]) -> None:
        """Every column's content width: the visible rows, plus — over a column model —
        the rows with the longest text, wherever they are (so a long number far down is not
        cut off), without asking Qt to size thousands of rows."""
        view, header = self.view, self.header
        pad = view.fontMetrics().averageCharWidth()
        source = self._source
        rows = source.rows() if isinstance(source, ColumnTableModel) else []
        for c in columns:
            width = max(header.sectionSizeHint(c), view.sizeHintForColumn(c))
            if rows and isinstance(source, ColumnTableModel):
                longest = self._longest.get(c)
                if longest is None:
                    display = source.columns[c].display
                    texts = [len(display(row)) for row in rows]
                    longest = heapq.nlargest(_SAMPLE, range(len(rows)), key=texts.__getitem__)
                    self._longest[c] = longest
                for row in longest:
                    index = self._from_source(source.index(row, c))
                    if index.isValid():
                        width = max(width, self._width(index))
            self.natural[c] = width + pad
        self.measured = True

    def _from_source(self, index: QModelIndex) -> QModelIndex:
        chain: list[QAbstractProxyModel] = []
        model = self.view.model()
        while isinstance(model, QAbstractProxyModel):
            chain.append(model)
            model = model.sourceModel()
        for proxy in reversed(chain):
            index = proxy.mapFromSource(index)
        return index

    def fit_columns(self) -> None:
        """Size the columns (see the module docstring): measure if needed, then share out
        the width (a resize only shares out)."""
        model, header, view = self.view.model(), self.header, self.view
        self._burst = 0
        if model is None or header.count() == 0:
            return
        if not view.isVisible():
            # Qt sizes every row of a hidden view (sizeHintForColumn), which for 10,000 rows
            # takes seconds: measure when it is shown (see _CellView.showEvent).
            self.measured = False
            return
        columns = self.columns_in_order()
        if not self.measured or any(c not in self.natural for c in columns):
            self._measure(columns)
        chars = view.fontMetrics().averageCharWidth()
        natural: dict[int, int] = {}
        flexible: list[int] = []
        least: dict[int, int] = {}  # the fewest characters a flexible column keeps
        for c in columns:
            if c in self.pinned:
                natural[c] = header.sectionSize(c)
                continue
            natural[c] = self.natural[c]
            column = model.headerData(c, Qt.Orientation.Horizontal, COLUMN_ROLE)
            if not isinstance(column, Column) or column.is_flexible:
                flexible.append(c)
                least[c] = column.min_chars if isinstance(column, Column) else _MIN_CHARS
        room = view.viewport().width() - sum(natural[c] for c in columns if c not in flexible)
        widths = dict(natural)
        wanted = sum(natural[c] for c in flexible)
        if flexible and wanted <= room:
            widest = max(flexible, key=natural.__getitem__)
            widths[widest] += room - wanted
        elif flexible:
            floor = {
                c: min(natural[c], max(header.sectionSizeHint(c), chars * least[c]))
                for c in flexible
            }
            widths.update(_share(room, {c: natural[c] for c in flexible}, floor))
        self._fitting = True
        try:
            for c in columns:
                if header.sectionSize(c) != widths[c]:
                    header.resizeSection(c, widths[c])
        finally:
            self._fitting = False

    # ---------------------------------------------------------------- messages
    def _rejected(self, source_index: QModelIndex, sentence: str) -> None:
        self.show_message(self._from_source(source_index), sentence)

    def show_message(self, index: QModelIndex, sentence: str) -> None:
        """Say ``sentence`` beside the cell at ``index`` (or in the external label)."""
        if self.external is not None:
            self._said = sentence
            self.external.setText(sentence)
            self.external.show()
            return
        bubble, view = self.bubble, self.view
        bubble.setText("⚠ " + sentence)
        width = min(view.width() - 4, view.fontMetrics().averageCharWidth() * 60)
        bubble.setFixedWidth(max(width, 1))
        bubble.adjustSize()
        cell = view.visualRect(index) if index.isValid() else view.viewport().rect()
        top_left = view.viewport().mapTo(view, cell.bottomLeft() + QPoint(0, 1))
        if top_left.y() + bubble.height() > view.height():  # no room below: above the cell
            top_left = view.viewport().mapTo(view, cell.topLeft()) - QPoint(0, bubble.height())
        x = max(0, min(top_left.x(), view.width() - bubble.width()))
        bubble.move(x, max(0, top_left.y()))
        bubble.show()
        bubble.raise_()

    def hide_message(self, *_args: object) -> None:
        self.bubble.hide()
        if self.external is not None and self._said and self.external.text() == self._said:
            self.external.hide()
        self._said = ""

    def message(self) -> str:
        """The refusal shown now ("" if none)."""
        if self.external is not None:
            return self.external.text() if self.external.isVisible() else ""
        return self.bubble.text().removeprefix("⚠ ") if self.bubble.isVisible() else ""


def _share(room: int, natural: dict[int, int], floor: dict[int, int]) -> dict[int, int]:
    """Widths for flexible columns that together want more than ``room``: the widest give
    way first (they share a common cap), none below its floor."""
    order = sorted(natural, key=natural.__getitem__)
    widths: dict[int, int] = {}
    left = room
    for i, c in enumerate(order):
        share = left // (len(order) - i)
        widths[c] = max(floor[c], min(natural[c], share))
        left -= widths[c]
    return widths


class _CellView(_ViewBase):
    """What both views add to their Qt class (listed first, so these overrides win)."""

    cells: _Cells

    def set_message_label(self, label: QLabel | None) -> None:
        """Show refusals in ``label`` (a form's message line) instead of beside the cell."""
        self.cells.external = label

    def fit_columns(self) -> None:
        self.cells.fit_columns()

    def message(self) -> str:
        """The refusal shown now ("" if none)."""
        return self.cells.message()

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.cells.model_set(model)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        if cursorAction == QAbstractItemView.CursorAction.MoveNext:
            return self.cells.neighbour(self.currentIndex(), True)
        if cursorAction == QAbstractItemView.CursorAction.MovePrevious:
            return self.cells.neighbour(self.currentIndex(), False)
        return super().moveCursor(cursorAction, modifiers)

    def focusNextPrevChild(self, next: bool) -> bool:
        target = self.cells.neighbour(self.currentIndex(), next)
        if self.tabKeyNavigation() and target.isValid():
            self.setCurrentIndex(target)
            return True
        return QWidget.focusNextPrevChild(self, next)  # the end: leave the table

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter
            self.cells.move_down()

    def event(self, event: QEvent) -> bool:
        # F2 edits the current cell, here as in every table, even when the window has an
        # action on F2 (Rename initiative): the table with focus asks first.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F2
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.state() != QAbstractItemView.State.EditingState
            and self.currentIndex().isValid()
        ):
            event.accept()
            return True
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.cells.fit_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.cells.fit_timer.start()  # a hidden view was not measured

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.cells.remeasure()


class DataTableView(_CellView, QTableView):
    """The table every view uses for a :class:`~ldpm.ui.models.table.ColumnTableModel`
    (directly or through a :class:`~ldpm.ui.models.table.TableProxy`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        # sizeHintForColumn looks at the visible rows only; the column model's longest
        # texts are measured besides (_Cells._measure), not a thousand rows through Qt.
        self.horizontalHeader().setResizeContentsPrecision(0)
        self.cells = _Cells(self, self.horizontalHeader(), self._below, self._above)

    def _below(self, index: QModelIndex) -> QModelIndex:
        return index.siblingAtRow(index.row() + 1) if index.isValid() else QModelIndex()

    def _above(self, index: QModelIndex) -> QModelIndex:
        return index.siblingAtRow(index.row() - 1) if index.isValid() else QModelIndex()


class DataTreeView(_CellView, QTreeView):
    """The tree variant, for a :class:`~ldpm.ui.models.tree.TwoLevelModel`: the same
    keyboard, editors, sizing and messages; rows that arrive are shown expanded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        self.cells = _Cells(self, self.header(), self._below, self._above)

    def _below(self, index: QModelIndex) -> QModelIndex:
        below = self.indexBelow(index) if index.isValid() else QModelIndex()
        if not below.isValid() or below == index:
            return QModelIndex()
        return below.siblingAtColumn(index.column())

    def _above(self, index: QModelIndex) -> QModelIndex:
        above = self.indexAbove(index) if index.isValid() else QModelIndex()
        if not above.isValid() or above == index:
            return QModelIndex()
        return above.siblingAtColumn(index.column())

    def setModel(self, model: QAbstractItemModel | None) -> None:
        previous = self.model()
        if previous is not None:
            previous.rowsInserted.disconnect(self._expand_new)
            previous.modelReset.disconnect(self.expandAll)
        super().setModel(model)
        if model is not None:
            model.rowsInserted.connect(self._expand_new)
            model.modelReset.connect(self.expandAll)
            self.expandAll()

    def _expand_new(self, parent: QModelIndex, first: int, last: int) -> None:
        model = self.model()
        if parent.isValid():
            self.expand(parent)
        for row in range(first, last + 1):
            self.expand(model.index(row, 0, parent))
