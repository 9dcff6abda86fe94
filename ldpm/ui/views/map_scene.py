"""What the stakeholder map draws on the card canvas: the plane, the power/interest backdrop
with its four labelled quadrants, axes and legend, the kinds' badges and the support colours.

The plane is :data:`PLANE` scene units (wider than tall, like a projector), the grid
:data:`GRID` (:class:`~ldpm.domain.power_grid.Grid`): interest left to right, power bottom to
top, the quadrant lines between 5 and 6.  Quadrant titles sit in bands above and below the
grid, never under a card; the labels of the cards stay inside the grid.

A card is a box coloured by support (:func:`support_colour`: the theme's danger … success, with
colours of their own in high contrast where the theme's would repeat) with a badge on it
(:mod:`ldpm.ui.views.map_badge`): its kind (:func:`kind_badge`), its engagement and a drift
mark.  The names beside the cards are the canvas's labels, which keep their size on screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsLineItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
)

from ldpm.domain.drift import Reading
from ldpm.domain.entities import Stakeholder
from ldpm.domain.enums import Engagement, Quadrant, StakeholderKind, Support
from ldpm.domain.power_grid import Grid
from ldpm.ui.canvas import CardCanvas, CardSpec, Shape
from ldpm.ui.canvas.colours import CanvasColours
from ldpm.ui.labels import label
from ldpm.ui.views.map_badge import BadgeInfo


@dataclass(frozen=True)
class Geometry:
    """Where things go on the plane, for one text size: the map grows its bands and margins
    with the text (the projector preset's large text needs them), the grid keeps its size."""

    plane: QRectF
    grid: Grid
    #: A card's size in scene units.
    card: tuple[float, float]
    #: How much larger than at normal text size the backdrop's text is drawn.
    scale: float
    #: The top of the legend.
    legend_top: float

    @property
    def label_area(self) -> QRectF:
        """Where the names may go: the grid and the margin to its right."""
        g = self.grid
        return QRectF(g.left, g.top, self.plane.right() - g.left, g.height)


#: The grid's size in scene units (what fitting the plane to the window scales).
GRID_SIZE = (1150.0, 600.0)


def geometry(font_px: float, legend_rows: int = 2) -> Geometry:
    """The map's geometry for the canvas's text of ``font_px`` pixels, with room for
    ``legend_rows`` rows of legend."""
    s = max(1.0, min(2.2, font_px / 14))
    left = 62 * s
    top = (34 + 44) * s + 8
    grid = Grid(left=left, top=top, width=GRID_SIZE[0], height=GRID_SIZE[1])
    right = 10 * font_px  # room for the names of the right-most column
    legend_top = grid.bottom + (24 + 42) * s
    height = legend_top + legend_rows * 26 * s + 8
    # Cards grow with the text (beside 24-pixel names in the projector preset they must not
    # look like dots), up to what leaves a cell a little room around one card.
    card = min(s, 0.92 * GRID_SIZE[1] / 10 / 30.0, 0.92 * GRID_SIZE[0] / 10 / 58.0)
    return Geometry(
        plane=QRectF(0, 0, grid.right + right, height),
        grid=grid,
        card=(58.0 * card, 30.0 * card),
        scale=s,
        legend_top=legend_top,
    )


_ENGAGEMENT = list(Engagement)


@dataclass(frozen=True)
class MapCard:
    """A stakeholder as the map shows them: where they stand (at the later date of a
    comparison) and whether they are a key player drifting."""

    id: str
    name: str
    stake: Stakeholder
    reading: Reading
    drifting: bool


def card_specs(
    cards: Sequence[MapCard],
    spots: Mapping[str, tuple[float, float]],
    size: tuple[float, float],
    colours: CanvasColours,
    *,
    movable: bool,
) -> list[CardSpec]:
    """The canvas's cards: at their spot, coloured by support, the name as the label, the
    powerful (and the drifting above all) labelled first."""
    return [
        CardSpec(
            id=c.id,
            x=spots[c.id][0],
            y=spots[c.id][1],
            label=c.name,
            width=size[0],
            height=size[1],
            shape=Shape.BOX,
            fill=support_colour(c.reading.support, colours),
            outline="text",
            movable=movable,
            priority=c.reading.power + (10 if c.drifting else 0),
        )
        for c in cards
    ]


def badge_infos(cards: Sequence[MapCard]) -> dict[str, BadgeInfo]:
    """What each card's badge says: the kind, the engagement now and wanted, the drift."""
    badges = kind_badges()
    return {
        c.id: BadgeInfo(
            badges.get(c.stake.kind, ""),
            c.reading.engagement,
            c.stake.desired_engagement,
            c.drifting,
        )
        for c in cards
    }


def _tr(text: str) -> str:
    return QCoreApplication.translate("StakeholderMap", text)


def kind_badge(kind: StakeholderKind) -> str:
    """The short badge of a kind, as drawn on its cards."""
    return kind_badges().get(kind, "")


def kind_badges() -> dict[StakeholderKind, str]:
    """The short badge of every kind (translated now: look them up once per map)."""
    return {
        StakeholderKind.SPONSOR: _tr("SP"),
        StakeholderKind.BUSINESS_LEADER: _tr("BL"),
        StakeholderKind.SME: _tr("SME"),
        StakeholderKind.LEARNER_REP: _tr("LR"),
        StakeholderKind.LEARNER: _tr("L"),
        StakeholderKind.LIAISON: _tr("LI"),
        StakeholderKind.HR: _tr("HR"),
        StakeholderKind.OTHER: _tr("O"),
    }


_ROLES = {
    Support.BLOCKER: "danger",
    Support.SCEPTIC: "warning",
    Support.NEUTRAL: "muted",
    Support.SUPPORTER: "accent",
    Support.CHAMPION: "success",
}
#: High contrast: the theme's warning and accent are one yellow, so those two get their own.
_HIGH_CONTRAST = {Support.SCEPTIC: "#ffb347", Support.SUPPORTER: "#8ecbff"}


def support_colour(support: Support, colours: CanvasColours) -> str:
    """The fill of a card for a stance: a colour role, or a colour of its own."""
    if colours.high_contrast and support in _HIGH_CONTRAST:
        return _HIGH_CONTRAST[support]
    return _ROLES[support]


# ------------------------------------------------------------------------ the backdrop


def _text(
    canvas: CardCanvas, text: str, px: float, colour: QColor, *, bold: bool = False
) -> QGraphicsSimpleTextItem:
    item = QGraphicsSimpleTextItem(text)
    font = QFont(canvas.font())
    font.setPixelSize(round(px))
    font.setBold(bold)
    item.setFont(font)
    item.setBrush(QBrush(colour))
    canvas.add_backdrop(item)
    return item


def _place(item: QGraphicsSimpleTextItem, x: float, y: float, align: str = "left") -> QRectF:
    """Put a text item with its top at ``y``, its left, centre or right at ``x``."""
    width = item.boundingRect().width()
    left = x if align == "left" else x - width / 2 if align == "centre" else x - width
    item.setPos(left, y)
    return item.sceneBoundingRect()


def _fill(colour: QColor, alpha: float) -> QBrush:
    tinted = QColor(colour)
    tinted.setAlphaF(alpha)
    return QBrush(tinted)


def draw_backdrop(
    canvas: CardCanvas, geo: Geometry, title: str, subtitle: str, legend: Legend
) -> None:
    """Clear the canvas's backdrop and draw the map's: title, quadrants, axes, legend."""
    canvas.clear_backdrop()
    c = canvas.colours()
    k = geo.scale
    text, muted, line = c.role("text"), c.role("muted"), c.role("border")
    g = geo.grid
    mx, my = g.middle
    high = c.high_contrast
    # Quadrant areas: "manage closely" stands out a little.
    areas = {
        Quadrant.KEEP_SATISFIED: QRectF(g.left, g.top, mx - g.left, my - g.top),
        Quadrant.MANAGE_CLOSELY: QRectF(mx, g.top, g.right - mx, my - g.top),
        Quadrant.MONITOR: QRectF(g.left, my, mx - g.left, g.bottom - my),
        Quadrant.KEEP_INFORMED: QRectF(mx, my, g.right - mx, g.bottom - my),
    }
    tints = {
        Quadrant.MANAGE_CLOSELY: (c.role("accent"), 0.16 if high else 0.08),
        Quadrant.KEEP_SATISFIED: (c.role("alt_base"), 0.0 if high else 0.9),
        Quadrant.KEEP_INFORMED: (c.role("alt_base"), 0.0 if high else 0.9),
        Quadrant.MONITOR: (c.role("base"), 0.0),
    }
    for quadrant, area in areas.items():
        colour, alpha = tints[quadrant]
        item = QGraphicsRectItem(QRectF(area))
        item.setPen(Qt.PenStyle.NoPen)
        item.setBrush(_fill(colour, alpha))
        canvas.add_backdrop(item)
    cell_pen = QPen(line)
    cell_pen.setCosmetic(True)
    cell_pen.setWidthF(1.0)
    cell_pen.setStyle(Qt.PenStyle.DotLine)
    for i in range(1, 10):
        x = g.left + i * g.cell_width
        y = g.top + i * g.cell_height
        for a, b in (
            (QPointF(x, g.top), QPointF(x, g.bottom)),
            (QPointF(g.left, y), QPointF(g.right, y)),
        ):
            item_line = QGraphicsLineItem(a.x(), a.y(), b.x(), b.y())
            item_line.setPen(cell_pen)
            canvas.add_backdrop(item_line)
    frame = QGraphicsRectItem(QRectF(g.left, g.top, g.width, g.height))
    frame_pen = QPen(text if high else line)
    frame_pen.setCosmetic(True)
    frame_pen.setWidthF(c.line_width)
    frame.setPen(frame_pen)
    canvas.add_backdrop(frame)
    middle = QPen(text)
    middle.setCosmetic(True)
    middle.setWidthF(c.line_width + 1)
    for a, b in (
        (QPointF(mx, g.top), QPointF(mx, g.bottom)),
        (QPointF(g.left, my), QPointF(g.right, my)),
    ):
        item_line = QGraphicsLineItem(a.x(), a.y(), b.x(), b.y())
        item_line.setPen(middle)
        canvas.add_backdrop(item_line)

    # The title band, then the quadrant titles above and below the grid, each over its half.
    _place(_text(canvas, title, 24 * k, text, bold=True), g.left, 6)
    _place(_text(canvas, subtitle, 16 * k, muted), geo.plane.right() - 8, 12 * k, "right")
    captions = {
        Quadrant.KEEP_SATISFIED: _tr("high power, low interest"),
        Quadrant.MANAGE_CLOSELY: _tr("high power, high interest"),
        Quadrant.MONITOR: _tr("low power, low interest"),
        Quadrant.KEEP_INFORMED: _tr("low power, high interest"),
    }
    top_y, bottom_y = g.top - 40 * k, g.bottom + 24 * k
    head_font, note_font = _font(canvas, 26 * k, bold=True), _font(canvas, 15 * k)
    axis_font = _font(canvas, 18 * k, bold=True)
    gap = 10 * k
    bands = {
        top_y: (Quadrant.KEEP_SATISFIED, Quadrant.MANAGE_CLOSELY, ""),
        bottom_y: (Quadrant.MONITOR, Quadrant.KEEP_INFORMED, _tr("Interest →")),
    }
    for y, (left_q, right_q, middle_text) in bands.items():
        needed = sum(
            _width(head_font, label(q)) + _width(note_font, captions[q]) + 3 * gap
            for q in (left_q, right_q)
        )
        needed += _width(axis_font, middle_text) + 4 * gap if middle_text else 0
        with_notes = needed <= g.width  # else the quadrant names alone (large text)
        for quadrant, x, align in ((left_q, g.left, "left"), (right_q, g.right, "right")):
            head = _text(canvas, label(quadrant), 26 * k, text, bold=True)
            box = _place(head, x, y, align)
            if not with_notes:
                continue
            note = _text(canvas, captions[quadrant], 15 * k, muted)
            note_y = box.bottom() - note.boundingRect().height() - 3 * k
            if align == "left":
                _place(note, box.right() + gap, note_y)
            else:
                _place(note, box.left() - gap, note_y, "right")
    # Axes: the ratings and their names.
    for rating in range(1, 11):
        cx, cy = g.centre(rating, rating)
        _place(_text(canvas, str(rating), 14 * k, muted), cx, g.bottom + 3, "centre")
        number = _text(canvas, str(rating), 14 * k, muted)
        _place(number, g.left - 6 * k, cy - number.boundingRect().height() / 2, "right")
    axis = _text(canvas, _tr("Interest →"), 18 * k, text, bold=True)
    _place(axis, mx, bottom_y + 6 * k, "centre")
    power = _text(canvas, _tr("Power →"), 18 * k, text, bold=True)
    power.setRotation(-90)
    width = power.boundingRect().width()
    power.setPos(6, my + width / 2)
    _legend(canvas, geo, legend)


@dataclass(frozen=True)
class Legend:
    """What the legend explains: only what the map shows."""

    kinds: tuple[StakeholderKind, ...] = tuple(StakeholderKind)
    drift: bool = True
    moves: bool = False


def _entries(legend: Legend) -> list[tuple[Support | None, str]]:
    """The legend's entries: support colours (with a swatch), then marks and kinds."""
    out: list[tuple[Support | None, str]] = [(s, label(s)) for s in Support]
    out.append((None, _tr("●→ engagement now → wanted")))
    if legend.drift:
        out.append((None, _tr("red ring, !: a key player drifting")))
    if legend.moves:
        out.append((None, _tr("dashed box → card: where they were → where they are")))
    out += [(None, f"{kind_badge(k)} {label(k)}") for k in legend.kinds]
    return out


def _flow(
    canvas: CardCanvas, geo: Geometry, legend: Legend
) -> list[tuple[Support | None, str, float, int]]:
    """Each entry with its x and its row, flowing from the grid's left to the plane's right."""
    k = geo.scale
    font = _font(canvas, 15 * k)
    left, right = geo.grid.left, geo.plane.right() - 8
    swatch = 26 * k
    x, row = left, 0
    out = []
    for support, text in _entries(legend):
        width = _width(font, text) + (swatch if support is not None else 0)
        if x > left and x + width > right:
            x, row = left, row + 1
        out.append((support, text, x, row))
        x += width + 18 * k
    return out


def legend_rows(canvas: CardCanvas, font_px: float, legend: Legend) -> int:
    """How many rows the legend takes at this text size."""
    flow = _flow(canvas, geometry(font_px), legend)
    return flow[-1][3] + 1 if flow else 0


def _legend(canvas: CardCanvas, geo: Geometry, legend: Legend) -> None:
    c = canvas.colours()
    text, muted = c.role("text"), c.role("muted")
    k = geo.scale
    row_height = 26 * k
    swatch = (20 * k, 14 * k)
    for support, entry, x, row in _flow(canvas, geo, legend):
        y = geo.legend_top + row * row_height
        if support is None:
            _place(_text(canvas, entry, 15 * k, muted), x, y)
            continue
        box = QGraphicsRectItem(QRectF(x, y + (row_height - swatch[1]) / 2 - 3 * k, *swatch))
        box.setBrush(QBrush(c.role(support_colour(support, c))))
        pen = QPen(text)
        pen.setCosmetic(True)
        box.setPen(pen)
        canvas.add_backdrop(box)
        _place(_text(canvas, entry, 15 * k, text), x + swatch[0] + 6 * k, y)


def _font(canvas: CardCanvas, px: float, *, bold: bool = False) -> QFont:
    font = QFont(canvas.font())
    font.setPixelSize(round(px))
    font.setBold(bold)
    return font


def _width(font: QFont, text: str) -> float:
    return QFontMetricsF(font).horizontalAdvance(text)
