"""Movement on the card canvas: ghost positions and arrows from where cards were.

A view that compares two moments (the stakeholder map comparing two assessments; a plan
before and after a re-scoring) hands :meth:`MovementLayer.set_moves` one :class:`Move` per
card that moved: where it was, where it is, its size and shape, a colour role and a tooltip.
The layer draws a dashed *ghost* of the card at its old place and an arrow from the ghost to
the card, both under the cards (they never take a click: the card above does), in the
canvas's theme colours resolved at paint time — so a theme switch recolours them like the
cards.  Moves are kept by id, as cards are; :meth:`MovementLayer.clear` removes them all.

It adds nothing to the canvas widget itself: the items live in the canvas's scene, between the
backdrop and the cards.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from ldpm.ui.canvas.colours import CanvasColours
from ldpm.ui.canvas.items import Shape

#: Below the cards (z 0) and their labels, above the backdrop (z -100 and less).
Z_MOVES = -10.0


@dataclass(frozen=True)
class Move:
    """A card (``id``) that was at ``old`` and is at ``new`` (scene centres)."""

    id: str
    old: tuple[float, float]
    new: tuple[float, float]
    width: float = 24.0
    height: float = 24.0
    shape: Shape = Shape.CIRCLE
    #: Colour role of the ghost's outline and the arrow (``"muted"``, ``"danger"`` …).
    colour: str = "muted"
    tooltip: str = ""


def _box(centre: tuple[float, float], width: float, height: float) -> QRectF:
    return QRectF(centre[0] - width / 2, centre[1] - height / 2, width, height)


def _edge(rect: QRectF, shape: Shape, towards: QPointF) -> QPointF:
    """Where a line from the centre of ``rect`` towards ``towards`` leaves the shape."""
    centre = rect.center()
    dx, dy = towards.x() - centre.x(), towards.y() - centre.y()
    if dx == 0 and dy == 0:
        return centre
    if shape is Shape.CIRCLE:
        r = rect.width() / 2
        length = math.hypot(dx, dy)
        return QPointF(centre.x() + dx * r / length, centre.y() + dy * r / length)
    sx = (rect.width() / 2) / abs(dx) if dx else math.inf
    sy = (rect.height() / 2) / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return QPointF(centre.x() + dx * s, centre.y() + dy * s)


class MoveItem(QGraphicsItem):
    """One move: a dashed ghost at the old place and an arrow to the new one."""

    def __init__(self, move: Move, colours: Callable[[], CanvasColours]) -> None:
        super().__init__()
        self._colours = colours
        self.move = move
        self.setZValue(Z_MOVES)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.set_move(move)

    def set_move(self, move: Move) -> None:
        self.prepareGeometryChange()
        self.move = move
        self.setToolTip(move.tooltip)
        self._ghost = _box(move.old, move.width, move.height)
        target = _box(move.new, move.width, move.height)
        start = _edge(self._ghost, move.shape, target.center())
        end = _edge(target, move.shape, self._ghost.center())
        self._line = QLineF(start, end)
        self._bounds = self._ghost.united(target).adjusted(-12, -12, 12, 12)
        self.update()

    @property
    def ghost_rect(self) -> QRectF:
        return QRectF(self._ghost)

    @property
    def line(self) -> QLineF:
        return QLineF(self._line)

    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._ghost)  # tooltips on the ghost only
        return path

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        colours = self._colours()
        colour = colours.role(self.move.colour)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        ghost = QPen(colour)
        ghost.setCosmetic(True)
        ghost.setWidthF(max(1.0, colours.line_width))
        ghost.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(ghost)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.move.shape is Shape.CIRCLE:
            painter.drawEllipse(self._ghost)
        else:
            painter.drawRoundedRect(self._ghost, 4, 4)
        line = self._line
        if line.length() < 1:
            return
        pen = QPen(colour)
        pen.setCosmetic(True)
        pen.setWidthF(colours.line_width + 1)
        painter.setPen(pen)
        painter.drawLine(line)
        # An arrowhead at the new place, about as big as a card's corner.
        size = min(12.0, max(6.0, line.length() / 3))
        angle = math.atan2(line.dy(), line.dx())
        tip = line.p2()
        left = QPointF(
            tip.x() - size * math.cos(angle - math.pi / 7),
            tip.y() - size * math.sin(angle - math.pi / 7),
        )
        right = QPointF(
            tip.x() - size * math.cos(angle + math.pi / 7),
            tip.y() - size * math.sin(angle + math.pi / 7),
        )
        painter.setBrush(QBrush(colour))
        painter.drawPolygon(QPolygonF([tip, left, right]))


class MovementLayer:
    """The moves shown on one canvas's scene, kept by id."""

    def __init__(self, scene: QGraphicsScene, colours: Callable[[], CanvasColours]) -> None:
        self._scene = scene
        self._colours = colours
        self._items: dict[str, MoveItem] = {}

    def set_moves(self, moves: Sequence[Move]) -> None:
        """Show these moves (existing ones updated, missing ones removed)."""
        wanted = {m.id: m for m in moves}
        for key in [k for k in self._items if k not in wanted]:
            self._scene.removeItem(self._items.pop(key))
        for move in moves:
            item = self._items.get(move.id)
            if item is None:
                item = self._items[move.id] = MoveItem(move, self._colours)
                self._scene.addItem(item)
            elif item.move != move:
                item.set_move(move)

    def clear(self) -> None:
        self.set_moves([])

    def ids(self) -> list[str]:
        return list(self._items)

    def item(self, key: str) -> MoveItem | None:
        return self._items.get(key)

    def restyle(self) -> None:
        """Repaint in the current theme (after a theme change)."""
        for item in self._items.values():
            item.update()
