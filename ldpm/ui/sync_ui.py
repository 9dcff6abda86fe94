"""Sync in the window: settings, Sync Now, the changes to review, presence, Undo Last Sync.

:class:`SyncUi` belongs to the main window and follows the open project.  A sync runs on the
thread pool (:func:`ldpm.ui.workers.run_in_pool`); its result comes back on the GUI thread,
where :func:`~ldpm.services.sync.finish_sync` records it and the runner tells every view to
reload.  Nothing about a sync is modal: progress, results and failures go to the status bar,
and conflicts wait in the "N changes to review" badge and its panel.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QFileSystemWatcher,
    QItemSelectionModel,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ldpm.services import sync as sync_svc
from ldpm.ui.models.conflicts import ConflictsModel
from ldpm.ui.workers import Task, run_in_pool, wait_for_pool

if TYPE_CHECKING:
    from ldpm.services.changes import ChangeRecord
    from ldpm.services.project import Project
    from ldpm.ui.operations import OperationRunner

log = logging.getLogger(__name__)

#: How often a configured project syncs by itself.
SYNC_INTERVAL_MS = 2 * 60 * 1000
#: Quiet time after a change in a watched shared folder before syncing.
WATCH_DELAY_MS = 2_000
#: How long closing waits for a sync that is running.
SETTLE_MS = 15_000
#: Presence older than this is not shown.
PRESENCE_WINDOW = timedelta(minutes=15)


# =============================================================== settings dialog
class SyncSettingsDialog(QDialog):
    """Choose a shared folder or a WebDAV server for the project.  The password goes to the
    system keyring through the service, never to a file."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(self.tr("Sync Settings"))
        self.setAccessibleName(self.tr("Sync settings"))
        self.setMinimumWidth(520)
        current = sync_svc.load_settings(project)
        self._has_password = bool(
            current.kind == "webdav"
            and current.url
            and current.user
            and sync_svc.credentials.get(current.url, current.user)
        )

        intro = QLabel(
            self.tr(
                "Keep this project in step with other computers through a folder that a sync "
                "client shares (OneDrive, Dropbox, a network drive) or a WebDAV server."
            )
        )
        intro.setWordWrap(True)

        self.folder_choice = QRadioButton(self.tr("Shared &folder"))
        self.folder_choice.setAccessibleName(self.tr("Sync through a shared folder"))
        self.webdav_choice = QRadioButton(self.tr("&WebDAV server"))
        self.webdav_choice.setAccessibleName(self.tr("Sync through a WebDAV server"))
        self.choices = QButtonGroup(self)
        self.choices.addButton(self.folder_choice)
        self.choices.addButton(self.webdav_choice)

        self.folder = QLineEdit(current.folder)
        self.folder.setAccessibleName(self.tr("Shared folder"))
        self.folder.setPlaceholderText(self.tr("A folder your sync client shares"))
        self.browse = QPushButton(self.tr("&Browse…"))
        self.browse.setAccessibleName(self.tr("Browse for the shared folder"))
        self.browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)

        self.url = QLineEdit(current.url)
        self.url.setAccessibleName(self.tr("WebDAV address"))
        self.url.setPlaceholderText("https://cloud.example.com/remote.php/dav/files/me/LDPM")
        self.user = QLineEdit(current.user)
        self.user.setAccessibleName(self.tr("WebDAV user name"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("WebDAV password"))
        self.password.setPlaceholderText(
            self.tr("Kept in the system keyring — leave empty to keep it")
            if self._has_password
            else self.tr("Kept in the system keyring")
        )

        form = QFormLayout()
        form.addRow(self.folder_choice)
        form.addRow(self.tr("Folder:"), folder_row)
        form.addRow(self.webdav_choice)
        form.addRow(self.tr("Address:"), self.url)
        form.addRow(self.tr("User name:"), self.user)
        form.addRow(self.tr("Password:"), self.password)
        self._webdav_fields = (self.url, self.user, self.password)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Problem with the sync settings"))
        self.error.setStyleSheet("color: palette(link); font-weight: bold;")
        self.error.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        (self.webdav_choice if current.kind == "webdav" else self.folder_choice).setChecked(True)
        self.folder_choice.toggled.connect(self._update_enabled)
        self._update_enabled()
        #: Set after OK if the password could only be kept for this run.
        self.notice = ""

    def _update_enabled(self) -> None:
        folder = self.folder_choice.isChecked()
        self.folder.setEnabled(folder)
        self.browse.setEnabled(folder)
        for widget in self._webdav_fields:
            widget.setEnabled(not folder)

    def _browse(self) -> None:
        name = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the Shared Folder"), self.folder.text()
        )
        if name:
            self.folder.setText(name)

    def settings(self) -> sync_svc.SyncSettings:
        if self.folder_choice.isChecked():
            return sync_svc.SyncSettings(kind="folder", folder=self.folder.text().strip())
        return sync_svc.SyncSettings(
            kind="webdav", url=self.url.text().strip(), user=self.user.text().strip()
        )

    def problem(self) -> tuple[str, QWidget] | None:
        """The first missing field, as a sentence, and the field to go to."""
        s = self.settings()
        if s.kind == "folder":
            if not s.folder:
                return self.tr("Choose the shared folder to sync through."), self.folder
            return None
        if not s.url:
            return self.tr("Enter the address of the WebDAV server."), self.url
        if not s.url.lower().startswith(("https://", "http://")):
            return self.tr("The WebDAV address should start with https:// or http://."), self.url
        if not s.user:
            return self.tr("Enter your user name on the WebDAV server."), self.user
        if not self.password.text() and not self._has_password:
            return self.tr("Enter your password for the WebDAV server."), self.password
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem is not None:
            sentence, widget = problem
            self.error.setText(sentence)
            self.error.show()
            widget.setFocus()
            return
        settings = self.settings()
        password = self.password.text() if settings.kind == "webdav" else None
        try:
            sync_svc.save_settings(self.project, settings, password or None)
        except OSError as exc:
            self.error.setText(
                self.tr("LDPM could not save the sync settings: {reason}").format(
                    reason=exc.strerror or exc
                )
            )
            self.error.show()
            return
        self.password.clear()
        self.notice = sync_svc.credentials.notice if password else ""
        super().accept()


