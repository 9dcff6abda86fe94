"""The backlog's search and filters: a search field and one menu button per facet (status,
kind, 70:20:10 mode, moment, sourcing, release), combinable, with the count of what shows
("38 of 212 items").  They make one :class:`~ldpm.domain.backlog_filter.BacklogFilter` — the
same filter the matrix and the release board use — and emit it whenever it changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.enums import ItemKind, ItemStatus, LearningMode, MomentOfNeed, Sourcing
from ldpm.ui.flow_layout import FlowLayout
from ldpm.ui.labels import choices
from ldpm.ui.widgets import set_role

#: The facets, as (BacklogFilter field, enum or None for releases, optional).
_FACETS: tuple[tuple[str, type[Enum] | None, bool], ...] = (
    ("statuses", ItemStatus, False),
    ("kinds", ItemKind, False),
    ("modes", LearningMode, True),
    ("moments", MomentOfNeed, True),
    ("sourcings", Sourcing, False),
    ("releases", None, True),
)


class FacetButton(QToolButton):
    """A button with a menu of checkable values; its text says how many are chosen."""

    changed = Signal()

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.title = title
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAccessibleName(title)
        self.setToolTip(self.tr("Show only items with one of the checked values"))
        self.menu_ = QMenu(self)
        self.setMenu(self.menu_)
        self._values: list[tuple[Any, QAction]] = []
        self._update_text()

    def set_values(self, values: Sequence[tuple[Any, str]]) -> None:
        """The values to offer, keeping those still offered checked."""
        chosen = self.chosen()
        self.menu_.clear()
        self._values = []
        for value, text in values:
            action = self.menu_.addAction(text)
            action.setCheckable(True)
            action.setChecked(value in chosen)
            action.toggled.connect(self._toggled)
            self._values.append((value, action))
        if self._values:
            self.menu_.addSeparator()
            clear = self.menu_.addAction(self.tr("Show All"))
            clear.triggered.connect(lambda: self.set_chosen(()))
        self._update_text()

    def chosen(self) -> frozenset[Any]:
        return frozenset(v for v, a in self._values if a.isChecked())

    def set_chosen(self, values: Iterable[Any]) -> None:
        wanted = set(values)
        changed = False
        for value, action in self._values:
            if action.isChecked() != (value in wanted):
                blocked = action.blockSignals(True)
                action.setChecked(value in wanted)
                action.blockSignals(blocked)
                changed = True
        self._update_text()
        if changed:
            self.changed.emit()

    def _toggled(self, _on: bool) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        count = len(self.chosen())
        self.setText(self.title if not count else f"{self.title} ({count})")
        set_role(self, "active" if count else "")


class FilterBar(QWidget):
    """See the module docstring."""

    filter_changed = Signal(object)  # BacklogFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        layout = QHBoxLayout()
        column.addLayout(layout)
        #: The search row (the view adds buttons of its own before the count).
        self.row = layout
        #: The facet buttons, wrapping onto more rows at large text sizes (the view adds its
        #: ranking controls after them).
        self.flow = FlowLayout()
        column.addLayout(self.flow)
        self.search = QLineEdit(self)
        self.search.setObjectName("backlogSearch")
        self.search.setPlaceholderText(self.tr("Search titles and descriptions"))
        self.search.setAccessibleName(self.tr("Search the backlog"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._emit)
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        layout.addWidget(self.search, 1)
        titles = {
            "statuses": self.tr("Status"),
            "kinds": self.tr("Kind"),
            "modes": self.tr("70:20:10"),
            "moments": self.tr("Moment"),
            "sourcings": self.tr("Sourcing"),
            "releases": self.tr("Release"),
        }
        self.facets: dict[str, FacetButton] = {}
        for name, enum, optional in _FACETS:
            button = FacetButton(name, titles[name], self)
            if enum is not None:
                values: list[tuple[Any, str]] = list(choices(enum))
                if optional:
                    values.append((None, self.tr("Not set")))
                button.set_values(values)
            button.changed.connect(self._emit)
            self.facets[name] = button
            self.flow.addWidget(button)
        self.clear_button = QPushButton(self.tr("Clear Filters"), self)
        self.clear_button.setAccessibleName(self.tr("Clear the search and every filter"))
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("backlogCount")
        self.count_label.setAccessibleName(self.tr("Items shown"))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        set_role(self.count_label, "muted")
        layout.addWidget(self.count_label)
        self.clear_button.setEnabled(False)

    def set_releases(self, releases: Sequence[tuple[str, str]]) -> None:
        """The initiative's releases (id, name), offered with "not planned"."""
        self.facets["releases"].set_values([*releases, (None, self.tr("Not planned"))])

    def current(self) -> BacklogFilter:
        values = {name: button.chosen() for name, button in self.facets.items()}
        return BacklogFilter(text=self.search.text(), **values)

    def set_filter(self, backlog_filter: BacklogFilter) -> None:
        """Show ``backlog_filter`` (a navigation target) and emit it."""
        blocked = self.search.blockSignals(True)
        self.search.setText(backlog_filter.text)
        self.search.blockSignals(blocked)
        for name, button in self.facets.items():
            blocked = button.blockSignals(True)
            button.set_chosen(getattr(backlog_filter, name))
            button.blockSignals(blocked)
        self._send()

    def clear(self) -> None:
        self.set_filter(BacklogFilter())

    def set_count(self, shown: int, total: int) -> None:
        if shown == total:
            text = self.tr("1 item") if total == 1 else self.tr("{n} items").format(n=f"{total:,}")
        else:
            text = self.tr("{shown} of {total} items").format(
                shown=f"{shown:,}", total=f"{total:,}"
            )
        self.count_label.setText(text)

    def _emit(self, *_args: object) -> None:
        self._send()

    def _send(self) -> None:
        current = self.current()
        self.clear_button.setEnabled(current.active)
        self.filter_changed.emit(current)
