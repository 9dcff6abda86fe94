"""Movement on the card canvas: what a view that compares two moments (the stakeholder map
comparing two assessments) says about a card that moved, and the geometry of its ghost and
arrow.  One :class:`Move` per card: where it was, where it is, its size and shape, a colour
role and a tooltip; :func:`card_box` is the card's rectangle at a centre and
:func:`edge_point` where an arrow leaves it.  :class:`ldpm.ui.views.map_moves.MovesItem`
draws every ghost and arrow of a comparison as one item, under the cards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF

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


def card_box(centre: tuple[float, float], width: float, height: float) -> QRectF:
    return QRectF(centre[0] - width / 2, centre[1] - height / 2, width, height)


def edge_point(rect: QRectF, shape: Shape, towards: QPointF) -> QPointF:
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