# ==================================================================== the panel
class ConflictsPanel(QDockWidget):
    """The changes to review: a table and "Keep This" / "Use the Other"."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setObjectName("conflicts_dock")
        self.setWindowTitle(self.tr("Changes to Review"))
        self.setAccessibleName(self.tr("Changes to review"))
        self.model = ConflictsModel(runner, self)

        intro = QLabel(
            self.tr(
                "These fields were changed on two computers at the same time. LDPM kept the "
                "newer change; keep it, or use the other one instead."
            )
        )
        intro.setWordWrap(True)
        self.empty = QLabel(self.tr("Nothing to review: every change merged cleanly."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Changes to review"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)

        self.keep = QPushButton(self.tr("&Keep This"))
        self.keep.setAccessibleName(self.tr("Keep the kept value"))
        self.keep.setToolTip(self.tr("Keep the value LDPM kept and close this review"))
        self.use_other = QPushButton(self.tr("Use the &Other"))
        self.use_other.setAccessibleName(self.tr("Use the other value"))
        self.use_other.setToolTip(self.tr("Replace the kept value with the other change"))
        self.keep.clicked.connect(lambda: self.resolve(use_other=False))
        self.use_other.clicked.connect(lambda: self.resolve(use_other=True))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep)
        buttons.addWidget(self.use_other)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)
        self.setWidget(body)

        self.table.selectionModel().selectionChanged.connect(self._update)
        self.model.modelReset.connect(self._after_reset)
        self.model.dataChanged.connect(self._update)
        self._selected: str | None = None
        self._after_reset()

    def _after_reset(self) -> None:
        """Keep the same conflict selected (or the row where it was) across a reload."""
        row = self.model.index_of(self._selected) if self._selected else -1
        if row < 0 and self.model.rowCount():
            row = min(self._last_row, self.model.rowCount() - 1)
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._fit_columns()
        self._update()

    _last_row = 0

    def _fit_columns(self) -> None:
        metrics = self.table.fontMetrics()
        for col, chars in enumerate((28, 12, 22, 22)):
            self.table.setColumnWidth(col, metrics.averageCharWidth() * chars + 16)

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _update(self, *_args: object) -> None:
        row = self.current_row()
        current = self.model.row_at(row)
        self._selected = current.id if current else None
        if row >= 0:
            self._last_row = row
        has_rows = self.model.rowCount() > 0
        self.table.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        self.keep.setEnabled(current is not None)
        self.use_other.setEnabled(current is not None)

    def resolve(self, *, use_other: bool) -> bool:
        row = self.model.row_at(self.current_row())
        if row is None:
            return False
        return self.runner.run(sync_svc.resolve_conflict(row.conflict, use_other=use_other))


# ================================================================ the controller
@dataclass
class _Job:
    """One sync on a worker.  The worker fills in ``report`` or ``error``; only the GUI thread
    reads them, after the worker has finished."""

    project: Project
    auto: bool
    cancel: threading.Event = field(default_factory=threading.Event)
    report: sync_svc.SyncReport | None = None
    error: Exception | None = None
    done: bool = False


class SyncUi(QObject):
    """The window's sync actions, status-bar widgets and conflicts panel."""

    #: A sync started (on the worker).
    sync_started = Signal()
    #: A sync finished and its result is recorded: the SyncReport, or None if it failed.
    sync_finished = Signal(object)
    #: A step of the running sync, from the worker (queued to the GUI thread).
    _progress = Signal(str)

    def __init__(self, window: QMainWindow, actions: dict[str, QAction]) -> None:
        """``actions`` holds the window's "sync_settings", "sync_now", "undo_sync" and
        "show_conflicts" actions (made with the menus, before any project is open); the
        window's slots for them call this object's methods."""
        super().__init__(window)
        self.window = window
        self.project: Project | None = None
        self.runner: OperationRunner | None = None
        self.panel: ConflictsPanel | None = None
        self.last_report: sync_svc.SyncReport | None = None
        self._job: _Job | None = None
        self._task: Task | None = None
        self._paused = False
        self._again = False
        self._undo_index = -1
        self._progress.connect(self._on_progress)

        tr = self.tr
        self.actions = actions

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
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setAccessibleName(tr("Cancel the sync"))
        self.cancel_button.setToolTip(tr("Stop this sync; what was merged so far is kept"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        bar.addPermanentWidget(self.presence)
        bar.addPermanentWidget(self.badge)
        bar.addPermanentWidget(self.state)
        bar.addPermanentWidget(self.cancel_button)

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
        self.last_report = None
        self._undo_index = -1
        self.panel = ConflictsPanel(runner, self.window)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self.panel.hide()
        self.panel.model.modelReset.connect(self._update_badge)
        self.panel.model.dataChanged.connect(self._update_badge)
        runner.changed.connect(self._on_changed)
        runner.undo_stack.indexChanged.connect(self._on_edit)
        self._update_badge()
        self._show_state()
        if sync_svc.load_settings(project).configured:
            self.timer.start()
        self._watch()
        self.update_actions()

    def detach(self) -> None:
        self.timer.stop()
        self.watch_delay.stop()
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        if self.panel is not None:
            self.window.removeDockWidget(self.panel)
            self.panel.deleteLater()
            self.panel = None
        self.project = self.runner = None
        self.last_report = None
        self.badge.hide()
        self.presence.hide()
        self.state.setText("")
        self.update_actions()

    @property
    def running(self) -> bool:
        return self._job is not None

    def update_actions(self) -> None:
        has = self.project is not None
        self.actions["sync_settings"].setEnabled(has)
        self.actions["sync_now"].setEnabled(has and not self.running)
        self.actions["show_conflicts"].setEnabled(has)
        self.actions["undo_sync"].setEnabled(
            has
            and not self.running
            and self.last_report is not None
            and self.last_report.backup is not None
            and self._undo_index >= 0
        )

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
            target = sync_svc.make_target(settings, project.path.stem)
        except sync_svc.SyncError as exc:
            self.window.statusBar().showMessage(str(exc), 15_000)
            self._show_state(self.tr("Not synced"))
            return False
        job = _Job(project, auto)
        progress = self._progress.emit

        def work() -> sync_svc.SyncReport:
            # On the worker: no widgets, no shared Qt objects; signals are queued.
            try:
                job.report = sync_svc.run_sync(
                    project, target, progress=progress, cancelled=job.cancel.is_set
                )
            except Exception as exc:
                job.error = exc
                raise
            finally:
                job.done = True
            return job.report

        self._job = job
        self.cancel_button.show()
        self._show_state(self.tr("Syncing…"))
        self.update_actions()
        self.sync_started.emit()
        self._task = run_in_pool(work, partial(self._take, job), partial(self._take, job))
        return True

    def _on_progress(self, step: str) -> None:
        if self.running:
            self._show_state(self.tr("Syncing… {step}").format(step=step))

    def _take(self, job: _Job, _result: object) -> None:
        self._finish(job)

    def _finish(self, job: _Job) -> None:
        """On the GUI thread, once the worker is done (or when closing takes the result)."""
        if job is not self._job:
            return  # already taken
        self._job = self._task = None
        self.cancel_button.hide()
        self._watch()  # the first publish may have created the folders to watch
        if job.project is not self.project or self.runner is None:
            self.sync_finished.emit(None)
            return
        bar = self.window.statusBar()
        report = job.report
        if report is None:
            exc = job.error
            if isinstance(exc, sync_svc.SyncCancelled):
                sentence = self.tr("Sync cancelled; nothing was lost.")
            elif isinstance(exc, sync_svc.SyncError | sync_svc.TargetError):
                sentence = str(exc)
            else:
                log.error("sync failed", exc_info=exc)
                sentence = self.tr(
                    "LDPM could not sync because of an internal error; your work is safe. "
                    "Please report this problem."
                )
            self._show_state(self.tr("Not synced"))
            bar.showMessage(sentence, 20_000)
            self.update_actions()
            self.sync_finished.emit(None)
            return
        record = sync_svc.finish_sync(job.project, report)
        self.last_report = report
        self._undo_index = self.runner.undo_stack.index() if report.merged else -1
        if record:
            self.runner.refresh_all()
        elif self.panel is not None:
            self.panel.model.reload()
        self._show_state()
        self._show_presence(report.others)
        bar.showMessage(report.summary(), 15_000)
        self.update_actions()
        self.sync_finished.emit(report)
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.sync_now)

    def settle(self) -> bool:
        """Before closing the project: no new sync starts, and a running one is waited for
        and its result taken.  Returns False, after saying so, if it is still running."""
        self._paused = True
        job = self._job
        if job is None:
            return True
        self._show_state(self.tr("Finishing the sync…"))
        if not wait_for_pool(SETTLE_MS) or not job.done:
            self._paused = False
            self.window.statusBar().showMessage(
                self.tr(
                    "LDPM is still syncing — the shared folder or server is slow to answer. "
                    "Wait a moment and try again."
                ),
                15_000,
            )
            return False
        self._finish(job)
        return True

    def resume(self) -> None:
        self._paused = False

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel.set()

    # ---------------------------------------------------------------- follow-ups
    def on_saved(self) -> None:
        """After each successful save: sync, if it is set up."""
        self.sync_now(auto=True)

    def _on_changed(self, _record: ChangeRecord) -> None:
        self._update_badge()

    def _on_edit(self, index: int) -> None:
        if self._undo_index >= 0 and index != self._undo_index:
            self._undo_index = -1  # a new edit (or an undo): Undo Last Sync no longer applies
            self.update_actions()

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
        if self.project is None or self.runner is None or self.last_report is None:
            return False
        if not self.actions["undo_sync"].isEnabled():
            return False
        try:
            record = sync_svc.undo_last_sync(self.project, self.last_report)
        except Exception as exc:
            log.error("undo last sync failed", exc_info=exc)
            self.window.statusBar().showMessage(
                self.tr("LDPM could not undo the last sync; nothing was changed."), 15_000
            )
            return False
        self.last_report = None
        self._undo_index = -1
        if record:
            self.runner.refresh_all()
        self.update_actions()
        self.window.statusBar().showMessage(
            self.tr("Undid the last sync: the project is as it was before it."), 8000
        )
        return True


def presence_text(others: list[sync_svc.Presence], now: datetime) -> str:
    """ "<user> has this open on <computer> (3 min ago)" for the most recent other device seen
    within the last 15 minutes, or "" if none."""
    recent = [p for p in others if now - p.last_seen <= PRESENCE_WINDOW]
    if not recent:
        return ""
    p = max(recent, key=lambda q: q.last_seen)
    minutes = max(0, int((now - p.last_seen).total_seconds() // 60))
    ago = (
        QCoreApplication.translate("SyncUi", "just now")
        if minutes < 1
        else QCoreApplication.translate("SyncUi", "{n} min ago").format(n=minutes)
    )
    return QCoreApplication.translate("SyncUi", "{user} has this open on {host} ({ago})").format(
        user=p.user, host=p.host, ago=ago
    )
