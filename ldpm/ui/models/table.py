"""Tables declared as columns: one model for every table of rows from the services.

A :class:`Column` says everything a table needs to know about one column of rows of type ``R``:

- its header and header tooltip (callables, so they are translated when asked for);
- how to show a row: the stored value (a field name, or a ``value`` callable), the display
  text, the edit value, the sort key (:data:`SORT_ROLE`), a tooltip and the alignment; numbers
  and dates are right-aligned with tabular figures, so columns of figures line up;
- whether and how it is edited: the editor :class:`Kind` (text, whole number, decimal, a
  choice from an enum with translated labels, a date with "no date"), which rows are editable,
  an optional ``check`` that turns a bad typed value into a plain sentence before any command
  is built, and how an edit becomes a command (:meth:`Column.edit`, from ``update`` —
  ``update(row.id, {field: value})`` as the services' ``edit_*`` functions take it — or
  from any ``command(row, value)``);
- how it sizes: a ``flexible`` (text) column may stretch and shrink (eliding); a number,
  unit, date or choice keeps its full width.

:class:`ColumnTableModel` takes a list of columns and a loader (rows from the services), keeps
the rows by id (:class:`~ldpm.ui.models.rows.RowKeeper`, O(1) lookups) and re-reads them after
every relevant change record, emitting only what changed (one ``dataChanged`` for one edited
row among 10,000).  ``setData`` runs the column's command through the operation runner; a value
that is refused — by the column's check or by the runner — returns False, writes nothing and
emits :attr:`ColumnTableModel.edit_rejected` with the index and the sentence, so the view can
say it beside the cell.  :class:`TableProxy` sorts by the columns' sort keys and filters on
the shown text.

Example (the segments table, :mod:`ldpm.ui.models.segments`)::

    Column(field="size", kind=Kind.WHOLE, header=lambda: _tr("Size"),
           update=initiatives.edit_segment)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from operator import attrgetter, itemgetter
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QFont

from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command
from ldpm.ui.labels import label
from ldpm.ui.models.rows import RowKeeper
from ldpm.ui.operations import OperationRunner
from ldpm.ui.widgets import (
    format_date,
    format_number,
    parse_count,
    parse_number,
    to_date,
    to_qdate,
)

R = TypeVar("R")
AnyIndex = QModelIndex | QPersistentModelIndex

#: The row's id (every row model answers it).
ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: The column's sort key for a row: a number, a QDate, a choice's position or the text.
SORT_ROLE = Qt.ItemDataRole.UserRole + 20
#: The :class:`Column` of a cell (data) or of a section (headerData), for delegates and views.
COLUMN_ROLE = Qt.ItemDataRole.UserRole + 21
#: The shown text of every cell of a row, in one string (what :class:`TableProxy` filters on).
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 22

#: The example in the sentence for a typed date that is not one.
_EXAMPLE_DATE = date(2026, 9, 30)

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ColumnTableModel", text)


class Kind(Enum):
    """What a column holds, which decides how it is shown, sorted and edited."""

    TEXT = "text"
    WHOLE = "whole"  # a whole number (a count)
    DECIMAL = "decimal"
    CHOICE = "choice"  # a member of the column's ``choices`` enum
    DATE = "date"  # a date or none

    @property
    def numeric(self) -> bool:
        return self in (Kind.WHOLE, Kind.DECIMAL)


_TABULAR: dict[str, QFont] = {}


def tabular_font(font: QFont | None = None) -> QFont:
    """``font`` (or an empty font that only sets this) with tabular figures, so digits have
    one width and columns of numbers line up.

    The same font object is returned each time: a ``data()`` that hands Qt a new QFont on
    every call makes PySide 6.10 lose a reference to ``None`` each time, which crashes the
    interpreter after some thousands of painted cells.  Column ``font`` callables should
    return kept fonts too."""
    key = font.key() if font is not None else ""
    kept = _TABULAR.get(key)
    if kept is None:
        kept = _TABULAR[key] = QFont(font) if font is not None else QFont()
        kept.setFeature(QFont.Tag("tnum"), 1)
    return kept


@dataclass(frozen=True, kw_only=True, eq=False)
class Column(Generic[R]):
    """One column of a table of rows of type ``R`` (see the module docstring)."""

    header: Callable[[], str]
    field: str = ""
    kind: Kind = Kind.TEXT
    value: Callable[[R], Any] | None = None
    text: Callable[[R], str] | None = None
    tooltip: Callable[[R], str] | None = None
    header_tip: Callable[[], str] | None = None
    sort_key: Callable[[R], Any] | None = None
    choices: type[Enum] | None = None
    update: Callable[[str, dict[str, Any]], Command] | None = None
    command: Callable[[R, Any], Command | None] | None = None
    check: Callable[[Any], str | None] | None = None
    editable: Callable[[R], bool] | None = None
    font: Callable[[R], QFont | None] | None = None
    flexible: bool | None = None
    #: A placeholder cell (the columns a parent row of a tree does not have).
    blank: bool = False

    @classmethod
    def placeholder(cls) -> Column[Any]:
        return Column(header=str, blank=True)

    # ------------------------------------------------------------------ showing
    @property
    def is_flexible(self) -> bool:
        """May this column stretch into spare room and shrink (eliding) when there is none?"""
        return self.kind is Kind.TEXT if self.flexible is None else self.flexible

    @property
    def alignment(self) -> int:
        return _RIGHT if self.kind.numeric or self.kind is Kind.DATE else _LEFT

    def value_of(self, row: R) -> Any:
        if self.value is not None:
            return self.value(row)
        return getattr(row, self.field) if self.field else None

    def display(self, row: R) -> str:
        if self.blank:
            return ""
        if self.text is not None:
            return self.text(row)
        value = self.value_of(row)
        if self.kind.numeric:
            return format_number(value)
        if self.kind is Kind.DATE:
            return format_date(value)
        if value is None:
            return ""
        if isinstance(value, Enum):
            return label(value)
        return str(value)

    def edit_value(self, row: R) -> Any:
        """What an editor starts from: text, a QDate (invalid for none) or an enum value."""
        value = self.value_of(row)
        if self.kind is Kind.DATE:
            return to_qdate(value)
        if self.kind is Kind.CHOICE:
            return value.value if isinstance(value, Enum) else value
        if self.kind.numeric:
            return format_number(value)
        return "" if value is None else str(value)

    def sort_value(self, row: R) -> Any:
        """The key :class:`TableProxy` sorts by; None sorts after every value."""
        if self.sort_key is not None:
            return self.sort_key(row)
        if self.kind is Kind.TEXT:
            return self.display(row)
        value = self.value_of(row)
        if value is None:
            return None
        if self.kind.numeric:
            return float(value)  # one type, so Qt never compares an int with a float
        if self.kind is Kind.DATE:
            return to_qdate(value)
        if self.kind is Kind.CHOICE and self.choices is not None:
            return list(self.choices).index(self.choices(value))
        return str(value)

    def python_key(self) -> Callable[[R], Any]:
        """The sort key as Python compares it (None for "no value"): the declared
        ``sort_key``, else the value itself (numbers and dates compare as they are), a
        choice's position, or the shown text ignoring case.  :meth:`sort_value` is the same
        for Qt, which needs one type per column."""
        if self.sort_key is not None:
            return self.sort_key
        if self.kind is Kind.TEXT:
            display = self.display
            return lambda row: display(row).casefold()
        value = attrgetter(self.field) if self.field and self.value is None else self.value_of
        if self.kind is Kind.CHOICE and self.choices is not None:
            position = {member: i for i, member in enumerate(self.choices)}
            choices = self.choices

            def ordinal(row: R) -> int | None:
                v = value(row)
                return None if v is None else position[choices(v)]

            return ordinal
        return value

    def data(self, row: R, role: int) -> Any:
        """This column's answer for ``row`` in ``role`` (None for roles it does not know)."""
        if self.blank:
            return self if role == COLUMN_ROLE else None
        if role == SORT_ROLE:  # first: a sort asks for it n·log n times
            return self.sort_value(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row)
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_value(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row) if self.tooltip is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment
        if role == Qt.ItemDataRole.FontRole:
            font = self.font(row) if self.font is not None else None
            if self.kind.numeric or self.kind is Kind.DATE:
                return tabular_font(font)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.header()}: {self.display(row)}"
        if role == COLUMN_ROLE:
            return self
        return None

    def header_data(self, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.header()
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tip() if self.header_tip is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment
        if role == COLUMN_ROLE:
            return self
        return None

    # ------------------------------------------------------------------ editing
    def is_editable(self, row: R) -> bool:
        if self.blank or (self.update is None and self.command is None):
            return False
        return self.editable(row) if self.editable is not None else True

    def parse(self, value: Any) -> Any:
        """The typed ``value`` as the field's type.  Unreadable numbers become NaN, which
        every entity's validation refuses with a sentence (see
        :func:`~ldpm.ui.widgets.parse_number`); a date that is not one raises ValueError
        (:meth:`rejection` says so first)."""
        if self.kind is Kind.DATE:
            return to_date(value)
        if self.kind is Kind.CHOICE:
            if value is None or self.choices is None or isinstance(value, self.choices):
                return value
            return self.choices(value)
        text = "" if value is None else str(value)
        if self.kind is Kind.WHOLE:
            return parse_count(text)
        if self.kind is Kind.DECIMAL:
            return parse_number(text)
        return text.strip()

    def rejection(self, value: Any) -> str | None:
        """A sentence saying why ``value`` cannot be taken at all, or None to go ahead."""
        try:
            self.parse(value)
        except ValueError:
            if self.kind is Kind.DATE:
                return _tr("“{text}” is not a date. Type a date such as {example}.").format(
                    text=value, example=format_date(_EXAMPLE_DATE)
                )
            return _tr("“{text}” is not one of the choices.").format(text=value)
        return self.check(value) if self.check is not None else None

    def edit(self, row: R, value: Any) -> Command | None:
        """The command that sets this column of ``row`` to the typed ``value``, or None when
        that is what it holds already.  Call :meth:`rejection` first."""
        new = self.parse(value)
        old = self.value_of(row)
        if new == old and not (isinstance(new, float) and math.isnan(new)):
            return None
        if self.command is not None:
            return self.command(row, new)
        assert self.update is not None, "an editable column needs update or command"
        return self.update(getattr(row, "id"), {self.field: new})  # noqa: B009


def run_edit(
    runner: OperationRunner,
    index: QModelIndex,
    column: Column[R],
    row: R,
    value: Any,
    rejected: SignalInstance,
) -> bool:
    """Turn a typed value into a command and run it; on refusal emit ``rejected(index,
    sentence)`` and return False.  Shared by the table and tree models."""
    sentence = column.rejection(value)
    if sentence is not None:
        rejected.emit(index, sentence)
        return False
    command = column.edit(row, value)
    if command is None:
        return True  # already so: nothing to do, no undo step
    heard: list[str] = []

    def hear(text: str) -> None:
        heard.append(text)

    runner.failed.connect(hear)
    try:
        ok = runner.run(command)
    finally:
        runner.failed.disconnect(hear)
    if not ok:
        rejected.emit(index, heard[-1] if heard else _tr("That value could not be set."))
    return ok


class ColumnTableModel(QAbstractTableModel, Generic[R]):
    """Rows of type ``R`` from ``loader`` shown in ``columns``; edits go through ``runner``.

    Subclasses usually only declare the columns and say which change records concern them
    (:meth:`wants`).  The model re-reads its rows after each record it wants, unless
    :meth:`set_following` turned that off (a hidden view reloads when it is shown instead).
    """

    #: A refused value: the cell (of this model) and the sentence to show beside it.
    edit_rejected = Signal(QModelIndex, str)

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
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if self.columns[index.column()].is_editable(row):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # ------------------------------------------------------------------ writes
    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        row = self._keeper.row_at(index.row())
        assert row is not None
        column = self.columns[index.column()]
        cell = self.index(index.row(), index.column())
        return run_edit(self.runner, cell, column, row, value, self.edit_rejected)

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
