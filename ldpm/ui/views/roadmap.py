"""The roadmap: the initiative's releases as Now, Next and Later, readable in one glance.

Each release sits where its dates put it (the first not yet shipped is Now, the next Next, the
rest Later — :func:`ldpm.domain.release_plan.roadmap`) unless the user placed it by hand: drag
a card to another lane (or Ctrl+Shift+Left and Right, or the context menu), and "Place by Its
Dates" undoes that.  Shipped releases are listed under the lanes.  A double-click opens the
release in Releases & MVP.  The roadmap exports as a PNG picture.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QImageWriter, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm.atomic import atomic_write
from ldpm.domain.entities import BacklogItem, Initiative, Release
from ldpm.domain.enums import Horizon
from ldpm.domain.release_plan import roadmap
from ldpm.services import plan as svc
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command
from ldpm.services.navigation import ShowEntity
from ldpm.ui.actions import ActionSpec
from ldpm.ui.labels import label
from ldpm.ui.operations import OperationRunner
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.form_page import EmptyState
from ldpm.ui.views.roadmap_cards import RoadmapDelegate, RoadmapModel
from ldpm.ui.widgets import format_date, set_role


class RoadmapLane(QFrame):
    """One horizon: its title and its release cards."""

    def __init__(self, horizon: Horizon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizon = horizon
        self.setObjectName("roadmapLane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(label(horizon), self)
        set_role(self.title, "h1")
        self.model = RoadmapModel(self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(RoadmapDelegate(self.list))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setAccessibleName(label(horizon))
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        set_role(self.empty, "muted")
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.empty)
        column.addWidget(self.list, 1)


class RoadmapView(InitiativeView):
    """Now / Next / Later for one initiative (see the module docstring)."""

    title = "Roadmap"  # translated in the "views" context
    area = "Plan"
    watches = frozenset({BacklogItem, Release, Initiative})
    in_workshop = True

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("roadmapView")
        self._name = ""
        self.picture = QWidget(self)  # what the export draws
        self.heading = QLabel(self.picture)
        set_role(self.heading, "h1")
        self.heading.setWordWrap(True)
        self.outcome = QLabel(self.picture)
        self.outcome.setWordWrap(True)
        set_role(self.outcome, "muted")
        self.lanes = {h: RoadmapLane(h, self.picture) for h in Horizon}
        row = QHBoxLayout()
        for lane in self.lanes.values():
            row.addWidget(lane, 1)
            lane.model.on_drop = partial(self._drop, lane.horizon)
            lane.list.doubleClicked.connect(partial(self._open, lane))
            lane.list.customContextMenuRequested.connect(partial(self._menu, lane))
            for keys, step in (("Ctrl+Shift+Right", 1), ("Ctrl+Shift+Left", -1)):
                shortcut = QShortcut(QKeySequence(keys), lane.list)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(partial(self._step, lane, step))
        self.shipped = QLabel(self.picture)
        self.shipped.setWordWrap(True)
        set_role(self.shipped, "muted")
        picture_column = QVBoxLayout(self.picture)
        picture_column.setContentsMargins(12, 12, 12, 12)
        picture_column.addWidget(self.heading)
        picture_column.addWidget(self.outcome)
        picture_column.addLayout(row, 1)
        picture_column.addWidget(self.shipped)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Export as PNG…"), self)
        self.export_button.clicked.connect(self.export)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.export_button)
        self.empty_state = EmptyState(
            self.tr("No initiative chosen"),
            self.tr(
                "Choose an initiative in the portfolio on the left: its releases appear here "
                "as Now, Next and Later."
            ),
            self,
        )
        content = QWidget(self)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 12, 6)
        bottom.setContentsMargins(12, 0, 0, 0)
        column.addWidget(self.picture, 1)
        column.addLayout(bottom)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty_state)
        self.pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def set_actions(self, actions: Mapping[str, QAction]) -> None:
        self.empty_state.set_action(actions.get("new_initiative"))

    # ================================================================ loading
    def reload(self) -> None:
        if self.initiative_id is None:
            self.pages.setCurrentIndex(0)
            return
        self.pages.setCurrentIndex(1)
        plan = svc.load_plan(self.project, self.initiative_id)
        initiative = plan.initiative
        self._name = initiative.name if initiative else ""
        self.heading.setText(self.tr("{name}: roadmap").format(name=self._name))
        self.outcome.setText(initiative.outcome if initiative else "")
        self.outcome.setVisible(bool(self.outcome.text()))
        road = roadmap(plan.releases, plan.by_release(), svc.today())
        for horizon, lane in self.lanes.items():
            lane.model.set_rows(road.lanes[horizon])
            lane.empty.setText(
                self.tr("Nothing here yet: drag a release here.")
                if not road.lanes[horizon]
                else ""
            )
            lane.empty.setVisible(not road.lanes[horizon])
        if road.shipped:
            names = ", ".join(
                f"{r.name} ({format_date(r.target_date)})" if r.target_date else r.name
                for r in road.shipped
            )
            self.shipped.setText(self.tr("Shipped: {names}").format(names=names))
        elif not plan.releases:
            self.shipped.setText(self.tr("No releases yet: create them in Releases & MVP."))
        else:
            self.shipped.setText("")
        self.shipped.setVisible(bool(self.shipped.text()))
        if not self.message.text():
            self._say(
                self.tr(
                    "Placed by their dates: the first release not yet shipped is Now. Drag a "
                    "card to place it by hand; double-click to open it."
                )
            )

    def apply(self, record: ChangeRecord) -> None:
        self.reload()

    def _say(self, text: str, role: str = "muted") -> None:
        self.message.setText(text)
        set_role(self.message, role)

    def show_failure(self, sentence: str, origin: QObject | None) -> None:
        self._say(sentence, "warning")

    # ================================================================ editing
    def _drop(self, horizon: Horizon, ids: list[str], _row: int) -> bool:
        done = False
        for release_id in ids:
            done = self._place(release_id, horizon) or done
        return done

    def _place(self, release_id: str, horizon: Horizon | None) -> bool:
        entries = [e for lane in self.lanes.values() for e in lane.model.rows()]
        entry = next((e for e in entries if e.release.id == release_id), None)
        if entry is None:
            return False
        if horizon is not None and entry.horizon is horizon and entry.by_hand:
            return False
        if horizon is None and not entry.by_hand:
            return False
        command: Command = svc.set_horizon(release_id, horizon)
        if not self.run(command, origin=self):
            return False
        where = label(horizon) if horizon else self.tr("its dates")
        self._say(
            self.tr("Placed “{name}” by {where}. Undo with Ctrl+Z.").format(
                name=entry.release.name, where=where
            )
            if horizon is None
            else self.tr("Moved “{name}” to {where}. Undo with Ctrl+Z.").format(
                name=entry.release.name, where=where
            )
        )
        return True

    def _selected(self, lane: RoadmapLane) -> list[str]:
        rows = sorted(i.row() for i in lane.list.selectionModel().selectedIndexes())
        return [e.release.id for n in rows if (e := lane.model.row_at(n)) is not None]

    def _step(self, lane: RoadmapLane, step: int) -> None:
        order = list(Horizon)
        at = order.index(lane.horizon) + step
        if 0 <= at < len(order):
            for release_id in self._selected(lane):
                self._place(release_id, order[at])

    def _menu(self, lane: RoadmapLane, at: QPoint) -> None:
        ids = self._selected(lane)
        if not ids:
            return
        menu = QMenu(self)
        for horizon in Horizon:
            action = menu.addAction(self.tr("Move to {lane}").format(lane=label(horizon)))
            action.triggered.connect(partial(self._place_all, ids, horizon))
        menu.addSeparator()
        dates = menu.addAction(self.tr("Place by Its Dates"))
        dates.triggered.connect(partial(self._place_all, ids, None))
        menu.exec(lane.list.viewport().mapToGlobal(at))

    def _place_all(self, ids: list[str], horizon: Horizon | None) -> None:
        for release_id in ids:
            self._place(release_id, horizon)

    def _open(self, lane: RoadmapLane, index: object) -> None:
        ids = self._selected(lane)
        if ids:
            self.navigate_requested.emit(ShowEntity(Release, ids[0]))

    # ================================================================= export
    def export(self) -> None:
        path, _chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the Roadmap"),
            str(Path.home() / self.tr("{name} — roadmap.png").format(name=self._name)),
            self.tr("PNG pictures (*.png)"),
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        """Write the roadmap (heading, lanes, shipped line) as a PNG, atomically."""
        if path.suffix.lower() != ".png":
            path = path.with_name(f"{path.name}.png")
        image = self.picture.grab().toImage()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QImageWriter(buffer, QByteArray(b"png"))
        try:
            if not writer.write(image):
                raise OSError(writer.errorString())
            atomic_write(path, bytes(buffer.data().data()))
        except OSError as exc:
            self.show_failure(
                self.tr("The roadmap could not be saved as “{name}”: {reason}").format(
                    name=path.name, reason=exc.strerror or str(exc)
                ),
                self,
            )
            return False
        self._say(self.tr("Saved the roadmap as “{name}”.").format(name=path.name), "ok")
        return True

    def view_actions(self) -> list[ActionSpec]:
        return [
            ActionSpec(
                "roadmap_export",
                "Export Roadmap as &PNG…",
                "view",
                self.export,
                "export",
                ("Ctrl+Alt+E",),
                enabled=lambda: self.initiative_id is not None,
            )
        ]
