"""An initiative's backlog as a table: one :class:`BacklogRow` per item, in the order the
workspace's scoring method ranks them, on the shared :class:`ColumnTableModel`.

The rows hold what the table shows beside the item (its position, release, SMEs, what it
moves, its three scores), computed once per read.  The model keeps the items by id and
re-reads only what a change record names: editing or moving one item of 5,000 reads that
item, takes its row out of the ranked order and puts it back where its ranking key sorts (a
binary search), renumbers only the rows between its old and new place, and emits one move
and one ``dataChanged``; adding or removing an item, a change to releases, people or the
scoring scheme, or more than :data:`PATCH_MOST` items changed at once (a bulk edit) builds
every row again — with the same result (``tests/ui/test_backlog_model.py``).  The view
(:class:`~ldpm.ui.views.backlog.BacklogView`) drives it: it calls :meth:`BacklogModel.refresh`
from its ``apply``, so a hidden backlog does no work.

:class:`BacklogProxy` filters with the shared :class:`~ldpm.domain.backlog_filter.BacklogFilter`
(the matrix and the release board use the same one) and counts what it shows.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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
from ldpm.domain.scoring import moscow_order, rice, value_effort_ratio, wsjf
from ldpm.services import backlog as svc
from ldpm.services.backlog import BacklogContext
from ldpm.services.changes import ChangeRecord
from ldpm.ui.models.backlog_columns import (
    POSITION,
    backlog_columns,
    format_position,
    format_score,
    number_marks,
)
from ldpm.ui.models.table import ColumnTableModel, TableProxy
from ldpm.ui.operations import OperationRunner

AnyIndex = QModelIndex | QPersistentModelIndex

#: What a drag carries: the ids of the dragged items, comma-separated.
MIME_TYPE = "application/x-ldpm-backlog-item-ids"

#: Kinds whose change means re-reading the context (names, releases, targets, scheme).
_CONTEXT_KINDS = (Release, Person, ItemSme, Metric, KeyResult, Objective, Workspace)

#: Up to this many items changed since the rows were built are put in place one by one;
#: more (a bulk edit) and every row is built again, which is then quicker.
PATCH_MOST = 32


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
    #: The shown RICE, WSJF, value/effort and position, worked out once (sizing a column
    #: reads the text of every row).
    texts: tuple[str, str, str, str] = field(default=("", "", "", ""), compare=False)
    #: The item's id, as a field: the model reads every row's id when it compares the rows
    #: with the last ones, and a field is read without a Python call (a property is not).
    id: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", self.item.id)

    def moved_to(self, position: int, marks: tuple[str, str]) -> BacklogRow:
        """The same row at another position."""
        return BacklogRow(
            self.item,
            position,
            self.release,
            self.release_position,
            self.smes,
            self.target,
            self.rice,
            self.wsjf,
            self.ratio,
            (*self.texts[:3], format_position(position, marks)),
        )


#: An item, its row of the last build (if that shows this very item) and its three scores.
_Scored = tuple[BacklogItem, BacklogRow | None, tuple[float | None, ...]]


class BacklogModel(ColumnTableModel[BacklogRow]):
    """The items of the initiative given to :meth:`set_initiative` (see the module
    docstring)."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        self.context = BacklogContext()
        super().__init__(runner, backlog_columns(self), parent=parent)
        self.set_following(False)  # the view drives it
        self._initiative_id: str | None = None
        self._items: dict[str, BacklogItem] = {}
        self._built: dict[str, BacklogRow] = {}  # the rows last built, by item id
        self._order: list[BacklogRow] = []  # the same rows in the ranked order
        #: ``(id, rank)`` of each of them: kept, not made again for every move (5,000 new
        #: tuples a move would soon cost a full garbage collection).
        self._ranked: list[tuple[str, str]] = []
        #: Items re-read since the rows were built; None: build every row again.
        self._dirty: set[str] | None = None
        #: How many times the whole list was read, and every row built (tests count them).
        self.full_reads = 0
        self.rebuilds = 0

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
                self._set_context(svc.load_context(self.runner.project, self._initiative_id))
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
        return list(self._ranked)

    def is_ranked_view(self) -> bool:
        """Are the rows shown in the ranking order (not sorted by a column)?"""
        return self.sort_order() is None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort as every column model does; by **#** ascending is the ranking order itself,
        the order the rows come in, so it is kept as no sort at all: a refresh after a move
        then sorts nothing (instead of 5,000 rows by position)."""
        if column == POSITION and order == Qt.SortOrder.AscendingOrder:
            column = -1
        super().sort(column, order)

    # ---------------------------------------------------------------- reading
    def _read_all(self, *, context: bool = True) -> None:
        if self._initiative_id is None:
            self._items = {}
            self._set_context(BacklogContext())
            return
        project = self.runner.project
        if context:
            self._set_context(svc.load_context(project, self._initiative_id))
        self._items = {i.id: i for i in svc.list_items(project, self._initiative_id)}
        self._dirty = None
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
                self._dirty = None  # one row fewer: build them all
            else:
                self._items[item_id] = item
                if self._dirty is not None:
                    self._dirty.add(item_id)

    def _set_context(self, context: BacklogContext) -> None:
        self.context = context
        self._built = {}  # every row is built again with the new context
        self._order = []
        self._ranked = []
        self._dirty = None

    def _rows(self) -> list[BacklogRow]:
        """The rows in the ranking order: those of the last build with the items re-read
        since put in place (:meth:`_patched`), or every row built again (:meth:`_rebuilt`).
        Either way a row whose item and context did not change is the same object as before
        (or a copy at its new position), so comparing old and new rows is quick and their
        shown texts need not be worked out again."""
        rows = self._patched()
        if rows is None:
            rows = self._rebuilt()
            self.rebuilds += 1
        self._order = rows
        self._dirty = set()
        return rows

    def _patched(self) -> list[BacklogRow] | None:
        """The last build's rows with each re-read item taken out and put back where its
        ranking key sorts (a binary search: the others' keys did not change, and keys never
        tie, ending with the id), and only the rows between an item's old and new place
        renumbered.  None when that cannot give :meth:`_rebuilt`'s rows or would be slower:
        the context changed, items came or went, or more than :data:`PATCH_MOST` changed."""
        dirty, order, built = self._dirty, self._order, self._built
        if (
            dirty is None
            or len(dirty) > PATCH_MOST
            or len(order) != len(self._items)
            or not all(i in built for i in dirty)
        ):
            return None
        if not dirty:
            return order
        key = _ranking(self.context.scheme.method)

        def row_key(row: BacklogRow) -> tuple[int, float, str, str]:
            return key((row.item, row, (row.rice, row.wsjf, row.ratio)))

        taken = sorted(built[i].position - 1 for i in dirty)
        rows: list[BacklogRow] = []
        start = 0
        for at in taken:
            rows += order[start:at]
            start = at + 1
        rows += order[start:]
        fresh = sorted((self._scored(self._items[i]) for i in dirty), key=key)
        build = self._builder()
        placed = []
        for scored in fresh:
            row = build(scored, 0)  # numbered below
            at = bisect_left(rows, row_key(row), key=row_key)
            rows.insert(at, row)
            placed.append(at)  # ascending keys: a later one lands after, never moves it
        marks = number_marks()
        first, last = min(taken[0], placed[0]), max(taken[-1], placed[-1])
        for n in range(first, last + 1):
            row = rows[n]
            if row.position != n + 1:  # the re-read rows too: they were made at 0
                rows[n] = built[row.id] = row.moved_to(n + 1, marks)
        self._ranked[first : last + 1] = [(r.id, r.item.rank) for r in rows[first : last + 1]]
        return rows

    def _scored(self, item: BacklogItem) -> _Scored:
        """``item`` with its row of the last build if that row shows this very item (its
        scores then stand), else with its scores worked out."""
        old = self._built.get(item.id)
        if old is not None and old.item is item:
            return (item, old, (old.rice, old.wsjf, old.ratio))
        weights = self.context.scheme.weights
        return (
            item,
            None,
            (rice(item), wsjf(item, weights), value_effort_ratio(item.value, item.effort)),
        )

    def _builder(self) -> Callable[[_Scored, int], BacklogRow]:
        """A function making an item's row at a position, in the current context."""
        context = self.context
        targets = {t.id: t for t in context.targets}
        releases = {r.id: (n, r.name) for n, r in enumerate(context.releases)}
        marks = number_marks()
        needs = format_score(None)

        def build(scored: _Scored, position: int) -> BacklogRow:
            item, _old, scores = scored
            release = releases.get(item.release_id or "")
            target = targets.get(item.metric_id or item.key_result_id or "")
            return BacklogRow(
                item,
                position,
                release[1] if release else "",
                release[0] if release else None,
                context.sme_names(item.id),
                target.name if target else "",
                scores[0],
                scores[1],
                scores[2],
                (
                    needs if scores[0] is None else format_score(scores[0], marks),
                    needs if scores[1] is None else format_score(scores[1], marks),
                    needs if scores[2] is None else format_score(scores[2], marks),
                    format_position(position, marks),
                ),
            )

        return build

    def _rebuilt(self) -> list[BacklogRow]:
        """Every row, in the ranking order: the key of
        :func:`ldpm.domain.scoring.backlog_sort_key`, from the scores at hand (an unchanged
        item keeps its row and its row's scores)."""
        scored = [self._scored(item) for item in self._items.values()]
        scored.sort(key=_ranking(self.context.scheme.method))
        build = self._builder()
        marks = number_marks()
        rows = []
        for position, entry in enumerate(scored, start=1):
            old = entry[1]
            if old is None:
                rows.append(build(entry, position))
            else:
                rows.append(old if old.position == position else old.moved_to(position, marks))
        self._built = {row.id: row for row in rows}
        self._ranked = [(row.id, row.item.rank) for row in rows]
        return rows

    # ----------------------------------------------------------- drag and drop
    extra_flags = Qt.ItemFlag.ItemIsDragEnabled  # every row may be dragged

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return super().flags(index)

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


