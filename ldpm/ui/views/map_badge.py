"""The badge on every card of the stakeholder map: the kind as a short badge ("SP", "SME" …),
a five-step engagement scale with a dot where they are and an arrow to where we want them
(when that differs), and a ring and "!" when a key player is drifting.

Sizes are in scene units, so badges grow with the zoom.  On screen a badge is a picture
shared by every badge that shows the same at that size (a repaint of 300 cards is 300 pixmap
copies); an export gets the drawing itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPixmap, QPolygonF, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from ldpm.domain.enums import Engagement
from ldpm.ui.canvas import CardCanvas, CardItem
from ldpm.ui.canvas.colours import CanvasColours

_ENGAGEMENT = list(Engagement)


@dataclass(frozen=True)
class BadgeInfo:
    kind: str
    current: Engagement
    desired: Engagement
    drift: bool = False


class CardBadge(QGraphicsItem):
    """Drawn on a card (its child, so it moves with it; it takes no clicks): the kind, the
    engagement scale with its arrow, and a drift mark."""

    def __init__(self, card: CardItem, colours: Callable[[], CanvasColours]) -> None:
        super().__init__(card)
        self._card = card
        self._colours = colours
        self.info = BadgeInfo("", Engagement.UNAWARE, Engagement.UNAWARE)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        #: The picture shown last, and what it depended on.
        self._stamp: tuple[object, ...] = ()
        self._shown = QPixmap()
        card.set_decoration(self)  # the card paints its badge: one item per card to paint

    def set_info(self, info: BadgeInfo) -> None:
        if info != self.info:
            self.info = info
            self._card.update()

    def boundingRect(self) -> QRectF:
        return self._card.rect()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        colours = self._colours()
        rect = self._card.rect()
        world = painter.worldTransform()
        if widget is None or world.type().value > QTransform.TransformationType.TxScale.value:
            # An export (PNG, SVG) gets the drawing itself, not a picture of it.
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            for _key, draw in self._parts(colours):
                draw(painter, rect)
            return
        # On screen, a badge is a picture shared by every badge that shows the same (a kind,
        # an engagement step and goal, the ring) at this size: repainting 300 badges (a
        # comparison, a scroll) is one pixmap copy each, not 300 drawings of text.  Each
        # badge keeps the picture it showed last, with what it depends on.
        ratio = widget.devicePixelRatioF()
        target = world.mapRect(rect)
        stamp = (colours, self.info, rect, target.width(), target.height(), ratio)
        if stamp != self._stamp:
            size = QSize(round(target.width() * ratio), round(target.height() * ratio))
            if size.isEmpty():
                return
            parts = self._parts(colours)
            key = (*(k for k, _draw in parts), size, ratio)
            draw = partial(_draw_all, [d for _k, d in parts])
            self._shown = _picture(key, draw, rect, size, ratio)
            self._stamp = stamp
        corner = QPointF(round(target.x()), round(target.y()))
        painter.setWorldTransform(QTransform())
        painter.drawPixmap(corner, self._shown)
        painter.setWorldTransform(world)

    def _parts(
        self, colours: CanvasColours
    ) -> list[tuple[tuple[object, ...], Callable[[QPainter, QRectF], None]]]:
        """What the badge draws, each part with what its drawing depends on."""
        info, ink = self.info, colours.role("accent_text")
        kind = f"! {info.kind}" if info.drift else info.kind
        now, goal = _ENGAGEMENT.index(info.current), _ENGAGEMENT.index(info.desired)
        parts: list[tuple[tuple[object, ...], Callable[[QPainter, QRectF], None]]] = [
            (("kind", kind, ink.rgba()), partial(_draw_kind, kind, ink)),
            (("scale", now, goal, ink.rgba()), partial(_draw_scale, now, goal, ink)),
        ]
        if info.drift:
            danger = colours.role("danger")
            parts.append((("ring", danger.rgba()), partial(_draw_ring, danger)))
        return parts


def _draw_all(
    parts: list[Callable[[QPainter, QRectF], None]], painter: QPainter, rect: QRectF
) -> None:
    for draw in parts:
        draw(painter, rect)


def _draw_kind(kind: str, ink: QColor, painter: QPainter, rect: QRectF) -> None:
    font = QFont()
    font.setPixelSize(round(rect.height() * 0.45))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(ink)
    top = QRectF(rect.left(), rect.top() + 1, rect.width(), rect.height() * 0.55)
    painter.drawText(top, int(Qt.AlignmentFlag.AlignCenter), kind)


def _draw_scale(now: int, goal: int, ink: QColor, painter: QPainter, rect: QRectF) -> None:
    """The engagement scale: five steps, a dot where they are, an arrow to the goal."""
    y = rect.bottom() - rect.height() * 0.22
    left, right = rect.left() + rect.width() * 0.16, rect.right() - rect.width() * 0.16
    step = (right - left) / (len(_ENGAGEMENT) - 1)
    pen = QPen(ink)
    pen.setWidthF(1.0)
    painter.setPen(pen)
    painter.setBrush(QBrush(ink))
    tick = max(1.0, rect.height() * 0.05)
    for i in range(len(_ENGAGEMENT)):
        painter.drawEllipse(QPointF(left + i * step, y), tick, tick)
    painter.drawEllipse(QPointF(left + now * step, y), tick * 2.6, tick * 2.6)
    if goal != now:
        start, end = left + now * step, left + goal * step
        direction = 1 if end > start else -1
        pen.setWidthF(max(1.2, rect.height() * 0.07))
        painter.setPen(pen)
        head = min(abs(end - start), rect.height() * 0.2)
        painter.drawLine(QPointF(start, y), QPointF(end - direction * head * 0.8, y))
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(end, y),
                    QPointF(end - direction * head, y - head * 0.6),
                    QPointF(end - direction * head, y + head * 0.6),
                ]
            )
        )


def _draw_ring(danger: QColor, painter: QPainter, rect: QRectF) -> None:
    """A thick ring in the danger colour, inside the card (a label beside the card never
    covers it): a key player drifting."""
    ring = QPen(danger)
    ring.setWidthF(max(2.5, rect.height() * 0.12))
    ring.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(ring)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = ring.widthF() / 2
    painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), 3, 3)


#: Pictures of the parts of badges, by what they show and their size in device pixels.
_PICTURES: dict[tuple[object, ...], QPixmap] = {}
#: Past this many pictures (zooming through many sizes) the cache starts again.  (Eight kinds
#: times 25 engagement steps and goals, with and without the ring, at one size: 400; each
#: a few kilobytes.)
_PICTURES_KEPT = 1200


def _picture(
    key: tuple[object, ...],
    draw: Callable[[QPainter, QRectF], None],
    rect: QRectF,
    size: QSize,
    ratio: float,
) -> QPixmap:
    """The part of a badge ``draw`` draws, in a transparent pixmap of ``size`` device
    pixels (made once per ``key``)."""
    picture = _PICTURES.get(key)
    if picture is not None:
        return picture
    picture = QPixmap(size)
    picture.setDevicePixelRatio(ratio)
    picture.fill(Qt.GlobalColor.transparent)
    painter = QPainter(picture)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.scale(size.width() / ratio / rect.width(), size.height() / ratio / rect.height())
        painter.translate(-rect.topLeft())
        draw(painter, rect)
    finally:
        painter.end()
    if len(_PICTURES) >= _PICTURES_KEPT:
        _PICTURES.clear()
    _PICTURES[key] = picture
    return picture


def badge_of(card: CardItem, colours: Callable[[], CanvasColours]) -> CardBadge:
    """The card's badge (made on first use)."""
    for child in card.childItems():
        if isinstance(child, CardBadge):
            return child
    return CardBadge(card, colours)


def set_badges(canvas: CardCanvas, infos: Mapping[str, BadgeInfo]) -> None:
    """Show on each card (by id) what its badge says."""
    for key, info in infos.items():
        card = canvas.item(key)
        if card is not None:
            badge_of(card, canvas.colours).set_info(info)
