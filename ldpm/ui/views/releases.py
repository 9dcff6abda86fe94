"""Releases and the MVP: a board of releases, the MVP's ranked list with its cut line, and the
chosen release's details.

* **The board** (:mod:`ldpm.ui.views.board`): one lane per release in order, then "Not planned"
  and "Out of scope".  Each lane's header shows the release's date, its effort against the
  capacity the user set (with an over-capacity warning) and its build / curate / SME-led /
  outsource split.  Items are dragged between lanes (or moved with Ctrl+Shift+Left and Right,
  or "Move to" in the context menu); the backlog's filter narrows what the lanes show.
* **The MVP** (:mod:`ldpm.ui.views.cut_list`): every candidate ranked, with the cut line as a
  row that can be dragged; above it is the MVP.
* **The release** (:mod:`ldpm.ui.views.release_form`): name, story line — the one sentence
  people hear — target date and capacity, and the release commands.

Every change is one command of :mod:`ldpm.services.plan` run through the view, so it is one
undo step, and a refusal (a date before the initiative started, a negative capacity) is said
where it happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm.domain.entities import BacklogItem, Initiative, Release
from ldpm.domain.release_plan import Bucket, bucket_of, release_load, sourcing_split
from ldpm.services import plan as svc
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command
from ldpm.services.navigation import ShowEntity
from ldpm.ui.actions import ActionSpec
from ldpm.ui.models.plan_items import days
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.board import Lane
from ldpm.ui.views.cut_list import CutListView
from ldpm.ui.views.filter_bar import BacklogFilterBar
from ldpm.ui.views.form_page import EmptyState
from ldpm.ui.views.release_form import ReleaseForm
from ldpm.ui.widgets import format_date, set_role

#: The key of the "Out of scope" lane (None is "Not planned").
OUT_OF_SCOPE = "out-of-scope"
#: A command's name ("Move “x” to …") said as done ("Moved “x” to …").
_PAST = {"Move": "Moved", "Add": "Added", "Delete": "Deleted", "Make": "Made"}


class ReleasesView(InitiativeView):
    """Releases, the MVP and its cut line (see the module docstring)."""

    title = "Releases && MVP"  # translated in the "views" context
    area = "Plan"
    watches = frozenset({BacklogItem, Release, Initiative})

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("releasesView")
        self._plan: svc.PlanData | None = None
        self._release_id: str | None = None
        self.lanes: dict[str | None, Lane] = {}
        self._sized = False

        self.filter_bar = BacklogFilterBar(self)
        self.filter_bar.changed.connect(lambda _f: self.reload())
        self.board = QWidget()
        self.board_row = QHBoxLayout(self.board)
        self.board_row.setContentsMargins(0, 0, 0, 0)
        self.board_row.addStretch(0)  # lanes take the spare width first (to their maximum)
        self.board_area = QScrollArea(self)
        self.board_area.setWidget(self.board)
        self.board_area.setWidgetResizable(True)
        self.board_area.setAccessibleName(self.tr("Release board"))

        self.cut = CutListView(self)
        self.cut.setAccessibleName(self.tr("MVP ranked list with its cut line"))
        self.cut.set_rearrange(self._rearrange)
        cut_title = QLabel(self.tr("The MVP: ranked, with its cut line"), self)
        set_role(cut_title, "h2")
        self.cut_hint = QLabel(self)
        self.cut_hint.setWordWrap(True)
        set_role(self.cut_hint, "muted")
        self.create_mvp = QPushButton(self.tr("Create the MVP"), self)
        self.create_mvp.clicked.connect(self.new_release)
        cut_box = QWidget(self)
        cut_column = QVBoxLayout(cut_box)
        cut_column.setContentsMargins(0, 0, 0, 0)
        cut_column.addWidget(cut_title)
        cut_column.addWidget(self.cut_hint)
        cut_column.addWidget(self.create_mvp, 0, Qt.AlignmentFlag.AlignLeft)
        cut_column.addWidget(self.cut, 1)

        self.form = ReleaseForm(self.run, self)
        self.form.chosen.connect(self.choose)
        self.form.new_button.clicked.connect(self.new_release)
        self.form.delete_button.clicked.connect(self.delete_release)
        self.form.mvp_button.clicked.connect(self.make_mvp)
        self.form.left_button.clicked.connect(lambda: self.move_release(-1))
        self.form.right_button.clicked.connect(lambda: self.move_release(1))
        form_title = QLabel(self.tr("Release details"), self)
        set_role(form_title, "h2")
        form_box = QWidget(self)
        form_column = QVBoxLayout(form_box)
        form_column.setContentsMargins(0, 0, 0, 0)
        form_column.addWidget(form_title)
        form_scroll = QScrollArea(form_box)
        form_scroll.setWidget(self.form)
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        form_column.addWidget(form_scroll, 1)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Release messages"))
        self.bottom_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.bottom_split.addWidget(cut_box)
        self.bottom_split.addWidget(form_box)
        self.bottom_split.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.board_area)
        self.splitter.addWidget(self.bottom_split)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        self.empty_state = EmptyState(
            self.tr("No initiative chosen"),
            self.tr(
                "Choose an initiative in the portfolio on the left to plan its releases: "
                "what goes in the MVP, what comes next, and what is out of scope."
            ),
            self,
        )
        content = QWidget(self)
        column = QVBoxLayout(content)
        column.setContentsMargins(8, 8, 8, 4)
        column.addWidget(self.filter_bar)
        column.addWidget(self.splitter, 1)
        column.addWidget(self.message)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty_state)
        self.pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        self.empty_state.set_action(actions.get("new_initiative"))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            height = max(self.splitter.height(), 400)
            self.splitter.setSizes([height * 11 // 20, height * 9 // 20])
            width = max(self.bottom_split.width(), 600)
            self.bottom_split.setSizes([width // 2, width // 2])

    # ================================================================ loading
    def reload(self) -> None:
        if self.initiative_id is None:
            self.pages.setCurrentIndex(0)
            self._plan = None
            return
        self.pages.setCurrentIndex(1)
        plan = self._plan = svc.load_plan(self.project, self.initiative_id)
        ids = [r.id for r in plan.releases]
        if self._release_id not in ids:
            mvp = plan.mvp
            self._release_id = mvp.id if mvp else None
        self.filter_bar.set_releases([(r.id, r.name) for r in plan.releases])
        self._sync_lanes([*ids, None, OUT_OF_SCOPE])
        self._fill_lanes(plan)
        above, below = self.cut.show_candidates(plan.items, plan.mvp)
        self._cut_hint(plan, above, below)
        current = next((r for r in plan.releases if r.id == self._release_id), None)
        self.form.set_releases(plan.releases, current)

    def apply(self, record: ChangeRecord) -> None:
        self.reload()

    def _sync_lanes(self, keys: list[str | None]) -> None:
        """One lane per key, in this order.  A lane whose key stays keeps its list (its
        selection and scroll position); lanes of keys gone are given to new keys (switching
        initiative rebuilds no widget), and only the surplus is deleted."""
        spare = [lane for key, lane in self.lanes.items() if key not in keys]
        lanes: dict[str | None, Lane] = {}
        for key in keys:
            lane = self.lanes.get(key)
            if lane is None:
                lane = spare.pop(0) if spare else self._new_lane()
                lane.key = key
                lane.list.clearSelection()
            lanes[key] = lane
        self.lanes = lanes
        for lane in spare:
            self.board_row.removeWidget(lane)
            lane.hide()  # at once: it is deleted when the event loop next turns
            lane.deleteLater()
        for position, lane in enumerate(lanes.values()):
            if self.board_row.indexOf(lane) != position:
                self.board_row.insertWidget(position, lane, 1)

    def _new_lane(self) -> Lane:
        lane = Lane(None, self.board)
        lane.set_drop_handler(lambda ids, row: self._drop(lane.key, ids, row))
        lane.chosen.connect(lambda: self.choose(lane.key))
        lane.list.customContextMenuRequested.connect(partial(self._lane_menu, lane))
        for keys, step in (("Ctrl+Shift+Right", 1), ("Ctrl+Shift+Left", -1)):
            shortcut = QShortcut(QKeySequence(keys), lane.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(partial(self.move_selected, lane, step))
        return lane

    def _fill_lanes(self, plan: svc.PlanData) -> None:
        wanted = self.filter_bar.filter
        by_key: dict[str | None, list[BacklogItem]] = {key: [] for key in self.lanes}
        for item in plan.items:
            bucket = bucket_of(item)
            key = (
                OUT_OF_SCOPE
                if bucket is Bucket.OUT_OF_SCOPE
                else (None if bucket is Bucket.NOT_PLANNED else item.release_id)
            )
            if key in by_key:
                by_key[key].append(item)
        for release in plan.releases:
            items = by_key[release.id]
            when = format_date(release.target_date) if release.target_date else self.tr("No date")
            subtitle = f"★ {self.tr('MVP')} · {when}" if release is plan.mvp else when
            self.lanes[release.id].set_header(
                release.name,
                subtitle,
                release_load(items, release.capacity),
                sourcing_split(items),
                current=release.id == self._release_id,
            )
        for key, title, hint in (
            (None, self.tr("Not planned"), self.tr("In no release yet")),
            (OUT_OF_SCOPE, self.tr("Out of scope"), self.tr("Deliberately left out")),
        ):
            items = by_key[key]
            effort = sum(i.effort or 0.0 for i in items)
            count = (
                self.tr("1 item · {effort}")
                if len(items) == 1
                else self.tr("{n} items · {effort}")
            ).format(n=len(items), effort=days(effort))
            self.lanes[key].set_header(title, f"{hint} · {count}", None, None)
        for key, lane in self.lanes.items():
            rows = by_key[key]
            lane.model.set_rows([i for i in rows if wanted.matches(i)] if wanted.active else rows)

    def _cut_hint(self, plan: svc.PlanData, above: int, below: int) -> None:
        mvp = plan.mvp
        self.create_mvp.setVisible(mvp is None)
        if mvp is None:
            self.cut_hint.setText(
                self.tr("No releases yet. Create the MVP, then drag its cut line down the list.")
            )
            return
        load = release_load([i for i in plan.items if i.release_id == mvp.id], mvp.capacity)
        text = (
            self.tr("1 item above the line, {below} below.")
            if above == 1
            else self.tr("{above} items above the line, {below} below.")
        ).format(above=above, below=below)
        text += " " + self.tr("Drag the line or an item, or use Ctrl+Up and Ctrl+Down.")
        if load.over and load.remaining is not None:
            text += "\n⚠ " + self.tr("The MVP is over its capacity by {days}.").format(
                days=days(-load.remaining)
            )
        self.cut_hint.setText(text)

    # ================================================================ editing
    def choose(self, release_id: object) -> None:
        """Show release ``release_id`` in the form (lanes without a release are ignored)."""
        if not isinstance(release_id, str) or release_id == OUT_OF_SCOPE:
            return
        self._release_id = release_id
        self.reload()

    def _drop(self, key: str | None, ids: list[str], row: int) -> bool:
        lane = self.lanes[key]
        before = lane.model.row_at(row) if row >= 0 else None
        command = svc.move_items(
            self.project,
            ids,
            None if key in (None, OUT_OF_SCOPE) else key,
            out_of_scope=key == OUT_OF_SCOPE,
            before=before.id if before is not None and before.id not in ids else None,
        )
        return self._say_done(command, lane.list)

    def move_selected(self, lane: Lane, step: int) -> bool:
        """Move the items selected in ``lane`` to the lane ``step`` places right or left."""
        keys = list(self.lanes)
        at = keys.index(lane.key) + step
        if not 0 <= at < len(keys):
            return False
        return self.move_to(lane, keys[at])

    def move_to(self, lane: Lane, key: str | None) -> bool:
        rows = sorted(i.row() for i in lane.list.selectionModel().selectedIndexes())
        ids = [r.id for n in rows if (r := lane.model.row_at(n)) is not None]
        if not ids:
            return False
        return self._drop(key, ids, -1)

    def _lane_menu(self, lane: Lane, at: QPoint) -> None:
        if not lane.list.selectionModel().selectedIndexes():
            return
        menu = QMenu(self)
        move = menu.addMenu(self.tr("Move to"))
        for key, other in self.lanes.items():
            if other is not lane:
                move.addAction(other.title.text(), partial(self.move_to, lane, key))
        menu.exec(lane.list.viewport().mapToGlobal(at))

    def _rearrange(self, rows: list[str | None], moved: str | None) -> bool:
        if self.initiative_id is None:
            return False
        command = svc.rearrange_cut(self.project, self.initiative_id, rows, moved)
        return self._say_done(command, self.cut)

    def _say_done(self, command: Command | None, origin: QObject) -> bool:
        if command is None:
            return False
        if self.run(command, origin=origin):
            verb, _space, rest = command.text.partition(" ")
            done = _PAST.get(verb, verb) + (f" {rest}" if rest else "")
            self.message.setText(self.tr("{what}. Undo with Ctrl+Z.").format(what=done))
            set_role(self.message, "muted")
            return True
        return False

    def new_release(self) -> None:
        if self.initiative_id is None or self._plan is None:
            return
        first = not self._plan.releases
        name = (
            self.tr("MVP")
            if first
            else self.tr("Release {n}").format(n=len(self._plan.releases) + 1)
        )
        command = svc.add_release(self.project, self.initiative_id, name)
        if self._say_done(command, self.form):
            self._release_id = command.entity.id
            self.reload()
            self.form.name.setFocus()
            self.form.name.selectAll()

    def delete_release(self) -> None:
        if self._release_id is not None:
            self._say_done(svc.delete_release(self.project, self._release_id), self.form)

    def make_mvp(self) -> None:
        if self._release_id is not None:
            self._say_done(svc.set_mvp(self.project, self._release_id), self.form)

    def move_release(self, delta: int) -> None:
        if self._release_id is not None:
            self._say_done(svc.move_release(self.project, self._release_id, delta), self.form)

    # ============================================================== failures
    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        if self.form.owns(origin):
            self.form.show_message(sentence)
            self.form.binder.show()
        else:
            self.message.setText(sentence)
            set_role(self.message, "warning")

    @classmethod
    def may_navigate(cls, target: object) -> bool:
        return isinstance(target, ShowEntity) and target.kind is Release

    def navigate(self, target: object) -> bool:
        if isinstance(target, ShowEntity) and target.kind is Release:
            if self._plan is None or target.id not in {r.id for r in self._plan.releases}:
                self.refresh()
            self._release_id = target.id
            self.reload()
            return True
        return False

    def view_actions(self) -> list[ActionSpec]:
        has = lambda: self.initiative_id is not None  # noqa: E731
        chosen = lambda: self._release_id is not None  # noqa: E731
        return [
            ActionSpec("release_new", "New &Release", "initiative", self.new_release, "plan",
                       ("Ctrl+Alt+N",), enabled=has),
            ActionSpec("release_delete", "Delete Release", "initiative", self.delete_release,
                       "plan", enabled=chosen),
            ActionSpec("release_mvp", "Make Release the &MVP", "initiative", self.make_mvp,
                       "plan", enabled=chosen),
        ]  # fmt: skip
