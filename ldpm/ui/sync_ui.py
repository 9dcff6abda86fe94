"""Sync in the window: Sync Now, the changes to review, presence, Undo Last Sync.

:class:`SyncUi` belongs to the main window and follows the open project.  A sync is a
:class:`~ldpm.services.sync.SyncJob` run by the operation runner (progress and Cancel in the
status bar); when it is done the job records its result with
:func:`~ldpm.services.sync.finish_sync` and the runner tells every view to reload — also when
the sync failed after merging something (the failure carries the partial report), so a merge is
never left unrecorded.  Nothing about a sync is modal: progress, one
summary per sync and failures go to the status bar, and conflicts wait in the "N changes to
review" badge and its panel.  When the project closes, this computer's presence note is
removed in the background (never holding up closing).

The settings dialog lives in :mod:`ldpm.ui.sync_settings`, the review panel in
:mod:`ldpm.ui.conflicts_panel`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QFileSystemWatcher,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QDialog, QLabel, QPushButton

from ldpm.services import sync as sync_svc
from ldpm.services.project import user_message
from ldpm.ui.conflicts_panel import ConflictsPanel
from ldpm.ui.jobs import JobHandle
from ldpm.ui.sync_settings import SyncSettingsDialog
from ldpm.ui.workers import Task, run_in_pool

if TYPE_CHECKING:
    from ldpm.services.changes import ChangeRecord
    from ldpm.services.project import Project
    from ldpm.ui.main_window import MainWindow
    from ldpm.ui.operations import OperationRunner

__all__ = ["ConflictsPanel", "SyncSettingsDialog", "SyncUi", "presence_text"]

log = logging.getLogger(__name__)

#: How often a configured project syncs by itself.
SYNC_INTERVAL_MS = 2 * 60 * 1000
#: Quiet time after a change in a watched shared folder before syncing.
WATCH_DELAY_MS = 2_000
#: How long closing waits for a sync that is running.
SETTLE_MS = 15_000
#: Presence older than this is not shown.
PRESENCE_WINDOW = timedelta(minutes=15)
#: How long removing the presence note may try to reach a WebDAV server when closing.
LEAVE_TIMEOUT_S = 5.0


# ================================================================ the controller
class SyncUi(QObject):
    """The window's sync actions, status-bar widgets and conflicts panel."""

    #: A sync started (on the worker).
    sync_started = Signal()
    #: A sync finished and its result is recorded: the SyncReport, or None if it failed.
    sync_finished = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        """Made by the window before its action table, which calls this object's methods
        (and asks :meth:`can_undo_sync` and :attr:`running` when enabling actions)."""
        super().__init__(window)
        self.window = window
        self.project: Project | None = None
        self.runner: OperationRunner | None = None
        self.panel: ConflictsPanel | None = None
        self.last_report: sync_svc.SyncReport | None = None
        #: The last sync that merged something: what Undo Last Sync reverts.
        self.undo_report: sync_svc.SyncReport | None = None
        self._handle: JobHandle | None = None
        self._leaving: Task | None = None
        self._paused = False
        self._again = False
        self._present = False

        tr = self.tr
        bar = window.statusBar()
        self.presence = QLabel()
        self.presence.setAccessibleName(tr("Who else has this project open"))
        self.presence.hide()
        self.badge = QPushButton()
        self.badge.setObjectName("conflicts_badge")
        self.badge.setAccessibleName(tr("Changes to review"))
        self.badge.setToolTip(tr("Review the changes made on two computers at once"))
        self.badge.setFlat(True)
        self.badge.setCursor(Qt.CursorShape.PointingHandCursor)
        self.badge.setStyleSheet(
            "QPushButton#conflicts_badge { font-weight: bold; color: palette(highlighted-text);"
            " background: palette(highlight); border-radius: 8px; padding: 1px 10px; }"
        )
        self.badge.clicked.connect(self.show_panel)
        self.badge.hide()
        self.state = QLabel()
        self.state.setAccessibleName(tr("Sync state"))
        bar.addPermanentWidget(self.presence)
        bar.addPermanentWidget(self.badge)
        bar.addPermanentWidget(self.state)

        self.timer = QTimer(self)
        self.timer.setInterval(SYNC_INTERVAL_MS)
        self.timer.timeout.connect(lambda: self.sync_now(auto=True))
        # A shared folder is also watched: new files there start a sync after a quiet moment
        # (polling above still covers drives where change notifications do not arrive).
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._folder_changed)
        self.watch_delay = QTimer(self)
        self.watch_delay.setSingleShot(True)
        self.watch_delay.setInterval(WATCH_DELAY_MS)
        self.watch_delay.timeout.connect(lambda: self.sync_now(auto=True))
        self.update_actions()

    def _watch(self) -> None:
        """Watch the shared folder of the open project (if it syncs through one)."""
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        if self.project is not None:
            paths = [str(p) for p in sync_svc.watch_paths(self.project)]
            if paths:
                self.watcher.addPaths(paths)

    def _folder_changed(self, _path: str) -> None:
        self.watch_delay.start()

    # ---------------------------------------------------------------- project
    def attach(self, project: Project, runner: OperationRunner) -> None:
        self.project, self.runner = project, runner
        self.last_report = self.undo_report = None
        self._present = False
        self.panel = ConflictsPanel(runner, self.window)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self.panel.hide()
        self.panel.model.modelReset.connect(self._update_badge)
        self.panel.model.dataChanged.connect(self._update_badge)
        runner.changed.connect(self._on_changed)
        runner.job_progress.connect(self._on_job_progress)
        runner.job_finished.connect(self._on_job_finished)
        self._update_badge()
        self._show_state()
        if sync_svc.load_settings(project).configured:
            self.timer.start()
        self._watch()
        self.update_actions()

    def detach(self) -> None:
        self._leave()
        self.timer.stop()
        self.watch_delay.stop()
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        if self.panel is not None:
            self.window.removeDockWidget(self.panel)
            self.panel.deleteLater()
            self.panel = None
        self.project = self.runner = None
        self.last_report = self.undo_report = None
        self.badge.hide()
        self.presence.hide()
        self.state.setText("")
        self.update_actions()

    @property
    def running(self) -> bool:
        return self._handle is not None

    def can_undo_sync(self) -> bool:
        return (
            self.project is not None
            and not self.running
            and self.undo_report is not None
            and self.undo_report.backup is not None
        )

    def update_actions(self) -> None:
        if getattr(self.window, "registry", None) is not None:
            self.window.update_actions()

    def _show_state(self, text: str | None = None) -> None:
        if text is None:
            if self.project is None or not sync_svc.load_settings(self.project).configured:
                text = ""
            elif self.last_report is None:
                text = self.tr("Not synced yet")
            else:
                text = self.tr("Synced {time:%H:%M}").format(time=datetime.now())
        self.state.setText(text)

    # ---------------------------------------------------------------- settings
    def edit_settings(self) -> bool:
        if self.project is None:
            return False
        dialog = SyncSettingsDialog(self.project, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.settings_saved(dialog.notice)
        return True

    def settings_saved(self, notice: str = "") -> None:
        """After the settings dialog's OK: say so, start the timer, sync."""
        if self.project is None:
            return
        self.timer.start()
        self._show_state()
        if notice:
            self.window.statusBar().showMessage(notice, 15_000)
        else:
            self.window.statusBar().showMessage(self.tr("Sync settings saved."), 4000)
        self.sync_now(auto=True)

    # ---------------------------------------------------------------- syncing
    def sync_now(self, *, auto: bool = False) -> bool:
        """Start a sync on the thread pool.  Returns True if one started.  ``auto`` syncs
        (after a save, on the timer) are silent when sync is not set up."""
        project = self.project
        if project is None or self._paused:
            return False
        if self.running:
            self._again = self._again or not auto
            return False
        settings = sync_svc.load_settings(project)
        if not settings.configured:
            if not auto:
                self.edit_settings()  # asked for by the user, not during a sync
            return False
        if not self.timer.isActive():
            self.timer.start()  # set up since the project was opened
        try:
            target = sync_svc.make_target(settings, project)
        except sync_svc.SyncError as exc:
            self.window.statusBar().showMessage(str(exc), 15_000)
            self._show_state(self.tr("Not synced"))
            return False
        runner = self.runner
        assert runner is not None
        self._handle = runner.start(sync_svc.SyncJob(project, target, auto=auto))
        self._show_state(self.tr("Syncing…"))
        self.update_actions()
        self.sync_started.emit()
        return True

    def _on_job_progress(self, handle: JobHandle) -> None:
        if handle is self._handle and handle.state[2]:
            self._show_state(self.tr("Syncing… {step}").format(step=handle.state[2]))

    def _on_job_finished(self, handle: JobHandle) -> None:
        """On the GUI thread, once the runner delivered the sync (the job has recorded what
        it merged, and the views were told)."""
        if handle is not self._handle:
            return
        self._handle = None
        job = handle.job
        assert isinstance(job, sync_svc.SyncJob)
        if job.project is not self.project or self.runner is None:
            self.sync_finished.emit(None)
            return
        done = job.report
        if done is not None and done.merged:
            self.undo_report = done
        if self.panel is not None:
            self.panel.model.reload()
        self._watch()  # the first publish may have created the folders to watch
        pending = self.panel.model.rowCount() if self.panel is not None else 0
        bar = self.window.statusBar()
        if job.failed:
            error = handle.error if isinstance(handle.error, Exception) else None
            sentence = sync_svc.failure_summary(done, self._failure(error), pending)
            self._show_state(self.tr("Not synced"))
            bar.showMessage(sentence, 20_000)
            self.update_actions()
            self.sync_finished.emit(None)
            return
        assert done is not None
        self.last_report = done
        self._present = True  # this computer's presence note is in the sync folder
        self._show_state()
        self._show_presence(done.others)
        bar.showMessage(done.summary(pending), 15_000)
        self.update_actions()
        self.sync_finished.emit(done)
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.sync_now)

    def _failure(self, exc: Exception | None) -> str:
        if isinstance(exc, sync_svc.SyncCancelled):
            return self.tr("Sync cancelled; nothing was lost.")
        if isinstance(exc, sync_svc.SyncError | sync_svc.TargetError):
            return str(exc)
        log.error("sync failed", exc_info=exc)
        return self.tr(
            "LDPM could not sync because of an internal error; your work is safe. "
            "Please report this problem."
        )

    def settle(self) -> bool:
        """Before closing the project or moving it: no new sync starts, and a running one is
        waited for and its result taken.  Returns False, after saying so, if it is still
        running."""
        self._paused = True
        if self._handle is None or self.runner is None:
            return True
        self._show_state(self.tr("Finishing the sync…"))
        if not self.runner.settle(SETTLE_MS):
            self._paused = False
            self.window.statusBar().showMessage(
                self.tr(
                    "LDPM is still syncing — the shared folder or server is slow to answer. "
                    "Wait a moment and try again."
                ),
                15_000,
            )
            return False
        return True

    def resume(self) -> None:
        self._paused = False

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()

    # ---------------------------------------------------------------- follow-ups
    def on_saved(self) -> None:
        """After each successful save: sync, if it is set up."""
        self.sync_now(auto=True)

    def _on_changed(self, _record: ChangeRecord) -> None:
        self._update_badge()

    def _update_badge(self, *_args: object) -> None:
        n = self.panel.model.rowCount() if self.panel is not None else 0
        if n == 1:
            self.badge.setText(self.tr("1 change to review"))
        else:
            self.badge.setText(self.tr("{n} changes to review").format(n=n))
        self.badge.setVisible(n > 0)

    def show_panel(self) -> bool:
        if self.panel is None:
            return False
        if not self.panel.isVisible():
            self.panel.show()
            # About eight rows: enough to review, without hiding the views above.
            height = self.panel.fontMetrics().height() * 14
            self.window.resizeDocks([self.panel], [height], Qt.Orientation.Vertical)
        self.panel.raise_()
        self.panel.table.setFocus()
        return True

    def _show_presence(self, others: list[sync_svc.Presence]) -> None:
        self.presence.setText(presence_text(others, datetime.now(UTC)) or "")
        self.presence.setVisible(bool(self.presence.text()))

    def undo_last_sync(self) -> bool:
        """Revert what the last sync merged (edits made here since are kept; the reverted
        changes go to the review panel).  Says so, or why not, in the status bar."""
        project, runner, report = self.project, self.runner, self.undo_report
        if project is None or runner is None or report is None or self.running:
            return False
        bar = self.window.statusBar()
        try:
            undone = sync_svc.undo_last_sync(project, report)
        except Exception as exc:  # one transaction: on any failure nothing was changed
            sentence = user_message(exc)  # a missing backup, a value the rules refuse…
            if sentence is None:
                log.error("undo last sync failed", exc_info=exc)
                sentence = self.tr(
                    "LDPM could not undo the last sync because of an internal error; the "
                    "project is as it was. Please report this problem."
                )
            bar.showMessage(sentence, 20_000)
            return False
        self.undo_report = None
        if undone.record:
            runner.refresh_all()
        self.update_actions()
        n = undone.reverted
        if n:
            sentence = self.tr(
                "Undid the last sync: {n} change(s) from other computers were reverted and are "
                "listed under Changes to Review; your own edits were kept."
            ).format(n=n)
        else:
            sentence = self.tr("The last sync changed nothing that is still there to undo.")
        bar.showMessage(sentence, 15_000)
        return True

    def _leave(self) -> None:
        """The project is closing: remove this computer's presence note, in the background
        and with a short timeout, so that closing never waits for a slow server."""
        project = self.project
        if project is None or not self._present:
            return
        settings = sync_svc.load_settings(project)
        try:
            target = sync_svc.make_target(settings, project, timeout=LEAVE_TIMEOUT_S)
        except sync_svc.SyncError:
            return
        device = project.device
        self._leaving = run_in_pool(
            partial(sync_svc.leave, target, device), lambda _r: None, lambda _e: None
        )


def presence_text(others: list[sync_svc.Presence], now: datetime) -> str:
    """ "<person> has this open (3 min ago)" for the most recent other device seen within the
    last 15 minutes, or "" if none.  A person's name, never an account or a computer."""
    recent = [p for p in others if now - p.last_seen <= PRESENCE_WINDOW and p.user]
    if not recent:
        return ""
    p = max(recent, key=lambda q: q.last_seen)
    minutes = max(0, int((now - p.last_seen).total_seconds() // 60))
    ago = (
        QCoreApplication.translate("SyncUi", "just now")
        if minutes < 1
        else QCoreApplication.translate("SyncUi", "{n} min ago").format(n=minutes)
    )
    return QCoreApplication.translate("SyncUi", "{user} has this open ({ago})").format(
        user=p.user, ago=ago
    )
