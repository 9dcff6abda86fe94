"""The operation runner: the one way the UI changes data.

Every user action builds a Qt-free :class:`~ldpm.services.commands.Command` and hands it to
:meth:`OperationRunner.run`, which

1. executes it in one unit of work (:func:`ldpm.services.commands.execute`);
2. on an expected failure (a validation rule, a file problem) emits :attr:`failed` with one
   plain sentence and the *origin* that asked (a view, one of its widgets or models; None for
   undo and redo), and changes nothing — the command is not pushed.  The window shows every
   sentence in the status bar; only the view that asked shows it inline
   (:class:`ldpm.ui.views.base.InitiativeView`);
3. otherwise pushes a thin :class:`UndoCommand` onto the :class:`QUndoStack`, and
4. emits :attr:`changed` with the command's :class:`~ldpm.services.changes.ChangeRecord`.

Undo and redo go through the same path, so views only ever listen to :attr:`changed` to decide
whether to refresh; they never refresh each other.

Slow work is a :class:`~ldpm.services.jobs.Job` started with :meth:`OperationRunner.start`: it
runs on the thread pool, reports progress through :attr:`job_progress` (the status bar shows
it with a Cancel button), and when it is done the runner finishes it on the GUI thread and
treats its result like an operation's — a failure's sentence through :attr:`failed`, its change
record through :attr:`changed`, its command (if it is one undo step) onto the undo stack.
:meth:`OperationRunner.settle` waits for running jobs and takes their results before a project
closes or moves.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ldpm.cancel import Cancelled
from ldpm.services.changes import ChangeRecord
from ldpm.services.commands import Command, EditFields, execute
from ldpm.services.jobs import Job
from ldpm.services.project import Project, user_message
from ldpm.ui.jobs import JobHandle

log = logging.getLogger(__name__)

#: QUndoCommand.id() for commands that may coalesce (typing into one field).
_MERGEABLE_ID = 1


class UndoCommand(QUndoCommand):
    """Wraps a :class:`Command` for the QUndoStack.  Its first ``redo`` is a no-op because the
    runner has already applied the command (to report failures before pushing)."""

    def __init__(self, runner: OperationRunner, command: Command) -> None:
        super().__init__(command.text)
        self.runner = runner
        self.command = command
        self._applied = True

    def id(self) -> int:
        if isinstance(self.command, EditFields) and self.command.coalesce:
            return _MERGEABLE_ID
        return -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, UndoCommand):
            return False
        if not self.command.merge(other.command):
            return False
        # Typing a character and deleting it again leaves nothing to undo.
        self.setObsolete(isinstance(self.command, EditFields) and self.command.is_noop)
        return True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.runner._step(self.command, undo=False)

    def undo(self) -> None:
        self.runner._step(self.command, undo=True)


class OperationRunner(QObject):
    """Runs commands against the open project and keeps the undo stack."""

    #: A ChangeRecord after every successful apply, undo or redo.
    changed = Signal(object)
    #: A sentence for the user when an operation could not be done, and who asked (or None).
    failed = Signal(str, object)
    #: A background job started, reported progress, or finished (delivered or failed).
    job_started = Signal(object)  # JobHandle
    job_progress = Signal(object)  # JobHandle; its .state is (done, total, text)
    job_finished = Signal(object)  # JobHandle

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        #: Jobs started and not yet delivered.
        self.jobs: list[JobHandle] = []
        #: The sentence of the latest failure (for callers that show it themselves).
        self.last_failure = ""

    def run(self, command: Command | None, *, origin: QObject | None = None) -> bool:
        """Apply ``command`` and make it undoable.  Returns True on success.  On failure the
        sentence goes out with ``origin``, so the view that asked can show it in place."""
        if command is None:
            return False
        try:
            record = execute(self.project, command)
        except Exception as exc:
            self._report(exc, origin)
            return False
        if isinstance(command, EditFields) and command.is_noop and not command.old:
            return True  # nothing changed: no undo step
        self.undo_stack.push(UndoCommand(self, command))
        self.changed.emit(record)
        return True

    # ------------------------------------------------------------------- jobs
    def start(self, job: Job, *, origin: QObject | None = None) -> JobHandle:
        """Run ``job`` off the GUI thread (see the module docstring)."""
        handle = JobHandle(job, origin, self._deliver)
        handle.bridge.progress.connect(lambda *_: self.job_progress.emit(handle))
        self.jobs.append(handle)
        handle.start()
        self.job_started.emit(handle)
        return handle

    def running(self, kind: type[Job] | None = None) -> list[JobHandle]:
        """Jobs not yet delivered (of class ``kind``, if given)."""
        return [h for h in self.jobs if kind is None or isinstance(h.job, kind)]

    def settle(self, msecs: int) -> bool:
        """Wait up to ``msecs`` for every running job and deliver its result now.  Returns
        False if some job is still running (a slow drive or server)."""
        for handle in list(self.jobs):
            if not handle.wait(msecs):
                return False
            self._deliver(handle)
        return True

    def _deliver(self, handle: JobHandle) -> None:
        """On the GUI thread, once: finish the job and broadcast what it did."""
        if handle.delivered or not handle.finished:
            return
        handle.delivered = True
        if handle in self.jobs:
            self.jobs.remove(handle)
        error = handle.error
        if error is None:
            try:
                done = handle.job.finish(handle.result)
            except Exception as exc:
                error = handle.error = exc
            else:
                if done.command is not None:
                    self.undo_stack.push(UndoCommand(self, done.command))
                if done.record:
                    self.changed.emit(done.record)
        if error is not None:
            salvaged = handle.job.abandon(error)
            if salvaged is not None and salvaged.record:
                self.changed.emit(salvaged.record)
            if not isinstance(error, Cancelled):
                if isinstance(error, Exception):
                    self._report(error, handle.origin)
                else:  # pragma: no cover - KeyboardInterrupt and the like
                    raise error
        self.job_finished.emit(handle)

    def refresh_all(self) -> None:
        """Tell every view to reload (after opening, restoring or merging)."""
        self.changed.emit(ChangeRecord.all())

    def _step(self, command: Command, *, undo: bool) -> None:
        try:
            record = execute(self.project, command, undo=undo)
        except Exception as exc:
            self._report(exc)
            return
        self.changed.emit(record)

    def _report(self, exc: Exception, origin: QObject | None = None) -> None:
        sentence = user_message(exc)
        if sentence is None:
            log.error("operation failed", exc_info=exc)
            sentence = self.tr(
                "That change could not be made because of an internal error; nothing was "
                "changed. Please report this problem."
            )
        self.last_failure = sentence
        self.failed.emit(sentence, origin)
