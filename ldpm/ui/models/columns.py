"""Column declarations: what a table needs to know about one column of rows of type ``R``.

A :class:`Column` says

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

Example (the segments table, :mod:`ldpm.ui.models.segments`)::

    Column(field="size", kind=Kind.WHOLE, header=lambda: _tr("Size"),
           update=initiatives.edit_segment)

The table model (:mod:`ldpm.ui.models.table`) and the two-level tree
(:mod:`ldpm.ui.models.tree`) show rows through these; :func:`run_edit` is how both turn a
typed value into a command.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from operator import attrgetter
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    SignalInstance,
)
from PySide6.QtGui import QFont

from ldpm.services.commands import Command
from ldpm.ui.labels import label
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
#: The shown text of every cell of a row, in one string (what ``TableProxy`` filters on).
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
        return self is Kind.WHOLE or self is Kind.DECIMAL


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
    #: For a choice that changes (an initiative's releases) or that may be "none": the
    #: ``(value, label)`` pairs the editor offers, asked for when it opens (None as a value
    #: is "none").  Without it, the editor offers the members of ``choices``.
    options: Callable[[], Sequence[tuple[Any, str]]] | None = None
    update: Callable[[str, dict[str, Any]], Command] | None = None
    command: Callable[[R, Any], Command | None] | None = None
    check: Callable[[Any], str | None] | None = None
    editable: Callable[[R], bool] | None = None
    font: Callable[[R], QFont | None] | None = None
    flexible: bool | None = None
    #: A flexible column never shrinks below this many average characters (a title that
    #: must stay readable when many columns share little room).
    min_chars: int = 8
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
        """The key Qt sorts by (:data:`SORT_ROLE`); None sorts after every value."""
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
        value = attrgetter(self.field) if self.field and self.value is None else self.value_of
        if self.kind is Kind.TEXT:
            display = self.display
            if self.text is not None or self.blank:
                return lambda row: display(row).casefold()

            def text_key(row: R) -> str:
                v = value(row)
                return v.casefold() if isinstance(v, str) else display(row).casefold()

            return text_key
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
            if value == "" and self.options is not None:
                return None  # the editor's "none"
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
    origin: QObject,
) -> bool:
    """Turn a typed value into a command and run it on behalf of ``origin`` (the model); on
    refusal emit ``rejected(index, sentence)`` and return False.  Shared by the table and tree
    models."""
    sentence = column.rejection(value)
    if sentence is not None:
        rejected.emit(index, sentence)
        return False
    command = column.edit(row, value)
    if command is None:
        return True  # already so: nothing to do, no undo step
    if not runner.run(command, origin=origin):
        rejected.emit(index, runner.last_failure or _tr("That value could not be set."))
        return False
    return True
