"""The main window: the composition root of the user interface.

It assembles the pieces and owns nothing else:

* the welcome page and, once a project is open, the :class:`~ldpm.ui.project_page.ProjectPage`
  (portfolio and views) in a stack, under an inline :class:`~ldpm.ui.notice_bar.NoticeBar`;
* the menus, from one action table (:mod:`ldpm.ui.window_actions`, built by
  :class:`~ldpm.ui.actions.ActionRegistry`); the current view adds its own actions;
* the status bar: who else has the file open, the save state, background work with Cancel,
  and sync's widgets;
* the :class:`~ldpm.ui.document_controller.DocumentController` (open, save, close …) and the
  :class:`~ldpm.ui.sync_ui.SyncUi`;
* themes, text size and the projector preset; drag and drop of ``.ldpm`` files; Undo and Redo
  routed to the project's stack from any field (:mod:`ldpm.ui.undo_router`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSize, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ldpm import __version__
from ldpm.ui import settings as prefs
from ldpm.ui.actions import A, ActionRegistry, ActionSpec
from ldpm.ui.settings import Settings
from ldpm.ui.theme import ThemeManager

if TYPE_CHECKING:
    from ldpm.services.project import Project
    from ldpm.ui.operations import OperationRunner
    from ldpm.ui.project_page import ProjectPage

SUFFIX = ".ldpm"
log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    #: Emitted once a project is open and its views are populated.
    project_opened = Signal()
    project_closed = Signal()
    #: A background save finished and everything is saved.
    saved = Signal()

    def __init__(
        self, settings: Settings, themes: ThemeManager, *, deferred: bool = False
    ) -> None:
        """With ``deferred``, only the frame is made (title, size, colours) so that it can be
        shown at once; :meth:`build` adds menus, the welcome screen and the status bar."""
        super().__init__()
        self.settings = settings
        self.themes = themes
        self.built = False
        self.setWindowTitle("LDPM")
        self.setMinimumSize(720, 480)
        geometry = settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self._first_size()
        if not deferred:
            self.build()

    def _first_size(self) -> None:
        """1280×800, or nine tenths of a smaller screen, centred: never taller than a laptop."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 800)
            return
        room = screen.availableGeometry()
        size = QSize(1280, 800).boundedTo(room.size() * 0.9)
        self.resize(size)
        self.move(room.center() - QRect(QPoint(), size).center())

    def build(self) -> None:
        """Everything but the frame: actions, menus, the welcome screen, the status bar."""
        if self.built:
            return
        from ldpm.ui.document_controller import DocumentController
        from ldpm.ui.job_status import JobStatus
        from ldpm.ui.notice_bar import NoticeBar
        from ldpm.ui.sync_ui import SyncUi
        from ldpm.ui.undo_router import UndoRouter
        from ldpm.ui.welcome import WelcomePage
        from ldpm.ui.window_actions import action_table

        self.built = True
        self.undo_group = QUndoGroup(self)
        self.undo_router = UndoRouter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.undo_router)
        self.setAcceptDrops(True)

        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.notice = NoticeBar(central)
        self.stack = QStackedWidget(central)
        self.welcome = WelcomePage(self)
        self.stack.addWidget(self.welcome)
        column.addWidget(self.notice)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        bar = self.statusBar()
        self.file_presence = QLabel()
        self.file_presence.setAccessibleName(self.tr("Who else has the file open"))
        self.file_presence.hide()
        bar.addPermanentWidget(self.file_presence)
        self.save_state = QLabel()
        self.save_state.setAccessibleName(self.tr("Save state"))
        bar.addPermanentWidget(self.save_state)
        self.job_status = JobStatus(self)
        bar.addPermanentWidget(self.job_status)

        self.documents = DocumentController(self)
        self.documents.opened.connect(self.project_opened)
        self.documents.closed.connect(self.project_closed)
        self.documents.saved.connect(self.saved)
        self.sync_ui = SyncUi(self)
        self.saved.connect(self.sync_ui.on_saved)

        self.registry = ActionRegistry(self)
        self._build_undo_actions()
        self.themes.restore_projector(self.settings)
        self.registry.build(action_table(self), self.menuBar())
        self._place_undo_actions()
        self.recent_menu = self.registry.insert_submenu("file/recent", "open", A.OPEN_DEMO)

        self.welcome.new_requested.connect(self.documents.new_project)
        self.welcome.open_requested.connect(self.documents.open_dialog)
        self.welcome.demo_requested.connect(self.documents.open_demo)
        self.welcome.recent_requested.connect(self.open_path)
        self.welcome.clear_recent_requested.connect(self._clear_recent)
        self.refresh_recent()
        self.update_state()

    def _build_undo_actions(self) -> None:
        tr = self.tr
        undo = self.undo_group.createUndoAction(self, tr("&Undo"))
        redo = self.undo_group.createRedoAction(self, tr("&Redo"))
        sk = QKeySequence.StandardKey
        self.registry.adopt(ActionSpec(A.UNDO, "&Undo", "edit", undo.trigger, "undo",
                                       (sk.Undo,)), undo)  # fmt: skip
        self.registry.adopt(ActionSpec(A.REDO, "&Redo", "edit", redo.trigger, "undo",
                                       (sk.Redo, "Ctrl+Y")), redo)  # fmt: skip

    def _place_undo_actions(self) -> None:
        """Undo and Redo head the Edit menu (they come from the undo group, not the table)."""
        edit = self.registry.menus["edit"]
        first = edit.actions()[0] if edit.actions() else None
        edit.insertActions(first, [self.registry[A.UNDO], self.registry[A.REDO]])  # type: ignore[arg-type]
        if first is not None:
            edit.insertSeparator(first)

    # ================================================================ state
    @property
    def menu_actions(self) -> ActionRegistry:
        """Every action by id (``window.menu_actions["save"]``)."""
        return self.registry

    @property
    def project(self) -> Project | None:
        return self.documents.project

    @property
    def runner(self) -> OperationRunner | None:
        return self.documents.runner

    @property
    def page(self) -> ProjectPage | None:
        return self.documents.page

    def update_state(self) -> None:
        """Title, actions and save state after opening, closing or saving."""
        self.update_title()
        self.update_actions()
        self.update_save_state()

    def update_title(self, *_args: object) -> None:
        project, runner = self.project, self.runner
        if project is None:
            self.setWindowTitle("LDPM")
            self.setWindowModified(False)
            return
        self.setWindowTitle(f"{project.path.name}[*] — LDPM")
        self.setWindowModified(runner is not None and not runner.undo_stack.isClean())

    def update_actions(self) -> None:
        self.registry.update()
        current = self.page.current_initiative() if self.page else None
        self.registry[A.ARCHIVE_INITIATIVE].setText(
            self.tr("Restore from &Archive")
            if current and current.archived
            else self.tr("&Archive")
        )

    def update_save_state(self, *_args: object) -> None:
        if self.project is None:
            self.save_state.setText("")
        elif self.project.unsaved:
            self.save_state.setText(self.tr("Unsaved changes"))
        else:
            self.save_state.setText(self.tr("All changes saved"))

    def autosave_on(self) -> bool:
        return bool(self.settings.get(prefs.AUTOSAVE))

    def show_archived_on(self) -> bool:
        return bool(self.settings.get(prefs.SHOW_ARCHIVED))

    def show_page(self, page: ProjectPage) -> None:
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        page.current_changed.connect(lambda _id: self.update_actions())
        page.view_actions_changed.connect(self.registry.set_view_actions)

    def hide_page(self, page: ProjectPage) -> None:
        self.registry.set_view_actions([])
        self.stack.removeWidget(page)
        self.stack.setCurrentWidget(self.welcome)

    def current_widget(self) -> QWidget | None:
        return self.stack.currentWidget()

    # ================================================================ messages
    def show_failure(self, sentence: str, _origin: object = None) -> None:
        """A rejected operation: the view that asked shows it in place; here, the status bar."""
        self.statusBar().showMessage(sentence, 10_000)

    def show_message(self, sentence: str) -> None:
        """An expected failure the user must acknowledge: one sentence in a dialog."""
        QMessageBox.warning(self, self.tr("LDPM"), sentence)

    # ============================================================ recent files
    def refresh_recent(self) -> None:
        files = self.settings.recent_files()
        self.welcome.set_recent(files)
        self.recent_menu.clear()
        for path in files:
            action = self.recent_menu.addAction(path.name)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction(self.tr("Clear List"))
        clear.triggered.connect(self._clear_recent)
        clear.setEnabled(bool(files))

    def _clear_recent(self) -> None:
        self.settings.clear_recent()
        self.refresh_recent()

    # ======================================================= document actions
    def open_path(self, path: Path, *, restore: bool | None = None) -> bool:
        return self.documents.open_path(path, restore=restore)

    def offer_recovery(self) -> None:
        self.documents.offer_recovery()

    def close_project(self) -> bool:
        return self.documents.close_project()

    def save(self) -> bool:
        return self.documents.save()

    def save_as(self) -> bool:
        return self.documents.save_as()

    def start_save(self, *, explicit: bool) -> None:
        self.documents.start_save(explicit=explicit)

    def _heartbeat(self) -> None:
        self.documents.heartbeat()

    # ============================================================ initiatives
    def new_initiative(self) -> None:
        if self.page is not None:
            self.page.new_initiative(self.tr("New initiative"))

    def rename_initiative(self) -> None:
        if self.page is not None:
            self.page.rename_current()

    def toggle_archived(self) -> None:
        if self.page is not None and (sentence := self.page.toggle_archived(self._undo_keys())):
            self.statusBar().showMessage(sentence, 6000)

    def delete_initiative(self) -> None:
        if self.page is not None and (sentence := self.page.delete_current(self._undo_keys())):
            self.statusBar().showMessage(sentence, 8000)

    def move_initiative(self, delta: int) -> None:
        if self.page is not None:
            self.page.move_current(delta)

    def _undo_keys(self) -> str:
        return self.registry[A.UNDO].shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    def set_show_archived(self, on: bool) -> None:
        self.settings.set(prefs.SHOW_ARCHIVED, on)
        if self.page is not None:
            self.page.model.set_show_archived(on)

    # ================================================================== view
    def set_theme(self, key: str) -> None:
        self.themes.apply(key)
        self.settings.set(prefs.THEME, key)
        self.registry.update()

    def toggle_projector(self) -> None:
        self.themes.set_projector(self.registry[A.PROJECTOR].isChecked())
        self.themes.save_appearance(self.settings)
        self.registry.update()

    def step_font(self, steps: int) -> None:
        self.themes.step_scale(steps)
        self.settings.set(prefs.FONT_SCALE, self.themes.scale)

    def set_font_scale(self, scale: float) -> None:
        self.themes.apply(scale=scale)
        self.settings.set(prefs.FONT_SCALE, self.themes.scale)

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About LDPM"),
            self.tr(
                "<h3>LDPM {version}</h3><p>L&amp;D Product Manager: run learning "
                "initiatives the way product managers run products — an intake that finds "
                "the real problem, a backlog and an MVP, stakeholders and the metrics that "
                "show whether it worked.</p><p>Your work lives in one portable project file "
                "(.ldpm) that you can carry and sync through a shared drive.</p>"
            ).format(version=__version__),
        )

    # ========================================================== window events
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_project(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_project(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Open after the drop finishes, so a dialog cannot block the drag source.
        QTimer.singleShot(0, lambda: self.open_path(path))

    @staticmethod
    def _dropped_project(event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(SUFFIX):
                return Path(url.toLocalFile())
        return None

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_project():
            event.ignore()
            return
        self.settings.save_window_geometry(self)
        self.settings.sync()
        event.accept()
