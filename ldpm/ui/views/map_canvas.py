"""The stakeholder map's card canvas: the shared :class:`~ldpm.ui.canvas.CardCanvas` with the
label layout held back while the map is rebuilt.

Showing the map (or a comparison of two assessments) changes three things the canvas lays its
labels out after: the plane (the legend grew a row, so the map is fitted again), the cards,
and the area the names keep to (off the ghosts of a comparison).  Each would lay out 300
labels on its own, and only the last layout counts.  Inside :meth:`MapCanvas.batch` those
layouts are held back and done once, at the end, with everything in place — the same result
as laying out after each step (a test checks that), for a third of the work.

A card's tooltip and what a screen reader hears about it are written when asked (the pointer
rests on the card or its name; the card becomes the current one), by :attr:`MapCanvas.tooltip`
and :attr:`MapCanvas.description` — not for 300 cards on every rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QToolTip, QWidget

from ldpm.ui.canvas import CardCanvas, CardItem, LabelItem


class MapCanvas(CardCanvas):
    """A :class:`CardCanvas` whose label layouts can be batched (see the module docstring)."""

    _held = 0
    _due = False
    #: How many layouts were actually done (for tests: a batch does one).
    layouts = 0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The tooltip of a card, by id ("" for none).
        self.tooltip: Callable[[str], str] = lambda _id: ""
        #: What a screen reader hears about a card, by id ("" for its name).
        self.description: Callable[[str], str] = lambda _id: ""
        self.selection_changed.connect(lambda _ids: self._describe())
        # Every rebuild of the map moves hundreds of cards and names at once (a comparison,
        # a filter, a zoom that lays the names out again): keeping a BSP index of them up to
        # date costs more than finding, among a thousand items, those a repaint needs.
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)

    def _describe(self) -> None:
        current = self.current()
        if current is not None:
            item = self.item(current)
            text = self.description(current)
            self.setAccessibleDescription(text or (item.spec.label if item else ""))

    def card_under(self, item: QGraphicsItem | None) -> str | None:
        """The card an item on the scene belongs to (the card, its badge or its name)."""
        while item is not None:
            if isinstance(item, CardItem):
                return item.card_id
            if isinstance(item, LabelItem):
                return next((i for i in self.card_ids() if self.label_of(i) is item), None)
            item = item.parentItem()
        return None

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            card = self.card_under(self.itemAt(event.pos()))
            text = self.tooltip(card) if card is not None else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
                return True
        return super().viewportEvent(event)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Lay the labels out once, when the outermost batch ends (if anything asked)."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self._due:
                self._due = False
                self.relayout()

    def relayout(self, *, scale: float | None = None) -> None:
        if self._held and scale is None:  # an export's layout at its own scale is not held
            self._due = True
            return
        self.layouts += 1
        super().relayout(scale=scale)
