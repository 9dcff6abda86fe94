"""The status bar's view of background jobs: what is running, how far it got, and Cancel.

It follows the operation runner's ``job_started``/``job_progress``/``job_finished`` signals.
A job that finishes within :data:`SHOW_AFTER_MS` never appears (a quick save should not
flicker); a longer one shows its title, a progress bar (busy while the total is unknown) and,
if it can be cancelled, a Cancel button.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ldpm.ui.jobs import JobHandle
from ldpm.ui.operations import OperationRunner

#: Jobs quicker than this are never shown.
SHOW_AFTER_MS = 400


class JobStatus(QWidget):
    """Progress and Cancel for the oldest running job of a runner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Background work"))
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(self.tr("Progress"))
        self.bar.setMaximumWidth(self.fontMetrics().averageCharWidth() * 24)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel the work in progress"))
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.runner: OperationRunner | None = None
        self._shown: JobHandle | None = None
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.timeout.connect(self._update)
        self.hide()

    def attach(self, runner: OperationRunner | None) -> None:
        """Follow ``runner``'s jobs (None: the project closed)."""
        old = self.runner
        if old is not None:
            old.job_started.disconnect(self._on_started)
            old.job_progress.disconnect(self._on_progress)
            old.job_finished.disconnect(self._on_finished)
        self.runner = runner
        if runner is not None:
            runner.job_started.connect(self._on_started)
            runner.job_progress.connect(self._on_progress)
            runner.job_finished.connect(self._on_finished)
        self._update()

    def _on_started(self, _handle: JobHandle) -> None:
        if self._shown is None and not self._delay.isActive():
            self._delay.start(SHOW_AFTER_MS)

    def _on_progress(self, handle: JobHandle) -> None:
        if handle is self._shown:
            self._show_state(handle)

    def _on_finished(self, _handle: JobHandle) -> None:
        self._update()

    def _update(self) -> None:
        jobs = [h for h in self.runner.jobs if not h.delivered] if self.runner else []
        if not jobs:
            self._shown = None
            self._delay.stop()
            self.hide()
            return
        if self._delay.isActive():
            return  # not shown yet: maybe it ends before anyone needs to see it
        self._shown = jobs[0]
        self._show_state(jobs[0])
        self.show()

    def _show_state(self, handle: JobHandle) -> None:
        done, total, text = handle.state
        self.label.setText(text or handle.job.title)
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)  # busy
        self.cancel_button.setVisible(handle.job.cancellable)
        self.cancel_button.setEnabled(not handle.cancel_requested)

    def cancel(self) -> None:
        if self._shown is not None:
            self._shown.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(self.tr("Cancelling…"))
