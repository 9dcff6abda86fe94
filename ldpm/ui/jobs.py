"""Running :class:`~ldpm.services.jobs.Job`\\ s on the thread pool for the operation runner.

:class:`JobHandle` is one running job: its cancel flag, its progress, and — once the worker is
done — its result or error.  The worker never touches Qt objects other than emitting queued
signals on a bridge object, so :meth:`JobHandle._deliver` (finishing, reporting, broadcasting)
always runs on the GUI thread: either when the queued "done" signal arrives, or earlier, when
:meth:`ldpm.ui.operations.OperationRunner.settle` waits for the job (before a project closes)
and delivers it at once.  Whichever comes first wins; the other finds it delivered.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ldpm.cancel import Cancelled
from ldpm.services.jobs import Job, Progress


class _Bridge(QObject):
    progress = Signal(int, int, str)
    done = Signal()


class _Task(QRunnable):
    def __init__(self, handle: JobHandle) -> None:
        super().__init__()
        self.handle = handle
        self.setAutoDelete(False)

    def run(self) -> None:
        handle = self.handle
        try:
            handle.result = handle.job.run(handle.progress)
        except BaseException as exc:  # handed to the GUI thread, which decides what to say
            handle.error = exc
        finally:
            handle._finished.set()
            handle.bridge.done.emit()


class JobHandle:
    """A job started by the runner."""

    def __init__(
        self, job: Job, origin: QObject | None, deliver: Callable[[JobHandle], None]
    ) -> None:
        self.job = job
        self.origin = origin
        self.result: Any = None
        self.error: BaseException | None = None
        self.delivered = False
        #: The latest progress: (done, total, text).
        self.state: tuple[int, int, str] = (0, 0, "")
        self._cancel = threading.Event()
        self._finished = threading.Event()
        self.bridge = _Bridge()
        self.progress = Progress(self.bridge.progress.emit, self._cancel)
        self.bridge.progress.connect(self._on_progress)
        self.bridge.done.connect(lambda: deliver(self))
        self._task = _Task(self)

    def start(self) -> JobHandle:
        QThreadPool.globalInstance().start(self._task)
        return self

    def cancel(self) -> None:
        if self.job.cancellable:
            self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    @property
    def finished(self) -> bool:
        """The worker is done (the result may not be delivered yet)."""
        return self._finished.is_set()

    @property
    def cancelled(self) -> bool:
        return isinstance(self.error, Cancelled)

    def wait(self, msecs: int) -> bool:
        """Block until the worker is done, at most ``msecs``; True if it is."""
        return self._finished.wait(msecs / 1000)

    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.state = (done, total, text)
