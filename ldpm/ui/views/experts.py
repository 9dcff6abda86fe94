"""Experts — NEED ↔ HAVE: who in the workspace knows what a backlog item (or a need put in
words) needs, linked as its subject-matter experts in one step, and who carries too much.

Choose one of the initiative's open backlog items (its title and description become the need)
or describe the need yourself; the people whose expertise tags, expertise, role and department
match are ranked below with what matched and what they already carry.  Select the ones you
want and **Link as SMEs**: one undo step.  A person who carries more than three open items, or
items in more than two initiatives, is marked so the same experts are not always asked; the
list at the bottom shows everyone's SME load, the heaviest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import BacklogItem, Initiative, ItemSme, Person
from ldpm.domain.expertise import MAX_INITIATIVES, MAX_ITEMS, overloaded
from ldpm.services import experts as svc
from ldpm.services.changes import ChangeRecord
from ldpm.services.experts import ExpertRow, FindExperts
from ldpm.ui.canvas.colours import canvas_colours
from ldpm.ui.models.stakeholder_log import ExpertsModel
from ldpm.ui.models.table import TableProxy
from ldpm.ui.operations import OperationRunner
from ldpm.ui.table_view import DataTableView
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.form_page import EmptyState
from ldpm.ui.widgets import GrowingTextEdit, set_role

#: The item choice that means "the need I describe".
OWN_NEED = ""


class ExpertsView(InitiativeView):
    """NEED ↔ HAVE (see the module docstring)."""

    title = "Experts"  # translated in the "views" context
    area = "Stakeholders"
    watches = frozenset({BacklogItem, ItemSme, Person, Initiative})

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("experts")
        self.suggestions = ExpertsModel(runner, self)
        self.loads = ExpertsModel(runner, self)
        for model in (self.suggestions, self.loads):
            model.set_following(False)
            model.warning = lambda: canvas_colours(self).role("warning")
        self._loads_read = False  # every person's SME load: read when first shown, not built
        self.empty = EmptyState(
            self.tr("No initiative chosen"),
            self.tr(
                "Choose an initiative in the portfolio: its backlog items are matched with the "
                "people who know what they need."
            ),
            self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        page = QWidget(self.stack)
        self.stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        column = QVBoxLayout(page)

        intro = QLabel(
            self.tr(
                "Connect those who NEED knowledge with those who HAVE it: choose a backlog item "
                "or describe a need, then link the right people as its subject-matter experts."
            ),
            page,
        )
        intro.setWordWrap(True)
        set_role(intro, "muted")
        column.addWidget(intro)
        row = QHBoxLayout()
        caption = QLabel(self.tr("&Need"), page)
        self.item = QComboBox(page)
        self.item.setAccessibleName(self.tr("Backlog item"))
        caption.setBuddy(self.item)
        self.item.currentIndexChanged.connect(self._item_chosen)
        row.addWidget(caption)
        row.addWidget(self.item, 1)
        column.addLayout(row)
        self.need = GrowingTextEdit(min_lines=2)
        self.need.setParent(page)
        self.need.setAccessibleName(self.tr("What is needed"))
        self.need.setPlaceholderText(
            self.tr("What knowledge is needed, in words: e.g. incident hand-offs on call")
        )
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(250)
        self._typing.timeout.connect(self._suggest)
        self.need.textChanged.connect(self._typing.start)
        column.addWidget(self.need)

        splitter = QSplitter(Qt.Orientation.Vertical, page)
        top = QWidget(splitter)
        top_column = QVBoxLayout(top)
        top_column.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(self.tr("Who has it"), top)
        set_role(heading, "h2")
        top_column.addWidget(heading)
        self.table = DataTableView(top)
        self.table.setObjectName("suggestions")
        self.table.setAccessibleName(self.tr("People whose expertise matches"))
        self.table.setModel(TableProxy(self.suggestions, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.selectionModel().selectionChanged.connect(self._update)
        top_column.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.link_button = QPushButton(self.tr("Link as SMEs"), top)
        self.link_button.setToolTip(
            self.tr("Link the selected people to the item (one undo step)")
        )
        self.link_button.clicked.connect(self.link_selected)
        self.unlink_button = QPushButton(self.tr("Unlink"), top)
        self.unlink_button.clicked.connect(self.unlink_selected)
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.unlink_button)
        buttons.addStretch(1)
        top_column.addLayout(buttons)
        self.message = QLabel(top)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("What happened"))
        top_column.addWidget(self.message)

        bottom = QWidget(splitter)
        bottom_column = QVBoxLayout(bottom)
        bottom_column.setContentsMargins(0, 0, 0, 0)
        load_heading = QLabel(self.tr("Who carries the most"), bottom)
        set_role(load_heading, "h2")
        bottom_column.addWidget(load_heading)
        note = QLabel(
            self.tr(
                "Open backlog items each person is the SME of. More than {items} items, or "
                "items in more than {initiatives} initiatives, is too much for one person."
            ).format(items=MAX_ITEMS, initiatives=MAX_INITIATIVES),
            bottom,
        )
        note.setWordWrap(True)
        set_role(note, "muted")
        bottom_column.addWidget(note)
        self.load_table = DataTableView(bottom)
        self.load_table.setObjectName("loads")
        self.load_table.setAccessibleName(self.tr("SME load"))
        self.load_table.setModel(TableProxy(self.loads, self.load_table))
        for hidden in (2, 3, 5):  # match, because of, linked: not for the load list
            self.load_table.setColumnHidden(hidden, True)
        bottom_column.addWidget(self.load_table, 1)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([600, 300])
        column.addWidget(splitter, 1)
        self._need_item: str | None = None

    # ================================================================= actions
    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        self.empty.set_action(actions.get("new_initiative"))

    # =================================================================== reads
    def reload(self) -> None:
        if self.initiative_id is None:
            self.stack.setCurrentWidget(self.empty)
            self.suggestions.set_loader(None)
            return
        self.stack.setCurrentIndex(1)
        self._fill_items()
        self._suggest()
        self._reload_loads()

    def apply(self, record: ChangeRecord) -> None:
        if record.everything or record.touches(BacklogItem) or record.touches(Initiative):
            self.reload()
            return
        self.suggestions.reload()
        self._reload_loads()
        self._update()

    def _reload_loads(self) -> None:
        if self._loads_read:
            self.loads.reload()
        else:
            self._loads_read = True
            self.loads.set_loader(partial(svc.load_rows, self.runner.project))

    def _fill_items(self) -> None:
        assert self.initiative_id is not None
        current = self.item.currentData() if self.item.count() else None
        items = svc.items_of(self.project, self.initiative_id)
        blocked = self.item.blockSignals(True)
        try:
            self.item.clear()
            self.item.addItem(self.tr("A need I describe below"), OWN_NEED)
            for item in items:
                self.item.addItem(item.title, item.id)
            index = self.item.findData(current) if current else -1
            self.item.setCurrentIndex(max(index, 0))
        finally:
            self.item.blockSignals(blocked)
        self._need_item = self.item.currentData() or None

    @classmethod
    def may_navigate(cls, target: object) -> bool:
        return isinstance(target, FindExperts)

    def navigate(self, target: object) -> bool:
        if not isinstance(target, FindExperts):
            return False
        if self.stale:
            self.refresh()
        index = self.item.findData(target.item_id)
        if index < 0:
            return False
        self.item.setCurrentIndex(index)
        return True

    def choose_item(self, item_id: str) -> bool:
        """Make an item the need (as choosing it in the list does)."""
        return self.navigate(FindExperts(item_id))

    # ================================================================ matching
    def item_id(self) -> str | None:
        data = self.item.currentData()
        return str(data) if data else None

    def _item_chosen(self, _index: int) -> None:
        item_id = self.item_id()
        self._need_item = item_id
        blocked = self.need.blockSignals(True)
        try:
            self.need.setPlainText(svc.item_need(self.project, item_id) if item_id else "")
        finally:
            self.need.blockSignals(blocked)
        self.message.clear()
        self._suggest()

    def _suggest(self) -> None:
        if self.initiative_id is None:
            return
        need, item_id = self.need.toPlainText(), self.item_id()
        self.suggestions.set_loader(
            partial(svc.suggest, self.runner.project, need, item_id=item_id)
        )
        self._update()

    def selected(self) -> list[ExpertRow]:
        proxy = self.table.model()
        assert isinstance(proxy, TableProxy)
        rows = []
        for index in self.table.selectionModel().selectedRows():
            row = self.suggestions.row_at(proxy.mapToSource(index).row())
            if row is not None:
                rows.append(row)
        return rows

    def _update(self, *_args: object) -> None:
        chosen = self.selected()
        item = self.item_id() is not None
        self.link_button.setEnabled(item and any(not r.linked for r in chosen))
        self.unlink_button.setEnabled(item and any(r.linked for r in chosen))
        if not item:
            self.link_button.setToolTip(self.tr("Choose a backlog item to link people to"))
        if not self.suggestions.rowCount() and self.need.toPlainText().strip():
            self.message.setText(
                self.tr(
                    "Nobody's expertise matches yet. Add expertise tags to people in the "
                    "Stakeholders tab (Everyone), or describe the need in other words."
                )
            )
            set_role(self.message, "muted")

    # ================================================================= linking
    def link_selected(self) -> None:
        item_id = self.item_id()
        rows = [r for r in self.selected() if not r.linked]
        if item_id is None or not rows:
            return
        title = self.item.currentText()
        command = svc.link_smes(self.project, item_id, [r.id for r in rows], title=title)
        if not self.run(command, origin=self.link_button):
            return
        loads = {r.id: r for r in svc.load_rows(self.project)}
        heavy = [loads[r.id] for r in rows if r.id in loads and overloaded(loads[r.id].load)]
        names = ", ".join(r.name for r in rows)
        text = self.tr("Linked {names} to “{item}”.").format(names=names, item=title)
        if heavy:
            text += " " + self.tr(
                "⚠ {names} now carry too much: ask someone else to share the load."
            ).format(names=", ".join(f"{r.name} ({r.load.items})" for r in heavy))
            set_role(self.message, "warning")
        else:
            set_role(self.message, "ok")
        self.message.setText(text)

    def unlink_selected(self) -> None:
        item_id = self.item_id()
        if item_id is None:
            return
        for row in [r for r in self.selected() if r.linked]:
            self.run(svc.unlink_sme(self.project, item_id, row.id), origin=self.unlink_button)

    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        self.message.setText("⚠ " + sentence)
        set_role(self.message, "warning")
