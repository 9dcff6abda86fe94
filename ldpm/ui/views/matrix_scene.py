"""What the value/effort matrix draws on its card canvas: the four quadrants, the axes, and
one card per scored item.

The plot is :data:`PLOT` in scene units; :class:`~ldpm.domain.matrix.MatrixAxes` turns value
and effort into fractions of it and back.  Bubbles are as large as the item's reach (area in
proportion, so a bubble twice the reach has twice the ink), coloured by status; an item with
no reach is the smallest bubble, outlined dashed.  Items on the very same value and effort are
spread a little around their spot, inside their value band, so each can be grabbed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem

from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import ValueEffortQuadrant
from ldpm.domain.matrix import VALUE_MAX, VALUE_MIN, MatrixAxes
from ldpm.domain.scoring import value_effort_quadrant
from ldpm.ui.canvas import CardCanvas, CardSpec, LegendItem, TextItem
from ldpm.ui.labels import label
from ldpm.ui.models.plan_items import STATUS_ROLES, days
from ldpm.ui.widgets import format_number

#: The plot, in scene units; the plane adds room for the axes' labels around it.
PLOT = QRectF(0, 0, 1000, 700)
PLANE = QRectF(-130, -60, 1170, 920)
#: Bubble diameters in scene units: no reach, and the largest reach.
MIN_BUBBLE, MAX_BUBBLE = 16.0, 56.0

#: Quadrant -> (colour role of its tint, where its title goes).
_QUADRANTS: dict[ValueEffortQuadrant, tuple[str, QRectF]] = {
    ValueEffortQuadrant.QUICK_WIN: ("success", QRectF(0, 0, 500, 350)),
    ValueEffortQuadrant.BIG_BET: ("accent", QRectF(500, 0, 500, 350)),
    ValueEffortQuadrant.FILL_IN: ("muted", QRectF(0, 350, 500, 350)),
    ValueEffortQuadrant.MONEY_PIT: ("danger", QRectF(500, 350, 500, 350)),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("MatrixView", text)


def quadrant_titles() -> dict[ValueEffortQuadrant, str]:
    return {
        ValueEffortQuadrant.QUICK_WIN: _tr("Quick wins"),
        ValueEffortQuadrant.BIG_BET: _tr("Big bets"),
        ValueEffortQuadrant.FILL_IN: _tr("Fill-ins"),
        ValueEffortQuadrant.MONEY_PIT: _tr("Money pits"),
    }


def point(axes: MatrixAxes, value: float, effort: float) -> QPointF:
    """Where an item of ``value`` and ``effort`` goes, in scene units."""
    return QPointF(
        PLOT.left() + axes.fx(effort) * PLOT.width(),
        PLOT.bottom() - axes.fy(value) * PLOT.height(),
    )


def scores_at(axes: MatrixAxes, at: QPointF) -> tuple[int, float] | None:
    """The value and effort a drop at ``at`` means, or None outside the plot."""
    value = axes.value_at((PLOT.bottom() - at.y()) / PLOT.height())
    effort = axes.effort_at((at.x() - PLOT.left()) / PLOT.width())
    if value is None or effort is None:
        return None
    return value, effort


def describe(item: BacklogItem) -> str:
    """One line about an item on the matrix: quadrant, value, effort, reach, status."""
    parts = []
    quadrant = value_effort_quadrant(item.value, item.effort)
    if quadrant is not None:
        parts.append(label(quadrant))
    parts.append(
        _tr("value {v}").format(v=item.value) if item.value is not None else _tr("no value")
    )
    parts.append(_tr("effort {e}").format(e=days(item.effort)))
    if item.reach is not None:
        parts.append(_tr("reach {n} a quarter").format(n=format_number(item.reach)))
    else:
        parts.append(_tr("reach not set"))
    parts.append(label(item.status))
    return " · ".join(parts)


def card_specs(items: Sequence[BacklogItem], axes: MatrixAxes) -> list[CardSpec]:
    """One card per item that has a value and an effort."""
    placed = [i for i in items if i.value is not None and i.effort is not None]
    reach_max = max((i.reach or 0 for i in placed), default=0)
    spots: dict[tuple[int, float], list[BacklogItem]] = defaultdict(list)
    for item in placed:
        assert item.value is not None and item.effort is not None
        spots[(item.value, item.effort)].append(item)
    band = PLOT.height() / (VALUE_MAX - VALUE_MIN + 1)
    specs = []
    for (value, effort), group in spots.items():
        centre = point(axes, value, effort)
        for n, item in enumerate(group):
            offset = QPointF()
            if len(group) > 1:  # spread around the spot, within the value band
                angle = 2 * math.pi * n / len(group)
                radius = min(band / 3, 8.0 + 3.0 * len(group))
                offset = QPointF(math.cos(angle) * radius, math.sin(angle) * radius)
            size = MIN_BUBBLE
            if item.reach and reach_max:
                size += (MAX_BUBBLE - MIN_BUBBLE) * math.sqrt(item.reach / reach_max)
            text = describe(item)
            specs.append(
                CardSpec(
                    id=item.id,
                    x=centre.x() + offset.x(),
                    y=centre.y() + offset.y(),
                    label=item.title,
                    width=size,
                    height=size,
                    fill=STATUS_ROLES[item.status],
                    outline="text",
                    dashed=item.reach is None,
                    tooltip=f"{item.title}\n{text}",
                    description=f"{item.title}: {text}",
                    priority=value / max(effort, 0.5),
                )
            )
    return specs


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def draw_backdrop(canvas: CardCanvas, axes: MatrixAxes) -> None:
    """The quadrants, split lines, titles, axes and the legend, in the canvas's theme and
    font, for its zoom (text keeps its size on screen, so the legend goes under the effort
    ticks at a distance that depends on the zoom)."""
    canvas.clear_backdrop()
    zoom = canvas.zoom() or 1.0
    colours = canvas.colours()
    font = QFont(canvas.font())
    base = colours.role("base")
    for role, rect in _QUADRANTS.values():
        # An opaque tint (base with 7% of the role): large translucent fills are slow.
        tint = _mix(base, colours.role(role), 0.0 if colours.high_contrast else 0.07)
        box = QGraphicsRectItem(rect)
        box.setBrush(QBrush(tint))
        box.setPen(Qt.PenStyle.NoPen)
        canvas.add_backdrop(box)
    frame = QGraphicsRectItem(PLOT)
    pen = QPen(colours.role("border"))
    pen.setCosmetic(True)
    pen.setWidthF(colours.line_width)
    frame.setPen(pen)
    canvas.add_backdrop(frame)
    split = QPen(colours.role("control"))
    split.setCosmetic(True)
    split.setWidthF(colours.line_width)
    split.setStyle(Qt.PenStyle.DashLine)
    middle_x = PLOT.left() + PLOT.width() / 2
    middle_y = PLOT.top() + PLOT.height() / 2
    for line in (
        QLineF(middle_x, PLOT.top(), middle_x, PLOT.bottom()),
        QLineF(PLOT.left(), middle_y, PLOT.right(), middle_y),
    ):
        item = QGraphicsLineItem(line)
        item.setPen(split)
        canvas.add_backdrop(item)
    _draw_text(canvas, axes, font, zoom)


def _draw_text(canvas: CardCanvas, axes: MatrixAxes, font: QFont, zoom: float) -> None:
    """The titles, ticks and legend around the plot — never inside it, where the cards are.

    Text keeps its size on screen, so the rows under the plot are placed for the zoom."""
    line = (canvas.fontMetrics().height() + 4) / zoom  # one row of text, in scene units
    gap = 6 / zoom
    colours = canvas.colours
    left = Qt.AlignmentFlag.AlignLeft
    right = Qt.AlignmentFlag.AlignRight
    top, bottom = Qt.AlignmentFlag.AlignTop, Qt.AlignmentFlag.AlignBottom
    centre = Qt.AlignmentFlag.AlignHCenter
    middle = Qt.AlignmentFlag.AlignVCenter

    def text(words: str, at: QPointF, align: Qt.AlignmentFlag, *, role: str = "muted",
             title: bool = False) -> None:  # fmt: skip
        used = QFont(font)
        if title:
            used.setBold(True)
            used.setPointSizeF(font.pointSizeF() * 1.15)
        item = TextItem(words, used, colours, role=role, align=align)
        item.setPos(at)
        canvas.add_backdrop(item)

    titles = quadrant_titles()
    # Above the plot: the high-value quadrants; the value axis's name over its numbers.
    text(titles[ValueEffortQuadrant.QUICK_WIN], QPointF(PLOT.left(), PLOT.top() - gap),
         left | bottom, role="text", title=True)  # fmt: skip
    text(titles[ValueEffortQuadrant.BIG_BET], QPointF(PLOT.right(), PLOT.top() - gap),
         right | bottom, role="text", title=True)  # fmt: skip
    text(_tr("Value ↑"), QPointF(PLOT.left() - 10 / zoom, PLOT.top() - gap), right | bottom)
    for value in range(VALUE_MIN, VALUE_MAX + 1):
        at = point(axes, value, 0)
        text(str(value), QPointF(at.x() - 10 / zoom, at.y()), right | middle)
    # Under the plot: the effort ticks, then the low-value quadrants with the effort axis's
    # name between them, then the legend.
    for effort in axes.ticks():
        at = QPointF(point(axes, VALUE_MIN, effort).x(), PLOT.bottom() + gap)
        text(format_number(effort), at, centre | top)
    row = PLOT.bottom() + gap + line
    text(titles[ValueEffortQuadrant.FILL_IN], QPointF(PLOT.left(), row), left | top,
         role="text", title=True)  # fmt: skip
    text(titles[ValueEffortQuadrant.MONEY_PIT], QPointF(PLOT.right(), row), right | top,
         role="text", title=True)  # fmt: skip
    text(_tr("Effort in person-days →"), QPointF(PLOT.center().x(), row), centre | top,
         role="text")  # fmt: skip
    row += line * 1.3
    legend = LegendItem(
        [(role, label(status)) for status, role in STATUS_ROLES.items()], font, colours
    )
    legend.setPos(PLOT.left(), row)
    canvas.add_backdrop(legend)
    text(_tr("Bubble size: reach (people a quarter); dashed: reach not set"),
         QPointF(PLOT.left(), row + line), left | top)  # fmt: skip
