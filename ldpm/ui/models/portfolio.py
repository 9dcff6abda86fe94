"""The portfolio: initiatives in their order, for the sidebar.

Rename in place (F2 or double-click), reorder by drag and drop; both go through the operation
runner and come back as change records, like every other edit.  The list can be narrowed to
one triage status (:meth:`PortfolioModel.set_triage_filter`); :attr:`PortfolioModel.counts`
says how many initiatives stand at each status (archived ones only when shown).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from ldpm.domain.entities import Initiative
from ldpm.domain.enums import TriageStatus
from ldpm.services import initiatives as svc
from ldpm.services import portfolio, triage
from ldpm.services.changes import ChangeRecord
from ldpm.services.portfolio import Flag
from ldpm.ui.labels import label
from ldpm.ui.models.rows import RowListModel
from ldpm.ui.operations import OperationRunner

MIME_TYPE = "application/x-ldpm-initiative-ids"
ID_ROLE = Qt.ItemDataRole.UserRole + 1
STAGE_ROLE = Qt.ItemDataRole.UserRole + 2
ARCHIVED_ROLE = Qt.ItemDataRole.UserRole + 3
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 4
#: The initiative's flags from every area (a list of services.portfolio.Flag), warnings first.
FLAGS_ROLE = Qt.ItemDataRole.UserRole + 5

_ROOT = QModelIndex()


_ITALIC: dict[str, QFont] = {}


def _italic() -> QFont:
    """The application font in italics, one kept object per application font: a new QFont
    from ``data()`` on every paint makes PySide 6.10 lose a reference to ``None`` each time
    (see :func:`ldpm.ui.models.table.tabular_font`)."""
    base = QApplication.font()
    font = _ITALIC.get(base.key())
    if font is None:
        font = _ITALIC[base.key()] = QFont(base)
        font.setItalic(True)
    return font


#: Initiative fields whose change the list shows (the portfolio's, and the triage status it
#: filters and counts by).
_SHOWN_FIELDS = svc.PORTFOLIO_FIELDS | {"triage"}


class PortfolioModel(RowListModel[Initiative]):
    #: The counts per triage status changed.
    counts_changed = Signal()

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.show_archived = False
        self.triage_filter: TriageStatus | None = None
        #: Initiatives at each triage status (of those the archive setting shows).
        self.counts: dict[TriageStatus, int] = dict.fromkeys(TriageStatus, 0)
        self.total = 0
        self._flags: dict[str, list[Flag]] = {}
        runner.changed.connect(self._on_changed)
        self.reload()

    def row_id(self, row: Initiative) -> str:
        return row.id

    def set_show_archived(self, show: bool) -> None:
        if show != self.show_archived:  # opening a project: no second read of the same rows
            self.show_archived = show
            self.reload()

    def set_triage_filter(self, status: TriageStatus | None) -> None:
        """List only the initiatives at ``status`` (None: all)."""
        if status is not self.triage_filter:
            self.triage_filter = status
            self.reload()

    def reload(self) -> None:
        rows = svc.list_initiatives(self.runner.project, include_archived=self.show_archived)
        counts = triage.triage_counts(rows)
        if counts != self.counts or len(rows) != self.total:
            self.counts, self.total = counts, len(rows)
            self.counts_changed.emit()
        if self.triage_filter is not None:
            rows = [i for i in rows if i.triage is self.triage_filter]
        self.set_rows(rows)
        self.reload_flags()

    def reload_flags(self) -> None:
        """Ask every area again what to say about each initiative; repaint rows that differ."""
        old, self._flags = self._flags, portfolio.flags(self.runner.project, self.rows())
        for row, item in enumerate(self.rows()):
            if self._flags.get(item.id, []) != old.get(item.id, []):
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)

    def _on_changed(self, record: ChangeRecord) -> None:
        if record.touches(Initiative) and (
            record.structure or record.everything or record.fields & _SHOWN_FIELDS
        ):
            self.reload()
        elif record and portfolio.PROVIDERS:
            self.reload_flags()  # flags may depend on any area

    # ------------------------------------------------------------------ data
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        item = self.row_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return item.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._subtitle(item) + (f"\n{item.outcome}" if item.outcome else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            notes = "".join(f", {f.text}" for f in self._flags.get(item.id, []))
            return f"{item.name}, {self._subtitle(item)}{notes}"
        if role == SUBTITLE_ROLE:
            return self._subtitle(item)
        if role == FLAGS_ROLE:
            return self._flags.get(item.id, [])
        if role == ID_ROLE:
            return item.id
        if role == STAGE_ROLE:
            return item.stage
        if role == ARCHIVED_ROLE:
            return item.archived
        if role == Qt.ItemDataRole.FontRole and item.archived:
            return _italic()
        if role == Qt.ItemDataRole.ForegroundRole and item.archived:
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        return None

    def _subtitle(self, item: Initiative) -> str:
        parts = [label(item.stage)]
        if item.owner:
            parts.append(item.owner)
        if item.archived:
            parts.append(self.tr("archived"))
        return " · ".join(parts)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsDragEnabled
        )

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = 2
    ) -> bool:
        item = self.row_at(index.row()) if index.isValid() else None
        if item is None or role != Qt.ItemDataRole.EditRole:
            return False
        name = str(value).strip()
        if name == item.name:
            return False
        return self.runner.run(svc.rename_initiative(self.runner.project, item.id, name))

    # ------------------------------------------------------------ drag & drop
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Any) -> QMimeData:
        data = QMimeData()
        ids = [self.row_id(r) for i in indexes if (r := self.row_at(i.row())) is not None]
        data.setData(MIME_TYPE, QByteArray(",".join(ids).encode("ascii")))
        return data

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        return data.hasFormat(MIME_TYPE) and not parent.isValid()

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        ids = bytes(data.data(MIME_TYPE).data()).decode("ascii").split(",")
        if len(ids) != 1 or not ids[0]:
            return False
        return self.move_before(ids[0], row)

    def move_before(self, initiative_id: str, row: int) -> bool:
        """Move an initiative so that it lands before visible row ``row`` (-1: at the end)."""
        full = [i.id for i in svc.list_initiatives(self.runner.project)]
        if initiative_id not in full:
            return False
        source = full.index(initiative_id)
        before = self.row_at(row) if row >= 0 else None
        if before is None:
            target = len(full) - 1
        else:
            target = full.index(before.id)
            if source < target:
                target -= 1  # the list closes up behind the moved item
        command = svc.move_initiative(self.runner.project, initiative_id, target)
        return command is not None and self.runner.run(command)
