"""The parts of the import dialog: the column mapping, the preview and the bad rows.

:class:`ColumnsEditor` lists the file's columns, each with a few example values and a choice
of the field it fills ("Leave out" ignores it; each field is filled from one column at most),
and below them the fields that take one value for every row.  :class:`PreviewTable` and
:class:`BadRowsTable` are declared-column tables (:class:`~ldpm.ui.models.table.
ColumnTableModel` in a :class:`~ldpm.ui.table_view.DataTableView`), read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ldpm.services.exchange import BadRow, Row, text_of
from ldpm.services.exchange_kinds import Target
from ldpm.ui.labels import label
from ldpm.ui.models.table import Column, ColumnTableModel, Kind
from ldpm.ui.table_view import DataTableView
from ldpm.ui.widgets import guard_wheel, set_role

if TYPE_CHECKING:
    from ldpm.ui.operations import OperationRunner

#: Example values shown per column.
SAMPLES = 3
#: Fields that differ from row to row: not offered as one value for every row.
PER_ROW = frozenset(
    {"title", "description", "name", "first_name", "last_name", "email", "expertise", "notes",
     "private_notes", "engagement_plan", "value", "note"}
)  # fmt: skip
#: Characters of a cell the preview shows (the tooltip shows all of it).
PREVIEW_WIDTH = 40


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportDialog", text)


def _target_label(target: Target) -> str:
    text = QCoreApplication.translate("exchange", target.label)
    return text + " *" if target.required else text


class ColumnsEditor(QWidget):
    """See the module docstring.  Emits :attr:`changed` on every change the user makes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_tr("Columns to import"))
        self._targets: list[Target] = []
        self._combos: dict[str, QComboBox] = {}
        self._constants: dict[str, str] = {}
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self._grid.setColumnStretch(2, 1)
        scroll.setWidget(self._inner)

        self.constant_field = QComboBox(self)
        self.constant_field.setAccessibleName(_tr("Field to give one value"))
        self.constant_field.activated.connect(lambda _i: self._fill_values())
        self.constant_value = QComboBox(self)
        self.constant_value.setEditable(True)
        self.constant_value.setAccessibleName(_tr("The value for every row"))
        self.constant_value.setMinimumContentsLength(16)
        self.add_constant = QPushButton(_tr("&Set for Every Row"), self)
        self.add_constant.setAccessibleName(_tr("Give every row this value"))
        self.add_constant.clicked.connect(self._add_constant)
        for combo in (self.constant_field, self.constant_value):
            guard_wheel(combo)
        self.constants_label = QLabel(self)
        self.constants_label.setWordWrap(True)
        self.remove_constants = QPushButton(_tr("Clear &Values"), self)
        self.remove_constants.setAccessibleName(_tr("Clear the values set for every row"))
        self.remove_constants.clicked.connect(self._clear_constants)

        row = QHBoxLayout()
        caption = QLabel(_tr("Same value for every row:"), self)
        row.addWidget(caption)
        row.addWidget(self.constant_field)
        row.addWidget(self.constant_value, 1)
        row.addWidget(self.add_constant)
        chosen = QHBoxLayout()
        chosen.addWidget(self.constants_label, 1)
        chosen.addWidget(self.remove_constants)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(row)
        layout.addLayout(chosen)

    # ----------------------------------------------------------------- building
    def set_columns(
        self,
        headers: Sequence[str],
        samples: dict[str, str],
        targets: list[Target] | None,
        mapping: dict[str, str],
        constants: dict[str, str] | None = None,
    ) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._combos = {}
        self._targets = list(targets or [])
        self._constants = {
            k: v for k, v in (constants or {}).items() if any(t.key == k for t in self._targets)
        }
        if headers:
            for col, text in enumerate(
                (_tr("Column in the file"), _tr("Import as"), _tr("Examples"))
            ):
                head = QLabel(text, self._inner)
                set_role(head, "h2")
                self._grid.addWidget(head, 0, col)
        for row, header in enumerate(headers, start=1):
            name = QLabel(header, self._inner)
            name.setTextFormat(Qt.TextFormat.PlainText)
            example = QLabel(samples.get(header, ""), self._inner)
            example.setTextFormat(Qt.TextFormat.PlainText)
            example.setToolTip(samples.get(header, ""))
            # Examples never widen the dialog: they are cut at its edge (the tooltip has all).
            example.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            set_role(example, "muted")
            combo = QComboBox(self._inner)
            combo.setAccessibleName(_tr("Import “{column}” as").format(column=header))
            combo.addItem(_tr("Leave out"), "")
            for target in self._targets:
                combo.addItem(_target_label(target), target.key)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(header, ""))))
            combo.activated.connect(lambda _i, h=header: self._on_chosen(h))
            guard_wheel(combo)
            name.setBuddy(combo)
            self._grid.addWidget(name, row, 0)
            self._grid.addWidget(combo, row, 1)
            self._grid.addWidget(example, row, 2)
            self._combos[header] = combo
        self._grid.setRowStretch(len(headers) + 1, 1)
        self._fill_fields()
        self._show_constants()

    def _on_chosen(self, header: str) -> None:
        key = self._combos[header].currentData()
        if key:  # each field from one column: the one chosen last
            for other, combo in self._combos.items():
                if other != header and combo.currentData() == key:
                    combo.setCurrentIndex(0)
            self._constants.pop(key, None)
        self._fill_fields()
        self._show_constants()
        self.changed.emit()

    # ---------------------------------------------------------------- constants
    def _fill_fields(self) -> None:
        mapped = set(self.mapping().values())
        current = self.constant_field.currentData()
        self.constant_field.clear()
        for target in self._targets:
            if target.type != "id" and target.key not in mapped | PER_ROW:
                self.constant_field.addItem(_target_label(target), target.key)
        self.constant_field.setCurrentIndex(max(0, self.constant_field.findData(current)))
        enabled = self.constant_field.count() > 0
        for widget in (self.constant_field, self.constant_value, self.add_constant):
            widget.setEnabled(enabled)
        self._fill_values()

    def _fill_values(self) -> None:
        key = self.constant_field.currentData()
        target = next((t for t in self._targets if t.key == key), None)
        self.constant_value.clear()
        if target is not None and target.choices is not None:
            self.constant_value.addItems([label(m) for m in target.choices])
        self.constant_value.setCurrentText("")

    def _add_constant(self) -> None:
        key = self.constant_field.currentData()
        value = self.constant_value.currentText().strip()
        if not key or not value:
            self.constant_value.setFocus()
            return
        self._constants[str(key)] = value
        self._show_constants()
        self.changed.emit()

    def _clear_constants(self) -> None:
        self._constants = {}
        self._show_constants()
        self.changed.emit()

    def _show_constants(self) -> None:
        names = {t.key: QCoreApplication.translate("exchange", t.label) for t in self._targets}
        parts = [f"{names.get(k, k)} = “{v}”" for k, v in self._constants.items()]
        self.constants_label.setText("; ".join(parts) if parts else _tr("None set."))
        set_role(self.constants_label, "" if parts else "muted")
        self.remove_constants.setEnabled(bool(parts))

    # ------------------------------------------------------------------- reading
    def mapping(self) -> dict[str, str]:
        return {h: str(c.currentData()) for h, c in self._combos.items() if c.currentData()}

    def constants(self) -> dict[str, str]:
        return dict(self._constants)

    def combo(self, header: str) -> QComboBox:
        return self._combos[header]


