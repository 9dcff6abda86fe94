"""An initiative's backlog as a table: one :class:`BacklogRow` per item, in the order the
workspace's scoring method ranks them, on the shared :class:`ColumnTableModel`.

The rows hold what the table shows beside the item (its position, release, SMEs, what it
moves, its three scores), computed once per read.  The model keeps the items by id and
re-reads only what a change record names: editing one item of 5,000 reads that item, sorts
(in Python, fast) and emits one ``dataChanged`` or one move; adding or removing an item, or a
change to releases, people or the scoring scheme, re-reads the list.  The view
(:class:`~ldpm.ui.views.backlog.BacklogView`) drives it: it calls :meth:`BacklogModel.refresh`
from its ``apply``, so a hidden backlog does no work.

:class:`BacklogProxy` filters with the shared :class:`~ldpm.domain.backlog_filter.BacklogFilter`
(the matrix and the release board use the same one) and counts what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.entities import (
    BacklogItem,
    Initiative,
    ItemSme,
    KeyResult,
    Metric,
    Objective,
    Person,
    Release,
    Workspace,
)
from ldpm.domain.enums import ScoringMethod
from ldpm.domain.scoring import backlog_sort_key, rice, value_effort_ratio, wsjf
from ldpm.services import backlog as svc
from ldpm.services.backlog import BacklogContext
from ldpm.services.changes import ChangeRecord
from ldpm.ui.models.backlog_columns import backlog_columns
from ldpm.ui.models.table import ColumnTableModel, TableProxy
from ldpm.ui.operations import OperationRunner

AnyIndex = QModelIndex | QPersistentModelIndex

#: What a drag carries: the ids of the dragged items, comma-separated.
MIME_TYPE = "application/x-ldpm-backlog-item-ids"

#: Kinds whose change means re-reading the context (names, releases, targets, scheme).
_CONTEXT_KINDS = (Release, Person, ItemSme, Metric, KeyResult, Objective, Workspace)


@dataclass(frozen=True, slots=True)
class BacklogRow:
    """One item with what the table shows beside it."""

    item: BacklogItem
    position: int  # 1 = first in the ranked order
    release: str
    release_position: int | None
    smes: tuple[str, ...]
    target: str
    rice: float | None
    wsjf: float | None
    ratio: float | None  # value / effort

    @property
    def id(self) -> str:
        return self.item.id


class BacklogModel(ColumnTableModel[BacklogRow]):
    """The items of the initiative given to :meth:`set_initiative` (see the module
    docstring)."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        self.context = BacklogContext()
        super().__init__(runner, backlog_columns(self), parent=parent)
        self.set_following(False)  # the view drives it
        self._initiative_id: str | None = None
        self._items: dict[str, BacklogItem] = {}
        #: How many times the whole list was read (tests and benchmarks count them).
        self.full_reads = 0

    # ------------------------------------------------------------------ public
    @property
    def initiative_id(self) -> str | None:
        return self._initiative_id

    @property
    def method(self) -> ScoringMethod:
        return self.context.scheme.method

    def set_initiative(self, initiative_id: str | None) -> None:
        """Show another initiative's backlog (None: nothing): one reset."""
        self._initiative_id = initiative_id
        self._read_all()
        self.set_loader(self._rows if initiative_id is not None else None)

    def refresh(self, record: ChangeRecord) -> None:
        """Bring the rows up to date after ``record``, reading as little as possible."""
        if self._initiative_id is None:
            return
        context = record.everything or any(record.touches(k) for k in _CONTEXT_KINDS)
        structure = record.everything or (record.structure and record.touches(BacklogItem))
        if record.touches(Initiative, self._initiative_id) and record.structure:
            structure = context = True  # the initiative itself was deleted or restored
        if structure:
            self._read_all(context=True)
        else:
            if context:
                self.context = svc.load_context(self.runner.project, self._initiative_id)
            if record.touches(BacklogItem):
                self._read_some(sorted(record.ids))
        self.reload()

    def item(self, row: int) -> BacklogItem | None:
        found = self.row_at(row)
        return found.item if found is not None else None

    def items(self) -> list[BacklogItem]:
        """Every item, in the shown order."""
        return [r.item for r in self.rows()]

    def ranked_order(self) -> list[tuple[str, str]]:
        """``(id, rank)`` of every item in the ranking order (the method's, not a column
        sort): what a move or "rank by hand" starts from."""
        return [(r.item.id, r.item.rank) for r in self._rows()]

    def is_ranked_view(self) -> bool:
        """Are the rows shown in the ranking order (not sorted by a column)?"""
        order = self.sort_order()
        return order is None or order == (0, Qt.SortOrder.AscendingOrder)

    # ---------------------------------------------------------------- reading
    def _read_all(self, *, context: bool = True) -> None:
        if self._initiative_id is None:
            self._items = {}
            self.context = BacklogContext()
            return
        project = self.runner.project
        if context:
            self.context = svc.load_context(project, self._initiative_id)
        self._items = {i.id: i for i in svc.list_items(project, self._initiative_id)}
        self.full_reads += 1

    def _read_some(self, ids: Sequence[str]) -> None:
        wanted = [i for i in ids if i in self._items]
        if not wanted:
            return
        fresh = svc.get_items(self.runner.project, wanted)
        for item_id in wanted:
            item = fresh.get(item_id)
            if item is None or item.initiative_id != self._initiative_id:
                self._items.pop(item_id, None)
            else:
                self._items[item_id] = item

    def _rows(self) -> list[BacklogRow]:
        context = self.context
        scheme = context.scheme
        method = scheme.method
        ordered = sorted(self._items.values(), key=lambda i: backlog_sort_key(i, method, scheme))
        targets = {t.id: t for t in context.targets}
        releases = {r.id: (n, r.name) for n, r in enumerate(context.releases)}
        rows = []
        for position, item in enumerate(ordered, start=1):
            release = releases.get(item.release_id or "")
            target = targets.get(item.metric_id or item.key_result_id or "")
            rows.append(
                BacklogRow(
                    item=item,
                    position=position,
                    release=release[1] if release else "",
                    release_position=release[0] if release else None,
                    smes=context.sme_names(item.id),
                    target=target.name if target else "",
                    rice=rice(item),
                    wsjf=wsjf(item, scheme.weights),
                    ratio=value_effort_ratio(item.value, item.effort),
                )
            )
        return rows

    # ----------------------------------------------------------- drag and drop
    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids: list[str] = []
        for index in indexes:
            row = self.row_at(index.row())
            if row is not None and row.id not in ids:
                ids.append(row.id)
        data = QMimeData()
        data.setData(MIME_TYPE, QByteArray(",".join(ids).encode("ascii")))
        return data

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        # The view handles drops (it knows the filtered, shown order): nothing moves here.
        del data, action, row, column, parent
        return False


