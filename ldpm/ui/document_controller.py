"""The open document's life in the window: open, recover, save, Save As, close.

:class:`DocumentController` belongs to the main window.  It owns the open :class:`Project`,
its :class:`~ldpm.ui.operations.OperationRunner` and its
:class:`~ldpm.ui.project_page.ProjectPage`, and does everything a user does *with the file*:

* opening (a crash's unsaved work is offered first; a damaged or foreign file is one sentence),
  new projects and the demo; drop and recent files come here too;
* saving: on a worker, through the runner (:class:`~ldpm.services.save_job.SaveProject`), a
  moment after each edit (autosave) or on Ctrl+S; a version a colleague saved meanwhile is
  merged first and the views reload; work that must not replace the file is saved beside it;
* the presence note beside the file and the lock's heartbeat, once a minute;
* copies a sync client left beside the file, offered inline;
* closing: a running save or sync is waited for, unsaved work is saved or explicitly discarded
  (never just lost — a discard goes to the backups).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from ldpm.ui import settings as prefs
from ldpm.ui.jobs import JobHandle

if TYPE_CHECKING:
    from ldpm.services.changes import ChangeRecord
    from ldpm.services.project import Present, Project, SaveReport
    from ldpm.ui.main_window import MainWindow
    from ldpm.ui.operations import OperationRunner
    from ldpm.ui.project_page import ProjectPage

SUFFIX = ".ldpm"
#: How long closing or Save As waits for a save or sync already running on a worker.
SETTLE_MS = 15_000
log = logging.getLogger(__name__)


class DocumentController(QObject):
    """See the module docstring."""

    #: A project is open and its views are populated.
    opened = Signal()
    closed = Signal()
    #: A background save finished and everything is saved.
    saved = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.project: Project | None = None
        self.runner: OperationRunner | None = None
        self.page: ProjectPage | None = None
        self._save: JobHandle | None = None
        self._save_again = False
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.timeout.connect(self.autosave)
        self.heartbeat_timer = QTimer(self)
        self.heartbeat_timer.timeout.connect(self.heartbeat)

    def tr(self, text: str) -> str:  # type: ignore[override]
        return QApplication.translate("DocumentController", text)

    # ================================================================ opening
    def open_dialog(self) -> None:
        recent = self.window.settings.recent_files()
        start = str(recent[0].parent) if recent else str(_documents_folder())
        name, _ = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Open Project"),
            start,
            self.tr("LDPM projects (*.ldpm);;All files (*)"),
        )
        if name:
            self.open_path(Path(name))

    def new_project(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self.window,
            self.tr("New Project"),
            str(_documents_folder() / self.tr("Untitled.ldpm")),
            self.tr("LDPM projects (*.ldpm)"),
        )
        if name:
            self.create_project(_with_suffix(Path(name)))

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
            self.window.show_message(sentence)
            return False
        self._install(project)
        return True

    def open_demo(self) -> None:
        from ldpm.services.project import demo_file, user_message

        try:
            path = demo_file()
        except Exception as exc:
            sentence = user_message(exc)
            if sentence is None:
                raise
            self.window.show_message(sentence)
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
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            project = Project.open(path, restore=restore)
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            sentence = user_message(exc)
            if sentence is None:
                raise
            if not path.exists():
                self.window.settings.remove_recent(path)
                self.window.refresh_recent()
            self.window.show_message(sentence)
            return False
        QApplication.restoreOverrideCursor()
        self._install(project)
        if project.restore_problem:
            self.window.show_message(project.restore_problem)
        if project.restored:
            self.window.statusBar().showMessage(
                self.tr("Restored the unsaved changes from last time."), 8000
            )
            self.schedule_autosave()
        if notes := project.open_notes:
            self.window.notice.show_notice(" ".join(notes), [], dismiss=self.tr("OK"))
            self.schedule_autosave()
        self._offer_copies()
        return True

    def _ask_restore(self, path: Path, when: object) -> bool | None:
        box = QMessageBox(self.window)
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

    def _install(self, project: Project) -> None:
        from ldpm.ui.operations import OperationRunner
        from ldpm.ui.project_page import ProjectPage

        window = self.window
        self.project = project
        self.runner = runner = OperationRunner(project, window)
        # A rejected edit is explained where it happened and in the status bar; a dialog in
        # the middle of typing would only get in the way.
        runner.failed.connect(window.show_failure)
        runner.changed.connect(self._on_changed)
        runner.job_finished.connect(self._on_job_finished)
        window.undo_group.addStack(runner.undo_stack)
        window.undo_group.setActiveStack(runner.undo_stack)
        runner.undo_stack.cleanChanged.connect(window.update_title)
        project.on_unsaved_changed(window.update_save_state)
        self.page = ProjectPage(runner, window.registry, window)
        self.page.model.set_show_archived(window.settings.get(prefs.SHOW_ARCHIVED))
        window.show_page(self.page)
        window.undo_router.active = True
        window.job_status.attach(runner)
        self.page.select_first()
        window.sync_ui.attach(project, runner)
        window.settings.add_recent(project.path)
        window.refresh_recent()
        self._show_presence(project.others())
        self.heartbeat_timer.start(int(project.HEARTBEAT_SECONDS * 1000))
        window.update_state()
        self.opened.emit()

    # ================================================================ closing
    def close_project(self) -> bool:
        """Close the open project.  Returns False if the user cancelled (or a save or sync is
        still running on a slow drive)."""
        if self.project is None or self.runner is None:
            return True
        # No sync may start or still run while the project closes (a save finishing below
        # would start one): take a running job's result first, then hold new syncs.
        sync_ui = self.window.sync_ui
        if not sync_ui.settle():
            return False
        try:
            return self._close()
        finally:
            sync_ui.resume()

    def _close(self) -> bool:
        assert self.project is not None and self.runner is not None
        window = self.window
        self.autosave_timer.stop()
        if not self._settle():
            return False
        if self.project.unsaved:
            if window.registry["autosave"].isChecked() or self.runner.undo_stack.isClean():
                if not self.save() and not self._ask_discard_after_failure():
                    return False
            else:
                answer = QMessageBox.question(
                    window,
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
        window.sync_ui.detach()
        self.heartbeat_timer.stop()
        self._show_presence([])
        window.undo_router.active = False
        window.job_status.attach(None)
        window.notice.hide()
        project, self.project = self.project, None
        project.close(discard_unsaved=True)
        window.undo_group.removeStack(self.runner.undo_stack)
        self.runner.deleteLater()
        self.runner = None
        page, self.page = self.page, None
        if page is not None:
            window.hide_page(page)
            page.deleteLater()
        window.update_state()
        self.closed.emit()
        return True

    def _ask_discard_after_failure(self) -> bool:
        answer = QMessageBox.question(
            self.window,
            self.tr("Close Without Saving?"),
            self.tr(
                "The project could not be saved. Close it anyway? Your changes will be "
                "kept in LDPM's backups folder."
            ),
            QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Close

    # ================================================================= saving
    def save(self) -> bool:
        """Save now, on this thread (closing, and the command line's way).  Returns False,
        after saying why, if it could not."""
        from ldpm.services.project import user_message

        if self.project is None or self.runner is None:
            return False
        self.autosave_timer.stop()
        if not self._settle():
            return False
        try:
            report = self.project.save()
        except Exception as exc:
            sentence = user_message(exc)
            if sentence is None:
                raise
            self.window.show_message(sentence)
            return False
        self.runner.undo_stack.setClean()
        self._after_save(report, explicit=True)
        return True

    def save_as(self) -> bool:
        from ldpm.services.project import user_message

        window = self.window
        if self.project is None or self.runner is None:
            return False
        name, _ = QFileDialog.getSaveFileName(
            window,
            self.tr("Save Project As"),
            str(self.project.path),
            self.tr("LDPM projects (*.ldpm)"),
        )
        if not name:
            return False
        path = _with_suffix(Path(name))
        if not self._settle():
            return False
        # Save As moves the working folder: a sync running on a worker must finish (and its
        # result be taken) first, and none may start until the move is done.
        if not window.sync_ui.settle():
            return False
        try:
            self.project.save(path)
        except Exception as exc:
            sentence = user_message(exc)
            if sentence is None:
                raise
            window.show_message(sentence)
            return False
        finally:
            window.sync_ui.resume()
        self.runner.undo_stack.setClean()
        window.settings.add_recent(self.project.path)
        window.refresh_recent()
        window.update_state()
        return True

    def schedule_autosave(self) -> None:
        if self.project is not None and self.window.registry["autosave"].isChecked():
            self.autosave_timer.start(self.window.settings.get(prefs.AUTOSAVE_DELAY_MS))

    def autosave(self) -> None:
        """Save quietly, on a worker; a failure goes to the status bar, not a dialog."""
        self.start_save(explicit=False)

    def start_save(self, *, explicit: bool) -> None:
        """Save on a worker thread while the user keeps working."""
        from ldpm.services.save_job import SaveProject

        if self.project is None or self.runner is None:
            return
        if self._save is not None:
            self._save_again = True  # save once more when this one is done
            return
        if not explicit and not self.project.unsaved:
            return
        self.autosave_timer.stop()
        self.window.save_state.setText(self.tr("Saving…"))
        self._save = self.runner.start(SaveProject(self.project, explicit=explicit))

    def _on_job_finished(self, handle: JobHandle) -> None:
        if handle is not self._save:
            return
        from ldpm.services.project import user_message
        from ldpm.services.save_job import SaveProject

        self._save = None
        job = handle.job
        assert isinstance(job, SaveProject)
        if self.project is None or self.runner is None:
            return
        if handle.error is not None:
            sentence = user_message(handle.error) or self.tr(
                "LDPM could not save the project because of an internal error; your work is "
                "kept safe in LDPM meanwhile. Please report this problem."
            )
            self.window.save_state.setText(self.tr("Not saved"))
            if job.explicit:
                self.window.show_message(sentence)
            return
        report = job.report
        if report is None:
            return
        if report.saved:
            self.runner.undo_stack.setClean()
        self._after_save(report, explicit=job.explicit)
        if self._save_again or self.project.unsaved:
            self._save_again = False
            self.schedule_autosave()
        if report.saved:
            self.saved.emit()

    def _after_save(self, report: SaveReport, *, explicit: bool) -> None:
        """Show what a save did besides saving: a colleague's version merged in first (the
        runner already told the views; conflicts wait in the review panel), or the work saved
        beside a file it must not replace (the title follows the new name)."""
        assert self.project is not None and self.runner is not None
        window = self.window
        if report.problem:
            window.settings.add_recent(report.path)
            window.refresh_recent()
            window.update_title()
            window.show_message(report.problem)
        elif report.merged is not None:
            window.statusBar().showMessage(report.summary(), 15_000)
        elif explicit:
            window.statusBar().showMessage(
                self.tr("Saved “{name}”.").format(name=self.project.path.name), 3000
            )
        window.update_save_state()
        if not window.notice.isVisible():
            self._offer_copies()

    def _settle(self) -> bool:
        """Wait for a save running on a worker and take its result now (before closing,
        Save As, or a save that must finish before the next step).  Returns False, after
        telling the user, if it is still running (a slow or unreachable drive)."""
        if self.runner is None or (self._save is None and not self.runner.jobs):
            return True  # nothing running (an import or export is waited for too)
        if not self.runner.settle(SETTLE_MS):
            self.window.show_message(
                self.tr(
                    "LDPM is still saving “{name}” — the drive is slow to answer. Wait a "
                    "moment and try again."
                ).format(name=self.project.path.name if self.project else "")
            )
            return False
        return True

    def set_autosave(self, on: bool) -> None:
        self.window.settings.set(prefs.AUTOSAVE, on)
        if on:
            self.schedule_autosave()
        else:
            self.autosave_timer.stop()

    def _on_changed(self, record: ChangeRecord) -> None:
        self.window.registry.update()
        if record:
            self.schedule_autosave()

    # ===================================================== others and copies
    def heartbeat(self) -> None:
        """Keep this computer's lock and presence note fresh; show who else has the file."""
        if self.project is None:
            return
        held, others = self.project.heartbeat()
        self._show_presence(others)
        if not held:
            self.window.statusBar().showMessage(
                self.tr(
                    "Another LDPM has taken over “{name}” after this one stopped answering. "
                    "Use Save As… to keep your changes in a file of their own."
                ).format(name=self.project.path.name)
            )

    def _show_presence(self, others: list[Present]) -> None:
        """ "Dana Ruiz also has this file open": informs, never blocks (saves merge)."""
        label = self.window.file_presence
        if not others:
            label.hide()
            return
        if len(others) == 1:
            text = self.tr("{name} also has this file open").format(name=others[0].name)
        else:
            text = self.tr("{name} and {n} others also have this file open").format(
                name=others[0].name, n=len(others) - 1
            )
        label.setText(text)
        label.setToolTip(
            self.tr(
                "LDPM merges their saved changes into yours whenever you save, so nobody's "
                "work is overwritten."
            )
        )
        label.show()

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
        notice = self.window.notice
        notice.show_notice(
            text,
            [(self.tr("&Merge Them"), lambda: self.merge_copies(copies))],
            dismiss=self.tr("Not Now"),
        )
        notice.buttons[-1].clicked.connect(lambda: project.set_aside_copies(copies))

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
        self.window.statusBar().showMessage(" ".join([sentence, *problems]), 15_000)
        self.schedule_autosave()


def _with_suffix(path: Path) -> Path:
    return path if path.suffix.lower() == SUFFIX else path.with_suffix(SUFFIX)


def _documents_folder() -> Path:
    """Where file dialogs start when there is no recent file: the user's documents."""
    from PySide6.QtCore import QStandardPaths

    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()
