"""Rows drawn as cards: a title, a second line and a status chip, in the theme's colours.

:class:`CardDelegate` paints the rows of :mod:`ldpm.ui.models.id_lists` models (the release
board's lanes, the matrix's "not placed yet" list, the MVP's ranked list, whose cut line it
draws as a bold rule across the list).  Sizes follow the font, so the cards grow with the text
size and in the projector preset; colours come from the theme
(:func:`ldpm.ui.canvas.canvas_colours`), so the chips keep their contrast in every theme.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ldpm.ui.canvas import canvas_colours
from ldpm.ui.models.id_lists import (
    BADGE_ROLE,
    BADGE_TEXT_ROLE,
    ID_ROLE,
    SUBTITLE_ROLE,
    WARNING_ROLE,
)
from ldpm.ui.models.plan_items import CUT_ID

AnyIndex = QModelIndex | QPersistentModelIndex
_PAD = 6


class CardDelegate(QStyledItemDelegate):
    """Paints a row as a card (see the module docstring)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._view = parent

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        metrics = QFontMetrics(option.font)
        lines = 2 if index.data(SUBTITLE_ROLE) or index.data(BADGE_TEXT_ROLE) else 1
        return QSize(metrics.averageCharWidth() * 24, lines * metrics.height() + 2 * _PAD + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        colours = canvas_colours(self._view)
        rect = QRectF(option.rect).adjusted(2, 2, -2, -2)
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        font = QFont(option.font)
        metrics = QFontMetrics(font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        is_line = index.data(ID_ROLE) == CUT_ID
        if is_line:
            self._paint_line(painter, rect, index, font, selected or focused)
            painter.restore()
            return
        fill = colours.role("highlight" if selected else "base")
        border = QPen(colours.role("accent" if focused else "border"))
        border.setWidthF(colours.focus_width if focused else colours.line_width)
        painter.setPen(border)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 5, 5)
        text_colour = colours.role("highlight_text" if selected else "text")
        muted = colours.role("highlight_text" if selected else "muted")
        inner = rect.adjusted(_PAD + 2, _PAD, -_PAD, -_PAD)
        # The title takes the whole first line; the status chip sits at the right of the
        # second, after the effort and sourcing.
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        title_rect = QRectF(inner.left(), inner.top(), inner.width(), metrics.height())
        title = QFontMetrics(bold).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            int(title_rect.width()),
        )
        painter.drawText(title_rect, int(Qt.AlignmentFlag.AlignVCenter), title)
        second = QRectF(
            inner.left(), inner.top() + metrics.height(), inner.width(), metrics.height()
        )
        chip_text = index.data(BADGE_TEXT_ROLE) or ""
        chip_w = 0.0
        if chip_text:
            small = QFont(font)
            small.setPointSizeF(font.pointSizeF() * 0.85)
            chip_w = QFontMetrics(small).horizontalAdvance(chip_text) + 12
            chip = QRectF(second.right() - chip_w, second.top() + 1, chip_w, second.height() - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours.role(index.data(BADGE_ROLE) or "muted"))
            painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
            painter.setFont(small)
            painter.setPen(colours.role("base"))
            painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), chip_text)
        subtitle = index.data(SUBTITLE_ROLE)
        if subtitle:
            painter.setFont(font)
            painter.setPen(muted)
            sub_rect = second.adjusted(0, 0, -chip_w - 6, 0)
            painter.drawText(
                sub_rect,
                int(Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(
                    str(subtitle), Qt.TextElideMode.ElideRight, int(sub_rect.width())
                ),
            )
        painter.restore()

    def _paint_line(
        self, painter: QPainter, rect: QRectF, index: AnyIndex, font: QFont, active: bool
    ) -> None:
        colours = canvas_colours(self._view)
        warning = bool(index.data(WARNING_ROLE))
        colour = colours.role("danger" if warning else "accent")
        metrics = QFontMetrics(font)
        if active:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours.role("alt_base"))
            painter.drawRoundedRect(rect, 5, 5)
        pen = QPen(colour)
        pen.setWidthF(max(3.0, colours.focus_width + 1))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        y = rect.top() + metrics.height() / 2 + _PAD / 2
        painter.drawLine(QLineF(rect.left() + 4, y, rect.right() - 4, y))
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        width = QFontMetrics(bold).horizontalAdvance(title) + 16
        label_rect = QRectF(rect.left() + 12, rect.top() + 1, width, metrics.height() + _PAD - 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colours.role("alt_base" if active else "base"))
        painter.drawRect(label_rect)
        painter.setPen(colour)
        painter.drawText(label_rect, int(Qt.AlignmentFlag.AlignCenter), title)
        painter.setFont(font)
        painter.setPen(colours.role("danger" if warning else "text"))
        sub = QRectF(
            rect.left() + 20,
            rect.top() + metrics.height() + _PAD,
            rect.width() - 24,
            metrics.height(),
        )
        painter.drawText(
            sub, int(Qt.AlignmentFlag.AlignVCenter), str(index.data(SUBTITLE_ROLE) or "")
        )