@dataclass(frozen=True)
class _PreviewRow:
    id: str
    cells: tuple[str, ...]


def _cell(index: int, row: _PreviewRow) -> str:
    return row.cells[index]


def _shown_cell(index: int, row: _PreviewRow) -> str:
    text = row.cells[index].replace("\n", " ⏎ ")
    return text if len(text) <= PREVIEW_WIDTH else text[: PREVIEW_WIDTH - 1] + "…"


class PreviewTable(DataTableView):
    """The first rows of the file, as they are in it (row numbers first)."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setAccessibleName(_tr("The first rows of the file"))
        self._rows: list[_PreviewRow] = []
        self._model: ColumnTableModel[_PreviewRow] | None = None

    def show_rows(self, headers: Sequence[str], rows: Sequence[Row]) -> None:
        self._rows = [_PreviewRow(str(r.number), tuple(text_of(c) for c in r.cells)) for r in rows]
        columns: list[Column[_PreviewRow]] = [
            Column(header=lambda: _tr("Row"), kind=Kind.WHOLE, value=lambda r: int(r.id))
        ]
        for i, header in enumerate(headers):
            columns.append(
                Column(
                    header=partial(str, header),
                    text=partial(_shown_cell, i),
                    tooltip=partial(_cell, i),
                    flexible=False,  # full width, scrolled sideways: a cut-off value says little
                )
            )
        model: ColumnTableModel[_PreviewRow] = ColumnTableModel(
            self.runner, columns, lambda: list(self._rows), parent=self
        )
        model.set_following(False)
        model.reload()
        old, self._model = self._model, model
        self.setModel(model)
        if old is not None:
            old.deleteLater()

    def samples(self) -> dict[str, str]:
        """A few non-empty example values per column, for the mapping."""
        model = self._model
        if model is None:
            return {}
        out: dict[str, str] = {}
        for i, column in enumerate(model.columns[1:]):
            values: list[str] = []
            for row in self._rows:
                value = row.cells[i].replace("\n", " ").strip()
                if value and value not in values:
                    values.append(value if len(value) <= 30 else value[:29] + "…")
                if len(values) >= SAMPLES:
                    break
            out[column.header()] = ", ".join(values)
        return out


class BadRowsTable(DataTableView):
    """Every bad row found by the check: its number and the reason."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_tr("Bad rows"))
        self._rows: list[BadRow] = []
        self.model_ = ColumnTableModel[BadRow](
            runner,
            [
                Column(header=lambda: _tr("Row"), kind=Kind.WHOLE, field="number"),
                Column(header=lambda: _tr("Problem"), field="reason", tooltip=lambda r: r.reason),
            ],
            lambda: list(self._rows),
            row_id=lambda r: str(r.number),
            parent=self,
        )
        self.model_.set_following(False)
        self.setModel(self.model_)

    def show_rows(self, rows: Sequence[BadRow]) -> None:
        self._rows = list(rows)
        self.model_.reload()
