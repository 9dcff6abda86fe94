"""The experiments board: one column per state, cards drawn from the palette, drag between
columns.

A card shows the title, the dates, the metric and how it went (the computed result, or what was
entered) and a badge: the decision, or "overdue for a decision".  Dropping a card on another
column asks the view to move it (``moved(experiment id, state, drop position)``); the view
turns that into an edit of the dates or the decision, one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ldpm.domain.enums import Decision, ExperimentState
from ldpm.services.experiments import Card
from ldpm.ui.labels import label
from ldpm.ui.models.experiments import CARD_ROLE, MIME_TYPE, dates_text, result_text

AnyIndex = QModelIndex | QPersistentModelIndex


def _badge(card: Card) -> tuple[str, str]:
    """(text, palette role name) of the card's badge."""
    if card.overdue:
        return QCoreApplication.translate("ExperimentBoard", "Overdue for a decision"), "danger"
    if card.state is ExperimentState.DECIDED:
        return label(card.experiment.decision), "ok"
    return "", ""


class CardDelegate(QStyledItemDelegate):
    """Draws a :class:`Card` (see the module docstring); reads the option, never sets it."""

    def _lines(self, card: Card) -> list[tuple[str, bool]]:
        lines = [(card.experiment.title, True), (dates_text(card), False)]
        if card.metric_name:
            lines.append((card.metric_name, False))
        result = result_text(card)
        if result:
            lines.append((result, False))
        badge, _role = _badge(card)
        if badge:
            lines.append((badge, True))
        return lines

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        card = index.data(CARD_ROLE)
        metrics = option.fontMetrics
        pad = metrics.averageCharWidth()
        view = self.parent()
        width = view.viewport().width() - 2 * view.spacing() if isinstance(view, QListView) else 0
        width = max(width, option.rect.width(), metrics.averageCharWidth() * 8)
        if not isinstance(card, Card):
            return QSize(width, metrics.lineSpacing() + 2 * pad)
        height = 2 * pad
        text_width = width - 3 * pad
        for text, _bold in self._lines(card):
            rect = metrics.boundingRect(
                QRect(0, 0, text_width, 10_000), int(Qt.TextFlag.TextWordWrap), text
            )
            height += rect.height() + 2
        return QSize(width, height + pad)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        card = index.data(CARD_ROLE)
        if not isinstance(card, Card):
            super().paint(painter, option, index)
            return
        palette: QPalette = option.palette
        metrics = option.fontMetrics
        pad = metrics.averageCharWidth()
        rect = option.rect.adjusted(pad // 2, pad // 2, -pad // 2, -pad // 2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            background = palette.color(
                QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
            )
            text_colour = palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            )
            border = palette.color(QPalette.ColorRole.Mid)
            painter.setBrush(background)
            pen = painter.pen()
            pen.setColor(palette.color(QPalette.ColorRole.Text) if focused else border)
            pen.setWidth(2 if focused else 1)
            painter.setPen(pen)
            painter.drawRoundedRect(rect, pad * 0.8, pad * 0.8)
            y = rect.top() + pad
            left = rect.left() + pad
            width = rect.width() - 2 * pad
            for text, bold in self._lines(card):
                font = QFont(option.font)
                font.setBold(bold)
                painter.setFont(font)
                colour = text_colour
                badge, role = _badge(card)
                if text == badge and role and not selected:
                    colour = palette.color(
                        QPalette.ColorRole.BrightText
                        if role == "danger"
                        else QPalette.ColorRole.Link
                    )
                pen.setColor(colour)
                pen.setWidth(1)
                painter.setPen(pen)
                box = painter.boundingRect(
                    QRect(left, y, width, 10_000), int(Qt.TextFlag.TextWordWrap), text
                )
                painter.drawText(box, int(Qt.TextFlag.TextWordWrap), text)
                y += box.height() + 2
        finally:
            painter.restore()


class BoardColumn(QListView):
    """One column of the board: its cards, and the drop target for cards of other columns."""

    #: A card was dropped here: (experiment id, this column's state, where, in global pixels).
    moved = Signal(str, object, QPoint)

    def __init__(self, state: ExperimentState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lane_state = state
        self.setObjectName(f"board_{state.value}")
        self.setItemDelegate(CardDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setWordWrap(True)
        self.setSpacing(2)
        # Cards wrap to the column's width: never a sideways scroll.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME_TYPE) and event.source() is not self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(MIME_TYPE) and event.source() is not self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(MIME_TYPE) or event.source() is self:
            event.ignore()
            return
        data = bytes(event.mimeData().data(MIME_TYPE).data()).decode()
        event.setDropAction(Qt.DropAction.CopyAction)  # the model moves it, not the view
        event.accept()
        where = self.viewport().mapToGlobal(event.position().toPoint())
        for experiment_id in filter(None, data.split("\n")):
            self.moved.emit(experiment_id, self.lane_state, where)

    def placeholder(self) -> str:
        """What an empty column says (and how a card gets there)."""
        texts = {
            ExperimentState.PLANNED: QT_TRANSLATE_NOOP(
                "ExperimentBoard", "Nothing planned. New Experiment adds one."
            ),
            ExperimentState.RUNNING: QT_TRANSLATE_NOOP(
                "ExperimentBoard", "Nothing running. Drop a planned card here to start it today."
            ),
            ExperimentState.DECIDING: QT_TRANSLATE_NOOP(
                "ExperimentBoard",
                "Nothing waiting for a decision. Drop a running card here to stop it today.",
            ),
            ExperimentState.DECIDED: QT_TRANSLATE_NOOP(
                "ExperimentBoard",
                "Nothing decided yet. Drop a card here to amplify, iterate or drop it.",
            ),
        }
        return QCoreApplication.translate("ExperimentBoard", str(texts[self.lane_state]))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() > 0:
            return
        painter = QPainter(self.viewport())
        try:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            pad = self.fontMetrics().averageCharWidth() * 2
            area = self.viewport().rect().adjusted(pad, pad, -pad, -pad)
            painter.drawText(
                area,
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                | int(Qt.TextFlag.TextWordWrap),
                self.placeholder(),
            )
        finally:
            painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.doItemsLayout()  # cards re-wrap to the new width


DECISIONS = (Decision.AMPLIFY, Decision.ITERATE, Decision.DROP)
