"""A two-level tree declared as columns: parent rows and their children (objectives and their
key results), on the same column declarations and row diffing as the tables.

Each level has its own list of :class:`~ldpm.ui.models.table.Column` (of equal length; a
parent row usually fills the columns it lacks with :meth:`Column.placeholder`).  The headers
come from the child columns.

Indexes of children carry their parent in ``internalId``: a serial number given to each parent
id the first time it is seen (0 means "top level").  Unlike a parent's *row*, the serial does not
change when parents are added, removed or moved, so a reload can use fine-grained signals
(moves, insertions, removals under any parent) and persistent indexes — the selection, the
current cell, an open editor — stay on their rows.  A reload syncs the parents first (children
of a new parent arrive with it), then the children of each parent that stayed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ldpm.services.changes import ChangeRecord
from ldpm.ui.models.columns import ID_ROLE, Column, run_edit
from ldpm.ui.models.rows import RowKeeper
from ldpm.ui.operations import OperationRunner

P = TypeVar("P")
C = TypeVar("C")
AnyIndex = QModelIndex | QPersistentModelIndex

_TOP = 0  # internalId of a parent row


class TwoLevelModel(QAbstractItemModel, Generic[P, C]):
    """Parents of type ``P`` with children of type ``C`` from ``loader``."""

    #: A refused value: the cell (of this model) and the sentence to show beside it.
    edit_rejected = Signal(QModelIndex, str)

    def __init__(
        self,
        runner: OperationRunner,
        parent_columns: Sequence[Column[P]],
        child_columns: Sequence[Column[C]],
        loader: Callable[[], list[tuple[P, list[C]]]] | None = None,
        *,
        parent_id: Callable[[P], str] = attrgetter("id"),
        child_id: Callable[[C], str] = attrgetter("id"),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if len(parent_columns) != len(child_columns):
            raise ValueError("both levels need the same number of columns")
        self.runner = runner
        self.parent_columns: list[Column[P]] = list(parent_columns)
        self.child_columns: list[Column[C]] = list(child_columns)
        self._loader = loader
        self._parent_id = parent_id
        self._child_id = child_id
        self._top: RowKeeper[P] = RowKeeper(parent_id)
        self._children: dict[str, RowKeeper[C]] = {}
        self._serial: dict[str, int] = {}
        self._by_serial: dict[int, str] = {}
        self._following = True
        runner.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ public
    def set_loader(self, loader: Callable[[], list[tuple[P, list[C]]]] | None) -> None:
        """Show another source (another initiative): one reset."""
        self.beginResetModel()
        self._loader = loader
        tree = self.load()
        parents = [p for p, _kids in tree]
        self._top.replace(parents)
        self._children = {}
        self._hang({self._parent_id(p): kids for p, kids in tree}, parents)
        self.endResetModel()

    def load(self) -> list[tuple[P, list[C]]]:
        return self._loader() if self._loader is not None else []

    def reload(self) -> None:
        """Re-read the tree and signal only what changed."""
        tree = self.load()
        parents = [p for p, _kids in tree]
        kids = {self._parent_id(p): k for p, k in tree}
        last = len(self.child_columns) - 1

        def attach(new: Sequence[P]) -> None:
            self._hang(kids, new)

        if not self._top.sync(self, QModelIndex(), parents, last_column=last, attach=attach):
            self.set_loader(self._loader)
            return
        for key in set(self._children) - set(kids):
            del self._children[key]
        for row, p in enumerate(parents):
            key = self._parent_id(p)
            keeper = self._children[key]
            index = self.createIndex(row, 0, _TOP)
            if not keeper.sync(self, index, kids[key], last_column=last):
                self._replace_children(index, keeper, kids[key])

    def wants(self, record: ChangeRecord) -> bool:
        return bool(record)

    def set_following(self, following: bool) -> None:
        """Reload after relevant change records (True, the default), or not."""
        self._following = following

    def item(self, index: AnyIndex) -> P | C | None:
        """The parent or child behind ``index`` (any column), or None."""
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._top.row_at(index.row())
        keeper = self._keeper_of(index)
        return keeper.row_at(index.row()) if keeper is not None else None

    def parent_item(self, index: AnyIndex) -> P | None:
        """The parent row at ``index``, or the parent of the child at ``index``."""
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._top.row_at(index.row())
        key = self._by_serial.get(index.internalId())
        return self._top.row_at(self._top.index_of(key)) if key is not None else None

    def index_of(self, row_id: str, column: int = 0) -> QModelIndex:
        """The index of a parent or child by id (invalid if it is not shown)."""
        row = self._top.index_of(row_id)
        if row >= 0:
            return self.createIndex(row, column, _TOP)
        for key, keeper in self._children.items():
            row = keeper.index_of(row_id)
            if row >= 0:
                return self.createIndex(row, column, self._serial[key])
        return QModelIndex()

    # --------------------------------------------------------------- structure
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        if parent.internalId() == _TOP:
            owner = self._top.row_at(parent.row())
            if owner is not None:
                return self.createIndex(row, column, self._serial[self._parent_id(owner)])
        return QModelIndex()

    @overload
    def parent(self) -> QObject | None: ...
    @overload
    def parent(self, child: AnyIndex) -> QModelIndex: ...
    def parent(self, child: AnyIndex | None = None) -> QObject | QModelIndex | None:
        if child is None:
            return super().parent()
        if not child.isValid() or child.internalId() == _TOP:
            return QModelIndex()
        key = self._by_serial.get(child.internalId())
        row = self._top.index_of(key) if key is not None else -1
        return self.createIndex(row, 0, _TOP) if row >= 0 else QModelIndex()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._top)
        if parent.internalId() == _TOP and parent.column() == 0:
            owner = self._top.row_at(parent.row())
            if owner is not None:
                return len(self._children[self._parent_id(owner)])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        del parent
        return len(self.child_columns)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    # ------------------------------------------------------------------- reads
    def _cell(self, index: AnyIndex) -> tuple[Column[Any], Any, str] | None:
        """The column, the row and its id behind ``index``, or None."""
        if not index.isValid() or not 0 <= index.column() < len(self.child_columns):
            return None
        if index.internalId() == _TOP:
            top = self._top.row_at(index.row())
            if top is None:
                return None
            return self.parent_columns[index.column()], top, self._parent_id(top)
        keeper = self._keeper_of(index)
        child = keeper.row_at(index.row()) if keeper is not None else None
        if child is None:
            return None
        return self.child_columns[index.column()], child, self._child_id(child)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self._cell(index)
        if cell is None:
            return None
        column, row, row_id = cell
        return row_id if role == ID_ROLE else column.data(row, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.child_columns):
            return None
        return self.child_columns[section].header_data(role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        cell = self._cell(index)
        if cell is None:
            return Qt.ItemFlag.NoItemFlags
        column, row, _row_id = cell
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() != _TOP:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        if column.is_editable(row):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # ------------------------------------------------------------------ writes
    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        cell = self._cell(index)
        if role != Qt.ItemDataRole.EditRole or cell is None:
            return False
        column, row, _row_id = cell
        if not column.is_editable(row):
            return False
        at = self.createIndex(index.row(), index.column(), index.internalId())
        return run_edit(self.runner, at, column, row, value, self.edit_rejected, self)

    # ----------------------------------------------------------------- helpers
    def _keeper_of(self, index: AnyIndex) -> RowKeeper[C] | None:
        key = self._by_serial.get(index.internalId())
        return self._children.get(key) if key is not None else None

    def _hang(self, kids: dict[str, list[C]], parents: Sequence[P]) -> None:
        """Give ``parents`` (about to be shown) their children and a serial."""
        for p in parents:
            key = self._parent_id(p)
            keeper: RowKeeper[C] = RowKeeper(self._child_id)
            keeper.replace(kids[key])
            self._children[key] = keeper
            if key not in self._serial:
                serial = len(self._serial) + 1
                self._serial[key] = serial
                self._by_serial[serial] = key

    def _replace_children(self, parent: QModelIndex, keeper: RowKeeper[C], kids: list[C]) -> None:
        """Too many steps for one parent's children: take them all out and put the new ones
        in (two brackets under that parent, not a reset of the whole tree)."""
        if len(keeper):
            self.beginRemoveRows(parent, 0, len(keeper) - 1)
            keeper.replace([])
            self.endRemoveRows()
        if kids:
            self.beginInsertRows(parent, 0, len(kids) - 1)
            keeper.replace(kids)
            self.endInsertRows()

    def _on_changed(self, record: ChangeRecord) -> None:
        if self._following and self.wants(record):
            self.reload()
