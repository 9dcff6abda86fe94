"""One model for every table of rows from the services, declared as columns.

:class:`ColumnTableModel` takes a list of :class:`~ldpm.ui.models.columns.Column` and a loader
(rows from the services), keeps the rows by id (:class:`~ldpm.ui.models.rows.RowKeeper`, O(1)
lookups) and re-reads them after every relevant change record, emitting only what changed
(one ``dataChanged`` for one edited row among 10,000).  ``setData`` runs the column's command
through the operation runner; a value that is refused — by the column's check or by the
runner — returns False, writes nothing and emits :attr:`ColumnTableModel.edit_rejected` with
the index and the sentence, so the view can say it beside the cell.  :class:`TableProxy`
sorts by the columns' sort keys and filters on the shown text.

The column names (:class:`Column`, :class:`Kind`, the roles) are importable from here too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter, itemgetter
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from ldpm.services.changes import ChangeRecord
from ldpm.ui.models.columns import (
    COLUMN_ROLE,
    ID_ROLE,
    SEARCH_ROLE,
    SORT_ROLE,
    Column,
    Kind,
    run_edit,
    tabular_font,
)
from ldpm.ui.models.rows import RowKeeper
from ldpm.ui.operations import OperationRunner

__all__ = [
    "COLUMN_ROLE",
    "ID_ROLE",
    "SEARCH_ROLE",
    "SORT_ROLE",
    "Column",
    "ColumnTableModel",
    "Kind",
    "TableProxy",
    "run_edit",
    "tabular_font",
]

R = TypeVar("R")
AnyIndex = QModelIndex | QPersistentModelIndex


class ColumnTableModel(QAbstractTableModel, Generic[R]):
    """Rows of type ``R`` from ``loader`` shown in ``columns``; edits go through ``runner``.

    Subclasses usually only declare the columns and say which change records concern them
    (:meth:`wants`).  The model re-reads its rows after each record it wants, unless
    :meth:`set_following` turned that off (a hidden view reloads when it is shown instead).
    """

    #: A refused value: the cell (of this model) and the sentence to show beside it.
    edit_rejected = Signal(QModelIndex, str)
    #: Flags every cell has besides enabled, selectable and editable (a subclass's rows may
    #: be dragged, say).  Combined once: Python's flag ``|`` is slow, and a table asks for
    #: the flags of every cell it paints.
    extra_flags: Qt.ItemFlag = Qt.ItemFlag.NoItemFlags

    def __init__(
        self,
        runner: OperationRunner,
        columns: Sequence[Column[R]],
        loader: Callable[[], list[R]] | None = None,
        *,
        row_id: Callable[[R], str] = attrgetter("id"),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.columns: list[Column[R]] = list(columns)
        self._loader = loader
        self._keeper: RowKeeper[R] = RowKeeper(row_id)
        self._following = True
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._search: dict[str, str] = {}  # row id -> SEARCH_ROLE text, until a reload
        self._service_order: dict[str, int] = {}  # row id -> place in the loader's order
        self._cell_flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
            | self.extra_flags
        )
        self._editable_flags = self._cell_flags | Qt.ItemFlag.ItemIsEditable
        runner.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ public
    def set_loader(self, loader: Callable[[], list[R]] | None) -> None:
        """Show the rows of another source (another initiative): one reset."""
        self.beginResetModel()
        self._loader = loader
        self._search.clear()
        self._keeper.replace(self._ordered(self.load(), loaded=True))
        self.endResetModel()

    def load(self) -> list[R]:
        """The rows as the services have them now."""
        return self._loader() if self._loader is not None else []

    def reload(self) -> None:
        """Re-read the rows and signal only what changed (in the current sort order: a row
        whose sort key changed moves)."""
        new = self._ordered(self.load(), loaded=True)
        self._search.clear()
        if not self._keeper.sync(self, QModelIndex(), new, last_column=len(self.columns) - 1):
            self.beginResetModel()
            self._keeper.replace(new)
            self.endResetModel()

    def wants(self, record: ChangeRecord) -> bool:
        """Whether ``record`` may change these rows (every non-empty record, by default)."""
        return bool(record)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column``'s sort key (rows without a value last, either way);
        a column of -1 returns to the services' order.  One ``layoutChanged``; persistent
        indexes (selection, current cell) stay on their rows.

        Python sorts the keys: letting ``QSortFilterProxyModel`` compare them calls ``data``
        twice per comparison across the Python boundary, about a second for 10,000 rows
        (``bench/table_bench.py``); :class:`TableProxy` therefore hands sorting to this."""
        self._sort = (column, order) if 0 <= column < len(self.columns) else None
        new = self._ordered(self._keeper.rows())
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [self._keeper.row_at(index.row()) for index in before]
        ids = [self._keeper.row_id(row) if row is not None else None for row in held]
        self._keeper.replace(new)
        after = [
            self.index(self._keeper.index_of(key), index.column())
            if key is not None
            else QModelIndex()
            for key, index in zip(ids, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def sort_order(self) -> tuple[int, Qt.SortOrder] | None:
        """The column and order the rows are sorted by, or None (the services' order)."""
        return self._sort

    def set_following(self, following: bool) -> None:
        """Reload after relevant change records (True, the default), or not."""
        self._following = following

    def row_at(self, row: int) -> R | None:
        return self._keeper.row_at(row)

    def rows(self) -> list[R]:
        return self._keeper.rows()

    def row_of(self, row_id: str) -> int:
        """The row of ``row_id``, or -1.  O(1)."""
        return self._keeper.index_of(row_id)

    def index_for(self, row_id: str, column: int = 0) -> QModelIndex:
        row = self._keeper.index_of(row_id)
        return self.index(row, column) if row >= 0 else QModelIndex()

    # ------------------------------------------------------------------- reads
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keeper)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._keeper.row_at(index.row())
        if row is None or not 0 <= index.column() < len(self.columns):
            return None
        if role == ID_ROLE:
            return self._keeper.row_id(row)
        if role == SEARCH_ROLE:
            key = self._keeper.row_id(row)
            text = self._search.get(key)
            if text is None:
                text = self._search[key] = "\n".join(c.display(row) for c in self.columns)
            return text
        return self.columns[index.column()].data(row, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        return self.columns[section].header_data(role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        row = self._keeper.row_at(index.row()) if index.isValid() else None
        if row is None:
            return Qt.ItemFlag.NoItemFlags
        if self.columns[index.column()].is_editable(row):
            return self._editable_flags
        return self._cell_flags

    # ------------------------------------------------------------------ writes
    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        row = self._keeper.row_at(index.row())
        assert row is not None
        column = self.columns[index.column()]
        cell = self.index(index.row(), index.column())
        return run_edit(self.runner, cell, column, row, value, self.edit_rejected, self)

    # ----------------------------------------------------------------- refresh
    def _on_changed(self, record: ChangeRecord) -> None:
        if self._following and self.wants(record):
            self.reload()

    def _ordered(self, rows: list[R], *, loaded: bool = False) -> list[R]:
        """``rows`` in the current sort order.  ``loaded``: they come straight from the
        loader, whose order is the services' order (kept to return to without a sort)."""
        if loaded:
            self._service_order = {self._keeper.row_id(row): i for i, row in enumerate(rows)}
        if self._sort is None:
            if loaded:
                return rows
            position = self._service_order
            return sorted(rows, key=lambda row: position.get(self._keeper.row_id(row), -1))
        if loaded and len(self._keeper):
            # Start from the order shown: the sort then finds a nearly sorted list (fast),
            # and rows with equal keys keep their places instead of jumping.
            row_id = self._keeper.row_id
            by_id = {row_id(row): row for row in rows}
            shown = [by_id.pop(row_id(row)) for row in self._keeper.rows() if row_id(row) in by_id]
            rows = shown + list(by_id.values())
        key = self.columns[self._sort[0]].python_key()
        keyed = list(zip(map(key, rows), rows, strict=True))
        present = [pair for pair in keyed if pair[0] is not None]
        present.sort(key=itemgetter(0), reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)
        return [r for _k, r in present] + [r for k, r in keyed if k is None]


class TableProxy(QSortFilterProxyModel):
    """Sorting and filtering over a column model.  Sorting uses the columns' sort keys, never
    the shown text of numbers: over a :class:`ColumnTableModel` it is done by the model (see
    :meth:`ColumnTableModel.sort`, far faster), over another model by Qt on
    :data:`SORT_ROLE`.  Filtering keeps the rows with the filter text in a shown cell (any
    column, ignoring case): over a column model it asks once per row (:data:`SEARCH_ROLE`),
    not once per cell."""

    def __init__(self, source: QAbstractItemModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        if isinstance(source, ColumnTableModel):
            self.setFilterRole(SEARCH_ROLE)
            self.setFilterKeyColumn(0)
        else:
            self.setFilterKeyColumn(-1)

    def set_filter_text(self, text: str) -> None:
        """Show only rows with ``text`` in one of their cells (all rows for "")."""
        self.setFilterFixedString(text.strip())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, ColumnTableModel):
            source.sort(column, order)  # the proxy keeps the model's order (its own is -1)
        else:
            super().sort(column, order)