_SCORE_AT = {ScoringMethod.RICE: 0, ScoringMethod.WSJF: 1, ScoringMethod.VALUE_EFFORT: 2}


def _ranking(method: ScoringMethod) -> Callable[[_Scored], tuple[int, float, str, str]]:
    """The sort key of :func:`ldpm.domain.scoring.backlog_sort_key` for ``method``, reading
    the scores already worked out: higher first, unscored last, ties by rank then id."""
    if method is ScoringMethod.RANK:
        return lambda s: (0, 0.0, s[0].rank, s[0].id)
    if method is ScoringMethod.MOSCOW:

        def moscow(s: _Scored) -> tuple[int, float, str, str]:
            m = s[0].moscow
            return (
                (1, 0.0, s[0].rank, s[0].id)
                if m is None
                else (0, moscow_order(m), s[0].rank, s[0].id)
            )

        return moscow
    at = _SCORE_AT[method]

    def score(s: _Scored) -> tuple[int, float, str, str]:
        value = s[2][at]
        if value is None:
            return (1, 0.0, s[0].rank, s[0].id)
        return (0, -value, s[0].rank, s[0].id)

    return score


class BacklogProxy(TableProxy):
    """The shown rows: those the :class:`BacklogFilter` lets through."""

    def __init__(self, source: BacklogModel, parent: QObject | None = None) -> None:
        super().__init__(source, parent)
        self.backlog = source
        self._filter = BacklogFilter()
        #: ``self._filter.active``, kept: Qt asks :meth:`filterAcceptsRow` of every row
        #: whenever the rows move (a source move is a layout change for this proxy).
        self._active = False

    @property
    def filter(self) -> BacklogFilter:
        return self._filter

    def set_filter(self, backlog_filter: BacklogFilter) -> None:
        if backlog_filter == self._filter:
            return
        self.beginFilterChange()
        self._filter = backlog_filter
        self._active = backlog_filter.active
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._active:
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
