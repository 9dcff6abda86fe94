"""Backlog items as rows of the plan's lists: the matrix's "not placed yet" list, a release's
lane on the board, and the MVP's ranked list with its cut line.

Every row shows the title, a second line (effort, status, sourcing …) and a status chip in the
status's colour; rows drag by id (:class:`~ldpm.ui.models.id_lists.IdListModel`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt

from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import ItemStatus
from ldpm.ui.labels import label
from ldpm.ui.models.id_lists import (
    BADGE_ROLE,
    BADGE_TEXT_ROLE,
    SUBTITLE_ROLE,
    WARNING_ROLE,
    IdListModel,
)
from ldpm.ui.widgets import format_number

#: The colour role (see :mod:`ldpm.ui.canvas.colours`) of each status on the matrix: an idea
#: is a hollow bubble (the surface colour), a dropped item a grey one; "ready" is white in high
#: contrast, where the accent is the same yellow as "in progress".
STATUS_ROLES: dict[ItemStatus, str] = {
    ItemStatus.IDEA: "alt_base",
    ItemStatus.READY: "accent/text",
    ItemStatus.IN_PROGRESS: "warning",
    ItemStatus.DONE: "success",
    ItemStatus.DROPPED: "disabled",
}
#: The fill of each status's chip in a list (its text is drawn in the base colour).
CHIP_ROLES: dict[ItemStatus, str] = {**STATUS_ROLES, ItemStatus.IDEA: "muted"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("plan", text)


def days(effort: float | None) -> str:
    """ "4 d", "0.5 d", or "no estimate"."""
    if effort is None:
        return _tr("no estimate")
    return _tr("{n} d").format(n=format_number(effort))


def item_line(item: BacklogItem) -> str:
    """The second line of an item's row: effort · sourcing."""
    return f"{days(item.effort)} · {label(item.sourcing)}"


class ItemListModel(IdListModel[BacklogItem]):
    """Backlog items, each a row with a title, a second line and a status chip."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        subtitle: Callable[[BacklogItem], str] = item_line,
        drops: bool = True,
    ) -> None:
        super().__init__(parent, drops=drops)
        self._subtitle = subtitle

    def row_id(self, row: BacklogItem) -> str:
        return row.id

    def row_data(self, row: BacklogItem, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == SUBTITLE_ROLE:
            return self._subtitle(row)
        if role == BADGE_ROLE:
            return CHIP_ROLES[row.status]
        if role == BADGE_TEXT_ROLE:
            return label(row.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.title}\n{self._subtitle(row)} · {label(row.status)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.title}, {self._subtitle(row)}, {label(row.status)}"
        return None


@dataclass(frozen=True)
class CutLine:
    """The MVP's cut line, as a row of the ranked list."""

    above: int  # items above it
    effort: float  # their effort
    capacity: float | None


CUT_ID = "cut-line"
CutRow = BacklogItem | CutLine


class CutListModel(IdListModel[CutRow]):
    """The ranked candidates for the MVP with the cut line as one row among them."""

    def row_id(self, row: CutRow) -> str:
        return CUT_ID if isinstance(row, CutLine) else row.id

    def line_row(self) -> int:
        return self.index_of(CUT_ID)

    def ids_with_line(self) -> list[str | None]:
        """The rows as :func:`ldpm.domain.release_plan.cut_changes` takes them."""
        return [None if isinstance(r, CutLine) else r.id for r in self.rows()]

    def row_data(self, row: CutRow, role: int) -> Any:
        if isinstance(row, CutLine):
            return self._line_data(row, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == SUBTITLE_ROLE:
            return item_line(row)
        if role == BADGE_ROLE:
            return CHIP_ROLES[row.status]
        if role == BADGE_TEXT_ROLE:
            return label(row.status)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{row.title}, {item_line(row)}, {label(row.status)}"
        return None

    def _line_data(self, line: CutLine, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return _tr("MVP cut line — above it is the MVP")
        if role == SUBTITLE_ROLE:
            if line.capacity is None:
                return _tr("{n} items · {effort}").format(n=line.above, effort=days(line.effort))
            return _tr("{n} items · {effort} of {capacity}").format(
                n=line.above, effort=days(line.effort), capacity=days(line.capacity)
            )
        if role == WARNING_ROLE:
            return line.capacity is not None and line.effort > line.capacity + 1e-9
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return _tr(
                "The MVP cut line: drag it, or select it and press Ctrl+Up or Ctrl+Down; items "
                "above it are in the MVP."
            )
        return None