class BacklogProxy(TableProxy):
    """The shown rows: those the :class:`BacklogFilter` lets through."""

    def __init__(self, source: BacklogModel, parent: QObject | None = None) -> None:
        super().__init__(source, parent)
        self.backlog = source
        self._filter = BacklogFilter()

    @property
    def filter(self) -> BacklogFilter:
        return self._filter

    def set_filter(self, backlog_filter: BacklogFilter) -> None:
        if backlog_filter == self._filter:
            return
        self.beginFilterChange()
        self._filter = backlog_filter
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._filter.active:
            return True
        row = self.backlog.row_at(source_row)
        return row is not None and self._filter.matches(row.item)

    def shown_ids(self) -> list[str]:
        """The ids of the shown rows, in the shown order."""
        out = []
        for r in range(self.rowCount()):
            row = self.backlog.row_at(self.mapToSource(self.index(r, 0)).row())
            if row is not None:
                out.append(row.id)
        return out

    def id_at(self, row: int) -> str | None:
        if not 0 <= row < self.rowCount():
            return None
        found = self.backlog.row_at(self.mapToSource(self.index(row, 0)).row())
        return found.id if found is not None else None

    def row_of(self, item_id: str) -> int:
        source = self.backlog.row_of(item_id)
        if source < 0:
            return -1
        return self.mapFromSource(self.backlog.index(source, 0)).row()
