"""The one delegate of the shared table views (:mod:`ldpm.ui.table_view`): an editor for each
column :class:`~ldpm.ui.models.table.Kind` — a line edit for text and numbers
(right-aligned), a combo box of translated labels for a choice (or of the column's
``options``: a changing list, "none" included), a date field with "No date" —
each taking the mouse wheel only while it has focus; and the full text of an elided cell in
its tooltip.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QStyle,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from ldpm.ui.labels import choices
from ldpm.ui.models.columns import COLUMN_ROLE, Column, Kind
from ldpm.ui.widgets import OptionalDateEdit, PaddedDelegate, guard_wheel, to_date, to_qdate

AnyIndex = QModelIndex | QPersistentModelIndex


def _choice_data(value: object) -> object:
    """How a choice is kept in a combo box: an enum by its value, "none" as ""."""
    if isinstance(value, Enum):
        return value.value
    return "" if value is None else value


def _column(index: AnyIndex) -> Column[Any] | None:
    column = index.data(COLUMN_ROLE)
    return column if isinstance(column, Column) else None


class ColumnDelegate(PaddedDelegate):
    """Editors for the column's kind; the full text of an elided cell in its tooltip.

    Nothing here runs per painted cell except the inherited ``sizeHint``: PySide 6.10 drops a
    reference to ``None`` each time Python assigns a field of a style option (such as
    ``option.textElideMode``), which crashes the interpreter after some thousands of cells.
    So elision is the view's (``setTextElideMode``), not set per column here."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        del option
        column = _column(index)
        kind = column.kind if column is not None else Kind.TEXT
        editor: QWidget
        if kind is Kind.CHOICE and column is not None and (column.options or column.choices):
            combo = QComboBox(parent)
            if column.options is not None:
                pairs: list[tuple[Any, str]] = list(column.options())
            else:
                assert column.choices is not None
                pairs = list(choices(column.choices))
            for value, text in pairs:
                combo.addItem(text, _choice_data(value))
            # A pick commits at once; the editor stays open until the user moves on.
            combo.activated.connect(lambda _i: self.commitData.emit(combo))
            editor = combo
        elif kind is Kind.DATE:
            date_edit = OptionalDateEdit(parent)
            date_edit.setFrame(False)
            # A day picked in the calendar commits at once (typed dates on Tab, Enter, leave).
            calendar = date_edit.calendarWidget()
            calendar.clicked.connect(lambda _d: self.commitData.emit(date_edit))
            editor = date_edit
        else:
            line = QLineEdit(parent)
            line.setFrame(False)
            if kind.numeric:
                line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            editor = line
        header = index.model().headerData(index.column(), Qt.Orientation.Horizontal)
        editor.setAccessibleName(str(header or ""))
        guard_wheel(editor)
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(_choice_data(value))))
        elif isinstance(editor, OptionalDateEdit):
            editor.setValue(to_date(value))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, OptionalDateEdit):
            value = editor.value()
            model.setData(index, to_qdate(value) if value is not None else None)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text())
        else:
            super().setModelData(editor, model, index)

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> bool:
        if (
            event.type() == QEvent.Type.ToolTip
            and index.isValid()
            and self.is_elided(view, option, index)
        ):
            text = str(index.data(Qt.ItemDataRole.DisplayRole))
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            QToolTip.showText(event.globalPos(), f"{text}\n\n{tip}" if tip else text, view)
            return True
        return super().helpEvent(event, view, option, index)

    def is_elided(
        self, view: QAbstractItemView, option: QStyleOptionViewItem, index: AnyIndex
    ) -> bool:
        """Does the cell's text not fit its width (so it is shown elided)?"""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if not opt.text:
            return False
        area = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, view)
        margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view)
        return opt.fontMetrics.horizontalAdvance(opt.text) > area.width() - 2 * (margin + 1)
