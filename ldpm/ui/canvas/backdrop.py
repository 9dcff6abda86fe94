"""Backdrop items of the card canvas that keep their size on screen whatever the zoom: a
:class:`TextItem` (an axis label, a quadrant's title) and a :class:`LegendItem` (colour
swatches with their meaning).  Colours are role names resolved against the canvas's
:class:`~ldpm.ui.canvas.colours.CanvasColours` at paint time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

if TYPE_CHECKING:
    from ldpm.ui.canvas.colours import CanvasColours


class TextItem(QGraphicsItem):
    """Backdrop text that keeps its size on screen whatever the zoom — an axis label, a
    quadrant's title — aligned to its position (``align``: left, right or centred across,
    top, bottom or centred up and down)."""

    def __init__(
        self,
        text: str,
        font: QFont,
        colours: Callable[[], CanvasColours],
        *,
        role: str = "muted",
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
    ) -> None:
        super().__init__()
        self._colours = colours
        self._role = role
        self._font = QFont(font)
        self._text = text
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        metrics = QFontMetricsF(self._font)
        w, h = metrics.horizontalAdvance(text) + 2, metrics.height()
        x = -w if align & Qt.AlignmentFlag.AlignRight else 0.0
        if align & Qt.AlignmentFlag.AlignHCenter:
            x = -w / 2
        y = -h if align & Qt.AlignmentFlag.AlignBottom else 0.0
        if align & Qt.AlignmentFlag.AlignVCenter:
            y = -h / 2
        self._rect = QRectF(x, y, w, h)

    @property
    def text(self) -> str:
        return self._text

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setFont(self._font)
        painter.setPen(self._colours().role(self._role))
        painter.drawText(self._rect, int(Qt.AlignmentFlag.AlignCenter), self._text)


class LegendItem(QGraphicsItem):
    """A legend that keeps its size on screen: a swatch (a colour role) and a text per entry,
    in one row from its position (top left)."""

    def __init__(
        self,
        entries: list[tuple[str, str]],
        font: QFont,
        colours: Callable[[], CanvasColours],
        *,
        circles: bool = True,
    ) -> None:
        super().__init__()
        self._entries = entries
        self._font = QFont(font)
        self._colours = colours
        self._circles = circles
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        metrics = QFontMetricsF(self._font)
        self._swatch = metrics.height() * 0.7
        self._gap = metrics.averageCharWidth() * 2
        width = sum(
            self._swatch + 6 + metrics.horizontalAdvance(text) + self._gap for _r, text in entries
        )
        self._rect = QRectF(0, 0, max(0.0, width - self._gap), metrics.height())

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        colours = self._colours()
        metrics = QFontMetricsF(self._font)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self._font)
        x = 0.0
        top = (self._rect.height() - self._swatch) / 2
        for role, text in self._entries:
            swatch = QRectF(x, top, self._swatch, self._swatch)
            pen = QPen(colours.role("text"))
            pen.setWidthF(1.0)
            painter.setPen(pen)
            painter.setBrush(colours.role(role))
            if self._circles:
                painter.drawEllipse(swatch)
            else:
                painter.drawRect(swatch)
            x += self._swatch + 6
            painter.setPen(colours.role("text"))
            width = metrics.horizontalAdvance(text)
            painter.drawText(
                QRectF(x, 0, width + 2, self._rect.height()),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                text,
            )
            x += width + self._gap
