"""The coverage grid as a table model: 70:20:10 modes down, the Five Moments of Need across,
each with "not classified"; a cell holds the items of its mode at its moment.

The grid's shape never changes, so a new :class:`~ldpm.domain.coverage.Coverage` is one
``dataChanged`` over every cell and a ``headerDataChanged`` for the totals in the headers.
Besides the display text a cell answers :data:`COUNT_ROLE`, :data:`EFFORT_ROLE`,
:data:`TITLES_ROLE` and :data:`HEAT_ROLE` (0…1, by count or by effort, as
:meth:`CoverageModel.set_shading` says) for the heat-map delegate, and :data:`KEY_ROLE`
(mode, moment) for the view's navigation.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from ldpm.domain.coverage import MODES, MOMENTS, Cell, Coverage, coverage
from ldpm.domain.enums import LearningMode, MomentOfNeed
from ldpm.ui.labels import label
from ldpm.ui.models.plan_items import days

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

COUNT_ROLE = Qt.ItemDataRole.UserRole + 40
EFFORT_ROLE = Qt.ItemDataRole.UserRole + 41
TITLES_ROLE = Qt.ItemDataRole.UserRole + 42
HEAT_ROLE = Qt.ItemDataRole.UserRole + 43
KEY_ROLE = Qt.ItemDataRole.UserRole + 44


def _tr(text: str) -> str:
    return QCoreApplication.translate("CoverageModel", text)


def count_text(count: int) -> str:
    return _tr("1 item") if count == 1 else _tr("{n} items").format(n=count)


def mode_name(mode: LearningMode | None) -> str:
    return label(mode) if mode is not None else _tr("No mode")


def moment_name(moment: MomentOfNeed | None) -> str:
    return label(moment) if moment is not None else _tr("No moment")


class CoverageModel(QAbstractTableModel):
    """Rows: modes (then "not classified"); columns: moments (then "not classified")."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._coverage: Coverage = coverage([])
        self._by_effort = False

    def set_coverage(self, cov: Coverage) -> None:
        self._coverage = cov
        self._changed()

    def set_shading(self, by_effort: bool) -> None:
        """Shade cells by effort (True) or by the number of items (False)."""
        if by_effort != self._by_effort:
            self._by_effort = by_effort
            self._changed()

    @property
    def coverage(self) -> Coverage:
        return self._coverage

    def _changed(self) -> None:
        last = self.index(len(MODES) - 1, len(MOMENTS) - 1)
        self.dataChanged.emit(self.index(0, 0), last)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(MOMENTS) - 1)
        self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(MODES) - 1)

    def key(self, index: AnyIndex) -> tuple[LearningMode | None, MomentOfNeed | None]:
        return MODES[index.row()], MOMENTS[index.column()]

    def cell(self, index: AnyIndex) -> Cell:
        mode, moment = self.key(index)
        return self._coverage.cell(mode, moment)

    # ------------------------------------------------------------------ Qt API
    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(MODES)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(MOMENTS)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self.checkIndex(index):
            return None
        cell = self.cell(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if not cell.count:
                return "—"
            return f"{count_text(cell.count)} · {days(cell.effort)}"
        if role == COUNT_ROLE:
            return cell.count
        if role == EFFORT_ROLE:
            return cell.effort
        if role == TITLES_ROLE:
            return list(cell.titles)
        if role == KEY_ROLE:
            return self.key(index)
        if role == HEAT_ROLE:
            cov = self._coverage
            if self._by_effort:
                return cell.effort / cov.max_effort if cov.max_effort else 0.0
            return cell.count / cov.max_count if cov.max_count else 0.0
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            head = _tr("{mode} at {moment}: ").format(
                mode=mode_name(cell.mode), moment=moment_name(cell.moment)
            )
            if not cell.count:
                return head + _tr("no items")
            more = ""
            if cell.unestimated:
                more = _tr(" ({n} not estimated)").format(n=cell.unestimated)
            body = f"{count_text(cell.count)} · {days(cell.effort)}{more}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return head + body + "\n• " + "\n• ".join(cell.titles)
            return head + body + ": " + "; ".join(cell.titles)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        cov = self._coverage
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(MOMENTS):
                return None
            moment = MOMENTS[section]
            count, effort = cov.moment_count(moment), cov.moment_effort(moment)
            name = moment_name(moment)
        else:
            if not 0 <= section < len(MODES):
                return None
            mode = MODES[section]
            count, effort = cov.mode_count(mode), cov.mode_effort(mode)
            name = mode_name(mode)
        if role == Qt.ItemDataRole.DisplayRole:
            share = f"{round(100 * count / cov.total)}% · " if cov.total else ""
            return f"{name}\n{count_text(count)}\n{share}{days(effort)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{name}: {count_text(count)} · {days(effort)}"
        return None
