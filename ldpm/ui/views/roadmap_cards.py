"""Release cards for the roadmap: a model of roadmap entries and the delegate that draws them.

A card says, in one glance: the release's name, its date (and "overdue" when the date has
passed before it shipped), its story line, how many of its items are done, its effort against
its capacity, and whether it was placed on the roadmap by hand.  Cards wrap their text to the
lane's width; the delegate measures them for that width.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ldpm.domain.release_plan import RoadmapEntry
from ldpm.ui.canvas import canvas_colours
from ldpm.ui.models.id_lists import IdListModel
from ldpm.ui.models.plan_items import days
from ldpm.ui.widgets import format_date

AnyIndex = QModelIndex | QPersistentModelIndex
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 50
_PAD = 10
_WRAP = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Roadmap", text)


def when(entry: RoadmapEntry) -> str:
    release = entry.release
    if release.target_date is None:
        return _tr("No date")
    text = format_date(release.target_date)
    return _tr("{date} · overdue").format(date=text) if entry.overdue else text


def progress(entry: RoadmapEntry) -> str:
    load = entry.load
    text = _tr("{done} of {n} items done").format(done=entry.done, n=load.count)
    if load.capacity is not None:
        text += " · " + _tr("{effort} of {capacity}").format(
            effort=days(load.effort), capacity=days(load.capacity)
        )
    elif load.effort:
        text += " · " + days(load.effort)
    return text


class RoadmapModel(IdListModel[RoadmapEntry]):
    """The releases of one lane of the roadmap."""

    def row_id(self, row: RoadmapEntry) -> str:
        return row.release.id

    def row_data(self, row: RoadmapEntry, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row.release.name
        if role == ENTRY_ROLE:
            return row
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            parts = [row.release.name, when(row), progress(row)]
            if row.release.story:
                parts.append(row.release.story)
            if row.by_hand:
                parts.append(_tr("placed by hand"))
            return "\n".join(parts) if role == Qt.ItemDataRole.ToolTipRole else ", ".join(parts)
        return None


class RoadmapDelegate(QStyledItemDelegate):
    """Draws a release card (see the module docstring)."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def _fonts(self, base: QFont) -> tuple[QFont, QFont]:
        title = QFont(base)
        title.setBold(True)
        title.setPointSizeF(base.pointSizeF() * 1.15)
        return title, base

    def _blocks(self, entry: RoadmapEntry, base: QFont) -> list[tuple[str, QFont, str]]:
        """(text, font, colour role) from top to bottom."""
        title, body = self._fonts(base)
        blocks = [(entry.release.name, title, "text")]
        blocks.append((when(entry), body, "warning" if entry.overdue else "muted"))
        if entry.release.story:
            blocks.append((entry.release.story, body, "text"))
        blocks.append((progress(entry), body, "warning" if entry.load.over else "muted"))
        if entry.by_hand:
            blocks.append(("✋ " + _tr("Placed here by hand"), body, "muted"))
        return blocks

    def _width(self) -> int:
        return max(120, self._view.viewport().width() - 8)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, RoadmapEntry):
            return QSize(0, 0)
        width = self._width()
        height = 2 * _PAD + 8
        for text, font, _role in self._blocks(entry, QFont(option.font)):
            rect = QFontMetrics(font).boundingRect(
                QRect(0, 0, width - 2 * _PAD, 10_000), _WRAP, text
            )
            height += rect.height() + 4
        return QSize(width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, RoadmapEntry):
            return
        colours = canvas_colours(self._view)
        rect = QRectF(option.rect).adjusted(3, 4, -3, -4)
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(colours.role("accent" if selected else "border"))
        pen.setWidthF(colours.focus_width if selected else colours.line_width)
        painter.setPen(pen)
        painter.setBrush(colours.role("base"))
        painter.drawRoundedRect(rect, 6, 6)
        # A bar down the left edge: the state of the release at a glance.
        bar = QRectF(rect.left(), rect.top(), 6, rect.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colours.role("warning" if entry.overdue or entry.load.over else "accent"))
        painter.drawRoundedRect(bar, 3, 3)
        y = rect.top() + _PAD
        width = rect.width() - 2 * _PAD
        for text, font, role in self._blocks(entry, QFont(option.font)):
            metrics = QFontMetrics(font)
            box = metrics.boundingRect(QRect(0, 0, int(width), 10_000), _WRAP, text)
            painter.setFont(font)
            painter.setPen(colours.role(role))
            painter.drawText(
                QRectF(rect.left() + _PAD + 4, y, width - 4, box.height()), _WRAP, text
            )
            y += box.height() + 4
        painter.restore()
