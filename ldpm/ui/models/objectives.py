"""Objectives and key results of one initiative as a two-level tree.

Objectives are the top-level rows; each objective's key results are its children.  Columns:
title, baseline, target, unit, due.  An objective only has a title; a key result edits all five.

Indexes carry their parent in ``internalId``: 0 for an objective, ``objective row + 1`` for a
key result, so no Python object has to stay alive behind an index pointer.

Reads come from :func:`ldpm.services.initiatives.list_objectives`; ``setData`` runs a command
through the :class:`~ldpm.ui.operations.OperationRunner`.  The model reloads only from
``runner.changed``: when only values changed it emits ``dataChanged`` for those rows; when rows
came, went or moved it resets (views re-expand after ``modelReset``).
"""

from __future__ import annotations

from datetime import date
from typing import Any, overload

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ldpm.domain.entities import Initiative, KeyResult, Objective
from ldpm.services import initiatives
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command
from ldpm.ui.operations import OperationRunner
from ldpm.ui.widgets import format_date, format_number, parse_number, to_date, to_qdate

AnyIndex = QModelIndex | QPersistentModelIndex

TITLE, BASELINE, TARGET, UNIT, DUE = range(5)
COLUMNS = 5
_OBJECTIVE = 0  # internalId of a top-level row

Tree = list[tuple[Objective, list[KeyResult]]]


class ObjectivesModel(QAbstractItemModel):
    """Objectives (top level) and their key results (children) of one initiative."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._initiative_id: str | None = None
        self._tree: Tree = []
        runner.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ public
    @property
    def initiative_id(self) -> str | None:
        return self._initiative_id

    def set_initiative(self, initiative_id: str | None) -> None:
        self.beginResetModel()
        self._initiative_id = initiative_id
        self._tree = self._load()
        self.endResetModel()

    def item(self, index: AnyIndex) -> Objective | KeyResult | None:
        """The objective or key result behind ``index`` (any column), or None."""
        if not index.isValid():
            return None
        parent_row = index.internalId() - 1
        if parent_row < 0:
            return self._tree[index.row()][0]
        return self._tree[parent_row][1][index.row()]

    def objective_of(self, index: AnyIndex) -> Objective | None:
        """The objective at ``index``, or the objective of the key result at ``index``."""
        if not index.isValid():
            return None
        parent_row = index.internalId() - 1
        return self._tree[index.row() if parent_row < 0 else parent_row][0]

    def index_of(self, entity_id: str, column: int = TITLE) -> QModelIndex:
        """The index of an objective or key result by id (invalid if it is not shown)."""
        for row, (objective, key_results) in enumerate(self._tree):
            if objective.id == entity_id:
                return self.createIndex(row, column, _OBJECTIVE)
            for kr_row, key_result in enumerate(key_results):
                if key_result.id == entity_id:
                    return self.createIndex(kr_row, column, row + 1)
        return QModelIndex()

    # --------------------------------------------------------------- structure
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _OBJECTIVE)
        if parent.internalId() == _OBJECTIVE:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    @overload
    def parent(self) -> QObject | None: ...
    @overload
    def parent(self, child: AnyIndex) -> QModelIndex: ...
    def parent(self, child: AnyIndex | None = None) -> QObject | QModelIndex | None:
        if child is None:
            return super().parent()
        if not child.isValid() or child.internalId() == _OBJECTIVE:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _OBJECTIVE)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._tree)
        if parent.internalId() == _OBJECTIVE and parent.column() == 0:
            return len(self._tree[parent.row()][1])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        del parent
        return COLUMNS

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    # ------------------------------------------------------------------- reads
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, self.CheckIndexOption.IndexIsValid):
            return None
        entity = self.item(index)
        column = index.column()
        if isinstance(entity, Objective):
            return self._objective_data(entity, column, role)
        assert isinstance(entity, KeyResult)
        return self._key_result_data(entity, column, role)

    def _objective_data(self, objective: Objective, column: int, role: int) -> Any:
        if column != TITLE:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return objective.title
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()  # only the weight is set, so the view's size and family stay
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr(
                "Objective: what the initiative should achieve, in words. "
                "Its key results below say how you will know."
            )
        return None

    def _key_result_data(self, kr: KeyResult, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == TITLE:
                return kr.title
            if column == BASELINE:
                return format_number(kr.baseline)
            if column == TARGET:
                return format_number(kr.target)
            if column == UNIT:
                return kr.unit
            # The due date: text to show, a QDate for the editor.
            return format_date(kr.due) if role == Qt.ItemDataRole.DisplayRole else to_qdate(kr.due)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                self.tr("Key result: a measurable result that shows the objective is met"),
                self.tr("Where the measure stands before the initiative"),
                self.tr("Where it should be by the due date"),
                self.tr("What is counted, such as “errors per month” or “%”"),
                self.tr("When the target should be reached"),
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (BASELINE, TARGET):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMNS:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("Objective / key result"),
                self.tr("Baseline"),
                self.tr("Target"),
                self.tr("Unit"),
                self.tr("Due"),
            )[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (BASELINE, TARGET):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        entity = self.item(index)
        if isinstance(entity, KeyResult):
            return flags | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() == TITLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # ------------------------------------------------------------------ writes
    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.checkIndex(
            index, self.CheckIndexOption.IndexIsValid
        ):
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        entity = self.item(index)
        command: Command
        if isinstance(entity, Objective):
            command = initiatives.edit_objective(entity.id, {"title": _text(value).strip()})
            return self.runner.run(command)
        assert isinstance(entity, KeyResult)
        column = index.column()
        new: str | float | date | None
        if column == TITLE:
            new = _text(value).strip()
        elif column in (BASELINE, TARGET):
            new = parse_number(_text(value))
        elif column == UNIT:
            new = _text(value).strip()
        else:
            try:
                new = to_date(value)
            except ValueError:
                return False  # the date delegate never hands over text that is not a date
        field = ("title", "baseline", "target", "unit", "due")[column]
        return self.runner.run(initiatives.edit_key_result(entity.id, {field: new}))

    # ----------------------------------------------------------------- refresh
    def _load(self) -> Tree:
        if self._initiative_id is None:
            return []
        return initiatives.list_objectives(self.runner.project, self._initiative_id)

    def _on_changed(self, record: ChangeRecord) -> None:
        if self._initiative_id is None:
            return
        if not (
            record.touches(Objective)
            or record.touches(KeyResult)
            or (record.structure and record.touches(Initiative, self._initiative_id))
        ):
            return
        self.reload()

    def reload(self) -> None:
        """Re-read the tree and signal what changed."""
        new = self._load()
        if _shape(new) != _shape(self._tree):
            self.beginResetModel()
            self._tree = new
            self.endResetModel()
            return
        old, self._tree = self._tree, new
        last = COLUMNS - 1
        for row, ((old_obj, old_krs), (new_obj, new_krs)) in enumerate(zip(old, new, strict=True)):
            if old_obj != new_obj:
                self.dataChanged.emit(
                    self.createIndex(row, 0, _OBJECTIVE), self.createIndex(row, last, _OBJECTIVE)
                )
            for kr_row, (a, b) in enumerate(zip(old_krs, new_krs, strict=True)):
                if a != b:
                    self.dataChanged.emit(
                        self.createIndex(kr_row, 0, row + 1),
                        self.createIndex(kr_row, last, row + 1),
                    )


def _shape(tree: Tree) -> list[tuple[str, list[str]]]:
    return [(o.id, [k.id for k in krs]) for o, krs in tree]


def _text(value: object) -> str:
    return "" if value is None else str(value)
