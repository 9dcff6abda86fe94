"""The main window: menus, the welcome screen or an open project, the status bar.

Opening, saving and closing live here; editing lives in the views, which change data only through
the operation runner.  Services (and with them SQLAlchemy) are imported when a project is first
opened, not when the window is built, so the window appears as fast as a bare Qt window.
"""

from __future__ import annotations

import logging
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ldpm import __version__
from ldpm.ui import settings as prefs
from ldpm.ui.settings import Settings
from ldpm.ui.theme import ThemeManager
from ldpm.ui.workers import Task, run_in_pool, wait_for_pool

if TYPE_CHECKING:
    from ldpm.services.changes import ChangeRecord
    from ldpm.services.project import Project, SaveJob, SaveReport
    from ldpm.ui.operations import OperationRunner
    from ldpm.ui.project_page import ProjectPage
    from ldpm.ui.sync_ui import SyncUi

SUFFIX = ".ldpm"
#: How long closing or Save As waits for a save already running on a worker.
SETTLE_MS = 15_000
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
        self.project: Project | None = None
        self.runner: OperationRunner | None = None
        self.page: ProjectPage | None = None
        self._save_job: SaveJob | None = None
        self._save_task: Task | None = None
        self._save_explicit = False
        self._save_again = False
        #: Sync in the window; made when a project is first opened (it needs the services).
        self.sync_ui: SyncUi | None = None
        self.built = False
        self.setWindowTitle("LDPM")
        self.setMinimumSize(720, 480)
        geometry = settings.qsettings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if not deferred:
            self.build()

    def build(self) -> None:
        """Everything but the frame: actions, menus, the welcome screen, the status bar."""
        if self.built:
            return
        from ldpm.ui.welcome import WelcomePage

        self.built = True
        self.undo_group = QUndoGroup(self)
        self.setAcceptDrops(True)
        from ldpm.ui.notice_bar import NoticeBar

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

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.timeout.connect(self.autosave)

        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self.welcome.new_requested.connect(self.new_project)
        self.welcome.open_requested.connect(self.open_dialog)
        self.welcome.demo_requested.connect(self.open_demo)
        self.welcome.recent_requested.connect(self.open_path)
        self.welcome.clear_recent_requested.connect(self._clear_recent)
        self._refresh_recent()
        self._update_title()
        self._update_actions()

    # ================================================================ actions
    def _action(
        self,
        key: str,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        *,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(key)
        if shortcut is not None:
            action.setShortcut(
                shortcut if not isinstance(shortcut, str) else QKeySequence(shortcut)
            )
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.menu_actions[key] = action
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.menu_actions: dict[str, QAction] = {}
        sk = QKeySequence.StandardKey
        tr = self.tr
        self._action(
            "new",
            tr("&New Project…"),
            self.new_project,
            sk.New,
            tip=tr("Create a new project file"),
        )
        self._action(
            "open", tr("&Open…"), self.open_dialog, sk.Open, tip=tr("Open a project file")
        )
        self._action(
            "open_demo", tr("Open the &Demo"), self.open_demo, tip=tr("Open the demo project")
        )
        self._action(
            "save",
            tr("&Save"),
            lambda: self.start_save(explicit=True),
            sk.Save,
            tip=tr("Save the project"),
        )
        self._action(
            "save_as",
            tr("Save &As…"),
            self.save_as,
            sk.SaveAs,
            tip=tr("Save the project under a new name or in another place"),
        )
        self._action(
            "close", tr("&Close"), self.close_project, sk.Close, tip=tr("Close the project")
        )
        self._action(
            "sync_now",
            tr("Sync &Now"),
            lambda: self.sync_ui is not None and self.sync_ui.sync_now(),
            "F5",
            tip=tr("Merge the changes made on other computers and share this computer's"),
        )
        self._action(
            "sync_settings",
            tr("S&ync Settings…"),
            lambda: self.sync_ui is not None and self.sync_ui.edit_settings(),
            tip=tr("Choose a shared folder or a WebDAV server to sync this project through"),
        )
        self._action(
            "show_conflicts",
            tr("Changes to &Review"),
            lambda: self.sync_ui is not None and self.sync_ui.show_panel(),
            tip=tr("Show the fields changed on two computers at the same time"),
        )
        self._action(
            "undo_sync",
            tr("Undo Last S&ync"),
            lambda: self.sync_ui is not None and self.sync_ui.undo_last_sync(),
            tip=tr("Put the project back as it was before the last sync merged changes"),
        )
        self._action("quit", tr("&Quit"), self.close, sk.Quit, tip=tr("Quit LDPM"))
        self.menu_actions["quit"].setMenuRole(QAction.MenuRole.QuitRole)
        if self.menu_actions["quit"].shortcut().isEmpty():  # no platform standard (e.g. X11)
            self.menu_actions["quit"].setShortcut(QKeySequence("Ctrl+Q"))

        undo = self.undo_group.createUndoAction(self, tr("&Undo"))
        undo.setShortcut(sk.Undo)
        redo = self.undo_group.createRedoAction(self, tr("&Redo"))
        redo.setShortcuts([QKeySequence(sk.Redo), QKeySequence("Ctrl+Y")])
        for key, action in (("undo", undo), ("redo", redo)):
            action.setObjectName(key)
            self.menu_actions[key] = action
            self.addAction(action)

        self._action(
            "new_initiative",
            tr("&New Initiative"),
            self.new_initiative,
            "Ctrl+Shift+N",
            tip=tr("Add an initiative to the portfolio"),
        )
        self._action("rename_initiative", tr("&Rename…"), self.rename_initiative, "F2")
        self._action(
            "archive_initiative",
            tr("&Archive"),
            self.toggle_archived,
            "Ctrl+Shift+A",
            tip=tr("Archive the initiative, or bring an archived one back"),
        )
        self._action(
            "delete_initiative",
            tr("&Delete"),
            self.delete_initiative,
            "Ctrl+Shift+Backspace",
            tip=tr("Delete the initiative (undo brings it back)"),
        )
        self._action("move_up", tr("Move &Up"), lambda: self.move_initiative(-1), "Alt+Up")
        self._action("move_down", tr("Move Do&wn"), lambda: self.move_initiative(1), "Alt+Down")

        self.theme_group = QActionGroup(self)
        for key, text in (
            ("light", tr("&Light")),
            ("dark", tr("&Dark")),
            ("contrast", tr("&High Contrast (Projector)")),
        ):
            action = self._action(f"theme_{key}", text, lambda _c=False, k=key: self.set_theme(k))
            action.setCheckable(True)
            action.setChecked(self.themes.theme.key == key)
            self.theme_group.addAction(action)
        self._action("zoom_in", tr("&Larger Text"), lambda: self.step_font(1), sk.ZoomIn)
        self.menu_actions["zoom_in"].setShortcuts(
            [QKeySequence(sk.ZoomIn), QKeySequence("Ctrl+=")]
        )
        self._action("zoom_out", tr("&Smaller Text"), lambda: self.step_font(-1), sk.ZoomOut)
        self._action(
            "zoom_reset", tr("&Normal Text Size"), lambda: self.set_font_scale(1.0), "Ctrl+0"
        )
        projector = self._action(
            "projector",
            tr("&Projector"),
            self.toggle_projector,
            "Ctrl+Shift+P",
            tip=tr("High contrast and large text for a projector; choose again to go back"),
        )
        projector.setCheckable(True)
        self.themes.restore_projector(self.settings)
        projector.setChecked(self.themes.projector)
        show_archived = self._action(
            "show_archived", tr("Show &Archived Initiatives"), self._toggle_show_archived
        )
        show_archived.setCheckable(True)
        show_archived.setChecked(self.settings.get(prefs.SHOW_ARCHIVED))
        autosave = self._action("autosave", tr("Save &Automatically"), self._toggle_autosave)
        autosave.setCheckable(True)
        autosave.setChecked(self.settings.get(prefs.AUTOSAVE))
        self._action("about", tr("&About LDPM"), self.about)
        self.menu_actions["about"].setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        tr = self.tr
        file_menu = bar.addMenu(tr("&File"))
        file_menu.addActions([self.menu_actions["new"], self.menu_actions["open"]])
        self.recent_menu = file_menu.addMenu(tr("Open &Recent"))
        file_menu.addAction(self.menu_actions["open_demo"])
        file_menu.addSeparator()
        file_menu.addActions(
            [
                self.menu_actions["save"],
                self.menu_actions["save_as"],
                self.menu_actions["autosave"],
            ]
        )
        file_menu.addSeparator()
        file_menu.addActions([self.menu_actions["sync_now"], self.menu_actions["sync_settings"]])
        file_menu.addSeparator()
        file_menu.addAction(self.menu_actions["close"])
        file_menu.addSeparator()
        file_menu.addAction(self.menu_actions["quit"])

        edit_menu = bar.addMenu(tr("&Edit"))
        edit_menu.addActions([self.menu_actions["undo"], self.menu_actions["redo"]])
        edit_menu.addSeparator()
        edit_menu.addAction(self.menu_actions["undo_sync"])

        initiative_menu = bar.addMenu(tr("&Initiative"))
        initiative_menu.addAction(self.menu_actions["new_initiative"])
        initiative_menu.addSeparator()
        initiative_menu.addActions(
            [
                self.menu_actions["rename_initiative"],
                self.menu_actions["archive_initiative"],
                self.menu_actions["delete_initiative"],
            ]
        )
        initiative_menu.addSeparator()
        initiative_menu.addActions([self.menu_actions["move_up"], self.menu_actions["move_down"]])

        view_menu = bar.addMenu(tr("&View"))
        theme_menu = view_menu.addMenu(tr("&Theme"))
        theme_menu.addActions(self.theme_group.actions())
        view_menu.addAction(self.menu_actions["projector"])
        view_menu.addSeparator()
        view_menu.addActions(
            [
                self.menu_actions["zoom_in"],
                self.menu_actions["zoom_out"],
                self.menu_actions["zoom_reset"],
            ]
        )
        view_menu.addSeparator()
        view_menu.addActions(
            [self.menu_actions["show_archived"], self.menu_actions["show_conflicts"]]
        )

        help_menu = bar.addMenu(tr("&Help"))
        help_menu.addAction(self.menu_actions["about"])

    def _build_status_bar(self) -> None:
        self.save_state = QLabel()
        self.save_state.setAccessibleName(self.tr("Save state"))
        self.statusBar().addPermanentWidget(self.save_state)

    # ============================================================== state/UI
    def _update_title(self) -> None:
        if self.project is None:
            self.setWindowTitle("LDPM")
            self.setWindowModified(False)
            return
        self.setWindowTitle(f"{self.project.path.name}[*] — LDPM")
        self.setWindowModified(self.runner is not None and not self.runner.undo_stack.isClean())

    def _on_clean_changed(self, _clean: bool) -> None:
        self._update_title()

    def _update_actions(self) -> None:
        has_project = self.project is not None
        if self.sync_ui is not None:
            self.sync_ui.update_actions()
        else:
            for key in ("sync_now", "sync_settings", "show_conflicts", "undo_sync"):
                self.menu_actions[key].setEnabled(False)
        for key in ("save", "save_as", "close", "new_initiative"):
            self.menu_actions[key].setEnabled(has_project)
        current = self.page.current_initiative() if self.page else None
        for key in (
            "rename_initiative",
            "archive_initiative",
            "delete_initiative",
            "move_up",
            "move_down",
        ):
            self.menu_actions[key].setEnabled(current is not None)
        if current is not None:
            self.menu_actions["archive_initiative"].setText(
                self.tr("Restore from &Archive") if current.archived else self.tr("&Archive")
            )

    def _update_save_state(self, *_args: object) -> None:
        if self.project is None:
            self.save_state.setText("")
        elif self.project.unsaved:
            self.save_state.setText(self.tr("Unsaved changes"))
        else:
            self.save_state.setText(self.tr("All changes saved"))

    def _refresh_recent(self) -> None:
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
        self._refresh_recent()

    def _edit_failed(self, sentence: str) -> None:
        self.statusBar().showMessage(sentence, 10_000)

    def show_message(self, sentence: str) -> None:
        """An expected failure: one sentence, in a dialog the user acknowledges."""
        QMessageBox.warning(self, self.tr("LDPM"), sentence)

    # ============================================================ open/close
    def open_dialog(self) -> None:
        start = str(self.settings.recent_files()[0].parent) if self.settings.recent_files() else ""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open Project"), start, self.tr("LDPM projects (*.ldpm);;All files (*)")
        )
        if name:
            self.open_path(Path(name))

    def new_project(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("New Project"),
            self.tr("Untitled.ldpm"),
            self.tr("LDPM projects (*.ldpm)"),
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != SUFFIX:
            path = path.with_suffix(SUFFIX)
        self.create_project(path)

    def create_project(self, path: Path) -> bool:
        from ldpm.services.project import Project, user_message

        if not self.close_project():
            return False
        try:
            project = Project.create(path)
        except Exception as exc:
            sentence = user_message(exc)
            if sentence is None:
                raise
            self.show_message(sentence)
            return False
        self._install_project(project)
        return True

    def open_demo(self) -> None:
        from ldpm.services.project import demo_file, user_message

        try:
            path = demo_file()
        except Exception as exc:
            sentence = user_message(exc)
            if sentence is None:
                raise
            self.show_message(sentence)
            return
        self.open_path(path)

    def open_path(self, path: Path, *, restore: bool | None = None) -> bool:
        """Open a project file.  With ``restore`` None, offer to restore unsaved work left by
        a crash; True or False is the user's answer, already given."""
        from ldpm.services.project import (
            Project,
            discard_recoverable,
            document_path,
            find_recoverable,
            user_message,
        )

        path = document_path(path)
        if self.project is not None and self.project.path == path:
            return True
        if not self.close_project():
            return False
        if restore is None:
            restore = False
            for item in find_recoverable():
                if item.document == path:
                    answer = self._ask_restore(item.document, item.last_change.astimezone())
                    if answer is None:
                        return False
                    restore = answer
                    if not restore:
                        discard_recoverable(item)
        from PySide6.QtCore import Qt

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            project = Project.open(path, restore=restore)
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            sentence = user_message(exc)
            if sentence is None:
                raise
            if not path.exists():
                self.settings.remove_recent(path)
                self._refresh_recent()
            self.show_message(sentence)
            return False
        QApplication.restoreOverrideCursor()
        self._install_project(project)
        if project.document.restore_problem:
            self.show_message(project.document.restore_problem)
        if project.restored:
            self.statusBar().showMessage(
                self.tr("Restored the unsaved changes from last time."), 8000
            )
            self.schedule_autosave()
        self._offer_copies()
        return True

    def _offer_copies(self) -> None:
        """Copies of the project that a sync client left beside the file hold a colleague's
        saved edits: offer to merge them, inline."""
        project = self.project
        if project is None:
            return
        copies = project.copies_beside()
        if not copies:
            return
        if len(copies) == 1:
            text = self.tr(
                "“{copy}” beside “{name}” is a copy a sync client made; it may hold a "
                "colleague's changes."
            ).format(copy=copies[0].name, name=project.path.name)
        else:
            text = self.tr(
                "{n} copies of “{name}” that a sync client made are beside it; they may hold "
                "a colleague's changes."
            ).format(n=len(copies), name=project.path.name)
        self.notice.show_notice(
            text,
            [(self.tr("&Merge Them"), lambda: self.merge_copies(copies))],
            dismiss=self.tr("Not Now"),
        )
        self.notice.buttons[-1].clicked.connect(lambda: project.set_aside_copies(copies))

    def merge_copies(self, copies: list[Path]) -> None:
        if self.project is None or self.runner is None:
            return
        result, merged, problems = self.project.merge_copies(copies)
        self.runner.refresh_all()
        sentence = self.tr("Merged {n} cop{y}: {changes} changes, {conflicts} to review.").format(
            n=len(merged),
            y="y" if len(merged) == 1 else "ies",
            changes=result.inserted + result.updated,
            conflicts=result.conflicts,
        )
        self.statusBar().showMessage(" ".join([sentence, *problems]), 15_000)
        self.schedule_autosave()

    def _ask_restore(self, path: Path, when: object) -> bool | None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Restore Unsaved Work"))
        box.setText(
            self.tr(
                "LDPM closed unexpectedly while “{name}” had unsaved changes "
                "(last change {when:%d %b %Y %H:%M}). Restore them?"
            ).format(name=path.name, when=when)
        )
        box.setInformativeText(
            self.tr(
                "If you open the saved file instead, the unsaved changes are kept in "
                "LDPM's backups folder."
            )
        )
        restore = box.addButton(self.tr("Restore Changes"), QMessageBox.ButtonRole.AcceptRole)
        saved = box.addButton(self.tr("Open Saved File"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(restore)
        box.exec()
        clicked = box.clickedButton()
        if clicked is restore:
            return True
        if clicked is saved:
            return False
        return None

    def offer_recovery(self) -> None:
        """At start-up: offer unsaved work left by a crash (one project at a time)."""
        from ldpm.services.project import discard_recoverable, find_recoverable

        for item in find_recoverable():
            answer = self._ask_restore(item.document, item.last_change.astimezone())
            if answer is None:
                continue  # ask again next time
            if answer:
                self.open_path(item.document, restore=True)
                return
            discard_recoverable(item)

    def _install_project(self, project: Project) -> None:
        from ldpm.ui.operations import OperationRunner
        from ldpm.ui.project_page import ProjectPage

        self.project = project
        self.runner = OperationRunner(project, self)
        # A rejected edit is explained where it happened and in the status bar; a dialog in
        # the middle of typing would only get in the way.
        self.runner.failed.connect(self._edit_failed)
        self.runner.changed.connect(self._on_changed)
        self.undo_group.addStack(self.runner.undo_stack)
        self.undo_group.setActiveStack(self.runner.undo_stack)
        self.runner.undo_stack.cleanChanged.connect(self._on_clean_changed)
        project.on_unsaved_changed(self._update_save_state)
        self.page = ProjectPage(self.runner, self.menu_actions, self)
        self.page.model.set_show_archived(self.menu_actions["show_archived"].isChecked())
        self.page.current_changed.connect(lambda _id: self._update_actions())
        self.stack.addWidget(self.page)
        self.stack.setCurrentWidget(self.page)
        for kind in (QLineEdit, QPlainTextEdit, QTextEdit):
            for field in self.page.findChildren(kind):
                field.installEventFilter(self)
        self.page.select_first()
        if self.sync_ui is None:
            from ldpm.ui.sync_ui import SyncUi

            self.sync_ui = SyncUi(self, self.menu_actions)
            self.saved.connect(self.sync_ui.on_saved)
        self.sync_ui.attach(project, self.runner)
        self.settings.add_recent(project.path)
        self._refresh_recent()
        self._update_title()
        self._update_actions()
        self._update_save_state()
        self.project_opened.emit()

    def close_project(self) -> bool:
        """Close the open project.  Returns False if the user cancelled."""
        if self.project is None or self.runner is None:
            return True
        # No sync may start or still run while the project closes (a save finishing below
        # would start one): take a running sync's result first, then hold new ones.
        if self.sync_ui is not None and not self.sync_ui.settle():
            return False
        try:
            return self._close_project()
        finally:
            if self.sync_ui is not None:
                self.sync_ui.resume()

    def _close_project(self) -> bool:
        assert self.project is not None and self.runner is not None
        self.autosave_timer.stop()
        if not self._settle_save():
            return False
        if self.project.unsaved:
            if self.menu_actions["autosave"].isChecked() or self.runner.undo_stack.isClean():
                if not self.save() and not self._ask_discard_after_failure():
                    return False
            else:
                answer = QMessageBox.question(
                    self,
                    self.tr("Save Changes?"),
                    self.tr("Save the changes to “{name}” before closing?").format(
                        name=self.project.path.name
                    ),
                    QMessageBox.StandardButton.Save
                    | QMessageBox.StandardButton.Discard
                    | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Save,
                )
                if answer == QMessageBox.StandardButton.Cancel:
                    return False
                if answer == QMessageBox.StandardButton.Save and not self.save():
                    return False
        if self.sync_ui is not None:
            self.sync_ui.detach()
        project, self.project = self.project, None
        project.close(discard_unsaved=True)
        self.undo_group.removeStack(self.runner.undo_stack)
        self.runner.deleteLater()
        self.runner = None
        if self.page is not None:
            self.stack.removeWidget(self.page)
            self.page.deleteLater()
            self.page = None
        self.stack.setCurrentWidget(self.welcome)
        self._update_title()
        self._update_actions()
        self._update_save_state()
        self.project_closed.emit()
        return True

    def _ask_discard_after_failure(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Close Without Saving?"),
            self.tr(
                "The project could not be saved. Close it anyway? Your changes will be "
                "kept in LDPM's backups folder."
            ),
            QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Close

    # ================================================================== save
    def save(self) -> bool:
        from ldpm.services.project import user_message

        if self.project is None or self.runner is None:
            return False
        self.autosave_timer.stop()
        if not self._settle_save():
            return False
        try:
            report = self.project.save()
        except Exception as exc:
            sentence = user_message(exc)
            if sentence is None:
                raise
            self.show_message(sentence)
            return False
        self.runner.undo_stack.setClean()
        self._after_save(report, explicit=True)
        return True

    def _after_save(self, report: SaveReport, *, explicit: bool) -> None:
        """Show what a save did besides saving: a colleague's version merged in first (the
        views reload, conflicts wait in the review panel), or the work saved beside a file it
        must not replace (the title follows the new name)."""
        assert self.project is not None and self.runner is not None
        if report.record:
            self.runner.refresh_all()
        if report.problem:
            self.settings.add_recent(report.path)
            self._refresh_recent()
            self._update_title()
            self.show_message(report.problem)
        elif report.merged is not None:
            self.statusBar().showMessage(report.summary(), 15_000)
        elif explicit:
            self.statusBar().showMessage(
                self.tr("Saved “{name}”.").format(name=self.project.path.name), 3000
            )
        self._update_save_state()
        if not self.notice.isVisible():
            self._offer_copies()

    def save_as(self) -> bool:
        from ldpm.services.project import user_message

        if self.project is None or self.runner is None:
            return False
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save Project As"),
            str(self.project.path),
            self.tr("LDPM projects (*.ldpm)"),
        )
        if not name:
            return False
        path = Path(name)
        if path.suffix.lower() != SUFFIX:
            path = path.with_suffix(SUFFIX)
        if not self._settle_save():
            return False
        try:
            self.project.save(path)
        except Exception as exc:
            sentence = user_message(exc)
            if sentence is None:
                raise
            self.show_message(sentence)
            return False
        self.runner.undo_stack.setClean()
        self.settings.add_recent(self.project.path)
        self._refresh_recent()
        self._update_title()
        self._update_save_state()
        return True

    def schedule_autosave(self) -> None:
        if self.project is not None and self.menu_actions["autosave"].isChecked():
            self.autosave_timer.start(self.settings.get(prefs.AUTOSAVE_DELAY_MS))

    def autosave(self) -> None:
        """Save quietly, on a worker thread; a failure goes to the status bar, not a dialog."""
        self.start_save(explicit=False)

    def start_save(self, *, explicit: bool) -> None:
        """Save on a worker thread while the user keeps working."""
        if self.project is None:
            return
        if self._save_task is not None:
            self._save_again = True  # save once more when this one is done
            return
        if not explicit and not self.project.unsaved:
            return
        self.autosave_timer.stop()
        job = self.project.begin_save()
        self._save_job, self._save_explicit = job, explicit
        self.save_state.setText(self.tr("Saving…"))
        self._save_task = run_in_pool(
            job.run,
            partial(self._on_save_done, job),
            partial(self._on_save_failed, job),
        )

    def _on_save_done(self, job: SaveJob, _checksum: object = None) -> None:
        if job is not self._save_job:
            return  # already settled
        self._save_job = self._save_task = None
        if self.project is None or self.runner is None:
            return
        report = self.project.finish_save(job)
        fully_saved = report.saved
        if fully_saved:
            self.runner.undo_stack.setClean()
        self._after_save(report, explicit=self._save_explicit)
        if self._save_again or self.project.unsaved:
            self._save_again = False
            self.schedule_autosave()
        if fully_saved:
            self.saved.emit()

    def _on_save_failed(self, job: SaveJob, exc: Exception) -> None:
        from ldpm.services.project import user_message

        if job is not self._save_job:
            return
        self._save_job = self._save_task = None
        sentence = user_message(exc)
        if sentence is None:
            log.error("save failed", exc_info=exc)
            sentence = self.tr(
                "LDPM could not save the project because of an internal error; your work is "
                "kept safe in LDPM meanwhile. Please report this problem."
            )
        self.save_state.setText(self.tr("Not saved"))
        if self._save_explicit:
            self.show_message(sentence)
        else:
            self.statusBar().showMessage(sentence)

    def _settle_save(self) -> bool:
        """Wait for a save running on a worker and take its result now (before closing,
        Save As, or a save that must finish before the next step).  Returns False, after
        telling the user, if it is still running (a slow or unreachable drive)."""
        job = self._save_job
        if job is None:
            return True
        if not wait_for_pool(SETTLE_MS):
            self.show_message(
                self.tr(
                    "LDPM is still saving “{name}” — the drive is slow to answer. Wait a "
                    "moment and try again."
                ).format(name=job.target.name)
            )
            return False
        if job.checksum is not None:
            self._on_save_done(job)
        else:
            self._save_job = self._save_task = None
        return True

    def _toggle_autosave(self, on: bool) -> None:
        self.settings.set(prefs.AUTOSAVE, on)
        if on:
            self.schedule_autosave()
        else:
            self.autosave_timer.stop()

    def _on_changed(self, record: ChangeRecord) -> None:
        self._update_actions()
        if record:
            self.schedule_autosave()

    # ============================================================ initiatives
    def new_initiative(self) -> None:
        from ldpm.services import initiatives as svc

        if self.project is None or self.runner is None or self.page is None:
            return
        command = svc.add_initiative(self.project, self.tr("New initiative"))
        if self.runner.run(command):
            self.page.select(command.entity.id, edit=True)

    def rename_initiative(self) -> None:
        if self.page is not None:
            self.page.rename_current()

    def toggle_archived(self) -> None:
        from ldpm.services import initiatives as svc

        current = self.page.current_initiative() if self.page else None
        if current is None or self.project is None or self.runner is None:
            return
        if self.runner.run(svc.set_archived(self.project, current.id, not current.archived)):
            verb = self.tr("Archived") if not current.archived else self.tr("Restored")
            self.statusBar().showMessage(
                self.tr("{verb} “{name}”. Undo with {keys}.").format(
                    verb=verb, name=current.name, keys=self._undo_keys()
                ),
                6000,
            )

    def delete_initiative(self) -> None:
        from ldpm.services import initiatives as svc

        current = self.page.current_initiative() if self.page else None
        if current is None or self.project is None or self.runner is None:
            return
        if self.runner.run(svc.delete_initiative(self.project, current.id)):
            self.statusBar().showMessage(
                self.tr("Deleted “{name}”. Undo with {keys}.").format(
                    name=current.name, keys=self._undo_keys()
                ),
                8000,
            )

    def move_initiative(self, delta: int) -> None:
        if self.page is not None:
            self.page.move_current(delta)

    def _undo_keys(self) -> str:
        return (
            self.menu_actions["undo"].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        )

    # ================================================================== view
    def set_theme(self, key: str) -> None:
        self.themes.apply(key)
        self.settings.set(prefs.THEME, key)

    def toggle_projector(self, on: bool) -> None:
        self.themes.set_projector(on)
        self.themes.save_appearance(self.settings)
        self.menu_actions[f"theme_{self.themes.theme.key}"].setChecked(True)

    def step_font(self, steps: int) -> None:
        self.themes.step_scale(steps)
        self.settings.set(prefs.FONT_SCALE, self.themes.scale)

    def set_font_scale(self, scale: float) -> None:
        self.themes.apply(scale=scale)
        self.settings.set(prefs.FONT_SCALE, self.themes.scale)

    def _toggle_show_archived(self, on: bool) -> None:
        self.settings.set(prefs.SHOW_ARCHIVED, on)
        if self.page is not None:
            self.page.model.set_show_archived(on)

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About LDPM"),
            self.tr(
                "<h3>LDPM {version}</h3><p>L&amp;D Product Manager: run learning "
                "initiatives the way product managers run products.</p>"
                "<p>Python {py} · Qt for Python</p>"
            ).format(version=__version__, py=sys.version.split()[0]),
        )

    # ========================================================== window events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Undo/Redo typed in a project's text field go to the project's undo stack, not the
        # field's own: the field's edits are already commands there.  (Installed on those
        # fields only: a filter on the whole application would run for every event.)
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(watched, (QLineEdit, QPlainTextEdit, QTextEdit))
            and isinstance(event, QKeyEvent)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
            )
            and self.runner is not None
            and watched.window() is self
        ):
            event.ignore()
            return True
        return super().eventFilter(watched, event)

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
        self.settings.qsettings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        event.accept()

    def current_widget(self) -> QWidget | None:
        return self.stack.currentWidget()
