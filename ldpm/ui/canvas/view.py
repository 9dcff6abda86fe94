"""The card canvas widget: a :class:`QGraphicsView` of cards on a plane.

See :mod:`ldpm.ui.canvas` for the manual.  This module holds the widget: cards by id, moves
reported once per drag or nudge burst, rubber-band selection, zoom and fit, labels laid out by
:func:`ldpm.domain.label_layout.layout_labels`, theme changes, drops of ids from other widgets,
and export.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QPointF,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

from ldpm.ui.canvas import export
from ldpm.ui.canvas.colours import CanvasColours, canvas_colours
from ldpm.ui.canvas.items import CardItem, CardSpec, LabelItem
from ldpm.ui.canvas.labels import LabelLayer
from ldpm.ui.canvas.mime import ID_MIME, decode_ids

_ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}
_MIN_ZOOM, _MAX_ZOOM, _ZOOM_STEP = 0.05, 20.0, 1.25


@dataclass(frozen=True)
class CardMove:
    """A card moved from ``old`` to ``new`` (scene coordinates of its centre)."""

    id: str
    old: tuple[float, float]
    new: tuple[float, float]

    @property
    def dx(self) -> float:
        return self.new[0] - self.old[0]

    @property
    def dy(self) -> float:
        return self.new[1] - self.old[1]


class CardCanvas(QGraphicsView):
    """Cards on a plane; see :mod:`ldpm.ui.canvas`."""

    #: list[CardMove], once at the end of a drag or of a burst of arrow keys.
    cards_moved = Signal(object)
    #: list[CardMove] while a drag or a burst goes on (for a live read-out).
    cards_dragging = Signal(object)
    #: A card was double-clicked or Enter was pressed on it.
    card_activated = Signal(str)
    #: The selected cards' ids changed (a list, the current card first).
    selection_changed = Signal(object)
    #: Ids dragged from another widget were dropped at a scene position.
    ids_dropped = Signal(object, QPointF)
    #: The labels were laid out: how many are shown, how many had no room.
    labels_laid_out = Signal(int, int)
    #: The zoom factor changed.
    zoom_changed = Signal(float)
    #: The theme or the font changed: a view redraws its backdrop.
    appearance_changed = Signal()

    #: A burst of arrow keys ends this long after the last one (one undo step per burst).
    NUDGE_BURST_MS = 600

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self._colours: CanvasColours = canvas_colours(self)
        self._items: dict[str, CardItem] = {}
        self._order: list[str] = []
        self._backdrop: list[QGraphicsItem] = []
        self._plane = QRectF(0, 0, 100, 100)
        self._label_bounds: QRectF | None = None
        self._obstacles: list[QRectF] = []
        self._nudge = (8.0, 8.0)
        #: Where the cards of the current drag or burst started.
        self._moving: dict[str, QPointF] = {}
        self._dragging = False
        self._quiet = False  # moving cards ourselves: labels wait for the layout
        self._fitting = True
        self._current: str | None = None
        #: Labels that had no room at the last layout.
        self.hidden_labels = 0
        self._burst = QTimer(self)
        self._burst.setSingleShot(True)
        self._burst.setInterval(self.NUDGE_BURST_MS)
        self._burst.timeout.connect(self.end_burst)
        self._labels = LabelLayer(self._scene, self.colours, self.font)
        self._scene.selectionChanged.connect(self._on_selection)
        self._restyle()

    # ================================================================== cards
    def set_cards(self, specs: Sequence[CardSpec]) -> None:
        """Show these cards (by id: existing ones are updated, missing ones removed).  Cards
        go where their specs say, except those the user is moving right now."""
        wanted = {spec.id: spec for spec in specs}
        for card_id in [i for i in self._items if i not in wanted]:
            self._remove(card_id)
        self._quiet = True
        try:
            for spec in specs:
                item = self._items.get(spec.id)
                if item is None:
                    item = CardItem(spec, self.colours, self._card_moved)
                    self._items[spec.id] = item
                    self._scene.addItem(item)
                else:
                    item.set_spec(spec)
                if spec.id not in self._moving:
                    item.setPos(spec.x, spec.y)
        finally:
            self._quiet = False
        self._order = [spec.id for spec in specs]
        if self._current not in self._items:
            self._current = None
        self.relayout()

    def restore(self, ids: Iterable[str] | None = None) -> None:
        """Put cards (all, or ``ids``) back where their specs say."""
        self._quiet = True
        try:
            for card_id in self._items if ids is None else ids:
                item = self._items.get(card_id)
                if item is not None and card_id not in self._moving:
                    item.setPos(item.spec.x, item.spec.y)
        finally:
            self._quiet = False
        self.relayout()

    def card_ids(self) -> list[str]:
        return list(self._order)

    def item(self, card_id: str) -> CardItem | None:
        return self._items.get(card_id)

    def card_pos(self, card_id: str) -> QPointF:
        return self._items[card_id].pos()

    def card_at(self, scene_pos: QPointF) -> str | None:
        for item in self._scene.items(scene_pos):
            if isinstance(item, CardItem):
                return item.card_id
        return None

    def selected_ids(self) -> list[str]:
        ids = [i.card_id for i in self._scene.selectedItems() if isinstance(i, CardItem)]
        ids.sort(key=lambda i: (i != self._current, self._order.index(i)))
        return ids

    def select(self, ids: Iterable[str], *, current: str | None = None) -> None:
        wanted = set(ids)
        blocked = self._scene.blockSignals(True)
        try:
            for card_id, item in self._items.items():
                item.setSelected(card_id in wanted)
        finally:
            self._scene.blockSignals(blocked)
        self._current = current if current in wanted else next(iter(sorted(wanted)), None)
        if self._current is not None:
            self.ensureVisible(self._items[self._current], 20, 20)
        self._on_selection()

    def colours(self) -> CanvasColours:
        return self._colours

    # ============================================================== the plane
    def set_plane(self, rect: QRectF, *, margin: float = 0.0) -> None:
        """The area the cards live on (fit-to-view shows it all, export draws it)."""
        self._plane = QRectF(rect)
        self._scene.setSceneRect(rect.adjusted(-margin, -margin, margin, margin))
        if self._fitting:
            self.fit_to_view()

    def plane(self) -> QRectF:
        return QRectF(self._plane)

    def add_backdrop(self, item: QGraphicsItem) -> QGraphicsItem:
        """Add a non-interactive item under the cards (quadrants, axes, lanes, titles)."""
        item.setZValue(-100 + item.zValue())
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, False)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._scene.addItem(item)
        self._backdrop.append(item)
        return item

    def clear_backdrop(self) -> None:
        for item in self._backdrop:
            self._scene.removeItem(item)
        self._backdrop = []

    def set_label_area(self, bounds: QRectF | None, obstacles: Sequence[QRectF] = ()) -> None:
        """Labels stay inside ``bounds`` (the plane if None) and off ``obstacles``."""
        self._label_bounds = QRectF(bounds) if bounds is not None else None
        self._obstacles = [QRectF(r) for r in obstacles]
        self.relayout()

    def set_nudge_step(self, dx: float, dy: float) -> None:
        """How far (scene units) an arrow key moves the selected cards; Shift moves 5×."""
        self._nudge = (dx, dy)

    # ================================================================== zoom
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        factor = min(_MAX_ZOOM, max(_MIN_ZOOM, factor))
        self._fitting = False
        current = self.zoom()
        if math.isclose(current, factor):
            return
        self.scale(factor / current, factor / current)
        self._zoomed()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * _ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / _ZOOM_STEP)

    def fit_to_view(self) -> None:
        """Show the whole plane; keep fitting when the window is resized."""
        self._fitting = True
        if self.viewport().width() < 2 or self._plane.isEmpty():
            return
        self.fitInView(self._scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self._zoomed()

    @property
    def fitting(self) -> bool:
        return self._fitting

    def _zoomed(self) -> None:
        self.relayout()
        self.zoom_changed.emit(self.zoom())

    # ================================================================= labels
    def relayout(self, *, scale: float | None = None) -> None:
        """Lay the labels out again (after cards, zoom, font or theme changed)."""
        cards = [self._items[card_id] for card_id in self._order]
        selected = set(self.selected_ids())
        bounds = self._label_bounds if self._label_bounds is not None else self._plane
        shown, hidden = self._labels.layout(
            cards, selected, bounds, self._obstacles, scale or self.zoom() or 1.0
        )
        self.hidden_labels = hidden
        self.labels_laid_out.emit(shown, hidden)

    def label_of(self, card_id: str) -> LabelItem | None:
        """The label item of a card (None if it has none); hidden if it had no room."""
        item = self._items.get(card_id)
        return item.label_item if item is not None else None

    def _card_moved(self, item: CardItem) -> None:
        if not self._quiet:
            self._labels.follow(item, self.zoom() or 1.0)

    def _remove(self, card_id: str) -> None:
        item = self._items.pop(card_id)
        self._labels.drop(item)
        self._scene.removeItem(item)
        self._moving.pop(card_id, None)

    # ================================================================= moving
    def _begin_move(self) -> None:
        if self._moving:
            return
        for card_id in self.selected_ids():
            item = self._items[card_id]
            if item.spec.movable:
                self._moving[card_id] = QPointF(item.pos())

    def _moves(self) -> list[CardMove]:
        out = []
        for card_id, start in self._moving.items():
            item = self._items.get(card_id)
            if item is None or item.pos() == start:
                continue
            end = item.pos()
            out.append(CardMove(card_id, (start.x(), start.y()), (end.x(), end.y())))
        return out

    def _finish_move(self) -> None:
        moves = self._moves()
        ids = list(self._moving)
        self._moving = {}
        if moves:
            self.cards_moved.emit(moves)
        # Whatever the view made of it, the cards now go where their specs say: a refused
        # or unchanged move snaps back, an accepted one already has its new spec.
        self.restore(ids)

    def end_burst(self) -> None:
        """End a burst of arrow keys now (reporting the moves, if any)."""
        if self._burst.isActive() or (self._moving and not self._dragging):
            self._burst.stop()
            self._finish_move()

    def nudge(self, dx: int, dy: int, *, big: bool = False) -> None:
        """Move the selected cards by ``dx``, ``dy`` nudge steps (as the arrow keys do)."""
        if self._dragging:
            return
        self._begin_move()
        if not self._moving:
            return
        factor = 5 if big else 1
        for card_id in self._moving:
            item = self._items[card_id]
            item.moveBy(dx * self._nudge[0] * factor, dy * self._nudge[1] * factor)
        self._burst.start()
        self.cards_dragging.emit(self._moves())

    # ================================================================= events
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.end_burst()
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            card = self.card_at(self.mapToScene(event.position().toPoint()))
            if card is not None:
                self._current = card
                self._dragging = True
                self._begin_move()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if self._dragging and self._moving:
            self.cards_dragging.emit(self._moves())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self._dragging and event.button() == Qt.MouseButton.LeftButton:
            self._dragging = False
            self._finish_move()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        card = self.card_at(self.mapToScene(event.position().toPoint()))
        if card is not None:
            self.card_activated.emit(card)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.set_zoom(self.zoom() * _ZOOM_STEP**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def event(self, event: QEvent) -> bool:
        # A shortcut (Undo, Save …) first ends a burst, so it acts on the moved cards.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() not in _ARROWS
        ):
            self.end_burst()
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers()
        plain = not mods & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        if key in _ARROWS and plain and self.selected_ids():
            dx, dy = _ARROWS[Qt.Key(key)]
            self.nudge(dx, dy, big=bool(mods & Qt.KeyboardModifier.ShiftModifier))
            event.accept()
            return
        self.end_burst()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._current is not None:
            self.card_activated.emit(self._current)
        elif key == Qt.Key.Key_Escape and self.selected_ids():
            self.select([])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and plain:
            self.zoom_in()
        elif key == Qt.Key.Key_Minus and plain:
            self.zoom_out()
        elif key == Qt.Key.Key_0 and plain:
            self.fit_to_view()
        elif key == Qt.Key.Key_A and mods & Qt.KeyboardModifier.ControlModifier:
            self.select(self._order, current=self._current)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab and Shift+Tab go from card to card; past the last one, focus moves on."""
        if not self._order or not self.hasFocus():
            return super().focusNextPrevChild(forward)
        order = sorted(self._order, key=lambda i: (self._items[i].y(), self._items[i].x()))
        if self._current in order:
            index = order.index(self._current) + (1 if forward else -1)
        else:
            index = 0 if forward else len(order) - 1
        if not 0 <= index < len(order):
            self._current = None
            self.select([])
            return super().focusNextPrevChild(forward)
        self.end_burst()
        self.select([order[index]], current=order[index])
        return True

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.end_burst()
        super().focusOutEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitting:
            self.fit_to_view()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fitting:
            self.fit_to_view()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
        ):
            self._restyle()

    def _restyle(self) -> None:
        self._colours = canvas_colours(self)
        self._scene.setBackgroundBrush(QBrush(self._colours.role("base")))
        for item in self._items.values():
            self._labels.restyle(item)
            item.update()
        self.relayout()
        self.appearance_changed.emit()

    # ---------------------------------------------------------- drops from outside
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(ID_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(ID_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        ids = decode_ids(event.mimeData())
        if not ids:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.ids_dropped.emit(ids, self.mapToScene(event.position().toPoint()))

    # ---------------------------------------------------------------- selection
    def _on_selection(self) -> None:
        ids = self.selected_ids()
        if self._current not in ids:
            self._current = ids[0] if ids else None
        if self._current is not None:
            spec = self._items[self._current].spec
            self.setAccessibleDescription(spec.description or spec.label)
        else:
            self.setAccessibleDescription("")
        self.selection_changed.emit(ids)

    # ================================================================== export
    @contextmanager
    def for_export(self) -> Iterator[QRectF]:
        """Labels laid out at 1:1 and no selection ring while the plane is drawn; yields the
        scene rectangle to draw."""
        self.end_burst()
        selected = self.selected_ids()
        current = self._current
        blocked = self._scene.blockSignals(True)
        try:
            for card_id in selected:
                self._items[card_id].setSelected(False)
            self.relayout(scale=1.0)
            self._labels.set_caching(list(self._items.values()), False)
            yield self._scene.sceneRect()
        finally:
            self._labels.set_caching(list(self._items.values()), True)
            for card_id in selected:
                self._items[card_id].setSelected(True)
            self._scene.blockSignals(blocked)
            self._current = current
            self.relayout()

    def render_image(self, scale: float = 2.0) -> QImage:
        """The whole plane as an image, ``scale`` pixels per scene unit."""
        return export.render_image(self, scale)

    def export_png(self, path: Path, scale: float = 2.0) -> None:
        """Write the plane to ``path`` as a PNG, atomically.  Raises OSError."""
        export.export_png(self, path, scale)

    def export_svg(self, path: Path, title: str = "") -> None:
        """Write the plane to ``path`` as SVG (vector shapes and real text), atomically."""
        export.export_svg(self, path, title)
