"""A bar that edits a :class:`~ldpm.domain.backlog_filter.BacklogFilter`: a search field, a
Filter menu with one submenu per facet (status, kind, 70:20:10 mode, moment of need, sourcing,
release), a line saying what is filtered, and Clear.

The value/effort matrix and the release board use it; the filter itself is the domain's, the
same the backlog uses, so a filter sent from one view (:meth:`set_filter`) means the same in
another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.enums import ItemKind, ItemStatus, LearningMode, MomentOfNeed, Sourcing
from ldpm.ui.labels import label
from ldpm.ui.widgets import set_role

#: Facet name -> the filter field it sets.
_FACETS: tuple[tuple[str, type[Enum]], ...] = (
    ("statuses", ItemStatus),
    ("kinds", ItemKind),
    ("modes", LearningMode),
    ("moments", MomentOfNeed),
    ("sourcings", Sourcing),
)


class BacklogFilterBar(QWidget):
    """Edits a backlog filter; :attr:`changed` carries the new one."""

    changed = Signal(object)  # BacklogFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filter = BacklogFilter()
        self._releases: list[tuple[str, str]] = []
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search items…"))
        self.search.setAccessibleName(self.tr("Search items"))
        self.search.setClearButtonEnabled(True)
        self.search.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(200)
        self._typing.timeout.connect(self._text_changed)
        self.search.textChanged.connect(lambda _t: self._typing.start())
        self.menu_button = QToolButton(self)
        self.menu_button.setText(self.tr("Filter"))
        self.menu_button.setAccessibleName(self.tr("Filter items"))
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.menu = QMenu(self)
        self.menu_button.setMenu(self.menu)
        self.summary = QLabel(self)
        set_role(self.summary, "muted")
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.clear_button = QPushButton(self.tr("Clear Filters"), self)
        self.clear_button.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search, 2)
        row.addWidget(self.menu_button)
        row.addWidget(self.summary, 3)
        row.addWidget(self.clear_button)
        self._actions: dict[tuple[str, Any], QAction] = {}
        self._build_menu()
        self._show()

    # ------------------------------------------------------------------ public
    @property
    def filter(self) -> BacklogFilter:
        return self._filter

    def set_filter(self, new: BacklogFilter) -> None:
        """Show ``new`` (no :attr:`changed`: the caller knows)."""
        self._filter = new
        blocked = self.search.blockSignals(True)
        try:
            if self.search.text() != new.text:
                self.search.setText(new.text)
        finally:
            self.search.blockSignals(blocked)
        self._show()

    def set_releases(self, releases: Sequence[tuple[str, str]]) -> None:
        """The initiative's releases (id, name), offered in the Release submenu."""
        if list(releases) != self._releases:
            self._releases = list(releases)
            self._build_releases()
            self._show()

    def clear(self) -> None:
        self._set(BacklogFilter())

    # ---------------------------------------------------------------- building
    def _build_menu(self) -> None:
        titles = {
            "statuses": self.tr("&Status"),
            "kinds": self.tr("&Kind"),
            "modes": self.tr("&Mode (70:20:10)"),
            "moments": self.tr("M&oment of Need"),
            "sourcings": self.tr("S&ourcing"),
        }
        for facet, enum_cls in _FACETS:
            sub = self.menu.addMenu(titles[facet])
            values: list[tuple[Any, str]] = [(m, label(m)) for m in enum_cls]
            if facet in ("modes", "moments"):
                values.append((None, self.tr("Not set")))
            for value, text in values:
                self._add(sub, facet, value, text)
        self.release_menu = self.menu.addMenu(self.tr("&Release"))
        self._build_releases()

    def _build_releases(self) -> None:
        """The Release submenu anew (its old actions are the menu's and go with ``clear``;
        the other submenus stay: an initiative switch builds no menu)."""
        self.release_menu.clear()
        self._actions = {k: a for k, a in self._actions.items() if k[0] != "releases"}
        for release_id, name in self._releases:
            self._add(self.release_menu, "releases", release_id, name)
        self._add(self.release_menu, "releases", None, self.tr("Not planned"))

    def _add(self, menu: QMenu, facet: str, value: Any, text: str) -> None:
        action = menu.addAction(text)
        action.setCheckable(True)
        action.toggled.connect(lambda on, f=facet, v=value: self._toggle(f, v, on))
        self._actions[(facet, value)] = action

    # ----------------------------------------------------------------- editing
    def _toggle(self, facet: str, value: Any, on: bool) -> None:
        current: frozenset[Any] = getattr(self._filter, facet)
        new = current | {value} if on else current - {value}
        if new != current:
            changes: dict[str, Any] = {facet: frozenset(new)}
            self._set(replace(self._filter, **changes))

    def _text_changed(self) -> None:
        if self.search.text() != self._filter.text:
            self._set(self._filter.with_text(self.search.text()))

    def _set(self, new: BacklogFilter) -> None:
        if new == self._filter:
            return
        self.set_filter(new)
        self.changed.emit(new)

    def _show(self) -> None:
        f = self._filter
        for (facet, value), action in self._actions.items():
            blocked = action.blockSignals(True)
            try:
                action.setChecked(value in getattr(f, facet))
            finally:
                action.blockSignals(blocked)
        parts = []
        names = dict(self._releases)
        for facet, _enum in (*_FACETS, ("releases", str)):
            chosen = getattr(f, facet)
            if not chosen:
                continue
            texts = sorted(
                self._value_text(facet, v, names) for v in chosen if (facet, v) in self._actions
            )
            if texts:
                parts.append(", ".join(texts))
        self.summary.setText(" · ".join(parts))
        self.summary.setToolTip(self.summary.text())
        active = f.active
        self.clear_button.setEnabled(active)
        count = sum(len(getattr(f, facet)) for facet, _e in _FACETS) + len(f.releases)
        self.menu_button.setText(
            self.tr("Filter ({count})").format(count=count) if count else self.tr("Filter")
        )

    def _value_text(self, facet: str, value: Any, names: dict[str, str]) -> str:
        if value is None:
            return self.tr("Not planned") if facet == "releases" else self.tr("Not set")
        if facet == "releases":
            return names.get(value, "")
        return label(value)
