"""Stakeholders: the register of the chosen initiative (or everyone in the workspace) beside
the detail form of the one chosen.

**The register** is the shared :class:`~ldpm.ui.table_view.DataTableView` on a
:class:`~ldpm.ui.models.stakeholders.RegisterModel`: sort by any column, search and filter by
kind, support and department (the :class:`FilterBar` the map shares), choose the columns
(**Columns** or the header's context menu), edit in place (Tab from cell to cell).  **Change
Selected** sets one field of every selected row in one undo step.  Drift alerts and overdue
contacts are in the *Attention* column, in the warning colour.

**Everyone** switches to the workspace's people: one record per person, however many
initiatives they are in.  Deleting a person first says what goes with them (their stakes,
the backlog items they are the SME of) in a bar above the list — no dialog — and is one undo
step.  Two people may share a name: the list tells them apart by role and department.

The toolbar above the register and the bar that asks before a delete are in
:mod:`ldpm.ui.views.register_bars`.

**The form** (:class:`~ldpm.ui.views.stakeholder_editor.StakeholderEditor`) shows the person,
the stake, the engagement plan with the suggested strategy, the interaction log, the
assessments and the private notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QLabel,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import Initiative, Person, Stakeholder
from ldpm.services import engagement
from ldpm.services import stakeholders as svc
from ldpm.services.changes import ChangeRecord
from ldpm.services.navigation import ShowEntity
from ldpm.services.project import user_message
from ldpm.services.stakeholders import PersonRow, StakeRow
from ldpm.ui.actions import ActionSpec
from ldpm.ui.canvas.colours import canvas_colours
from ldpm.ui.labels import label
from ldpm.ui.models.stakeholders import (
    HIDDEN_AT_FIRST,
    WATCHED,
    PeopleModel,
    RegisterModel,
    StakeProxy,
)
from ldpm.ui.operations import OperationRunner
from ldpm.ui.table_view import DataTableView
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.form_page import EmptyState
from ldpm.ui.views.register_bars import DeleteBar, RegisterToolbar
from ldpm.ui.views.stakeholder_editor import StakeholderEditor
from ldpm.ui.widgets import set_role


class StakeholdersView(InitiativeView):
    """The register and the form (see the module docstring)."""

    title = "Stakeholders"  # translated in the "views" context
    area = "Stakeholders"
    watches = frozenset(WATCHED) | frozenset({Initiative})

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("stakeholders")
        self.register = RegisterModel(runner, self)
        self.people = PeopleModel(runner, self)
        for model in (self.register, self.people):
            model.set_following(False)
        self.register.warning = self._warning
        self.register_proxy = StakeProxy(self.register, self)
        self.people_proxy = StakeProxy(self.people, self)
        self.everyone = False

        self.empty = EmptyState(
            self.tr("No initiative chosen"),
            self.tr(
                "Choose an initiative in the portfolio on the left: its sponsors, sceptics "
                "and subject-matter experts are listed here."
            ),
            self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        page = QWidget(self.stack)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        column = QVBoxLayout(page)
        bar = RegisterToolbar(self.set_selected, page)
        self.scope_initiative, self.scope_everyone = bar.scope_initiative, bar.scope_everyone
        self.scope_everyone.toggled.connect(self.set_everyone)
        self.filters = bar.filters
        self.filters.changed.connect(self._filter_changed)
        self.columns_button = bar.columns_button
        bar.columns_menu.aboutToShow.connect(lambda: self._fill_columns_menu(bar.columns_menu))
        self.bulk_button = bar.bulk_button
        self.add_button = bar.add_button
        self.add_button.clicked.connect(self.add_stakeholder)
        self.add_existing = bar.add_existing
        bar.people_menu.aboutToShow.connect(self._fill_people_menu)
        self.remove_button = bar.remove_button
        self.remove_button.clicked.connect(self.remove_selected)
        column.addWidget(bar)
        self.delete_bar = DeleteBar(page)
        self.delete_text, self.delete_confirm = self.delete_bar.text, self.delete_bar.confirm
        self.delete_cancel = self.delete_bar.cancel
        self.delete_bar.confirmed.connect(self._delete_person)
        self.delete_bar.kept.connect(self.table_focus)
        column.addWidget(self.delete_bar)
        self.message = QLabel(page)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Why that was not done"))
        set_role(self.message, "warning")
        self.message.hide()
        column.addWidget(self.message)

        self.splitter = QSplitter(page)
        self.table = DataTableView(self.splitter)
        for proxy in (self.register_proxy, self.people_proxy):
            proxy.rows_revealed.connect(self.table.cells.remeasure)
        self.table.setObjectName("register")
        self.table.setAccessibleName(self.tr("Stakeholder register"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the services' order first
        self.table.setSortingEnabled(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.editor = StakeholderEditor(runner, self._run_from, self.splitter)
        self.editor.interactions.warning = self._warning
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 400])  # scaled to the width it gets: 3 to 2
        self.splitter.setChildrenCollapsible(False)
        column.addWidget(self.splitter, 1)
        self.status = QLabel(page)
        set_role(self.status, "muted")
        column.addWidget(self.status)
        self._hidden: set[int] = set(HIDDEN_AT_FIRST)
        self._show_model()

    # ================================================================= actions
    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        self.empty.set_action(actions.get("new_initiative"))

    def view_actions(self) -> list[ActionSpec]:
        chosen = lambda: self.initiative_id is not None  # noqa: E731
        return [
            ActionSpec(
                "add_stakeholder",
                "Add &Stakeholder",
                "initiative",
                self.add_stakeholder,
                "stakeholders",
                ("Ctrl+Shift+K",),
                "Add a person with a stake in this initiative",
                enabled=chosen,
            ),
            ActionSpec(
                "export_plan",
                "Export &Engagement Plan…",
                "file",
                lambda: self.export_plan(include_private=False),
                "export",
                tip="Save the engagement plan as a page to forward (without private notes)",
                enabled=chosen,
            ),
            ActionSpec(
                "export_plan_private",
                "Export Engagement Plan with &Private Notes…",
                "file",
                lambda: self.export_plan(include_private=True),
                "export",
                tip="The same page, with the private notes: only for yourself",
                enabled=chosen,
            ),
        ]

    # =================================================================== reads
    def reload(self) -> None:
        if self.initiative_id is None:
            self.stack.setCurrentWidget(self.empty)
            self.register.set_initiative(None)
            self.editor.show_row(None)
            return
        self.stack.setCurrentIndex(1)
        self.delete_bar.dismiss()
        self.message.hide()
        self.register.set_initiative(self.initiative_id)
        if self.everyone:
            self.people.reload()
        self.filters.set_departments(svc.departments(self.project))
        self._after_rows()

    def apply(self, record: ChangeRecord) -> None:
        if record.everything or record.touches(Initiative, self.initiative_id):
            self.reload()
            return
        self.register.reload()
        if self.everyone:
            self.people.reload()
        if record.touches(Person):
            self.filters.set_departments(svc.departments(self.project))
        self._after_rows()

    def _after_rows(self) -> None:
        if not self.table.currentIndex().isValid() and self.table.model().rowCount():
            self.table.setCurrentIndex(self.table.model().index(0, 0))  # someone to show
        self.editor.show_row(self.current_row())
        self._update_state()

    # ================================================================== scope
    def set_everyone(self, on: bool) -> None:
        """List everyone in the workspace (True) or the initiative's register."""
        if on == self.everyone:
            return
        self.everyone = on
        if self.scope_everyone.isChecked() != on:
            self.scope_everyone.setChecked(on)
        if on:
            self.people.reload()
        self._show_model()
        self._after_rows()

    def _show_model(self) -> None:
        proxy = self.people_proxy if self.everyone else self.register_proxy
        self.table.setModel(proxy)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(self._update_state)
        proxy.set_filter(self.filters.filter())
        for column in range(proxy.columnCount()):
            hidden = not self.everyone and column in self._hidden
            self.table.setColumnHidden(column, hidden)
        for widget in (self.bulk_button, self.add_button, self.add_existing):
            widget.setVisible(not self.everyone)
        self.columns_button.setVisible(not self.everyone)
        self.filters.kinds.setVisible(not self.everyone)
        self.filters.supports.setVisible(not self.everyone)
        self.remove_button.setText(
            self.tr("Delete Person…") if self.everyone else self.tr("Remove")
        )
        self.remove_button.setToolTip(
            self.tr("Delete the person and their links from the workspace")
            if self.everyone
            else self.tr("Take them off this initiative's register (they stay in the workspace)")
        )

    # ============================================================= selection
    def current_row(self) -> StakeRow | PersonRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        proxy = self.table.model()
        assert isinstance(proxy, StakeProxy)
        source = proxy.mapToSource(index)
        model = self.people if self.everyone else self.register
        row = model.row_at(source.row())
        return row if isinstance(row, StakeRow | PersonRow) else None

    def selected_rows(self) -> list[Any]:
        proxy = self.table.model()
        assert isinstance(proxy, StakeProxy)
        model = self.people if self.everyone else self.register
        rows = []
        for index in self.table.selectionModel().selectedRows():
            row = model.row_at(proxy.mapToSource(index).row())
            if row is not None:
                rows.append(row)
        return rows

    def select(self, row_id: str) -> bool:
        model = self.people if self.everyone else self.register
        proxy = self.people_proxy if self.everyone else self.register_proxy
        source = model.index_for(row_id)
        if not source.isValid():
            return False
        index = proxy.mapFromSource(source)
        if not index.isValid():  # filtered out: show everything again
            self.filters.clear()
            index = proxy.mapFromSource(source)
        if self.table.state() == QAbstractItemView.State.EditingState:
            # Finish the edit in progress first (it commits), then move.
            editor = QApplication.focusWidget()
            if editor is not None and self.table.isAncestorOf(editor):
                self.table.commitData(editor)
                self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            index = proxy.mapFromSource(model.index_for(row_id))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def navigate(self, target: object) -> bool:
        if not isinstance(target, ShowEntity) or target.kind not in (Stakeholder, Person):
            return False
        self.set_everyone(target.kind is Person)
        if self.stale:
            self.refresh()
        return self.select(target.id)

    def _current_changed(self, *_args: object) -> None:
        self.delete_bar.dismiss()
        self.editor.show_row(self.current_row())
        self._update_state()

    def _update_state(self, *_args: object) -> None:
        selected = len(self.table.selectionModel().selectedRows())
        self.bulk_button.setEnabled(selected > 0)
        self.remove_button.setEnabled(self.current_row() is not None)
        proxy = self.table.model()
        model = self.people if self.everyone else self.register
        shown, total = proxy.rowCount(), model.rowCount()
        if self.everyone:
            text = self.tr("{n} people in the workspace").format(n=total)
        else:
            text = self.tr("{n} stakeholders").format(n=total)
        if shown != total:
            text += " · " + self.tr("{n} hidden by the filter").format(n=total - shown)
        if selected > 1:
            text += " · " + self.tr("{n} selected").format(n=selected)
        self.status.setText(text)

    def _filter_changed(self, *_args: object) -> None:
        proxy = self.table.model()
        assert isinstance(proxy, StakeProxy)
        proxy.set_filter(self.filters.filter())
        self._update_state()

    # ================================================================= edits
    def _run_from(self, command: Any, origin: QObject) -> bool:
        self.message.hide()
        return self.run(command, origin=origin)

    def add_stakeholder(self) -> None:
        """A new person on the register; its name is ready to be typed."""
        if self.initiative_id is None:
            return
        if self.everyone:
            self.set_everyone(False)
        command = svc.new_stakeholder(self.initiative_id, self.tr("New stakeholder"))
        if self.run(command, origin=self.add_button):
            self.filters.clear()
            self.register.reload()
            stake = command.parts[1]
            assert hasattr(stake, "entity")
            if self.select(stake.entity.id):
                self.table.edit(self.table.currentIndex().siblingAtColumn(0))

    def _fill_people_menu(self) -> None:
        menu = self.add_existing.menu()
        assert menu is not None
        menu.clear()
        if self.initiative_id is None:
            return
        people = svc.people_without_stake(self.project, self.initiative_id)
        if not people:
            action = menu.addAction(self.tr("Everyone in the workspace is on this register"))
            action.setEnabled(False)
        for person_id, name in people:
            action = menu.addAction(name)
            action.triggered.connect(lambda _c=False, p=person_id: self._add_person(p))

    def _add_person(self, person_id: str) -> None:
        if self.initiative_id is None:
            return
        command = svc.add_stake(self.initiative_id, person_id)
        if self.run(command, origin=self.add_existing):
            self.register.reload()
            stake = command.command
            assert hasattr(stake, "entity")
            self.select(stake.entity.id)

    def set_selected(self, field: str, value: Any) -> None:
        """Set one field of every selected stakeholder (one undo step)."""
        rows = [r for r in self.selected_rows() if isinstance(r, StakeRow)]
        self.run(svc.set_for_all([r.id for r in rows], field, value), origin=self.bulk_button)

    def remove_selected(self) -> None:
        row = self.current_row()
        if isinstance(row, StakeRow):
            self.run(svc.remove_stake(row.id, row.name), origin=self.remove_button)
        elif isinstance(row, PersonRow):
            self.ask_delete(row.id)

    def ask_delete(self, person_id: str) -> None:
        """Say what deleting a person takes with them, and wait for Delete or Keep."""
        self.delete_bar.ask(person_id, svc.person_links(self.project, person_id))

    def _delete_person(self, person_id: str) -> None:
        self.run(svc.delete_person(self.project, person_id), origin=self.remove_button)

    def table_focus(self) -> None:
        self.table.setFocus()

    def export_plan(self, *, include_private: bool) -> None:
        if self.initiative_id is None:
            return
        title = (
            self.tr("Export Engagement Plan with Private Notes")
            if include_private
            else self.tr("Export Engagement Plan")
        )
        path, _kind = QFileDialog.getSaveFileName(
            self, title, self.tr("Engagement plan.html"), self.tr("Web page (*.html)")
        )
        if path:
            self.write_plan(path, include_private=include_private)

    def write_plan(self, path: str, *, include_private: bool = False) -> bool:
        """Write the plan page to ``path``; a failure is said in the view."""
        assert self.initiative_id is not None
        try:
            engagement.export_plan(
                self.project,
                self.initiative_id,
                Path(path),
                include_private=include_private,
                label=label,
            )
        except OSError as exc:
            self.show_failure(
                user_message(exc)
                or self.tr("The plan could not be saved there: {error}").format(
                    error=exc.strerror or exc
                ),
                self,
            )
            return False
        return True

    # ================================================================ columns
    def _header_menu(self, point: QPoint) -> None:
        if self.everyone:
            return
        menu = QMenu(self)
        self._fill_columns_menu(menu)
        menu.exec(self.table.horizontalHeader().mapToGlobal(point))

    def _fill_columns_menu(self, menu: QMenu) -> None:
        menu.clear()
        model = self.register
        for column in range(model.columnCount()):
            text = str(model.headerData(column, Qt.Orientation.Horizontal))
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(column not in self._hidden)
            action.setEnabled(column != 0)  # the name always shows
            action.toggled.connect(lambda on, c=column: self.set_column_shown(c, on))

    def set_column_shown(self, column: int, shown: bool) -> None:
        if shown:
            self._hidden.discard(column)
        else:
            self._hidden.add(column)
        if not self.everyone:
            self.table.setColumnHidden(column, not shown)
            self.table.fit_columns()

    # =============================================================== failures
    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        if origin is not None and self.editor.show_failure(sentence, origin):
            return
        self.message.setText("⚠ " + sentence)
        self.message.show()

    def _warning(self) -> Any:
        return canvas_colours(self).role("warning")
