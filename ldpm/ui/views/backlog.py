"""Backlog: the initiative's items, scored and ranked, in a table a product manager lives in.

- **The table** (:class:`~ldpm.ui.views.backlog_table.BacklogTable` on the declared-column
  :class:`~ldpm.ui.models.backlog.BacklogModel`): inline editing with combo boxes for choices
  and checked numbers, sorting by any column (click **#** to return to the ranked order),
  a column chooser that is remembered.
- **Search and filters** (:class:`~ldpm.ui.views.backlog_filters.FilterBar`): text, status,
  kind, 70:20:10 mode, moment, sourcing and release, combined, with "38 of 212 items".
- **Ranking.**  The workspace's scoring method ranks the backlog ("Rank by"); the other
  scores stay as columns.  Dragging rows or Alt+Up/Down moves items by hand: in the manual
  order this writes the moved item's rank only; while a score ranks the backlog, the first
  move starts a hand-made order from the score's order (one undo step), and the backlog is
  ranked by hand from then on.
- **Keyboard-first.**  Ctrl+N (anywhere in the view) or Enter on the last row adds an item
  and opens its title; Delete removes the selected items; every change is undoable.
- **The detail panel** (:mod:`~ldpm.ui.views.backlog_detail`): the selected item's
  description, sourcing and why, SMEs, what it moves and its scores with their rubrics — or
  a bulk edit of the selected items; beside it the workspace's scoring settings
  (:mod:`~ldpm.ui.views.backlog_scoring`).  The panel's width is remembered and never less
  than its fields need (:mod:`~ldpm.ui.views.backlog_layout`).

It accepts two navigation targets: ``ShowEntity(BacklogItem, id)`` selects the item and shows
it in the panel; a :class:`~ldpm.domain.backlog_filter.BacklogFilter` is applied.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.backlog_filter import BacklogFilter
from ldpm.domain.entities import (
    BacklogItem,
    Initiative,
    ItemSme,
    KeyResult,
    Metric,
    Objective,
    Person,
    Release,
    Workspace,
)
from ldpm.domain.enums import ScoringMethod, Sourcing
from ldpm.domain.sourcing import sourcing_split
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command
from ldpm.services.navigation import ShowEntity
from ldpm.ui import settings as prefs
from ldpm.ui.actions import ActionSpec
from ldpm.ui.labels import choices, label
from ldpm.ui.models.backlog import BacklogModel, BacklogProxy
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.backlog_commands import BacklogCommands
from ldpm.ui.views.backlog_filters import FilterBar
from ldpm.ui.views.backlog_layout import SideBySide
from ldpm.ui.views.backlog_panels import DetailPanel
from ldpm.ui.views.backlog_scoring import ScoringPanel
from ldpm.ui.views.backlog_table import BacklogTable
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.form_page import EmptyState
from ldpm.ui.widgets import guard_wheel, set_role

_NEW_ITEM = QKeySequence("Ctrl+N")


class BacklogView(BacklogCommands, SideBySide, InitiativeView):
    """See the module docstring."""

    title = "Backlog"  # translated in the "views" context
    watches = frozenset(
        {
            BacklogItem,
            Release,
            ItemSme,
            Person,
            Metric,
            KeyResult,
            Objective,
            Workspace,
            Initiative,
        }
    )
    in_workshop = True

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("backlogView")
        self.settings = prefs.Settings()
        self.model = BacklogModel(runner, self)
        self.proxy = BacklogProxy(self.model, self)

        self.empty_state = EmptyState(
            self.tr("No initiative chosen"),
            self.tr("Choose an initiative in the portfolio on the left to see its backlog."),
            self,
        )
        self.main = QWidget(self)
        self.filters = FilterBar(self.main)
        self.filters.filter_changed.connect(self._filter)
        self._build_rank_bar()
        self.notice = QLabel(self.main)
        self.notice.setObjectName("backlogNotice")
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Backlog messages"))
        self.notice.hide()

        self.table = BacklogTable(self.settings, self.main)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.restore_columns()
        self.table.append_requested.connect(lambda: self.add_item(at_end=True))
        self.table.delete_requested.connect(self.delete_selected)
        self.table.move_requested.connect(self.move_selected)
        self.table.rows_dropped.connect(self._dropped)
        self.table.selectionModel().selectionChanged.connect(self._show_selection)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        self.no_items = EmptyState(
            self.tr("No items yet"),
            self.tr(
                "Collect the ideas for this initiative here: content, practice, performance "
                "support, communities, tools, experiments — and fixes that are not training. "
                "Press Ctrl+N to add one, type its title and press Enter for the next."
            ),
            self.main,
        )
        self.no_items.button.setText(self.tr("New Item"))
        self.no_items.button.setAccessibleName(self.tr("Add the first backlog item"))
        self.no_items.button.clicked.connect(lambda: self.add_item(at_end=True))
        self.no_items.button.show()
        self.table_stack = QStackedWidget(self.main)
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.no_items)

        self.detail = DetailPanel(self.model, self.main)
        self.detail.item_panel.run_requested.connect(self._run_from)
        self.detail.bulk.set_requested.connect(self.bulk_set)
        self.detail.bulk.delete_requested.connect(self.delete_selected)
        self.scoring = ScoringPanel(runner.project)
        self.scoring.run_requested.connect(self._run_from)
        scoring_scroll = QScrollArea(self.main)
        scoring_scroll.setWidgetResizable(True)
        scoring_scroll.setFrameShape(QFrame.Shape.NoFrame)
        scoring_scroll.setWidget(self.scoring)
        self.scoring_scroll = scoring_scroll
        self.side = QTabWidget(self.main)
        self.side.setObjectName("backlogSide")
        self.side.setDocumentMode(True)
        self.side.addTab(self.detail, self.tr("Item"))
        self.side.addTab(scoring_scroll, self.tr("Scoring"))
        self.splitter = QSplitter(self.main)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table_stack)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.splitterMoved.connect(self._save_split)
        self.splitter.installEventFilter(self)
        self._watch_side()
        self.details_button.setChecked(bool(self.settings.get(prefs.BACKLOG_DETAILS)))
        self.side.setVisible(self.details_button.isChecked())

        column = QVBoxLayout(self.main)
        column.setContentsMargins(8, 8, 8, 4)
        column.addWidget(self.filters)
        column.addWidget(self.notice)
        column.addWidget(self.splitter, 1)
        column.addWidget(self.split_label)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty_state)
        self.pages.addWidget(self.main)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        # Counts and the sourcing split once per burst of model signals, not per signal.
        self._counting = QTimer(self)
        self._counting.setSingleShot(True)
        self._counting.setInterval(0)
        self._counting.timeout.connect(self._update_counts)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
            self.model.dataChanged,
        ):
            signal.connect(self._counting.start)
        self._split_stale = True
        self._restore_split()

    # ------------------------------------------------------------ building
    def _build_rank_bar(self) -> None:
        """The ranking controls, after the filters in their wrapping row."""
        self.rank_bar = QWidget(self.main)
        row = QHBoxLayout(self.rank_bar)
        row.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(self.tr("Rank by"), self.rank_bar)
        self.method_combo = QComboBox(self.rank_bar)
        self.method_combo.setObjectName("rankBy")
        self.method_combo.setAccessibleName(self.tr("Rank the backlog by"))
        self.method_combo.setToolTip(
            self.tr(
                "The scoring method that ranks every backlog in this workspace; the other "
                "scores stay as columns"
            )
        )
        for member, text in choices(ScoringMethod):
            self.method_combo.addItem(text, member.value)
        self.method_combo.activated.connect(self._method_picked)
        guard_wheel(self.method_combo)
        caption.setBuddy(self.method_combo)
        self.adopt_button = QPushButton(self.tr("Rank by Hand"), self.rank_bar)
        self.adopt_button.setObjectName("adoptOrder")
        self.adopt_button.setToolTip(
            self.tr(
                "Make the order the score gives your manual rank, then move items by "
                "drag or Alt+Up/Down. One step to undo."
            )
        )
        self.adopt_button.clicked.connect(self.adopt_order)
        self.split_label = QLabel(self.main)
        self.split_label.setObjectName("sourcingSplit")
        self.split_label.setAccessibleName(self.tr("How much L&D builds versus enables"))
        self.split_label.setWordWrap(True)
        set_role(self.split_label, "muted")
        self.new_button = QPushButton(self.tr("New Item"), self.rank_bar)
        self.new_button.setObjectName("newItem")
        self.new_button.setToolTip(self.tr("Add an item and type its title (Ctrl+N)"))
        self.new_button.clicked.connect(lambda: self.add_item())  # noqa: PLW0108 (no "checked")
        self.columns_button = QToolButton(self.rank_bar)
        self.columns_button.setText(self.tr("Columns"))
        self.columns_button.setAccessibleName(self.tr("Choose the columns"))
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_button.clicked.connect(self._show_column_menu)
        self.details_button = QToolButton(self.rank_bar)
        self.details_button.setObjectName("showDetails")
        self.details_button.setText(self.tr("Details"))
        self.details_button.setCheckable(True)
        self.details_button.setChecked(True)
        self.details_button.setAccessibleName(self.tr("Show the detail panel"))
        self.details_button.setToolTip(
            self.tr("Show or hide the selected item's details and the scoring settings")
        )
        self.details_button.toggled.connect(self._show_side)
        row.addWidget(caption)
        row.addWidget(self.method_combo)
        row.addWidget(self.adopt_button)
        flow = self.filters.flow
        flow.addWidget(self.rank_bar)
        flow.addWidget(self.new_button)
        row = self.filters.row
        at = row.indexOf(self.filters.count_label)
        row.insertWidget(at, self.details_button)
        row.insertWidget(at, self.columns_button)

    def _show_side(self, shown: bool) -> None:
        self.side.setVisible(shown)
        self.settings.set(prefs.BACKLOG_DETAILS, shown)

    def _show_column_menu(self) -> None:
        menu = self.table.column_menu(self)
        menu.exec(self.columns_button.mapToGlobal(self.columns_button.rect().bottomLeft()))
        menu.deleteLater()

    # -------------------------------------------------------------- showing
    def reload(self) -> None:
        self._split_stale = True
        self.model.set_initiative(self.initiative_id)
        self.pages.setCurrentWidget(self.main if self.initiative_id else self.empty_state)
        self.notice.hide()
        self._context_changed()
        self.scoring.reload()
        self._show_selection()

    def apply(self, record: ChangeRecord) -> None:
        if record.everything or self.initiative_id is None:
            self.reload()
            return
        self.model.refresh(record)
        if record.structure or record.fields & {"sourcing", "status"}:
            self._split_stale = True
        if record.touches(Workspace):
            self.scoring.reload()
        if any(
            record.touches(k) for k in (Release, Person, ItemSme, Metric, KeyResult, Workspace)
        ):
            self._context_changed()
        else:
            self._update_counts()
        self._show_selection()

    def _context_changed(self) -> None:
        context = self.model.context
        self.filters.set_releases([(r.id, r.name) for r in context.releases])
        with QSignalBlocker(self.method_combo):
            self.method_combo.setCurrentIndex(
                self.method_combo.findData(context.scheme.method.value)
            )
        self.detail.item_panel.refresh_context()
        self._update_counts()

    def _update_counts(self, *_args: object) -> None:
        self._count()
        total = self.model.rowCount()
        self.table_stack.setCurrentWidget(self.no_items if total == 0 else self.table)
        method = self.model.method
        self.adopt_button.setVisible(method is not ScoringMethod.RANK and total > 1)
        if self._split_stale:
            self._update_split()

    def _update_split(self) -> None:
        """How much L&D builds versus enables (only after items, their sourcing or status
        changed: not for a move or a filter)."""
        self._split_stale = False
        split = sourcing_split(self.model.items())
        parts = [f"{label(s)} {split.counts[s]}" for s in Sourcing if split.counts[s]]
        share = split.build_share()
        text = " · ".join(parts)
        if share is not None:
            text += "  —  " + self.tr("L&D builds {built}% and enables {enabled}%").format(
                built=round(share * 100), enabled=100 - round(share * 100)
            )
        self.split_label.setText(text)
        self.split_label.setToolTip(
            self.tr(
                "Sourcing of the items that will be delivered (dropped ones left out). "
                "Build: made by L&D. Enable: curated, led by subject-matter experts or "
                "bought. Not training: handed to whoever owns the fix."
            )
        )

    def _selected_rows(self) -> list[int]:
        """The shown rows selected, in order (from the selection's ranges: asking Qt for
        the selected rows checks every cell of them)."""
        rows: set[int] = set()
        selection = self.table.selectionModel().selection()
        for n in range(selection.count()):
            part = selection.at(n)
            rows.update(range(part.top(), part.bottom() + 1))
        return sorted(rows)

    def _show_selection(self, *_args: object) -> None:
        items = [
            item
            for row in self._selected_rows()
            if (item := self.model.item(self.proxy.mapToSource(self.proxy.index(row, 0)).row()))
            is not None
        ]
        self.detail.show_selection(items)

    # ------------------------------------------------------------- filters
    def _filter(self, backlog_filter: BacklogFilter) -> None:
        self.proxy.set_filter(backlog_filter)
        self._count()

    def _count(self) -> None:
        total = self.model.rowCount()
        self.filters.set_count(self.proxy.rowCount(), total)

    def _sorted(self, column: int, order: Qt.SortOrder) -> None:
        del column, order
        self.notice.hide()

    # -------------------------------------------------------------- actions
    def view_actions(self) -> list[ActionSpec]:
        has = lambda: self.initiative_id is not None  # noqa: E731
        selected = lambda: bool(self.selected_ids())  # noqa: E731
        return [
            ActionSpec("new_backlog_item", "New Backlog &Item\tCtrl+N", "initiative",
                       self.add_item, "backlog", tip="Add an item and type its title",
                       enabled=has),
            ActionSpec("find_backlog", "&Find in Backlog", "edit", self.focus_search, "backlog",
                       ("Ctrl+F",), "Search the backlog's titles and descriptions", enabled=has),
            ActionSpec("delete_backlog_items", "&Delete Items\tDel", "edit",
                       self.delete_selected, "backlog", tip="Remove the selected items (undo "
                       "brings them back)", enabled=selected),
            ActionSpec("move_item_up", "Move Item U&p\tAlt+Up", "edit",
                       lambda: self.move_selected(-1), "backlog", enabled=selected),
            ActionSpec("move_item_down", "Move Item Dow&n\tAlt+Down", "edit",
                       lambda: self.move_selected(1), "backlog", enabled=selected),
            ActionSpec("rank_by_hand", "Rank by &Hand from This Order", "initiative",
                       self.adopt_order, "backlog",
                       tip="Make the order the score gives the manual rank", enabled=has),
        ]  # fmt: skip

    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        del actions

    def focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and QKeySequence(event.keyCombination()) == _NEW_ITEM
            and self.initiative_id is not None
        ):
            event.accept()  # the backlog's Ctrl+N, not the window's New Project
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if QKeySequence(event.keyCombination()) == _NEW_ITEM and self.initiative_id is not None:
            self.add_item()
            event.accept()
            return
        super().keyPressEvent(event)

    def _run_from(self, command: Command | None, origin: QObject) -> None:
        if self.run(command, origin=origin) and origin is not None:
            if self.detail.item_panel.isAncestorOf(origin):  # type: ignore[arg-type]
                self.detail.item_panel.message.hide()
            elif self.scoring.isAncestorOf(origin):  # type: ignore[arg-type]
                self.scoring.message.hide()

    # ----------------------------------------------------------- messages
    def say(self, sentence: str, *, warning: bool = False) -> None:
        self.notice.setText(("⚠ " if warning else "") + sentence)
        set_role(self.notice, "warning" if warning else "muted")
        self.notice.show()

    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        if origin is self.model:
            return  # the table says it beside the cell
        if isinstance(origin, QWidget) and self.detail.item_panel.isAncestorOf(origin):
            self.detail.item_panel.show_message(sentence)
        elif isinstance(origin, QWidget) and self.scoring.isAncestorOf(origin):
            self.scoring.show_message(sentence)
        else:
            self.say(sentence, warning=True)

    # ---------------------------------------------------------- navigation
    @classmethod
    def may_navigate(cls, target: object) -> bool:
        return isinstance(target, BacklogFilter) or (
            isinstance(target, ShowEntity) and target.kind is BacklogItem
        )

    def navigate(self, target: object) -> bool:
        if isinstance(target, BacklogFilter):
            if self.initiative_id is None:
                return False
            if self.stale:
                self.refresh()
            self.filters.set_filter(target)
            return True
        if isinstance(target, ShowEntity) and target.kind is BacklogItem:
            if self.stale:
                self.refresh()
            if self.model.row_of(target.id) < 0:
                return False
            if self.proxy.row_of(target.id) < 0:
                self.filters.clear()
            row = self.proxy.row_of(target.id)
            self.table.select_rows([row], row)
            self.details_button.setChecked(True)
            self.side.setCurrentWidget(self.detail)
            return True
        return False
