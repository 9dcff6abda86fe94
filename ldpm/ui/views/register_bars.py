"""The bars above the stakeholder register: its toolbar and the bar that asks before a
person is deleted.

:class:`RegisterToolbar` holds the scope (this initiative or everyone), the actions —
**Columns**, **Change Selected**, **Add Stakeholder**, **Add from Workspace**, **Remove** — in
a :class:`~ldpm.ui.flow_layout.FlowLayout` that wraps onto more rows rather than squeeze its
buttons (a laptop in the projector preset), and the filters (the
:class:`~ldpm.ui.views.stakeholder_filter_bar.FilterBar` the map shares) below them.  What
the buttons do is the view's: it connects them.

:class:`DeleteBar` says what deleting a person takes with them (their stakes, the backlog
items they are the SME of) — no dialog — and waits for Delete or Keep.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import GRID_MAX, GRID_MIN
from ldpm.domain.enums import Engagement, StakeholderKind, Support
from ldpm.services.stakeholders import PersonLinks
from ldpm.ui.flow_layout import FlowLayout
from ldpm.ui.labels import choices
from ldpm.ui.views.stakeholder_filter_bar import FilterBar
from ldpm.ui.widgets import set_role

#: Fields "Change Selected" can set, with their choices.
_BULK = (
    ("kind", StakeholderKind),
    ("support", Support),
    ("current_engagement", Engagement),
    ("desired_engagement", Engagement),
)


class RegisterToolbar(QWidget):
    """The scope, the actions and the filters of the register (see the module docstring).
    ``set_selected(field, value)`` is what a choice of **Change Selected** does."""

    def __init__(self, set_selected: Callable[[str, Any], None], parent: QWidget) -> None:
        super().__init__(parent)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        row = FlowLayout()  # wraps rather than squeezes its buttons (projector, laptop)
        rows.addLayout(row)
        self.scope_initiative = QRadioButton(self.tr("This initiative"), self)
        self.scope_everyone = QRadioButton(self.tr("Everyone"), self)
        self.scope_everyone.setToolTip(self.tr("Every person in the workspace"))
        self.scope_initiative.setChecked(True)
        group = QButtonGroup(self)
        for button in (self.scope_initiative, self.scope_everyone):
            group.addButton(button)
            row.addWidget(button)
        self.columns_button = QToolButton(self)
        self.columns_button.setText(self.tr("Columns"))
        self.columns_button.setAccessibleName(self.tr("Choose the columns"))
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_menu = QMenu(self.columns_button)
        self.columns_button.setMenu(self.columns_menu)
        self.bulk_button = QToolButton(self)
        self.bulk_button.setText(self.tr("Change Selected"))
        self.bulk_button.setToolTip(self.tr("Set one field of every selected stakeholder"))
        self.bulk_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.bulk_button.setMenu(self._bulk_menu(set_selected))
        self.add_button = QPushButton(self.tr("Add Stakeholder"), self)
        self.add_button.setToolTip(self.tr("A new person with a stake in this initiative"))
        self.add_existing = QToolButton(self)
        self.add_existing.setText(self.tr("Add from Workspace"))
        self.add_existing.setToolTip(self.tr("Someone already in the workspace"))
        self.add_existing.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.people_menu = QMenu(self.add_existing)
        self.add_existing.setMenu(self.people_menu)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        for widget in (
            self.columns_button,
            self.bulk_button,
            self.add_button,
            self.add_existing,
            self.remove_button,
        ):
            row.addWidget(widget)
        self.filters = FilterBar(self)
        rows.addWidget(self.filters)

    def _bulk_menu(self, set_selected: Callable[[str, Any], None]) -> QMenu:
        menu = QMenu(self.bulk_button)
        titles = {
            "kind": self.tr("Kind"),
            "support": self.tr("Support"),
            "current_engagement": self.tr("Engagement Now"),
            "desired_engagement": self.tr("Engagement Wanted"),
        }
        for field, enum in _BULK:
            sub = menu.addMenu(titles[field])
            for member, text in choices(enum):
                action = sub.addAction(text)
                action.triggered.connect(lambda _c=False, f=field, v=member: set_selected(f, v))
        for field, title in (("power", self.tr("Power")), ("interest", self.tr("Interest"))):
            sub = menu.addMenu(title)
            for value in range(GRID_MIN, GRID_MAX + 1):
                action = sub.addAction(str(value))
                action.triggered.connect(lambda _c=False, f=field, v=value: set_selected(f, v))
        return menu


class DeleteBar(QWidget):
    """Asks before a person is deleted (see the module docstring); ``confirmed`` carries the
    person's id, ``kept`` says the user changed their mind."""

    confirmed = Signal(str)
    kept = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("deleteBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        set_role(self.text, "warning")
        self.confirm = QPushButton(self.tr("Delete"), self)
        self.confirm.clicked.connect(self._confirm)
        self.cancel = QPushButton(self.tr("Keep"), self)
        self.cancel.clicked.connect(self._keep)
        row.addWidget(self.text, 1)
        row.addWidget(self.confirm)
        row.addWidget(self.cancel)
        self._pending: str | None = None
        self.hide()

    def ask(self, person_id: str, links: PersonLinks) -> None:
        """Say what deleting the person takes with them, and wait for Delete or Keep."""
        parts = []
        if links.stakes:
            parts.append(
                self.tr("their stake in {n} initiative(s) ({names})").format(
                    n=len(links.stakes), names=", ".join(links.stakes)
                )
            )
        if links.sme_items:
            parts.append(
                self.tr("their SME link to {n} backlog item(s) ({names})").format(
                    n=len(links.sme_items), names=", ".join(links.sme_items)
                )
            )
        if parts:
            text = self.tr("Deleting {name} also removes {what}. Undo brings it all back.").format(
                name=links.name, what=self.tr(" and ").join(parts)
            )
        else:
            text = self.tr("Delete {name}? Undo brings them back.").format(name=links.name)
        self.text.setText(text)
        self._pending = person_id
        self.show()
        self.cancel.setFocus()

    def dismiss(self) -> None:
        """Stop asking (nothing is deleted)."""
        self._pending = None
        self.hide()

    def _confirm(self) -> None:
        person_id = self._pending
        self.dismiss()
        if person_id is not None:
            self.confirmed.emit(person_id)

    def _keep(self) -> None:
        self.dismiss()
        self.kept.emit()
