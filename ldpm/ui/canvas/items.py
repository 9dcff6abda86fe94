"""The graphics items of the card canvas: cards, their labels and leader lines.

A :class:`CardItem` draws one :class:`CardSpec` (a circle or a box, in scene units, so it
grows with the zoom); its :class:`LabelItem` is text on a plate that keeps its size on screen
whatever the zoom (it ignores the view's transformation), placed by the label layout; a
:class:`LeaderItem` joins a card to a label that had to move away from it.  Colours are role
names resolved against the canvas's :class:`~ldpm.ui.canvas.colours.CanvasColours` at paint
time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

if TYPE_CHECKING:
    from ldpm.ui.canvas.colours import CanvasColours


class Shape(Enum):
    CIRCLE = "circle"
    BOX = "box"


@dataclass(frozen=True)
class CardSpec:
    """One card, as a view supplies it (see :mod:`ldpm.ui.canvas`)."""

    id: str
    #: Centre, in scene units.
    x: float
    y: float
    #: The text beside the card (laid out so that labels never overlap); "" for none.
    label: str = ""
    #: Size in scene units (a circle's diameter is ``width``).
    width: float = 24.0
    height: float = 24.0
    shape: Shape = Shape.CIRCLE
    #: Colour roles (:data:`ldpm.ui.canvas.colours.ROLES`) or ``#rrggbb``.
    fill: str = "accent"
    outline: str = "text"
    #: A dashed outline (something is missing: an estimate, a date …).
    dashed: bool = False
    #: Text drawn inside a BOX card.
    text: str = ""
    text_colour: str = "text"
    tooltip: str = ""
    #: What a screen reader says for the card; the label if empty.
    description: str = ""
    movable: bool = True
    #: Labels of higher priority are placed first (they win the best spots).
    priority: float = 0.0


#: Data key of a card item that holds its id.
CARD_ID = 0


class CardItem(QGraphicsItem):
    """A card: a filled circle or box with an outline; selected cards get a focus ring."""

    def __init__(
        self,
        spec: CardSpec,
        colours: Callable[[], CanvasColours],
        moved: Callable[[CardItem], None],
    ) -> None:
        super().__init__()
        self._colours = colours
        self._moved = moved
        self.spec = spec
        self.label_item: LabelItem | None = None
        self.leader_item: LeaderItem | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, True)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._hover = False
        self.set_spec(spec)

    @property
    def card_id(self) -> str:
        return self.spec.id

    def set_spec(self, spec: CardSpec) -> None:
        if (spec.width, spec.height, spec.shape) != (
            self.spec.width,
            self.spec.height,
            self.spec.shape,
        ):
            self.prepareGeometryChange()
        self.spec = spec
        self.setData(CARD_ID, spec.id)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, spec.movable)
        self.setToolTip(spec.tooltip)
        self.update()

    def rect(self) -> QRectF:
        w, h = self.spec.width, self.spec.height
        if self.spec.shape is Shape.CIRCLE:
            h = w
        return QRectF(-w / 2, -h / 2, w, h)

    def boundingRect(self) -> QRectF:
        margin = 6.0  # the focus ring, in scene units at most a few pixels
        return self.rect().adjusted(-margin, -margin, margin, margin)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if self.spec.shape is Shape.CIRCLE:
            path.addEllipse(self.rect())
        else:
            path.addRoundedRect(self.rect(), 4, 4)
        return path

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        colours = self._colours()
        spec = self.spec
        rect = self.rect()
        fill = colours.role(spec.fill)
        if not colours.high_contrast:
            fill.setAlphaF(0.85)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(colours.role(spec.outline))
        pen.setCosmetic(True)
        pen.setWidthF(colours.line_width + (1 if self._hover else 0))
        if spec.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        if spec.shape is Shape.CIRCLE:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, 4, 4)
            if spec.text:
                painter.setPen(colours.role(spec.text_colour))
                painter.drawText(
                    rect.adjusted(4, 2, -4, -2),
                    int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                    spec.text,
                )
        if self.isSelected():
            ring = QPen(colours.role("accent" if colours.high_contrast else "text"))
            ring.setCosmetic(True)
            ring.setWidthF(colours.focus_width + 1)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            grown = rect.adjusted(-3, -3, 3, 3)
            if spec.shape is Shape.CIRCLE:
                painter.drawEllipse(grown)
            else:
                painter.drawRoundedRect(grown, 6, 6)

    def hoverEnterEvent(self, event: Any) -> None:
        self._hover = True
        self.update()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: Any) -> None:
        self._hover = False
        self.update()
        super().hoverLeaveEvent(event)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self._moved(self)
        return super().itemChange(change, value)


class LabelItem(QGraphicsItem):
    """A label on a plate; its size is in screen pixels whatever the zoom."""

    PADDING = 3.0

    def __init__(self, text: str, font: QFont, colours: Callable[[], CanvasColours]) -> None:
        super().__init__()
        self._colours = colours
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(10)
        self.full_text = text
        self._font = QFont(font)
        self._text = text
        self._size = QRectF()
        #: Where the label sits relative to its card's centre (scene units), for dragging.
        self.offset = QPointF()

    def set_text(self, text: str, font: QFont, max_width: float) -> None:
        """Show ``text`` elided to ``max_width`` pixels in ``font``."""
        metrics = QFontMetricsF(font)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max_width)
        size = QRectF(
            0, 0, metrics.horizontalAdvance(shown) + 2 * self.PADDING, metrics.height() + 2
        )
        if shown != self._text or size != self._size or font != self._font:
            self.prepareGeometryChange()
            self._text, self._size, self._font = shown, size, QFont(font)
            self.full_text = text
            self.update()

    @property
    def shown_text(self) -> str:
        return self._text

    def pixel_size(self) -> tuple[float, float]:
        return self._size.width(), self._size.height()

    def boundingRect(self) -> QRectF:
        return QRectF(self._size)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        colours = self._colours()
        plate = colours.role("base")
        if not colours.high_contrast:
            plate.setAlphaF(0.88)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(plate)
        painter.drawRoundedRect(self._size, 3, 3)
        painter.setFont(self._font)
        painter.setPen(colours.role("text"))
        painter.drawText(
            self._size.adjusted(self.PADDING, 0, -self.PADDING, 0),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            self._text,
        )


class LeaderItem(QGraphicsLineItem):
    """A thin line from a card's edge to its label."""

    def __init__(self, colours: Callable[[], CanvasColours]) -> None:
        super().__init__()
        self._colours = colours
        self.setZValue(5)
        self.restyle()

    def restyle(self) -> None:
        colours = self._colours()
        pen = QPen(colours.role("muted"))
        pen.setCosmetic(True)
        pen.setWidthF(max(1.0, colours.line_width))
        self.setPen(pen)

    def join(self, card: CardItem, label: QRectF) -> None:
        """From the edge of ``card`` towards the nearest point of ``label`` (scene rects)."""
        centre = card.scenePos()
        target = QPointF(
            min(max(centre.x(), label.left()), label.right()),
            min(max(centre.y(), label.top()), label.bottom()),
        )
        line = QLineF(centre, target)
        radius = card.rect().width() / 2
        if line.length() > radius:
            line.setP1(line.pointAt(radius / line.length()))
        self.setLine(line)
