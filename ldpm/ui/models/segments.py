"""The audience segments of one initiative as a table: name, size, description.

Reads come from :func:`ldpm.services.initiatives.list_segments`; every edit in ``setData``
becomes a command run through the :class:`~ldpm.ui.operations.OperationRunner`.  The model
reloads only from ``runner.changed`` (so undo, redo and edits made elsewhere all arrive the
same way) and turns the difference into the smallest correct signals: ``dataChanged`` for rows
whose values changed, ``beginInsertRows``/``beginRemoveRows`` when exactly one row came or
went, and a reset otherwise.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ldpm.domain.entities import Initiative, Segment
from ldpm.services import initiatives
from ldpm.services.changes import ChangeRecord
from ldpm.ui.operations import OperationRunner
from ldpm.ui.widgets import format_number, parse_count

AnyIndex = QModelIndex | QPersistentModelIndex

NAME, SIZE, DESCRIPTION = range(3)
_FIELDS = ("name", "size", "description")


def diff_rows(old: list[str], new: list[str]) -> tuple[str, int] | None:
    """If ``new`` is ``old`` with exactly one id inserted or removed, say which and where:
    ``("insert", row)`` or ``("remove", row)``.  None for anything else."""
    if len(new) == len(old) + 1:
        for row in range(len(new)):
            if new[:row] + new[row + 1 :] == old:
                return ("insert", row)
    elif len(new) == len(old) - 1:
        for row in range(len(old)):
            if old[:row] + old[row + 1 :] == new:
                return ("remove", row)
    return None


class SegmentsModel(QAbstractTableModel):
    """Segments of the initiative given to :meth:`set_initiative`, in rank order."""

    def __init__(self, runner: OperationRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._initiative_id: str | None = None
        self._rows: list[Segment] = []
        runner.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ public
    @property
    def initiative_id(self) -> str | None:
        return self._initiative_id

    def set_initiative(self, initiative_id: str | None) -> None:
        self.beginResetModel()
        self._initiative_id = initiative_id
        self._rows = self._load()
        self.endResetModel()

    def segment(self, row: int) -> Segment:
        return self._rows[row]

    def row_of(self, segment_id: str) -> int:
        """The row of a segment, or -1."""
        for row, segment in enumerate(self._rows):
            if segment.id == segment_id:
                return row
        return -1

    # ------------------------------------------------------------------- reads
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_FIELDS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, self.CheckIndexOption.IndexIsValid):
            return None
        segment = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == SIZE:
                return format_number(segment.size)
            return segment.name if column == NAME else segment.description
        if role == Qt.ItemDataRole.EditRole:
            if column == SIZE:
                return "" if segment.size is None else str(segment.size)
            return segment.name if column == NAME else segment.description
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == NAME:
                return self.tr("Who: a part of the audience, such as remote staff or new hires")
            if column == SIZE:
                return self.tr("How many people are in this segment (leave blank if unknown)")
            return segment.description or self.tr("What sets this segment apart")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(_FIELDS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Segment"), self.tr("Size"), self.tr("Description"))[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                self.tr("The name of the segment"),
                self.tr("Number of people"),
                self.tr("What sets this segment apart"),
            )[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # ------------------------------------------------------------------ writes
    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.checkIndex(
            index, self.CheckIndexOption.IndexIsValid
        ):
            return False
        segment = self._rows[index.row()]
        field = _FIELDS[index.column()]
        text = "" if value is None else str(value)
        new: Any = parse_count(text) if field == "size" else text
        if field == "name":
            new = text.strip()
        return self.runner.run(initiatives.edit_segment(segment.id, {field: new}))

    # ----------------------------------------------------------------- refresh
    def _load(self) -> list[Segment]:
        if self._initiative_id is None:
            return []
        return initiatives.list_segments(self.runner.project, self._initiative_id)

    def _on_changed(self, record: ChangeRecord) -> None:
        if self._initiative_id is None:
            return
        if not (
            record.touches(Segment)
            or (record.structure and record.touches(Initiative, self._initiative_id))
        ):
            return
        self.reload()

    def reload(self) -> None:
        """Re-read the segments and signal what changed."""
        new = self._load()
        old = {s.id: s for s in self._rows}
        old_ids = [s.id for s in self._rows]
        new_ids = [s.id for s in new]
        step = None if old_ids == new_ids else diff_rows(old_ids, new_ids)
        if old_ids == new_ids:
            self._rows = new
        elif step is None:
            self.beginResetModel()
            self._rows = new
            self.endResetModel()
            return
        elif step[0] == "insert":
            self.beginInsertRows(QModelIndex(), step[1], step[1])
            self._rows = new
            self.endInsertRows()
        else:
            self.beginRemoveRows(QModelIndex(), step[1], step[1])
            self._rows = new
            self.endRemoveRows()
        # Field changes of rows that stayed (one command may add a row and edit others).
        last = len(_FIELDS) - 1
        for row, segment in enumerate(self._rows):
            before = old.get(segment.id)
            if before is not None and before != segment:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
