"""Who moved, on the stakeholder map: every ghost and arrow of a comparison in one item.

A comparison of two assessments of 300 people moves most of them.  An item per move (its
ghost, its arrow, its tooltip) cost more to create, index and paint than the whole rest of
the map.  :class:`MovesItem` draws them — a dashed ghost of the card at its old place,
an arrow from the ghost's edge to the card's edge, in the move's colour role resolved at paint
time — as one item whose paint() sets its pens once per colour and draws the shapes made once
per :meth:`MovesItem.set_moves`.  (Shapes, not one joined path per colour: measured on the
raster engine, one path of 273 long crossing antialiased lines took about 1.9 s to stroke,
the same lines drawn as lines about 13 ms.)

It takes no clicks (the cards above do).  The tooltip of a ghost is written only when the
pointer is over that ghost (``tip(id)``), not for every mover on every rebuild.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from ldpm.domain.drift import Movement
from ldpm.ui.canvas.arrows import Z_MOVES, Move, card_box, edge_point
from ldpm.ui.canvas.colours import CanvasColours
from ldpm.ui.canvas.items import Shape


class _Shapes:
    """The ghosts, arrow lines and arrowheads of the moves of one colour."""

    def __init__(self) -> None:
        self.boxes: list[QRectF] = []
        self.rounds: list[QRectF] = []
        self.lines: list[QLineF] = []
        self.heads: list[QPolygonF] = []


def _arrow(ghost: QRectF, target: QRectF, shape: Shape) -> QLineF:
    """From the ghost's edge to the card's edge, on the line between their centres."""
    return QLineF(
        edge_point(ghost, shape, target.center()), edge_point(target, shape, ghost.center())
    )


def _head(line: QLineF) -> QPolygonF:
    """An arrowhead at the end of ``line``, about as big as a card's corner."""
    size = min(12.0, max(6.0, line.length() / 3))
    angle = math.atan2(line.dy(), line.dx())
    tip = line.p2()
    return QPolygonF(
        [
            tip,
            QPointF(
                tip.x() - size * math.cos(angle - math.pi / 7),
                tip.y() - size * math.sin(angle - math.pi / 7),
            ),
            QPointF(
                tip.x() - size * math.cos(angle + math.pi / 7),
                tip.y() - size * math.sin(angle + math.pi / 7),
            ),
        ]
    )


def moves_between(
    old: Mapping[str, tuple[float, float]],
    new: Mapping[str, tuple[float, float]],
    movements: Mapping[str, Movement],
    size: tuple[float, float],
) -> list[Move]:
    """The moves of the cards that moved and stand both at ``old`` and ``new`` (scene
    centres by id, cards of ``size``): in the danger colour for a key player drifting."""
    return [
        Move(
            id=key,
            old=old[key],
            new=new[key],
            width=size[0],
            height=size[1],
            shape=Shape.BOX,
            colour="danger" if movement.drift is not None else "text",
        )
        for key, movement in movements.items()
        if movement.moved and key in old and key in new
    ]


class MovesItem(QGraphicsItem):
    """All the moves of a comparison, kept by id (see the module docstring)."""

    def __init__(
        self,
        scene: QGraphicsScene,
        colours: Callable[[], CanvasColours],
        tip: Callable[[str], str],
    ) -> None:
        super().__init__()
        self._colours = colours
        self._tip = tip
        self._moves: dict[str, Move] = {}
        self._ghosts: dict[str, QRectF] = {}
        self._lines: dict[str, QLineF] = {}
        self._shapes: dict[str, _Shapes] = {}
        self._shape = QPainterPath()
        self._bounds = QRectF()
        self.setZValue(Z_MOVES)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(True)
        scene.addItem(self)

    def set_moves(self, moves: Sequence[Move]) -> None:
        """Show these moves (and no others)."""
        if [self._moves.get(m.id) for m in moves] == list(moves) and len(moves) == len(
            self._moves
        ):
            return
        self.prepareGeometryChange()
        self._moves = {m.id: m for m in moves}
        self._ghosts, self._lines, self._shapes = {}, {}, {}
        self._shape = QPainterPath()
        self._shape.setFillRule(Qt.FillRule.WindingFill)
        bounds = QRectF()
        for move in moves:
            ghost = card_box(move.old, move.width, move.height)
            target = card_box(move.new, move.width, move.height)
            line = _arrow(ghost, target, move.shape)
            self._ghosts[move.id], self._lines[move.id] = ghost, line
            shapes = self._shapes.setdefault(move.colour, _Shapes())
            (shapes.rounds if move.shape is Shape.CIRCLE else shapes.boxes).append(ghost)
            self._shape.addRect(ghost)  # tooltips on the ghosts only
            if line.length() >= 1:
                shapes.lines.append(line)
                shapes.heads.append(_head(line))
            bounds = bounds.united(ghost.united(target))
        self._bounds = bounds.adjusted(-12, -12, 12, 12) if moves else QRectF()
        self.setToolTip("")
        self.update()

    def clear(self) -> None:
        self.set_moves([])

    def ids(self) -> list[str]:
        return list(self._moves)

    def move(self, key: str) -> Move | None:
        """The move of card ``key`` (None: it did not move)."""
        return self._moves.get(key)

    def ghost(self, key: str) -> QRectF | None:
        """Where the ghost of ``key`` is drawn, in scene units."""
        rect = self._ghosts.get(key)
        return QRectF(rect) if rect is not None else None

    def ghosts(self) -> list[QRectF]:
        """Every ghost's rectangle (what the names keep off)."""
        return [QRectF(rect) for rect in self._ghosts.values()]

    def arrow(self, key: str) -> QLineF | None:
        """The arrow of ``key``: from its ghost's edge to its card's edge."""
        line = self._lines.get(key)
        return QLineF(line) if line is not None else None

    def tips(self) -> Iterable[str]:
        """Every ghost's tooltip (what a pointer could bring up)."""
        return (self._tip(key) for key in self._moves)

    def restyle(self) -> None:
        """Repaint in the current theme (after a theme change)."""
        self.update()

    # ----------------------------------------------------------------- Qt
    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def shape(self) -> QPainterPath:
        return self._shape

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        pos = event.pos()
        key = next((k for k, rect in self._ghosts.items() if rect.contains(pos)), None)
        self.setToolTip(self._tip(key) if key is not None else "")
        super().hoverMoveEvent(event)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.hoverMoveEvent(event)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        colours = self._colours()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        # A key player's red arrows over the others.
        for role, shapes in sorted(self._shapes.items(), key=lambda item: item[0] == "danger"):
            colour = colours.role(role)
            ghost = QPen(colour)
            ghost.setCosmetic(True)
            ghost.setWidthF(max(1.0, colours.line_width))
            ghost.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(ghost)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in shapes.boxes:
                painter.drawRoundedRect(rect, 4, 4)
            for rect in shapes.rounds:
                painter.drawEllipse(rect)
            pen = QPen(colour)
            pen.setCosmetic(True)
            pen.setWidthF(colours.line_width + 1)
            painter.setPen(pen)
            painter.drawLines(shapes.lines)
            painter.setBrush(QBrush(colour))
            for head in shapes.heads:
                painter.drawPolygon(head)
