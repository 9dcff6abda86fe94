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
from PySide6.QtGui import (
    QBrush,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QTransform,
)
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
#: Pixels around a sprite's shape for its outline and selection ring.
_SPRITE_MARGIN = 8
_SPRITES: dict[tuple[object, ...], QPixmap] = {}


#: A number for each theme a sprite was drawn in (a theme is a large frozen dataclass, slow to
#: hash on every paint), with the theme, so its id is not reused while it is known.
_THEMES: dict[int, tuple[object, int]] = {}


def _token(theme: object) -> int:
    found = _THEMES.get(id(theme))
    if found is None:
        found = _THEMES[id(theme)] = (theme, len(_THEMES))
    return found[1]


def _sprite(
    card: CardItem, colours: CanvasColours, width: int, height: int, ratio: float
) -> QPixmap:
    """How ``card`` looks at ``width`` × ``height`` pixels, with room for its ring."""
    margin = _SPRITE_MARGIN
    pixmap = QPixmap(round((width + 2 * margin) * ratio), round((height + 2 * margin) * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    card._draw(painter, QRectF(margin, margin, width, height), colours, ring=3.0)
    painter.end()
    return pixmap


class CardItem(QGraphicsItem):
    """A card: a filled circle or box with an outline; selected cards get a focus ring."""

    def __init__(self, spec: CardSpec, colours: Callable[[], CanvasColours]) -> None:
        super().__init__()
        self._colours = colours
        self.spec = spec
        self.label_item: LabelItem | None = None
        self.leader_item: LeaderItem | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self._hover = False
        #: Draw vector shapes, not the shared sprites (for SVG export).
        self.vector = False
        self._decoration: QGraphicsItem | None = None
        #: The card's rectangle and bounding rectangle, and the spec they were worked out for
        #: (the scene asks for them many times per repaint).
        self._rects_of: CardSpec | None = None
        self._rects = (QRectF(), QRectF())
        self._sprite_stamp: tuple[object, ...] = ()
        self._sprite = QPixmap()
        self._sprite_corner = QPointF()
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

    def set_decoration(self, item: QGraphicsItem | None) -> None:
        """Have the card paint ``item`` — its child, at its origin, untransformed, inside its
        rectangle — right after itself, rather than the scene paint it as an item of its own.
        The scene then passes it by (it has no contents of its own): on a canvas of hundreds
        of cards, one item painted per card, not two, is a good part of a repaint less."""
        if self._decoration is not None:
            self._decoration.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, False)
        self._decoration = item
        if item is not None:
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.update()

    def _rectangles(self) -> tuple[QRectF, QRectF]:
        spec = self.spec
        if self._rects_of is not spec:
            w, h = spec.width, spec.height
            if spec.shape is Shape.CIRCLE:
                h = w
            rect = QRectF(-w / 2, -h / 2, w, h)
            margin = 6.0  # the focus ring, in scene units at most a few pixels
            self._rects = (rect, rect.adjusted(-margin, -margin, margin, margin))
            self._rects_of = spec
        return self._rects

    def rect(self) -> QRectF:
        return QRectF(self._rectangles()[0])

    def boundingRect(self) -> QRectF:
        return QRectF(self._rectangles()[1])

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
        transform = painter.worldTransform()
        if self.vector or spec.text or transform.isRotating():
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._draw(painter, self.rect(), colours, ring=3.0)
        else:
            self._paint_sprite(painter, transform, colours)
        decoration = self._decoration
        if decoration is not None and decoration.isVisible():
            decoration.paint(painter, option, widget)

    def _paint_sprite(
        self, painter: QPainter, transform: QTransform, colours: CanvasColours
    ) -> None:
        # A sprite per look and size, shared by every card that looks the same: a repaint
        # of 500 cards is then 500 pixmap copies, not 500 antialiased shapes.  Each card
        # keeps the one it showed last, with what it depends on.
        scale = transform.m11()
        device = painter.device()
        ratio = device.devicePixelRatioF() if device else 1.0
        stamp = (colours, self.spec, scale, ratio, self._hover, self.isSelected())
        if stamp != self._sprite_stamp:
            self._sprite, self._sprite_corner = self._find_sprite(colours, scale, ratio)
            self._sprite_stamp = stamp
        painter.setWorldTransform(QTransform.fromTranslate(transform.dx(), transform.dy()))
        painter.drawPixmap(self._sprite_corner, self._sprite)
        painter.setWorldTransform(transform)

    def _find_sprite(
        self, colours: CanvasColours, scale: float, ratio: float
    ) -> tuple[QPixmap, QPointF]:
        """The shared sprite of the card as it looks now, and where its corner goes."""
        spec = self.spec
        width = max(1, round(spec.width * scale))
        height = width if spec.shape is Shape.CIRCLE else max(1, round(spec.height * scale))
        key = (
            _token(colours.theme),
            spec.fill,
            spec.outline,
            spec.dashed,
            spec.shape,
            width,
            height,
            self._hover,
            self.isSelected(),
            ratio,
        )
        sprite = _SPRITES.get(key)
        if sprite is None:
            sprite = _sprite(self, colours, width, height, ratio)
            if len(_SPRITES) > 4000:
                _SPRITES.clear()
            _SPRITES[key] = sprite
        margin = _SPRITE_MARGIN
        return sprite, QPointF(-width / 2 - margin, -height / 2 - margin)

    def _draw(self, painter: QPainter, rect: QRectF, colours: CanvasColours, ring: float) -> None:
        """The card in ``rect`` (vector shapes; ``ring``: how far out the selection ring is)."""
        spec = self.spec
        pen = QPen(colours.role(spec.outline))
        pen.setCosmetic(True)
        pen.setWidthF(colours.line_width + (1 if self._hover else 0))
        if spec.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(colours.role(spec.fill)))  # opaque: fast, and legible
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
            focus = QPen(colours.role("accent" if colours.high_contrast else "text"))
            focus.setCosmetic(True)
            focus.setWidthF(colours.focus_width + 1)
            painter.setPen(focus)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            grown = rect.adjusted(-ring, -ring, ring, ring)
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
        self._max_width = -1.0
        self._short: str | None = None
        self._full_of: tuple[str, float] = ("", -1.0)
        self._full_font = QFont(font)
        self._full = ("", 0.0, 0.0)
        #: Where the label sits relative to its card's centre (scene units), for dragging.
        self.offset = QPointF()

    def set_text(
        self, text: str, font: QFont, max_width: float, *, shown: str | None = None
    ) -> None:
        """Show ``text`` elided to ``max_width`` pixels in ``font`` (or ``shown``, a shorter
        form of it, when the layout had room only for that; the tooltip keeps ``text``)."""
        key = (text, max_width, shown)
        if key == (self.full_text, self._max_width, self._short) and font == self._font:
            return
        self._max_width, self._short = max_width, shown
        if shown is None:
            shown, width, height = self.full_size(text, font, max_width)
        else:
            metrics = QFontMetricsF(font)
            width = metrics.horizontalAdvance(shown) + 2 * self.PADDING
            height = metrics.height() + 2
        size = QRectF(0, 0, width, height)
        if shown != self._text or size != self._size or font != self._font:
            self.prepareGeometryChange()
            self._text, self._size, self._font = shown, size, QFont(font)
            self.update()
        self.full_text = text

    def full_size(self, text: str, font: QFont, max_width: float) -> tuple[str, float, float]:
        """What :meth:`set_text` would show of ``text`` (elided to ``max_width`` pixels in
        ``font``) and its width and height in pixels, without showing it: measured once per
        text, width and font (a label shown short is measured at full length on every
        layout)."""
        if self._full_of != (text, max_width) or font != self._full_font:
            metrics = QFontMetricsF(font)
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max_width)
            self._full = (
                shown,
                metrics.horizontalAdvance(shown) + 2 * self.PADDING,
                metrics.height() + 2,
            )
            self._full_of, self._full_font = (text, max_width), QFont(font)
        return self._full

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
