"""The stakeholder filter as a bar of controls, shared by the register and the map: a search
field and three drop-down menus of choices (kind, support, department).  Each menu's button
says what is chosen ("Kind: Sponsor", "Support: 2 chosen", "Department: any"); **Clear** puts
everything back.  :attr:`FilterBar.changed` gives the new
:class:`~ldpm.domain.stakeholder_filter.StakeholderFilter`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import Enum
from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from ldpm.domain.enums import StakeholderKind, Support
from ldpm.domain.stakeholder_filter import StakeholderFilter
from ldpm.ui.flow_layout import FlowLayout
from ldpm.ui.labels import choices


class _Choices(QToolButton):
    """A button with a menu of checkable choices; any number may be checked (none: any)."""

    toggled_choice = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self.setAccessibleName(title)
        self._values: list[tuple[Any, QAction]] = []
        self._show_text()

    def set_values(self, values: Sequence[tuple[Any, str]]) -> None:
        """The choices (value, text); the chosen ones that are still there stay chosen."""
        chosen = set(self.chosen())
        menu = self.menu()
        assert menu is not None
        menu.clear()
        self._values = []
        for value, text in values:
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(value in chosen)
            action.toggled.connect(self._toggled)
            self._values.append((value, action))
        self._show_text()

    def chosen(self) -> list[Any]:
        return [value for value, action in self._values if action.isChecked()]

    def set_chosen(self, values: Sequence[Any]) -> None:
        wanted = set(values)
        for value, action in self._values:
            blocked = action.blockSignals(True)
            try:
                action.setChecked(value in wanted)
            finally:
                action.blockSignals(blocked)
        self._show_text()

    def _toggled(self, _checked: bool) -> None:
        self._show_text()
        self.toggled_choice.emit()

    def _show_text(self) -> None:
        chosen = [a.text() for _v, a in self._values if a.isChecked()]
        if not chosen:
            shown = self.tr("any")
        elif len(chosen) == 1:
            shown = chosen[0]
        else:
            shown = self.tr("{count} chosen").format(count=len(chosen))
        self.setText(f"{self.title}: {shown}")
        self.setToolTip(", ".join(chosen) if chosen else self.tr("Showing every one"))


class FilterBar(QWidget):
    """Search and choices (see the module docstring)."""

    changed = Signal(object)  # StakeholderFilter

    def __init__(self, parent: QWidget | None = None, *, search: bool = True) -> None:
        super().__init__(parent)
        self._filter = StakeholderFilter()
        # One row where there is room, wrapping where there is not (the projector's type).
        row = FlowLayout(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("stakeholderSearch")
        self.search.setPlaceholderText(self.tr("Search names, roles, expertise…"))
        self.search.setAccessibleName(self.tr("Search stakeholders"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._emit)
        self.search.setVisible(search)
        self.kinds = _Choices(self.tr("Kind"), self)
        self.kinds.set_values(_labelled(StakeholderKind))
        self.supports = _Choices(self.tr("Support"), self)
        self.supports.set_values(_labelled(Support))
        self.departments = _Choices(self.tr("Department"), self)
        self.clear_button = QPushButton(self.tr("Clear Filters"), self)
        self.clear_button.setAccessibleName(self.tr("Clear the filters"))
        self.clear_button.clicked.connect(self.clear)
        self._size_search()
        self.search.installEventFilter(self)  # sized again when its text size changes
        row.addWidget(self.search)
        for button in (self.kinds, self.supports, self.departments):
            button.toggled_choice.connect(self._emit)
            row.addWidget(button)
        row.addWidget(self.clear_button)
        self.clear_button.setEnabled(False)

    def _size_search(self) -> None:
        """Room for the hint and about 35 characters of search, at the text size of the moment."""
        self.search.setMinimumWidth(self.search.fontMetrics().averageCharWidth() * 38)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.FontChange:
            self._size_search()
        return super().eventFilter(watched, event)

    def filter(self) -> StakeholderFilter:
        return self._filter

    def set_departments(self, names: Sequence[str]) -> None:
        self.departments.set_values([(n, n) for n in names])

    def set_filter(self, wanted: StakeholderFilter) -> None:
        """Show ``wanted`` (and emit :attr:`changed` if it differs)."""
        blocked = self.search.blockSignals(True)
        try:
            self.search.setText(wanted.text)
        finally:
            self.search.blockSignals(blocked)
        self.kinds.set_chosen(list(wanted.kinds))
        self.supports.set_chosen(list(wanted.supports))
        self.departments.set_chosen(list(wanted.departments))
        self._emit()

    def clear(self) -> None:
        self.set_filter(StakeholderFilter())

    def _emit(self, *_args: object) -> None:
        wanted = replace(
            self._filter,
            text=self.search.text(),
            kinds=frozenset(self.kinds.chosen()),
            supports=frozenset(self.supports.chosen()),
            departments=frozenset(self.departments.chosen()),
        )
        self.clear_button.setEnabled(wanted.active)
        if wanted != self._filter:
            self._filter = wanted
            self.changed.emit(wanted)


def _labelled(enum_cls: type[Enum]) -> list[tuple[Any, str]]:
    return [(member, text) for member, text in choices(enum_cls)]
