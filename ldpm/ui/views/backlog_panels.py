"""What the backlog's side shows: nothing selected, one item (:class:`ItemPanel`), or what to
change for several at once (:class:`BulkPanel`) — status, release, sourcing, kind, 70:20:10
mode and moment, each change one undo step — and deleting them.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import BacklogItem
from ldpm.domain.enums import ItemKind, ItemStatus, LearningMode, MomentOfNeed, Sourcing
from ldpm.ui.labels import choices
from ldpm.ui.views.backlog_detail import ItemPanel, narrow
from ldpm.ui.views.form_page import EmptyState
from ldpm.ui.widgets import guard_wheel, set_role

if TYPE_CHECKING:
    from ldpm.ui.models.backlog import BacklogModel


class BulkPanel(QWidget):
    """Change many items at once (see the module docstring)."""

    #: (field, value) to set on every selected item.
    set_requested = Signal(str, object)
    delete_requested = Signal()

    def __init__(self, model: BacklogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        set_role(self.heading, "h2")
        layout.addWidget(self.heading)
        hint = QLabel(
            self.tr(
                "Pick a value to set it on every selected item. Each change is one step to undo."
            ),
            self,
        )
        hint.setWordWrap(True)
        set_role(hint, "muted")
        layout.addWidget(hint)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.combos: dict[str, QComboBox] = {}
        fields: list[tuple[str, str, type[Enum] | None, bool]] = [
            ("status", self.tr("Status"), ItemStatus, False),
            ("release_id", self.tr("Release"), None, True),
            ("sourcing", self.tr("Sourcing"), Sourcing, False),
            ("kind", self.tr("Kind"), ItemKind, False),
            ("mode", self.tr("70:20:10"), LearningMode, True),
            ("moment", self.tr("Moment of need"), MomentOfNeed, True),
        ]
        self._enums: dict[str, type[Enum] | None] = {}
        for field, text, enum, optional in fields:
            combo = QComboBox(self)
            combo.setObjectName(f"bulk_{field}")
            combo.setAccessibleName(self.tr("Set {what} of the selected items").format(what=text))
            narrow(combo)
            guard_wheel(combo)
            self._enums[field] = enum
            self.combos[field] = combo
            self._fill(field, enum, optional)
            combo.activated.connect(lambda index, f=field: self._picked(f, index))
            caption = QLabel(text, self)
            caption.setWordWrap(True)
            caption.setBuddy(combo)
            form.addRow(caption, combo)
        layout.addLayout(form)
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName("bulkDelete")
        self.delete_button.clicked.connect(self.delete_requested)
        layout.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def _fill(self, field: str, enum: type[Enum] | None, optional: bool) -> None:
        combo = self.combos[field]
        combo.clear()
        combo.addItem(self.tr("Keep as it is"), None)
        if optional:
            none = self.tr("Not planned") if field == "release_id" else self.tr("Not set")
            combo.addItem(none, "")
        if enum is not None:
            for member, text in choices(enum):
                combo.addItem(text, member.value)
        else:
            for release in self.model.context.releases:
                combo.addItem(release.name, release.id)

    def show_count(self, count: int) -> None:
        self.heading.setText(self.tr("{n} items selected").format(n=count))
        self.delete_button.setText(self.tr("Delete {n} Items").format(n=count))
        self._fill("release_id", None, True)

    def _picked(self, field: str, index: int) -> None:
        combo = self.combos[field]
        data = combo.itemData(index)
        combo.setCurrentIndex(0)
        if data is None:
            return
        enum = self._enums[field]
        value = None if data == "" else enum(data) if enum is not None else data
        self.set_requested.emit(field, value)


class DetailPanel(QStackedWidget):
    """Nothing selected, one item, or several."""

    def __init__(self, model: BacklogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backlogDetail")
        self.empty = EmptyState(
            self.tr("No item selected"),
            self.tr(
                "Select an item to see its description, sourcing, SMEs and scores; select "
                "several to change them together."
            ),
            self,
        )
        self.item_panel = ItemPanel(model)
        self.item_scroll = QScrollArea(self)
        self.item_scroll.setWidgetResizable(True)
        self.item_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.item_scroll.setWidget(self.item_panel)
        self.bulk = BulkPanel(model, self)
        for page in (self.empty, self.item_scroll, self.bulk):
            self.addWidget(page)

    def show_selection(self, items: list[BacklogItem]) -> None:
        if not items:
            self.item_panel.item = None
            self.setCurrentWidget(self.empty)
        elif len(items) == 1:
            self.item_panel.show_item(items[0])
            self.setCurrentWidget(self.item_scroll)
        else:
            self.item_panel.item = None
            self.bulk.show_count(len(items))
            self.setCurrentWidget(self.bulk)
