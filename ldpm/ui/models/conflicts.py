"""The changes to review after a sync: one row per unresolved conflict.

Each row says which item and field two computers changed at the same time, the value LDPM
kept (the newer write), the other value, and who made each change when.  The model re-reads
the conflicts from the services when the operation runner reports a change; resolving one is
an ordinary, undoable command (:func:`ldpm.services.sync.resolve_conflict`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from ldpm.domain.entities import ENTITY_TYPES, Conflict, Entity
from ldpm.services import sync as sync_svc
from ldpm.services.changes import ChangeRecord
from ldpm.ui.labels import label
from ldpm.ui.operations import OperationRunner

_ROOT = QModelIndex()
#: The conflict's id, for finding a row again.
ID_ROLE = Qt.ItemDataRole.UserRole + 1

COL_ITEM, COL_FIELD, COL_KEPT, COL_OTHER, COL_WHO = range(5)
_HEADERS = ("Item", "Field", "Kept value", "Other value", "Who and when")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConflictsModel", text)


def _table(cls: type[Entity]) -> str:
    """``BacklogItem`` → ``backlog_item``, as conflicts name tables."""
    return "".join(
        f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(cls.__name__)
    )


_KINDS: dict[str, type[Entity]] = {_table(cls): cls for cls in ENTITY_TYPES}


def stamp_time(stamp: str) -> datetime | None:
    """When a change was made: a stamp begins with 12 hex digits of ms since the epoch."""
    try:
        return datetime.fromtimestamp(int(stamp[:12], 16) / 1000, UTC)
    except (ValueError, OverflowError, OSError):
        return None


def stamp_device(stamp: str) -> str:
    return stamp[16:]


def show_value(value: Any, field: str) -> str:
    """A stored value as a person reads it."""
    if field == "deleted":
        return _tr("Deleted") if value else _tr("Present")
    if value is None or value == "":
        return _tr("(empty)")
    if isinstance(value, bool):
        return _tr("Yes") if value else _tr("No")
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())  # one line in a table cell


def field_label(field: str) -> str:
    return field.replace("_", " ").strip().capitalize() or field


@dataclass(frozen=True)
class ConflictRow:
    conflict: Conflict
    item: str
    field: str
    kept: str
    other: str
    kept_by: str
    other_by: str

    @property
    def id(self) -> str:
        return self.conflict.id

    @property
    def who_when(self) -> str:
        return _tr("kept: {kept} · other: {other}").format(kept=self.kept_by, other=self.other_by)


class ConflictsModel(QAbstractTableModel):
    """Unresolved conflicts of the runner's project, oldest first."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._rows: list[ConflictRow] = []
        runner.changed.connect(self._on_changed)
        self.reload()

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        rows = self._read()
        if [r.id for r in rows] == [r.id for r in self._rows]:
            if rows != self._rows:
                self._rows = rows
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(rows) - 1, len(_HEADERS) - 1)
                )
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def _on_changed(self, record: ChangeRecord) -> None:
        if record:
            self.reload()

    def _read(self) -> list[ConflictRow]:
        project = self.runner.project
        conflicts = sync_svc.list_conflicts(project)
        if not conflicts:
            return []
        names = sync_svc.device_names(project)
        items: dict[tuple[str, str], str] = {}
        with project.read() as tx:
            for c in conflicts:
                key = (c.entity, c.row_id)
                if key in items:
                    continue
                kind = _KINDS.get(c.entity)
                entity = tx.get(kind, c.row_id, include_deleted=True) if kind else None
                items[key] = self._item_text(c.entity, entity)
        return [
            ConflictRow(
                conflict=c,
                item=items[(c.entity, c.row_id)],
                field=field_label(c.field),
                kept=show_value(sync_svc.decode_value(c, "kept"), c.field),
                other=show_value(sync_svc.decode_value(c, "other"), c.field),
                kept_by=self._who_when(c.kept_stamp, names),
                other_by=self._who_when(c.other_stamp, names),
            )
            for c in conflicts
        ]

    @staticmethod
    def _item_text(table: str, entity: Entity | None) -> str:
        kind = table.replace("_", " ").capitalize()
        name = ""
        if entity is not None:
            for attr in ("name", "title", "statement"):
                value = getattr(entity, attr, None)
                if isinstance(value, str) and value.strip():
                    name = " ".join(value.split())
                    break
        return f"{kind}: {name}" if name else kind

    @staticmethod
    def _who_when(stamp: str, names: dict[str, str]) -> str:
        device = stamp_device(stamp)
        who = names.get(device) or _tr("another computer")
        when = stamp_time(stamp)
        if when is None:
            return who
        return f"{who}, {when.astimezone():%d %b %H:%M}"

    # ------------------------------------------------------------------ access
    def row_at(self, row: int) -> ConflictRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[ConflictRow]:
        return list(self._rows)

    def index_of(self, conflict_id: str) -> int:
        for i, row in enumerate(self._rows):
            if row.id == conflict_id:
                return i
        return -1

    # ------------------------------------------------------------------ Qt API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_HEADERS)
        ):
            return _tr(_HEADERS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or not 0 <= index.column() < len(_HEADERS):
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (row.item, row.field, row.kept, row.other, row.who_when)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_KEPT:
                return _tr("Kept (the newer change): {value}\nChanged by {who}").format(
                    value=row.kept, who=row.kept_by
                )
            if col == COL_OTHER:
                return _tr("The other change: {value}\nChanged by {who}").format(
                    value=row.other, who=row.other_by
                )
            if col == COL_WHO:
                return _tr("Kept value: {kept}\nOther value: {other}").format(
                    kept=row.kept_by, other=row.other_by
                )
            return (row.item, row.field)[col]
        if role == ID_ROLE:
            return row.id
        return None
