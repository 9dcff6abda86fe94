"""A board of lanes: one column per release, plus "Not planned" and "Out of scope".

A :class:`Lane` is a header — the release's name, its date, its effort against its capacity
(:class:`LoadBar`, red with a sentence when over), its build / curate / SME-led / outsource
split — over a list of item cards (:class:`~ldpm.ui.models.plan_items.ItemListModel` drawn by
:class:`~ldpm.ui.views.cards.CardDelegate`).  Items are dragged between lanes, or moved with the
keyboard (Ctrl+Shift+Left and Right, or the context menu's "Move to"); the lane hands the drop
to its ``on_drop`` and the view runs the command.  A click on a header chooses the release.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.enums import Sourcing
from ldpm.domain.release_plan import Load, Share
from ldpm.ui.canvas import canvas_colours
from ldpm.ui.labels import label
from ldpm.ui.models.plan_items import ItemListModel, days
from ldpm.ui.views.cards import CardDelegate
from ldpm.ui.widgets import set_role

#: Lanes are at least this many average characters wide, and share the board's spare width
#: up to :data:`LANE_MAX_CHARS` (titles are cut less on a wide screen).
LANE_CHARS = 28
LANE_MAX_CHARS = 44


class LoadBar(QWidget):
    """Effort against capacity as a bar: full at the capacity, red past it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load: Load | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_load(self, load: Load | None) -> None:
        self._load = load
        self.setVisible(load is not None and load.capacity is not None)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(100, max(6, self.fontMetrics().height() // 3))

    def paintEvent(self, event: QPaintEvent) -> None:
        load = self._load
        if load is None or load.capacity is None:
            return
        colours = canvas_colours(self)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(colours.role("border"))
        painter.setBrush(colours.role("alt_base"))
        painter.drawRoundedRect(rect, 3, 3)
        share = min(1.0, load.share or 0.0)
        if share > 0:
            filled = QRectF(rect.left(), rect.top(), rect.width() * share, rect.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours.role("danger" if load.over else "accent"))
            painter.drawRoundedRect(filled, 3, 3)
        painter.end()


class _Header(QFrame):
    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Board", text)


def load_text(load: Load) -> str:
    """ "19 of 20 d", "16 d planned", with "n not estimated"."""
    tr = _tr
    if load.capacity is None:
        text = tr("{effort} planned").format(effort=days(load.effort))
    else:
        text = tr("{effort} of {capacity}").format(
            effort=days(load.effort), capacity=days(load.capacity)
        )
    if load.unestimated:
        text += " · " + tr("{n} not estimated").format(n=load.unestimated)
    return text


def split_text(split: dict[Sourcing, Share]) -> str:
    """ "Build 3 · SME-led 2 (8 d) …": only the sourcings with items."""
    parts = [f"{label(s)} {share.count}" for s, share in split.items() if share.count]
    return " · ".join(parts)


class Lane(QFrame):
    """One column of the board (see the module docstring)."""

    #: The header was clicked (the view chooses this lane's release).
    chosen = Signal()

    def __init__(self, key: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The release id, or None for "not planned"; OUT_OF_SCOPE for that lane.
        self.key = key
        self.setObjectName("boardLane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.header = _Header(self)
        self.header.clicked.connect(self.chosen)
        self.title = QLabel(self.header)
        set_role(self.title, "h2")
        self.title.setWordWrap(True)
        self.subtitle = QLabel(self.header)
        set_role(self.subtitle, "muted")
        self.subtitle.setWordWrap(True)
        self.load_bar = LoadBar(self.header)
        self.load_label = QLabel(self.header)
        self.load_label.setWordWrap(True)
        self.split_label = QLabel(self.header)
        self.split_label.setWordWrap(True)
        set_role(self.split_label, "muted")
        head = QVBoxLayout(self.header)
        head.setContentsMargins(6, 6, 6, 4)
        head.setSpacing(2)
        for widget in (self.title, self.subtitle, self.load_bar, self.load_label):
            head.addWidget(widget)
        head.addWidget(self.split_label)
        self.model = ItemListModel(self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(CardDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setDropIndicatorShown(True)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setUniformItemSizes(True)
        # Long lanes (thousands of items) are laid out in batches: the board shows at once.
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(200)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        column = QVBoxLayout(self)
        column.setContentsMargins(2, 2, 2, 2)
        column.setSpacing(2)
        column.addWidget(self.header)
        column.addWidget(self.list, 1)
        self.fit_width()

    def fit_width(self) -> None:
        """Width limits in the current font (again when the text size or theme changes)."""
        char = self.fontMetrics().averageCharWidth()
        self.setMinimumWidth(char * LANE_CHARS + 24)
        self.setMaximumWidth(char * LANE_MAX_CHARS + 24)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_width()

    def set_header(
        self,
        title: str,
        subtitle: str,
        load: Load | None,
        split: dict[Sourcing, Share] | None,
        *,
        current: bool = False,
    ) -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.subtitle.setVisible(bool(subtitle))
        self.load_bar.set_load(load)
        if load is None:
            self.load_label.hide()
        else:
            text = load_text(load)
            if load.over and load.remaining is not None:
                text = (
                    "⚠ "
                    + self.tr("Over capacity by {days}").format(days=days(-load.remaining))
                    + f" ({text})"
                )
            self.load_label.setText(text)
            set_role(self.load_label, "warning" if load.over else "")
            self.load_label.show()
        split_shown = split_text(split) if split else ""
        self.split_label.setText(split_shown)
        self.split_label.setVisible(bool(split_shown))
        self.setProperty("current", current)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setAccessibleName(title)
        self.list.setAccessibleName(self.tr("Items in “{lane}”").format(lane=title))

    def set_drop_handler(self, handler: Callable[[list[str], int], bool]) -> None:
        self.model.on_drop = handler
