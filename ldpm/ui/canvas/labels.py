"""The canvas's labels: one per card, laid out so that none overlaps another.

:class:`LabelLayer` keeps each card's :class:`~ldpm.ui.canvas.items.LabelItem` and
:class:`~ldpm.ui.canvas.items.LeaderItem`, measures the labels in the canvas font (cut at
:data:`LABEL_CHARS` characters; cut shorter, at a word, for a second chance when they have no
room), asks :func:`ldpm.domain.label_layout.layout_labels` where they go — in scene units at
the current zoom, since labels keep their size on screen — and moves a label with its card
while the card is dragged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from ldpm.domain.label_layout import Box, layout_labels
from ldpm.ui.canvas.colours import CanvasColours
from ldpm.ui.canvas.items import CardItem, LabelItem, LeaderItem

#: Labels are cut (with "…") at about this many average characters.
LABEL_CHARS = 30
#: A label with no room at its full length is tried again cut at a word boundary within about
#: this many average characters, in the room the full labels left.
SHORT_CHARS = 14
#: At most this many labels get that second chance (the most important first): enough for
#: every label of a matrix of 100 cards, and on a plane of 500 the layout keeps its time
#: (``bench/plan_bench.py``) — there the hint says to zoom in or point at a bubble.
SHORT_TRIES = 150
#: How far a label may move from its card, in lines of text.
REACH_LINES = 3
#: Space between a card and its label, in pixels.
GAP_PX = 3.0


class LabelLayer:
    """The labels and leader lines of a canvas's cards."""

    def __init__(
        self,
        scene: QGraphicsScene,
        colours: Callable[[], CanvasColours],
        font: Callable[[], QFont],
    ) -> None:
        self._scene = scene
        self._colours = colours
        self._font = font
        #: Each label's short text and its width in pixels, by shown text, for the font
        #: whose key is ``_shorts_font`` (measuring them is a good part of a relayout).
        self._shorts: dict[str, tuple[str, float]] = {}
        self._shorts_font = ""

    def layout(
        self,
        cards: Sequence[CardItem],
        selected: set[str],
        bounds: QRectF,
        obstacles: Sequence[QRectF | QGraphicsItem],
        scale: float,
    ) -> tuple[int, int]:
        """Place the labels of ``cards`` (selected cards first, then by priority) at zoom
        ``scale``, off ``obstacles`` (scene rectangles, or backdrop items).  Returns how many
        are shown and how many had no room."""
        font = self._font()
        metrics = QFontMetricsF(font)
        max_width = metrics.averageCharWidth() * LABEL_CHARS
        short_width = metrics.averageCharWidth() * SHORT_CHARS
        labelled: list[CardItem] = []
        for card in cards:
            if not card.spec.label:
                self.drop(card)
                continue
            if card.label_item is None:
                card.label_item = LabelItem(card.spec.label, font, self._colours)
                self._scene.addItem(card.label_item)
            labelled.append(card)
        labelled.sort(key=lambda c: (c.card_id not in selected, -c.spec.priority))
        sizes = []
        short_sizes = []
        shorts: list[str] = []
        if self._shorts_font != font.key():
            self._shorts, self._shorts_font = {}, font.key()
        measured: dict[str, tuple[str, float]] = {}
        for card in labelled:
            assert card.label_item is not None
            # Measured, not shown yet: a label shown short stays so, unless it has room now.
            shown, w, h = card.label_item.full_size(card.spec.label, font, max_width)
            sizes.append((w / scale, h / scale))
            known = measured.get(shown) or self._shorts.get(shown)
            if known is None:
                short = short_text(shown, metrics, short_width)
                advance = 0.0 if short == shown else metrics.horizontalAdvance(short)
                known = (short, advance + 2 * LabelItem.PADDING)
            measured[shown] = known
            short = known[0]
            shorts.append(short)
            short_w = w if short == shown else known[1]
            short_sizes.append((short_w / scale, h / scale))
        self._shorts = measured  # only the labels shown now: it does not grow without end
        line = metrics.height() + GAP_PX
        placements = layout_labels(
            [_box(c.mapRectToScene(c.rect())) for c in labelled],
            sizes,
            obstacles=[_box(_scene_rect(o, scale)) for o in obstacles],
            bounds=_box(bounds),
            gap=GAP_PX / scale,
            max_distance=REACH_LINES * line / scale,
            short_sizes=short_sizes,
            short_tries=SHORT_TRIES,
        )
        hidden = 0
        for card, placed, short in zip(labelled, placements, shorts, strict=True):
            label = card.label_item
            assert label is not None
            short_now = placed is not None and placed.short
            label.set_text(card.spec.label, font, max_width, shown=short if short_now else None)
            if placed is None:
                hidden += 1
                label.hide()
                if card.leader_item is not None:
                    card.leader_item.hide()
                continue
            label.setPos(placed.box.x, placed.box.y)
            label.offset = label.pos() - card.pos()
            label.setToolTip(card.spec.tooltip or label.full_text)
            label.show()
            if placed.leader:
                if card.leader_item is None:
                    card.leader_item = LeaderItem(self._colours)
                    self._scene.addItem(card.leader_item)
                card.leader_item.join(card, _rect(placed.box))
                card.leader_item.show()
            elif card.leader_item is not None:
                card.leader_item.hide()
        return len(labelled) - hidden, hidden

    def follow(self, card: CardItem, scale: float) -> None:
        """Keep a card's label (and leader line) with it while it moves."""
        label = card.label_item
        if label is None or not label.isVisible():
            return
        label.setPos(card.pos() + label.offset)
        leader = card.leader_item
        if leader is not None and leader.isVisible():
            w, h = label.pixel_size()
            corner = label.pos()
            leader.join(card, QRectF(corner.x(), corner.y(), w / scale, h / scale))

    def restyle(self, card: CardItem) -> None:
        if card.leader_item is not None:
            card.leader_item.restyle()
        if card.label_item is not None:
            card.label_item.update()

    def drop(self, card: CardItem) -> None:
        """Remove a card's label and leader line."""
        for extra in (card.label_item, card.leader_item):
            if extra is not None:
                self._scene.removeItem(extra)
        card.label_item = card.leader_item = None


def short_text(text: str, metrics: QFontMetricsF, width: float) -> str:
    """``text`` cut at the last word boundary that fits ``width`` pixels, with "…" (a first
    word too long is cut where it must be); ``text`` itself if it fits."""
    cut = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    if cut == text:
        return text
    kept = cut.removesuffix("…")
    if not text.startswith(kept + " ") and " " in kept:  # a word was cut: drop it
        kept = kept.rsplit(" ", 1)[0]
    return kept.rstrip(" ,;:·-–—") + "…"


def _scene_rect(obstacle: QRectF | QGraphicsItem, scale: float) -> QRectF:
    """Where an obstacle is in scene units at zoom ``scale``: an item that keeps its size on
    screen covers less of the scene the more it is zoomed in."""
    if isinstance(obstacle, QRectF):
        return obstacle
    if obstacle.flags() & QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations:
        r = obstacle.boundingRect()
        at = obstacle.scenePos()
        return QRectF(
            at.x() + r.x() / scale, at.y() + r.y() / scale, r.width() / scale, r.height() / scale
        )
    return obstacle.sceneBoundingRect()


def _box(rect: QRectF) -> Box:
    return Box(rect.x(), rect.y(), rect.width(), rect.height())


def _rect(box: Box) -> QRectF:
    return QRectF(box.x, box.y, box.w, box.h)
